import { Badge, Button, Group, Modal, Paper, ScrollArea, Select, Stack, Table, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import { REFERRAL_STATUSES, type ReferralStatus, type ReferralView } from '../../../main/contract/types-cases';
import { FormError } from '../../components/FormError';
import { ApiCallError, call } from '../../lib/api';
import { msgReferrals } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';
import { NO_VALIDATE } from '../../lib/form';
import { msgResources } from '../../lib/messages-resources';
import { navigate } from '../../lib/router';

export const REFERRAL_STATUS_COLORS: Record<ReferralStatus, string> = {
  轉介等待中: 'yellow',
  受案: 'blue',
  不受案: 'gray',
  退回: 'orange',
  轉介完成: 'teal',
  轉介失敗: 'red',
};

export function ReferralStatusBadge({ status }: { status: ReferralStatus }) {
  return (
    <Badge color={REFERRAL_STATUS_COLORS[status]} variant="light">
      {status}
    </Badge>
  );
}

/** Referrals of a case or a household, each with its status history and a status update dialog. */
export function ReferralsPanel({ caseId, householdId, reloadKey }: { caseId?: number; householdId?: number; reloadKey?: unknown }) {
  const referrals = useApiQuery('referrals.list', caseId !== undefined ? { caseId } : { householdId: householdId ?? 0 }, [reloadKey]);
  const [editing, setEditing] = useState<ReferralView | null>(null);

  return (
    <Stack gap="xs">
      <Title order={3}>{msgReferrals.list}</Title>
      <FormError message={referrals.error} />
      <Paper withBorder>
        <ScrollArea>
          <Table aria-label={msgReferrals.list} miw={860} verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{msgReferrals.cols.on}</Table.Th>
                <Table.Th>{msgReferrals.cols.kind}</Table.Th>
                <Table.Th>{msgReferrals.cols.unit}</Table.Th>
                <Table.Th>{msgReferrals.cols.reason}</Table.Th>
                <Table.Th>{msgReferrals.cols.status}</Table.Th>
                <Table.Th>{msgReferrals.cols.history}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(referrals.data ?? []).map((r) => (
                <Table.Tr key={r.id} data-testid={`referral-row-${r.id}`} style={{ verticalAlign: 'top' }}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDate(r.referredOn)}</Table.Td>
                  <Table.Td>{r.unitKind}</Table.Td>
                  <Table.Td>{r.unitName}</Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                  <Table.Td>
                    <ReferralStatusBadge status={r.status} />
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={0}>
                      {r.history.map((h) => (
                        <Text key={h.id} size="xs" c="dimmed">
                          {`${formatRocDateTime(h.at)} ${h.status}（${h.by.name}）${h.note ? `：${h.note}` : ''}`}
                        </Text>
                      ))}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="light" onClick={() => setEditing(r)}>
                      {msgReferrals.update}
                    </Button>
                    <Button size="compact-xs" variant="subtle" mt={4} onClick={() => navigate(`/referrals/${r.id}/form`)} data-testid={`referral-form-${r.id}`}>
                      {msgResources.form.open}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
              {referrals.data && referrals.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" size="sm" ta="center">
                      {msgReferrals.none}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? msgReferrals.updateTitle(editing.unitName) : ''} size="lg">
        {editing && (
          <ReferralStatusForm
            referral={editing}
            onDone={() => {
              setEditing(null);
              void referrals.reload();
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

function ReferralStatusForm({ referral, onDone }: { referral: ReferralView; onDone(): void }) {
  const [status, setStatus] = useState<ReferralStatus | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!status) {
      setFields({ status: '請選擇新狀態' });
      return;
    }
    setBusy(true);
    try {
      await call('referrals.updateStatus', { id: referral.id, version: referral.version, status, ...(note.trim() ? { note: note.trim() } : {}) });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setFields(err instanceof ApiCallError ? err.fields : {});
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack component="form" onSubmit={submit} {...NO_VALIDATE}>
      <Text size="sm">{`${referral.unitKind}｜${referral.unitName}｜${referral.reason}`}</Text>
      <Text fw={600} size="sm">
        {msgReferrals.history}
      </Text>
      <Timeline bulletSize={14} lineWidth={2} active={referral.history.length - 1}>
        {referral.history.map((h) => (
          <Timeline.Item key={h.id} title={h.status}>
            <Text size="xs" c="dimmed">{`${formatRocDateTime(h.at)}\u3000${h.by.name}`}</Text>
            {h.note && <Text size="sm">{h.note}</Text>}
          </Timeline.Item>
        ))}
      </Timeline>
      <Select
        label={msgReferrals.status}
        withAsterisk
        data={REFERRAL_STATUSES.filter((s) => s !== referral.status).map((s) => ({ value: s, label: s }))}
        value={status}
        onChange={(v) => setStatus(v as ReferralStatus | null)}
        error={fields.status}
      />
      <Textarea label={msgReferrals.note} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={fields.note} />
      <FormError message={error} />
      <Group justify="flex-end">
        <Button type="submit" loading={busy}>
          {msgReferrals.update}
        </Button>
      </Group>
    </Stack>
  );
}
