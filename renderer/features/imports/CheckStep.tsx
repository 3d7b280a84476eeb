import { Alert, Badge, Checkbox, Chip, Group, List, Select, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { IMPORT_ROW_STATUS_LABELS, IMPORT_ROW_STATUSES, type ImportCounts, type ImportRowStatus, type ImportRowView } from '../../../main/contract/methods/imports';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgImports as m } from '../../lib/messages-imports';
import { useApiQuery } from '../../lib/useApi';

export type RowFilter = 'all' | 'excluded' | ImportRowStatus;

const PAGE_SIZE = 50;

export const STATUS_COLORS: Record<ImportRowStatus, string> = {
  new: 'teal',
  match: 'blue',
  duplicate: 'gray',
  decide: 'orange',
  followup: 'violet',
  error: 'red',
};

/** The lines of 說明 for a row: problems, changes, the duplicate's line, the follow-up reason, the question, flags. */
export function rowDetails(r: ImportRowView): string[] {
  const out: string[] = [...r.problems];
  if (r.status === 'match') {
    if (r.changes.length === 0) out.push(m.result.noChanges);
    for (const c of r.changes) out.push(m.result.change(c.field, c.from, c.to));
  }
  if (r.ofLine !== null) out.push(m.result.ofLine(r.ofLine));
  if (r.reason) out.push(r.reason);
  if (r.question) out.push(r.question);
  out.push(...r.flags);
  if (r.outcome) out.push(r.outcome);
  return out;
}

/** Filter chips with the count of each status (全部, 新增 n, 已存在 n, ...). */
export function StatusChips({ counts, value, onChange }: { counts: ImportCounts; value: RowFilter; onChange: (f: RowFilter) => void }) {
  const chip = (v: RowFilter, label: string, n: number, color?: string) => (
    <Chip key={v} value={v} color={color} variant="light" wrapperProps={{ 'data-testid': `chip-${v}` }}>
      {m.result.chip(label, n)}
    </Chip>
  );
  return (
    <Chip.Group multiple={false} value={value} onChange={(v) => onChange(v as RowFilter)}>
      <Group gap="xs" data-testid="import-counts">
        {chip('all', m.result.all, counts.total)}
        {IMPORT_ROW_STATUSES.map((s) => chip(s, IMPORT_ROW_STATUS_LABELS[s], counts[s], STATUS_COLORS[s]))}
        {chip('excluded', m.statuses.excluded ?? '已排除', counts.excluded, 'dark')}
      </Group>
    </Chip.Group>
  );
}

/**
 * The rows of a batch, a page at a time, filtered by status: 列, 狀態, 摘要, 說明. Before commit (`editable`)
 * each row can be excluded and a 待決定 row gets its choice; a refusal shows above the table.
 */
