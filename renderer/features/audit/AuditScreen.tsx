import { Alert, Button, Code, Group, List, Pagination, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import type { AuditVerifyResult } from '../../../main/contract/types';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, msg } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';

const PAGE = 50;

export function AuditScreen() {
  const [page, setPage] = useState(1);
  const [action, setAction] = useState<string | null>(null);
  const list = useApiQuery('audit.list', { offset: (page - 1) * PAGE, limit: PAGE, ...(action ? { action } : {}) });
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);

  async function runVerify() {
    try {
      setVerify(await call('audit.verify', {}));
      setVerifyError(null);
    } catch (err) {
      setVerifyError(err instanceof Error ? err.message : String(err));
    }
  }

  const total = list.data?.total ?? 0;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{msg.audit.title}</Title>
        <Button onClick={() => void runVerify()}>{msg.audit.verify}</Button>
      </Group>
      <FormError message={verifyError ?? list.error} />
      {verify && (
        <Alert color={verify.ok ? 'teal' : 'red'} data-testid="audit-verify-result">
          <Text>{verify.ok ? msg.audit.verifyOk(verify.checked) : msg.audit.verifyBad(verify.checked)}</Text>
          {!verify.ok && (
            <List size="sm">
              {verify.problems.map((p, i) => (
                <List.Item key={i}>{p.message}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      <Group>
        <Select
          label={msg.audit.filterAction}
          data={[{ value: '', label: msg.audit.all }, ...Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }))]}
          value={action ?? ''}
          onChange={(v) => { setAction(v || null); setPage(1); }}
          w={200}
        />
        <Text size="sm" c="dimmed" mt="lg">{msg.audit.total(total)}</Text>
      </Group>
      <Paper withBorder>
        <Table striped aria-label="稽核紀錄">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{msg.audit.at}</Table.Th>
              <Table.Th>{msg.audit.actor}</Table.Th>
              <Table.Th>{msg.audit.action}</Table.Th>
              <Table.Th>{msg.audit.entity}</Table.Th>
              <Table.Th>{msg.audit.detail}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data?.rows ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.id}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDateTime(r.at)}</Table.Td>
                <Table.Td>{r.actorName}</Table.Td>
                <Table.Td>{AUDIT_ACTION_LABELS[r.action] ?? r.action}</Table.Td>
                <Table.Td>{AUDIT_ENTITY_LABELS[r.entity] ?? r.entity}{r.entityId ? ` #${r.entityId}` : ''}</Table.Td>
                <Table.Td>{r.detail ? <Code>{JSON.stringify(r.detail)}</Code> : null}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {total > PAGE && <Pagination total={Math.ceil(total / PAGE)} value={page} onChange={setPage} />}
    </Stack>
  );
}
