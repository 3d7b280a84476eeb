import { Alert, Button, Center, Group, Paper, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { fingerprintLines, parseServerUrl, type ConnectionBridge, type ConnectionState, type ServerProbe } from '../../../main/contract/connection';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import { FormError } from '../../components/FormError';
import { connectionMsg } from './messages';
import { NO_VALIDATE } from '../../lib/form';

type Step = 'choose' | 'local' | 'server';

/**
 * The desktop app's first run: 本機單機使用 or 連線到中心伺服器. For the server, the address is checked,
 * the certificate fingerprint the server presents is shown to be compared (read aloud) with the one on
 * the administrator's screen, and only then pinned.
 */
export function FirstRunScreen({ bridge, onDone }: { bridge: ConnectionBridge; onDone: (s: ConnectionState) => void }) {
  const [step, setStep] = useState<Step>('choose');
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={640}>
        {step === 'choose' && <Choose onPick={setStep} />}
        {step === 'local' && <ConfirmLocal bridge={bridge} onDone={onDone} onBack={() => setStep('choose')} />}
        {step === 'server' && <ServerSetup bridge={bridge} onDone={onDone} onBack={() => setStep('choose')} />}
      </Paper>
    </Center>
  );
}

function Choice({ title, help, onClick }: { title: string; help: string; onClick: () => void }) {
  return (
    <UnstyledButton onClick={onClick} aria-label={title} style={{ display: 'block', width: '100%' }}>
      <Paper withBorder p="md" radius="md">
        <Text fw={700} size="lg">
          {title}
        </Text>
        <Text size="sm" c="dimmed">
          {help}
        </Text>
      </Paper>
    </UnstyledButton>
  );
}

function Choose({ onPick }: { onPick: (s: Step) => void }) {
  return (
    <Stack aria-label={connectionMsg.title}>
      <Title order={2}>{connectionMsg.title}</Title>
      <Text size="sm" c="dimmed">
        {connectionMsg.intro}
      </Text>
      <Choice title={connectionMsg.local.choose} help={connectionMsg.local.help} onClick={() => onPick('local')} />
      <Choice title={connectionMsg.server.choose} help={connectionMsg.server.help} onClick={() => onPick('server')} />
    </Stack>
  );
}

function ConfirmLocal({ bridge, onDone, onBack }: { bridge: ConnectionBridge; onDone: (s: ConnectionState) => void; onBack: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function confirm() {
    setBusy(true);
    setError(null);
    const env = await bridge.confirm({ mode: 'local' });
    setBusy(false);
    if (env.ok) onDone(env.value);
    else setError(env.error.message);
  }
  return (
    <Stack>
      <Title order={2}>{connectionMsg.local.confirmTitle}</Title>
      <Text size="sm">{connectionMsg.local.confirmBody}</Text>
      <FormError message={error} />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack} disabled={busy}>
          {connectionMsg.back}
        </Button>
        <Button onClick={() => void confirm()} loading={busy}>
          {connectionMsg.local.confirm}
        </Button>
      </Group>
    </Stack>
  );
}

function ServerSetup({ bridge, onDone, onBack }: { bridge: ConnectionBridge; onDone: (s: ConnectionState) => void; onBack: () => void }) {
  const [address, setAddress] = useState('');
  const [addressError, setAddressError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [probe, setProbe] = useState<ServerProbe | null>(null);
  const [busy, setBusy] = useState(false);

  async function check(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = parseServerUrl(address);
    if (!parsed.ok) {
      setAddressError(parsed.message);
      return;
    }
    setAddressError(null);
    setBusy(true);
    const env = await bridge.probe({ url: parsed.url });
    setBusy(false);
    if (env.ok) {
      setProbe(env.value);
    } else if (env.error.fields?.url) {
      setAddressError(env.error.fields.url);
    } else {
      setError(env.error.message);
    }
  }

  async function confirm() {
    if (!probe) return;
    setBusy(true);
    setError(null);
    const env = await bridge.confirm({ mode: 'server', url: probe.url, fingerprint: probe.fingerprint });
    setBusy(false);
    if (env.ok) onDone(env.value);
    else setError(env.error.message);
  }

  if (probe) {
    return (
      <Stack aria-label={connectionMsg.server.fingerprintTitle}>
        <Title order={2}>{connectionMsg.server.fingerprintTitle}</Title>
        <Text size="sm">{connectionMsg.server.fingerprintIntro}</Text>
        <Text size="sm">
          {connectionMsg.server.address}：{probe.url}
        </Text>
        <Table withTableBorder verticalSpacing="xs" data-testid="fingerprint">
          <Table.Tbody>
            {fingerprintLines(probe.fingerprint).map((line, i) => (
              <Table.Tr key={i}>
                <Table.Td w={70}>
                  <Text size="sm" c="dimmed">
                    {connectionMsg.server.line(i + 1)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text ff="monospace" fz={22} fw={600} style={{ letterSpacing: '0.08em' }}>
                    {line}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="sm" c="dimmed">
          {connectionMsg.server.serverName}：{probe.subject.commonName ?? '—'}
          {probe.subject.organization ? `（${probe.subject.organization}）` : ''}
        </Text>
        <Text size="sm" c="dimmed">
          {connectionMsg.server.validTo}：{formatRocDateTime(probe.validTo)}
        </Text>
        {!probe.trusted && (
          <Alert color="yellow" variant="light">
            {connectionMsg.server.selfSigned}
          </Alert>
        )}
        <FormError message={error} />
        <Group justify="space-between">
          <Button variant="default" onClick={() => setProbe(null)} disabled={busy}>
            {connectionMsg.server.editAddress}
          </Button>
          <Button onClick={() => void confirm()} loading={busy}>
            {connectionMsg.server.confirm}
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack component="form" onSubmit={check} aria-label={connectionMsg.server.title} {...NO_VALIDATE}>
      <Title order={2}>{connectionMsg.server.title}</Title>
      <TextInput
        label={connectionMsg.server.address}
        description={connectionMsg.server.addressHelp}
        placeholder="https://192.168.1.10:8443"
        withAsterisk
        value={address}
        onChange={(e) => {
          setAddress(e.currentTarget.value);
          setAddressError(null);
        }}
        error={addressError}
        autoComplete="off"
        spellCheck={false}
      />
      <FormError message={error} />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack} disabled={busy}>
          {connectionMsg.back}
        </Button>
        <Button type="submit" loading={busy}>
          {connectionMsg.server.check}
        </Button>
      </Group>
    </Stack>
  );
}
