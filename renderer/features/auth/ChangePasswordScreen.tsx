import { Alert, Button, Paper, PasswordInput, Stack, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/FormError';
import { ApiCallError, call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { useSession } from '../../lib/session';
import { NO_VALIDATE } from '../../lib/form';

export function ChangePasswordScreen({ forced }: { forced: boolean }) {
  const { passwordChanged } = useSession();
  const [form, setForm] = useState({ current: '', next: '', again: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (form.next !== form.again) {
      setFields({ again: msg.setup.passwordMismatch });
      return;
    }
    setBusy(true);
    try {
      await call('auth.changePassword', { currentPassword: form.current, newPassword: form.next });
      setDone(true);
      setError(null);
      setFields({});
      setForm({ current: '', next: '', again: '' });
      passwordChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setFields(err instanceof ApiCallError ? err.fields : {});
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="xl" maw={480} component="form" onSubmit={submit} {...NO_VALIDATE}>
      <Stack>
        <Title order={3}>{msg.password.title}</Title>
        {forced && <Alert color="yellow">{msg.password.mustChange}</Alert>}
        {done && <Alert color="teal">{msg.password.done}</Alert>}
        <PasswordInput label={msg.password.current} withAsterisk value={form.current} onChange={(e) => setForm({ ...form, current: e.currentTarget.value })} error={fields.currentPassword} autoComplete="current-password" />
        <PasswordInput label={msg.password.next} description={msg.setup.passwordHelp} withAsterisk value={form.next} onChange={(e) => setForm({ ...form, next: e.currentTarget.value })} error={fields.newPassword} autoComplete="new-password" />
        <PasswordInput label={msg.password.again} withAsterisk value={form.again} onChange={(e) => setForm({ ...form, again: e.currentTarget.value })} error={fields.again} autoComplete="new-password" />
        <FormError message={error} />
        <Button type="submit" loading={busy}>{msg.password.submit}</Button>
      </Stack>
    </Paper>
  );
}
