import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import { msg } from '../../lib/messages';
import { msgPlatform } from '../../lib/messages-platform';
import { useSession, type LockInfo } from '../../lib/session';

/** Says whether the 鎖定畫面 button or the idle timer locked the screen, and when (民國 date, 24-hour time). */
function lockText(name: string, idleMinutes: number, info: LockInfo | null): string {
  if (!info) return msg.lock.body(name);
  const at = formatRocDateTime(info.at.toISOString());
  if (info.reason === 'manual') return msgPlatform.lock.manual(name, at);
  if (info.reason === 'idle') return msgPlatform.lock.idle(name, idleMinutes, at);
  return msgPlatform.lock.other(name, at);
}

/** Drawn over the current screen (which stays mounted) while the session is locked. */
export function LockOverlay() {
  const { session, locked, lockInfo, unlocked, signOut } = useSession();
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
        <Text size="sm" data-testid="lock-reason" data-reason={lockInfo?.reason ?? ''}>
          {lockText(session.user.displayName, session.idleLockMinutes, lockInfo)}
        </Text>
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
