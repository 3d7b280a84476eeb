import { Alert, Badge, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ActiveSessionView } from '../../../main/contract/methods/sessions';
import { ROLE_LABELS } from '../../../main/contract/roles';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msg, msgSessions } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';

function addressLabel(s: ActiveSessionView): string {
  return s.address === 'local' ? msgSessions.local : s.address;
}

function kindLabel(s: ActiveSessionView): string {
  return msgSessions.kinds[s.kind] ?? s.kind;
}

/** Asks before ending someone's session; a refusal (already ended, not allowed) stays in the dialog. */
function EndDialog({ target, onClose, onEnded }: { target: ActiveSessionView | null; onClose(): void; onEnded(s: ActiveSessionView): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function close() {
    setError(null);
    onClose();
  }
  async function confirm() {
    if (!target) return;
    setBusy(true);
    try {
      await call('sessions.end', { id: target.id });
      setError(null);
      onEnded(target);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={target !== null} onClose={close} title={msgSessions.confirmTitle}>
      {target && (
        <Stack>
          <Text>{msgSessions.confirm(target.displayName, target.username)}</Text>
          <Text size="sm" c="dimmed">{msgSessions.confirmWhere(kindLabel(target), addressLabel(target), formatRocDateTime(target.createdAt))}</Text>
          <FormError message={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>{msg.cancel}</Button>
            <Button color="red" loading={busy} onClick={() => void confirm()}>{msgSessions.confirmButton}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** 管理 → 登入中的使用者: every live session in the center, and a way to end one. */
export function SessionsScreen() {
  const sessions = useApiQuery('sessions.list', {});
  const [target, setTarget] = useState<ActiveSessionView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rows = sessions.data ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{msgSessions.title}</Title>
        <Button variant="default" onClick={() => { setNotice(null); void sessions.reload(); }} loading={sessions.loading}>{msgSessions.reload}</Button>
      </Group>
      <Text size="sm" c="dimmed">{msgSessions.help}</Text>
      <FormError message={sessions.error} />
      {notice && <Alert color="teal" variant="light" role="status">{notice}</Alert>}

      <Paper withBorder>
        <Table striped highlightOnHover aria-label={msgSessions.title} style={{ whiteSpace: 'nowrap' }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{msgSessions.user}</Table.Th>
              <Table.Th>{msgSessions.role}</Table.Th>
              <Table.Th>{msgSessions.kind}</Table.Th>
              <Table.Th>{msgSessions.address}</Table.Th>
              <Table.Th>{msgSessions.createdAt}</Table.Th>
              <Table.Th>{msgSessions.lastSeenAt}</Table.Th>
              <Table.Th>{msgSessions.expiresAt}</Table.Th>
              <Table.Th>{msgSessions.status}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((s) => (
              <Table.Tr key={s.id} data-testid={`session-row-${s.username}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>{s.displayName}</Text>
                  <Text size="xs" c="dimmed" data-verbatim>{s.username}</Text>
                </Table.Td>
                <Table.Td>{ROLE_LABELS[s.role]}</Table.Td>
                <Table.Td>{kindLabel(s)}</Table.Td>
                <Table.Td>{addressLabel(s)}</Table.Td>
                <Table.Td>{formatRocDateTime(s.createdAt)}</Table.Td>
                <Table.Td>{formatRocDateTime(s.lastSeenAt)}</Table.Td>
                <Table.Td>{formatRocDateTime(s.expiresAt)}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {s.locked ? <Badge color="orange">{msgSessions.locked}</Badge> : <Badge color="teal">{msgSessions.active}</Badge>}
                    {s.current && <Badge color="blue" variant="outline">{msgSessions.current}</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {s.current ? (
                    <Text size="xs" c="dimmed" title={msgSessions.currentHint}>{msgSessions.currentShort}</Text>
                  ) : (
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => { setNotice(null); setTarget(s); }}>{msgSessions.end}</Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {!sessions.loading && !sessions.error && rows.every((s) => s.current) && <Text c="dimmed">{msgSessions.empty}</Text>}
      <Text size="sm" c="dimmed">{msgSessions.count(rows.length)}</Text>

      <EndDialog
        target={target}
        onClose={() => {
          setTarget(null);
          // A refusal usually means the list is stale (ended elsewhere, expired): show the current one.
          void sessions.reload();
        }}
        onEnded={(s) => {
          setTarget(null);
          setNotice(msgSessions.ended(s.displayName));
          void sessions.reload();
        }}
      />
    </Stack>
  );
}
