import { Alert, Button, NumberInput, Paper, Stack, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgAid as m } from '../../lib/messages-aid';
import { useApiQuery } from '../../lib/useApi';

/** 外單位救助提醒: the window's length in days (管理者, on the settings screen). */
export function AidSettingsCard() {
  const { data, error: loadError } = useApiQuery('aid.settings', {});
  const [days, setDays] = useState<number | string>(90);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (data) setDays(data.windowDays);
  }, [data]);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await call('aid.updateSettings', { windowDays: Number(days) });
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setSaved(false);
    }
  }
  return (
    <Paper withBorder p="xl" maw={520} component="form" onSubmit={submit} data-testid="aid-settings">
      <Stack>
        <Title order={4}>{m.settings.title}</Title>
        <FormError message={loadError} />
        <NumberInput label={m.settings.days} description={m.settings.help} value={days} onChange={setDays} min={1} max={730} allowDecimal={false} error={error} data-testid="aid-settings-days" />
        {saved && <Alert color="teal">{m.settings.saved}</Alert>}
        <Button type="submit">{m.settings.save}</Button>
      </Stack>
    </Paper>
  );
}
