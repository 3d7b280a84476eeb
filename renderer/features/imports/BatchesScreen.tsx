import { Alert, Anchor, Badge, Button, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { type ImportBatchState, type ImportBatchView } from '../../../main/contract/methods/imports';
import { ConfirmAction } from '../../components/ConfirmAction';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgImports as m } from '../../lib/messages-imports';
import { navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { errorText } from '../reports/reportFiles';
import { countsText, downloadResult } from './ImportScreen';

const PAGE = 30;

const STATE_COLORS: Record<ImportBatchState, string> = { dryrun: 'gray', committed: 'teal', undone: 'orange', cancelled: 'gray', failed: 'red' };

/** 復原 behind a confirmation that asks for the reason; the server's refusal stays in the dialog. */
function UndoButton({ batch, onUndone }: { batch: ImportBatchView; onUndone: (b: ImportBatchView) => void }) {
  const [reason, setReason] = useState('');
  const trimmed = reason.trim();
  return (
    <ConfirmAction
      label={m.batches.undo}
      buttonProps={{ size: 'compact-xs', variant: 'light', miw: 'max-content', 'data-testid': `undo-${batch.batchNo}` }}
      title={m.batches.undoTitle(batch.batchNo)}
      message={m.batches.undoMessage(batch.batchNo, batch.counts.toWrite)}
      confirmLabel={m.batches.undoConfirm}
      color="red"
      canConfirm={trimmed.length >= 2}
      onOpen={() => setReason('')}
      testId="import-undo-confirm"
      onConfirm={async () => {
        const b = await call('imports.undo', { batchId: batch.id, reason: trimmed });
        onUndone(b);
      }}
    >
      <Textarea label={m.batches.undoReason} placeholder={m.batches.undoReasonHint} withAsterisk value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} maxLength={200} data-testid="import-undo-reason" />
    </ConfirmAction>
  );
}

/** What a batch's 操作 cell holds: 檢視, 結果報表, 復原 or why it cannot be undone. */
function BatchActions({ batch, onUndone, onError }: { batch: ImportBatchView; onUndone: (b: ImportBatchView) => void; onError: (e: string) => void }) {
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap" style={{ whiteSpace: 'nowrap' }}>
        <Anchor size="sm" href={`#/imports?batch=${batch.id}`} onClick={(e) => { e.preventDefault(); navigate(`/imports?batch=${batch.id}`); }}>
          {m.batches.view}
        </Anchor>
        {batch.state !== 'dryrun' && (
          <Anchor size="sm" component="button" type="button" onClick={() => downloadResult(batch.id).catch((e: unknown) => onError(errorText(e)))} data-testid={`result-${batch.batchNo}`}>
            {m.batches.download}
          </Anchor>
        )}
        {batch.state === 'committed' && batch.canUndo && <UndoButton batch={batch} onUndone={onUndone} />}
      </Group>
      {batch.state === 'committed' && !batch.canUndo && batch.blockers.length > 0 && (
        <Stack gap={0} data-testid={`blockers-${batch.batchNo}`}>
          <Text size="xs" c="red" fw={600}>
            {m.batches.blocked}
          </Text>
          <List size="xs" c="red" spacing={0}>
            {batch.blockers.map((b, i) => (
              <List.Item key={i}>{b}</List.Item>
            ))}
          </List>
        </Stack>
      )}
      {batch.state === 'undone' && batch.undoReason && (
        <Text size="xs" c="dimmed">
          {m.batches.undoneBy(batch.undoneBy ?? '', batch.undoneAt ?? '', batch.undoReason)}
        </Text>
      )}
    </Stack>
  );
}

/** `#/imports/batches` 匯入紀錄: every batch, its result report, and 復原 within 7 days. */
export function BatchesScreen() {
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = useApiQuery('imports.batches', { offset: (page - 1) * PAGE, limit: PAGE }, []);
  const rows = list.data?.rows ?? [];

  const columns: DataColumn<ImportBatchView>[] = [
    { id: 'batchNo', header: m.batches.batchNo, accessor: (r) => r.batchNo, nowrap: true, hideable: false },
    { id: 'kind', header: m.batches.kind, accessor: (r) => r.kindLabel, nowrap: true },
    { id: 'source', header: m.batches.source, accessor: (r) => r.source },
    { id: 'fileName', header: m.batches.fileName, accessor: (r) => r.fileName },
    { id: 'rows', header: m.batches.rows, accessor: (r) => r.counts.total, kind: 'number', align: 'right' },
    { id: 'result', header: m.batches.result, accessor: (r) => countsText(r.counts), hidden: true },
    {
      id: 'state',
      header: m.batches.status,
      accessor: (r) => r.stateLabel,
      nowrap: true,
      cell: (r) => (
        <Badge color={STATE_COLORS[r.state]} variant="light" miw="max-content">
          {r.stateLabel}
        </Badge>
      ),
    },
    { id: 'by', header: m.batches.importedBy, accessor: (r) => r.committedBy ?? r.createdBy, nowrap: true },
    { id: 'at', header: m.batches.importedAt, accessor: (r) => r.committedAt ?? r.createdAt, nowrap: true },
    { id: 'undoUntil', header: m.batches.undoUntil, accessor: (r) => (r.state === 'committed' ? r.undoDeadline : null), nowrap: true },
    {
      id: 'actions',
      header: m.batches.actions,
      width: 190,
      accessor: () => null,
      screenOnly: true,
      sortable: false,
      hideable: false,
      cell: (r) => (
        <BatchActions
          batch={r}
          onError={(e) => setError(e)}
          onUndone={(b) => {
            setError(null);
            setNotice(m.batches.undone(b.batchNo));
          }}
        />
      ),
    },
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{m.batches.title}</Title>
        <Button onClick={() => navigate('/imports')}>{m.nav.import}</Button>
      </Group>
      <Text size="sm" c="dimmed">
        {m.batches.help}
      </Text>
      {notice && (
        <Alert color="teal" variant="light" role="status" withCloseButton onClose={() => setNotice(null)} data-testid="batches-notice">
          {notice}
        </Alert>
      )}
      <FormError message={error ?? list.error} />
      <DataTable
        tableId="import-batches"
        auditEntity="imports.batches"
        listName={m.batches.title}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        rowTestId={(r) => `batch-row-${r.batchNo}`}
        emptyText={m.batches.empty}
        loading={list.loading}
        server={{
          total: list.data?.total ?? 0,
          page,
          pageSize: PAGE,
          onPage: setPage,
          fetchAll: async (onProgress) => {
            const out: ImportBatchView[] = [];
            for (;;) {
              const r = await call('imports.batches', { offset: out.length, limit: 100 });
              out.push(...r.rows);
              onProgress(out.length, r.total);
              if (r.rows.length === 0 || out.length >= r.total) return out;
            }
          },
        }}
      />
    </Stack>
  );
}
