import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/FormError';
import { ApiCallError, call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { useSession } from '../../lib/session';
import { NO_VALIDATE } from '../../lib/form';

export function SetupScreen({ codeRequired }: { codeRequired: boolean }) {
  const { signedIn } = useSession();
  const [form, setForm] = useState({ setupCode: '', centerName: '', username: '', displayName: '', password: '', again: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (form.password !== form.again) {
      setFields({ again: msg.setup.passwordMismatch });
      return;
    }
    setBusy(true);
    try {
      const s = await call('auth.setup', {
        ...(codeRequired ? { setupCode: form.setupCode } : {}),
        centerName: form.centerName,
        username: form.username,
        displayName: form.displayName,
        password: form.password,
      });
      signedIn(s);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setFields(err instanceof ApiCallError ? err.fields : {});
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={480} component="form" onSubmit={submit} aria-label={msg.setup.title} {...NO_VALIDATE}>
        <Stack>
          <Title order={2}>{msg.setup.title}</Title>
          <Text size="sm" c="dimmed">{msg.setup.intro}</Text>
          {codeRequired && (
            <TextInput label={msg.setup.code} description={msg.setup.codeHelp} withAsterisk value={form.setupCode} onChange={set('setupCode')} error={fields.setupCode} autoComplete="off" />
          )}
          <TextInput label={msg.setup.centerName} placeholder={msg.setup.centerNamePlaceholder} withAsterisk value={form.centerName} onChange={set('centerName')} error={fields.centerName} />
          <TextInput label={msg.setup.username} withAsterisk value={form.username} onChange={set('username')} error={fields.username} autoComplete="username" />
          <TextInput label={msg.setup.displayName} withAsterisk value={form.displayName} onChange={set('displayName')} error={fields.displayName} />
          <PasswordInput label={msg.setup.password} description={msg.setup.passwordHelp} withAsterisk value={form.password} onChange={set('password')} error={fields.password} autoComplete="new-password" />
          <PasswordInput label={msg.setup.passwordAgain} withAsterisk value={form.again} onChange={set('again')} error={fields.again} autoComplete="new-password" />
          <FormError message={error} />
          <Button type="submit" loading={busy}>{msg.setup.submit}</Button>
        </Stack>
      </Paper>
    </Center>
  );
}
