import { Alert, Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { ScreenErrorBoundary } from './components/ScreenErrorBoundary';
import { ChangePasswordScreen } from './features/auth/ChangePasswordScreen';
import { LockOverlay } from './features/auth/LockOverlay';
import { LoginScreen } from './features/auth/LoginScreen';
import { SetupScreen } from './features/auth/SetupScreen';
import { Shell } from './features/shell/Shell';
import { msg } from './lib/messages';
import { msgPlatform } from './lib/messages-platform';
import { navigate, useRoute } from './lib/router';
import { useSession } from './lib/session';
import { matchRoute } from './routes';

/** What a path the role may not open (無權限), or one that does not exist (找不到此頁面), shows instead. */
function Refused({ kind }: { kind: 'forbidden' | 'notFound' }) {
  const text = msgPlatform[kind];
  return (
    <Center mih="50vh">
      <Stack align="center" gap="sm" data-testid={kind === 'forbidden' ? 'route-forbidden' : 'route-not-found'}>
        <Title order={2}>{text.title}</Title>
        <Text c="dimmed">{text.body}</Text>
        <Button onClick={() => navigate('/')}>{text.home}</Button>
      </Stack>
    </Center>
  );
}

function Screen({ route }: { route: string }) {
  const { session } = useSession();
  if (!session) return null;
  const match = matchRoute(route, session.user.role);
  if (!match) return <Refused kind={matchRoute(route, null) ? 'forbidden' : 'notFound'} />;
  // Keyed by the address, so that moving to another screen (or another record) starts without the error.
  return (
    <ScreenErrorBoundary key={route} screen={match.route.path}>
      {match.route.render(match.params)}
    </ScreenErrorBoundary>
  );
}
export function App() {
  const { status, session, loadError, refresh } = useSession();
  const route = useRoute();

  if (loadError) {
    return (
      <Center mih="100vh">
        <Stack>
          <Alert color="red">{loadError}</Alert>
          <Button onClick={() => void refresh()}>{msg.retry}</Button>
        </Stack>
      </Center>
    );
  }
  if (!status) {
    return (
      <Center mih="100vh">
        <Loader aria-label={msg.loading} />
      </Center>
    );
  }
  if (status.needsSetup) return <SetupScreen codeRequired={status.setupCodeRequired} />;
  if (!session) return <LoginScreen centerName={status.centerName} />;
  return (
    <>
      <Shell centerName={status.centerName}>
        {session.user.mustChangePassword ? <ChangePasswordScreen forced /> : <Screen route={route} />}
      </Shell>
      <LockOverlay />
    </>
  );
}