export function BatchRows({ batchId, editable, listName, actions }: { batchId: number; editable: boolean; listName: string; actions?: ReactNode }) {
  const [filter, setFilter] = useState<RowFilter>('all');
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const query = (p: number, size: number) => ({
    batchId,
    page: p,
    pageSize: size,
    ...(filter === 'excluded' ? { excluded: true } : filter === 'all' ? {} : { status: [filter] }),
  });
  const rows = useApiQuery('imports.rows', query(page, PAGE_SIZE), []);
  const counts = rows.data?.counts ?? null;

  const setRows = async (lines: number[], change: { excluded?: boolean; decision?: string | null }) => {
    setError(null);
    try {
      // A write: the shared cache loads the rows and the batch's counts again.
      await call('imports.setRows', { batchId, lines, ...change });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const columns: DataColumn<ImportRowView>[] = [
    { id: 'line', header: m.result.line, accessor: (r) => r.line, kind: 'number', width: 60, hideable: false },
    {
      id: 'status',
      header: m.result.status,
      accessor: (r) => r.statusLabel,
      nowrap: true,
      cell: (r) => (
        <Group gap={4}>
          <Badge color={STATUS_COLORS[r.status]} variant="light" miw="max-content">
            {r.statusLabel}
          </Badge>
          {r.excluded && (
            <Badge color="dark" variant="outline" miw="max-content">
              {m.statuses.excluded}
            </Badge>
          )}
        </Group>
      ),
      exportValue: (r) => (r.excluded ? `${r.statusLabel}（${m.statuses.excluded}）` : r.statusLabel),
    },
    { id: 'summary', header: m.result.summary, accessor: (r) => r.summary },
    {
      id: 'detail',
      header: m.result.detail,
      accessor: (r) => rowDetails(r).join('；'),
      cell: (r) => {
        const lines = rowDetails(r);
        if (lines.length === 0) return null;
        if (lines.length === 1) return <Text size="sm" c={r.status === 'error' ? 'red' : undefined}>{lines[0]}</Text>;
        return (
          <List size="sm" spacing={0} c={r.status === 'error' ? 'red' : undefined}>
            {lines.map((l, i) => (
              <List.Item key={i}>{l}</List.Item>
            ))}
          </List>
        );
      },
    },
  ];
  if (editable && (counts?.decide ?? 0) > 0) {
    columns.push({
      id: 'decision',
      header: m.result.decision,
      accessor: (r) => r.options.find((o) => o.value === r.decision)?.label ?? '',
      screenOnly: true,
      sortable: false,
      cell: (r) =>
        r.status === 'decide' ? (
          <Select
            size="xs"
            w={180}
            aria-label={`${m.result.decision}：第 ${r.line} 列`}
            placeholder={m.result.choose}
            data={r.options.map((o) => ({ value: o.value, label: o.label }))}
            value={r.decision}
            disabled={r.excluded}
            onChange={(v) => void setRows([r.line], { decision: v })}
            data-testid={`decide-${r.line}`}
          />
        ) : null,
    });
  }
  if (editable) {
    columns.push({
      id: 'exclude',
      header: m.result.exclude,
      accessor: (r) => r.excluded,
      screenOnly: true,
      sortable: false,
      align: 'center',
      cell: (r) =>
        r.status === 'new' || r.status === 'match' || r.status === 'decide' ? (
          <Checkbox aria-label={m.result.excludeRow(r.line)} checked={r.excluded} onChange={(e) => void setRows([r.line], { excluded: e.currentTarget.checked })} data-testid={`exclude-${r.line}`} />
        ) : null,
    });
  }

  return (
    <Stack gap="sm">
      {counts && (
        <StatusChips
          counts={counts}
          value={filter}
          onChange={(f) => {
            setFilter(f);
            setPage(1);
          }}
        />
      )}
      <FormError message={error ?? rows.error} />
      <DataTable
        tableId="import-rows"
        auditEntity="imports.rows"
        listName={listName}
        filters={filter === 'all' ? [] : [{ label: m.result.status, value: filter === 'excluded' ? (m.statuses.excluded ?? '') : IMPORT_ROW_STATUS_LABELS[filter] }]}
        columns={columns}
        rows={rows.data?.rows ?? []}
        rowKey={(r) => r.line}
        rowTestId={(r) => `import-row-${r.line}`}
        rowStyle={(r) => (r.excluded ? { opacity: 0.55 } : undefined)}
        emptyText={m.result.empty}
        loading={rows.loading}
        actions={actions}
        server={{
          total: rows.data?.total ?? 0,
          page,
          pageSize: PAGE_SIZE,
          onPage: setPage,
          fetchAll: async (onProgress) => {
            const out: ImportRowView[] = [];
            for (let p = 1; ; p++) {
              const r = await call('imports.rows', query(p, 500));
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

/** The note under the check result: fix the file and upload again, or exclude rows. */
export function FixHint({ counts }: { counts: ImportCounts }) {
  return (
    <Stack gap={4}>
      <Alert variant="light" color={counts.error > 0 ? 'orange' : 'blue'} data-testid="import-fix-hint">
        {m.result.fixHint}
      </Alert>
      {counts.undecided > 0 && (
        <Text size="sm" c="orange.8" data-testid="import-undecided">
          {m.result.undecided(counts.undecided)}
        </Text>
      )}
    </Stack>
  );
}
