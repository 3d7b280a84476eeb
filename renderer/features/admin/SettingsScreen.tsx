import { Alert, Button, NumberInput, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { receiptsMsg } from '../../lib/messages-receipts';
import { useSession } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { ServerInfoCard } from './ServerInfoCard';
import { AidSettingsCard } from '../aid/AidSettingsCard';

export function SettingsScreen() {
  const { data, error: loadError } = useApiQuery('settings.get', {});
  const { refresh } = useSession();
  const [centerName, setCenterName] = useState('');
  const [centerAddress, setCenterAddress] = useState('');
  const [idle, setIdle] = useState<number | string>(10);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (data) {
      setCenterName(data.centerName);
      setCenterAddress(data.centerAddress);
      setIdle(data.idleLockMinutes);
    }
  }, [data]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await call('settings.update', { centerName, centerAddress, idleLockMinutes: Number(idle) });
      setSaved(true);
      setError(null);
      await refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setSaved(false);
    }
  }

  return (
    <Stack>
    <Paper withBorder p="xl" maw={520} component="form" onSubmit={submit}>
      <Stack>
        <Title order={3}>{msg.settings.title}</Title>
        <FormError message={loadError} />
        <TextInput label={msg.settings.centerName} value={centerName} onChange={(e) => setCenterName(e.currentTarget.value)} />
        <TextInput label={receiptsMsg.centerAddress} description={receiptsMsg.centerAddressHelp} value={centerAddress} onChange={(e) => setCenterAddress(e.currentTarget.value)} data-testid="settings-center-address" />
        <NumberInput label={msg.settings.idle} description={msg.settings.idleHelp} value={idle} onChange={setIdle} min={1} max={120} allowDecimal={false} />
        <FormError message={error} />
        {saved && <Alert color="teal">{msg.saved}</Alert>}
        <Button type="submit">{msg.save}</Button>
      </Stack>
    </Paper>
    <AidSettingsCard />
    <ServerInfoCard />
    </Stack>
  );
}
