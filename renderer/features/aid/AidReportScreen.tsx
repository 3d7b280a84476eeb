import { Badge, Button, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { addDays, todayIso } from '../../../main/contract/roc-date';
import type { AidReportGroup, AidReportHouseholdRow, AidReportSourceRow } from '../../../main/contract/types-aid';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { msgAid as m } from '../../lib/messages-aid';
import { useApiQuery } from '../../lib/useApi';

const c = m.report.cols;

const SOURCE_COLUMNS: DataColumn<AidReportSourceRow>[] = [
  { id: 'sourceKind', header: c.sourceKind, accessor: (r) => r.sourceKind },
  { id: 'sourceName', header: c.sourceName, accessor: (r) => r.sourceName },
  { id: 'households', header: c.households, accessor: (r) => r.households, kind: 'number', align: 'right' },
  { id: 'times', header: c.times, accessor: (r) => r.times, kind: 'number', align: 'right' },
  { id: 'amount', header: c.amount, accessor: (r) => r.amount, kind: 'number', align: 'right' },
];

const HOUSEHOLD_COLUMNS: DataColumn<AidReportHouseholdRow>[] = [
  { id: 'household', header: c.household, accessor: (r) => `#${r.householdId}` },
  { id: 'headName', header: c.headName, accessor: (r) => r.headName ?? '' },
  { id: 'sources', header: c.sources, accessor: (r) => r.sources.join('、') },
  { id: 'sourceCount', header: c.sourceCount, accessor: (r) => r.sources.length, kind: 'number', align: 'right' },
  { id: 'times', header: c.times, accessor: (r) => r.times, kind: 'number', align: 'right' },
  { id: 'amount', header: c.amount, accessor: (r) => r.amount, kind: 'number', align: 'right' },
  {
    id: 'flag',
    header: c.flag,
    accessor: (r) => (r.duplicate ? m.report.duplicate : ''),
    cell: (r) => (r.duplicate ? <Badge color="orange" variant="light">{m.report.duplicate}</Badge> : null),
  },
];

/** `#/aid/report`: 外單位救助彙整 for the 聯繫會報, by source or by household, with xlsx export and print (audited). */
export function AidReportScreen() {
  const today = todayIso();
  const [from, setFrom] = useState<string | null>(addDays(today, -90));
  const [to, setTo] = useState<string | null>(today);
  const [groupBy, setGroupBy] = useState<AidReportGroup>('household');
  const [asked, setAsked] = useState<{ from: string; to: string; groupBy: AidReportGroup } | null>(from && to ? { from, to, groupBy } : null);
  const q = useApiQuery('aid.report', asked);
  const r = q.data;
  const choose = (g: AidReportGroup) => {
    setGroupBy(g);
    if (from && to) setAsked({ from, to, groupBy: g });
  };
  return (
    <Stack>
      <Title order={2}>{m.report.title}</Title>
      <Text size="sm" c="dimmed">{m.report.hint}</Text>
      <Paper withBorder p="md">
        <Group align="end">
          <RocDateInput label={m.report.from} value={from} onChange={setFrom} data-testid="aid-report-from" />
          <RocDateInput label={m.report.to} value={to} onChange={setTo} data-testid="aid-report-to" />
          <Stack gap={4}>
            <Text size="sm" fw={500}>{m.report.groupBy}</Text>
            <SegmentedControl
              value={groupBy}
              onChange={(v) => choose(v as AidReportGroup)}
              data={[
                { value: 'household', label: m.report.byHousehold },
                { value: 'source', label: m.report.bySource },
              ]}
              data-testid="aid-report-group"
            />
          </Stack>
          <Button onClick={() => from && to && setAsked({ from, to, groupBy })} disabled={!from || !to} data-testid="aid-report-run">{m.report.run}</Button>
        </Group>
      </Paper>
      <FormError message={q.error} />
      {r && <Text data-testid="aid-report-totals">{m.report.totals(r.totals.households, r.totals.times, r.totals.amount, r.totals.duplicates)}</Text>}
      {r && r.groupBy === 'source' && (
        <DataTable
          tableId="aid-report-source"
          auditEntity="aid_report.source"
          listName={m.report.listSource}
          columns={SOURCE_COLUMNS}
          rows={r.bySource}
          rowKey={(x) => `${x.sourceKind}/${x.sourceName}`}
          emptyText={m.report.empty}
          rowTestId={() => 'aid-report-row'}
        />
      )}
      {r && r.groupBy === 'household' && (
        <DataTable
          tableId="aid-report-household"
          auditEntity="aid_report.household"
          listName={m.report.listHousehold}
          columns={HOUSEHOLD_COLUMNS}
          rows={r.byHousehold}
          rowKey={(x) => x.householdId}
          rowHref={(x) => `#/households/${x.householdId}`}
          emptyText={m.report.empty}
          rowTestId={() => 'aid-report-row'}
        />
      )}
    </Stack>
  );
}
