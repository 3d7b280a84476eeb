import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { ScreenErrorBoundary } from './components/ScreenErrorBoundary';
import { ChangePasswordScreen } from './features/auth/ChangePasswordScreen';
import { LockOverlay } from './features/auth/LockOverlay';
import { LoginScreen } from './features/auth/LoginScreen';
import { SetupScreen } from './features/auth/SetupScreen';
import { HomeScreen } from './features/home/HomeScreen';
import { Shell } from './features/shell/Shell';
import { msg } from './lib/messages';
import { useRoute } from './lib/router';
import { useSession } from './lib/session';
import { matchRoute } from './routes';

function Screen({ route }: { route: string }) {
  const { session } = useSession();
  if (!session) return null;
  const match = matchRoute(route, session.user.role);
  // An unknown path, or one the role may not open, shows the home screen.
  const screen = match ? match.route.path : '/';
  // Keyed by the address, so that moving to another screen (or another record) starts without the error.
  return (
    <ScreenErrorBoundary key={route} screen={screen}>
      {match ? match.route.render(match.params) : <HomeScreen />}
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
