import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { useSession } from '../../lib/session';

/** Drawn over the current screen (which stays mounted) while the session is locked. */
export function LockOverlay() {
  const { session, locked, unlocked, signOut } = useSession();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!session) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      unlocked(await call('auth.unlock', { password }));
      setPassword('');
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened={locked}
      onClose={() => undefined}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      centered
      title={msg.lock.title}
      overlayProps={{ backgroundOpacity: 0.85, blur: 8 }}
      data-testid="lock-overlay"
    >
      <Stack component="form" onSubmit={submit}>
        <Text size="sm">{msg.lock.body(session.user.displayName)}</Text>
        <PasswordInput label={msg.lock.password} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoFocus autoComplete="current-password" />
        <FormError message={error} />
        <Group justify="space-between">
          <Button variant="subtle" color="gray" onClick={() => void signOut()}>{msg.lock.signOut}</Button>
          <Button type="submit" loading={busy}>{msg.lock.submit}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
