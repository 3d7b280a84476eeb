import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { ChangePasswordScreen } from './features/auth/ChangePasswordScreen';
import { LockOverlay } from './features/auth/LockOverlay';
import { LoginScreen } from './features/auth/LoginScreen';
import { SetupScreen } from './features/auth/SetupScreen';
import { SettingsScreen } from './features/admin/SettingsScreen';
import { UsersScreen } from './features/admin/UsersScreen';
import { AuditScreen } from './features/audit/AuditScreen';
import { HomeScreen } from './features/home/HomeScreen';
import { NAV, Shell } from './features/shell/Shell';
import { msg } from './lib/messages';
import { useRoute } from './lib/router';
import { useSession } from './lib/session';

function Screen({ route }: { route: string }) {
  const { session } = useSession();
  const role = session?.user.role;
  const item = NAV.find((n) => (n.path === '/' ? route === '/' : route.startsWith(n.path)));
  if (!item || (item.roles !== 'all' && role && !item.roles.includes(role))) return <HomeScreen />;
  switch (item.path) {
    case '/users':
      return <UsersScreen />;
    case '/settings':
      return <SettingsScreen />;
    case '/audit':
      return <AuditScreen />;
    case '/password':
      return <ChangePasswordScreen forced={false} />;
    default:
      return <HomeScreen />;
  }
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
