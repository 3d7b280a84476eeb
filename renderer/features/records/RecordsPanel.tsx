import { Alert, Badge, Button, Group, Loader, Modal, Pagination, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import type { NarrativeView, ServiceRecordView } from '../../../main/contract/types-cases';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgRecords } from '../../lib/messages';
import { msgRecordEdit } from '../../lib/messages-edit-records';
import { navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { RecordHistory } from './RecordHistory';

const PAGE = 20;

/**
 * Service records of a case or a household, newest first, without narratives. "檢視內容"
 * fetches one narrative (records.narrative): each opening is written to the audit log.
 */
export function RecordsPanel({ caseId, householdId, newHref, title = msgRecords.list }: { caseId?: number; householdId?: number; newHref?: string | null; title?: string }) {
  const [page, setPage] = useState(1);
  const input = caseId !== undefined ? { caseId, offset: (page - 1) * PAGE, limit: PAGE } : { householdId: householdId ?? 0, offset: (page - 1) * PAGE, limit: PAGE };
  const records = useApiQuery('records.list', input);
  const [open, setOpen] = useState<ServiceRecordView | null>(null);
  const [historyOf, setHistoryOf] = useState<ServiceRecordView | null>(null);
  const total = records.data?.total ?? 0;

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3}>{title}</Title>
        <Group gap="xs">
          {records.data && (
            <Text size="sm" c="dimmed">
              {msgRecords.total(total)}
            </Text>
          )}
          {newHref && (
            <Button size="xs" onClick={() => navigate(newHref)}>
              {msgRecords.newTitle}
            </Button>
          )}
        </Group>
      </Group>
      <FormError message={records.error} />
      <Paper withBorder>
        <ScrollArea>
          <Table striped aria-label={title} miw={960}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{msgRecords.cols.at}</Table.Th>
                <Table.Th>{msgRecords.cols.method}</Table.Th>
                <Table.Th>{msgRecords.cols.minutes}</Table.Th>
                <Table.Th>{msgRecords.cols.items}</Table.Th>
                <Table.Th>{msgRecords.cols.participants}</Table.Th>
                <Table.Th>{msgRecords.cols.next}</Table.Th>
                <Table.Th>{msgRecords.cols.worker}</Table.Th>
                <Table.Th>{msgRecords.cols.narrative}</Table.Th>
                <Table.Th>{msgRecordEdit.history}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(records.data?.rows ?? []).map((r) => (
                <Table.Tr key={r.id} data-testid={`record-row-${r.id}`}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDateTime(r.occurredAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {r.method}
                    {r.referralIds.length > 0 && (
                      <Badge ml={4} size="xs" variant="light" color="violet">
                        轉介
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{r.minutes}</Table.Td>
                  <Table.Td>{r.items.join('、')}</Table.Td>
                  <Table.Td>{r.participants.map((p) => p.name).join('、')}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDate(r.nextFollowUp)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.worker.name}</Table.Td>
                  <Table.Td>
                    {r.hasNarrative ? (
                      <Button size="compact-xs" variant="light" onClick={() => setOpen(r)} aria-label={`${msgRecords.viewNarrative} ${formatRocDateTime(r.occurredAt)}`}>
                        {msgRecords.viewNarrative}
                      </Button>
                    ) : (
                      <Text size="xs" c="dimmed">
                        {msgRecords.noNarrative}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {r.canEdit && (
                        <Button size="compact-xs" variant="subtle" onClick={() => navigate(`/records/${r.id}/edit`)} aria-label={msgRecordEdit.editLabel(formatRocDateTime(r.occurredAt))}>
                          {msgRecordEdit.edit}
                        </Button>
                      )}
                      {r.editCount > 0 && r.lastEditedAt && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="orange"
                          onClick={() => setHistoryOf(r)}
                          aria-label={msgRecordEdit.historyLabel(formatRocDateTime(r.occurredAt))}
                          title={msgRecordEdit.edited(r.editCount, formatRocDateTime(r.lastEditedAt))}
                          data-testid={`edited-${r.id}`}
                        >
                          {msgRecordEdit.editedShort(r.editCount)}
                        </Button>
                      )}
                    </Group>
                    {r.editCount > 0 && r.lastEditedAt && (
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {formatRocDateTime(r.lastEditedAt)}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
              {records.data && records.data.rows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={9}>
                    <Text c="dimmed" size="sm" ta="center">
                      {msgRecords.none}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      {total > PAGE && <Pagination total={Math.ceil(total / PAGE)} value={page} onChange={setPage} size="sm" />}
      <Modal opened={historyOf !== null} onClose={() => setHistoryOf(null)} title={historyOf ? msgRecordEdit.historyTitle(formatRocDateTime(historyOf.occurredAt)) : ''} size="xl">
        {historyOf && <RecordHistory recordId={historyOf.id} />}
      </Modal>
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open ? msgRecords.narrativeTitle(formatRocDateTime(open.occurredAt)) : ''} size="lg">
        {open && <NarrativeBody record={open} />}
      </Modal>
    </Stack>
  );
}

function NarrativeBody({ record }: { record: ServiceRecordView }) {
  const [view, setView] = useState<NarrativeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  // One call per opening of the dialog: the server audits each.
  useEffect(() => {
    let live = true;
    call('records.narrative', { id: record.id })
      .then((v) => live && setView(v))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [record.id]);
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {`${record.method}・${record.minutes} 分鐘・${record.worker.name}`}
      </Text>
      <FormError message={error} />
      {!view && !error && <Loader size="sm" aria-label="載入服務內容" />}
      {view && (
        <Paper withBorder p="md" data-testid="narrative">
          <Text style={{ whiteSpace: 'pre-wrap' }}>{view.narrative || msgRecords.narrativeEmpty}</Text>
        </Paper>
      )}
      <Alert color="gray" variant="light">
        {msgRecords.narrativeAudited}
      </Alert>
    </Stack>
  );
}
