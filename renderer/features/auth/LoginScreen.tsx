import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { useSession } from '../../lib/session';
import { NO_VALIDATE } from '../../lib/form';
import { guardMsg } from '../../lib/messages-guard';

export function LoginScreen({ centerName }: { centerName: string }) {
  const { signedIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<{ username?: string; password?: string }>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    const missing = {
      ...(username.trim() === '' ? { username: guardMsg.required(msg.login.username) } : {}),
      ...(password === '' ? { password: guardMsg.required(msg.login.password) } : {}),
    };
    setFields(missing);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      signedIn(await call('auth.login', { username, password }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={400} component="form" onSubmit={submit} aria-label={msg.login.title} {...NO_VALIDATE}>
        <Stack>
          <div>
            <Title order={2}>{msg.appName}</Title>
            <Text c="dimmed" size="sm">{centerName}</Text>
          </div>
          <TextInput label={msg.login.username} withAsterisk value={username} onChange={(e) => setUsername(e.currentTarget.value)} error={fields.username} autoComplete="username" autoFocus />
          <PasswordInput label={msg.login.password} withAsterisk value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={fields.password} autoComplete="current-password" />
          <FormError message={error} />
          <Button type="submit" loading={busy}>{msg.login.submit}</Button>
        </Stack>
      </Paper>
    </Center>
  );
}
