import { Alert, Button, Center, Code, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { CONNECTION_MESSAGES, fingerprintLines, type ConnectionBridge, type ConnectionState } from '../../../main/contract/connection';
import { FormError } from '../../components/FormError';
import { onApiError } from '../../lib/api';
import { msg } from '../../lib/messages';
import { FirstRunScreen } from './FirstRunScreen';
import { connectionMsg } from './messages';

/**
 * In the desktop app, before anything else: has this PC chosen how it works (alone, or as a client of
 * the center server), and is the server still the one whose certificate was confirmed? In a browser
 * there is no `window.welfareDesk.connection` and this renders its children unchanged.
 */
export function ConnectionGate({ children }: { children: ReactNode }) {
  const bridge = typeof window === 'undefined' ? undefined : window.welfareDesk?.connection;
  if (!bridge) return <>{children}</>;
  return <DesktopConnectionGate bridge={bridge}>{children}</DesktopConnectionGate>;
}

function DesktopConnectionGate({ bridge, children }: { bridge: ConnectionBridge; children: ReactNode }) {
  const [state, setState] = useState<ConnectionState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const env = await bridge.state();
      if (env.ok) setState(env.value);
      else setLoadError(env.error.message);
    } catch {
      setLoadError(connectionMsg.loadFailed);
    }
  }, [bridge]);

  useEffect(() => {
    void load();
  }, [load]);

  // A call refused because the server's certificate changed: show why, in place of the app.
  useEffect(
    () =>
      onApiError((err) => {
        if (err.details.connection === 'certificate-changed') void load();
      }),
    [load],
  );

  if (loadError) {
    return (
      <Center mih="100vh">
        <Stack>
          <Alert color="red">{loadError}</Alert>
          <Button onClick={() => void load()}>{msg.retry}</Button>
        </Stack>
      </Center>
    );
  }
  if (!state) {
    return (
      <Center mih="100vh">
        <Loader aria-label={msg.loading} />
      </Center>
    );
  }
  if (state.mode === 'unconfigured') return <FirstRunScreen bridge={bridge} onDone={setState} />;
  if (state.mode === 'server' && state.problem === 'certificate-changed') {
    return <CertificateChangedScreen bridge={bridge} pinned={state.fingerprint} url={state.url} onReset={setState} />;
  }
  return <>{children}</>;
}

function CertificateChangedScreen({ bridge, pinned, url, onReset }: { bridge: ConnectionBridge; pinned: string; url: string; onReset: (s: ConnectionState) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function reset() {
    setBusy(true);
    setError(null);
    const env = await bridge.reset();
    setBusy(false);
    if (env.ok) onReset(env.value);
    else setError(env.error.message);
  }
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={620} aria-label={connectionMsg.changed.title}>
        <Stack>
          <Title order={2}>{connectionMsg.changed.title}</Title>
          <Alert color="red" variant="light" role="alert" data-testid="certificate-changed">
            {CONNECTION_MESSAGES.certificateChanged}
          </Alert>
          <Text size="sm">
            {connectionMsg.server.address}：{url}
          </Text>
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {connectionMsg.changed.pinned}
            </Text>
            {fingerprintLines(pinned).map((line, i) => (
              <Code key={i} fz="sm">
                {line}
              </Code>
            ))}
          </Stack>
          <FormError message={error} />
          <Button color="red" onClick={() => void reset()} loading={busy}>
            {connectionMsg.changed.reset}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
