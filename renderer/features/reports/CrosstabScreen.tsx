import { Alert, Button, Checkbox, Group, MultiSelect, Paper, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { reportPeriodOf, shiftReportPeriod, type ReportFrequency } from '../../../main/contract/report-periods';
import { todayIso } from '../../../main/contract/roc-date';
import { REPORT_DIMENSION_LABELS, type CrosstabView, type PeriodInput, type ReportDimension } from '../../../main/contract/types-reports';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msgReports as m } from '../../lib/messages';
import { msgPeriods as mp } from '../../lib/messages-periods';
import { useApiQuery } from '../../lib/useApi';
import { downloadBase64, errorText } from './reportFiles';

type PeriodKind = ReportFrequency | 'range';
const KIND_COUNT: Record<ReportFrequency, number> = { quarter: 8, month: 24, halfYear: 6, year: 6 };

/** The last `count` periods of `frequency` up to today's, newest first: value `115Q1`, label `115年第1季`. */
function periodOptions(frequency: ReportFrequency): { value: string; label: string }[] {
  let p = reportPeriodOf(frequency, todayIso());
  const out: { value: string; label: string }[] = [];
  for (let i = 0; i < KIND_COUNT[frequency]; i++) {
    out.push({ value: p.rocKey, label: p.label });
    p = shiftReportPeriod(p, -1);
  }
  return out;
}
const BAR_COLORS = ['#1c7ed6', '#f59f00', '#37b24d', '#e64980', '#7048e8', '#0ca678', '#f76707', '#868e96'];

/** A grouped bar chart drawn in SVG: one group per row, one bar per column (or one bar per row). */
function BarChart({ view }: { view: CrosstabView }) {
  const series = view.columnDimension ? view.columns : [{ key: 'total', label: view.indicator.name }];
  const groups = view.rows.slice(0, 30).map((r) => ({
    label: r.labels.join('／'),
    values: view.columnDimension ? r.cells.map((c) => c.value ?? 0) : [r.total.value ?? 0],
  }));
  const top0 = Math.max(1, ...groups.flatMap((g) => g.values));
  const integral = groups.every((g) => g.values.every((v) => Number.isInteger(v)));
  const step = integral ? Math.max(1, Math.ceil(top0 / 4)) : top0 / 4;
  const max = step * 4;
  const barW = Math.max(6, Math.min(28, Math.floor(560 / Math.max(1, groups.length * series.length))));
  const groupW = barW * series.length + 14;
  const left = 48;
  const top = 16;
  const plotH = 220;
  const width = left + groups.length * groupW + 20;
  const height = top + plotH + 90;
  const ticks = [0, 1, 2, 3, 4].map((i) => Math.round(step * i * 100) / 100);
  return (
    <Stack gap={4}>
      <svg width={width} height={height} role="img" aria-label={m.x.chart} data-testid="crosstab-chart" style={{ fontFamily: 'sans-serif', fontSize: 11 }}>
        {ticks.map((t) => {
          const y = top + plotH - (t / max) * plotH;
          return (
            <g key={t}>
              <line x1={left} x2={width - 10} y1={y} y2={y} stroke="#e9ecef" />
              <text x={left - 6} y={y + 4} textAnchor="end" fill="#495057">
                {t}
              </text>
            </g>
          );
        })}
        <line x1={left} x2={left} y1={top} y2={top + plotH} stroke="#868e96" />
        <line x1={left} x2={width - 10} y1={top + plotH} y2={top + plotH} stroke="#868e96" />
        {groups.map((g, gi) => {
          const x0 = left + 7 + gi * groupW;
          return (
            <g key={gi}>
              {g.values.map((v, si) => {
                const h = (v / max) * plotH;
                return (
                  <rect key={si} x={x0 + si * barW} y={top + plotH - h} width={barW - 1} height={h} fill={BAR_COLORS[si % BAR_COLORS.length]}>
                    <title>{`${g.label} ${series[si]?.label ?? ''}：${v}`}</title>
                  </rect>
                );
              })}
              <text x={x0 + (barW * series.length) / 2} y={top + plotH + 12} textAnchor="end" transform={`rotate(-40 ${x0 + (barW * series.length) / 2} ${top + plotH + 12})`} fill="#212529">
                {g.label.length > 12 ? `${g.label.slice(0, 12)}…` : g.label}
              </text>
            </g>
          );
        })}
      </svg>
      {view.columnDimension && (
        <Group gap="md">
          {series.map((s, i) => (
            <Group key={s.label} gap={4}>
              <span style={{ display: 'inline-block', width: 12, height: 12, background: BAR_COLORS[i % BAR_COLORS.length] }} />
              <Text size="xs">{s.label}</Text>
            </Group>
          ))}
        </Group>
      )}
      {view.rows.length > 30 && <Text size="xs" c="dimmed">{m.x.chartTruncated}</Text>}
    </Stack>
  );
}

/** 交叉分析: an indicator by up to three breakdowns over a period; table with totals, chart, xlsx. */
export function CrosstabScreen() {
  const indicators = useApiQuery('reports.indicators', {});
  const [indicatorId, setIndicatorId] = useState<string | null>(null);
  const [breakdowns, setBreakdowns] = useState<string[]>([]);
  const [kind, setKind] = useState<PeriodKind>('quarter');
  const options = useMemo(() => (kind === 'range' ? [] : periodOptions(kind)), [kind]);
  // Default: the last finished period of the kind (the one before today's).
  const [chosen, setChosen] = useState<string | null>(null);
  const period = chosen ?? options[1]?.value ?? options[0]?.value ?? '';
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const rangeError = from && to && from > to ? mp.x.rangeOrder : null;
  const periodInput: PeriodInput = kind === 'range' ? { from: from ?? '', to: to ?? '' } : period;
  const periodReady = kind === 'range' ? Boolean(from && to && !rangeError) : period !== '';
  const [suppress, setSuppress] = useState(true);
  const [view, setView] = useState<CrosstabView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const indicator = indicators.data?.find((i) => i.id === indicatorId);
  const indicatorData = useMemo(() => {
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const i of indicators.data ?? []) {
      const list = groups.get(i.group) ?? [];
      list.push({ value: i.id, label: `${i.name}（${i.unit}）` });
      groups.set(i.group, list);
    }
    return [...groups].map(([group, items]) => ({ group, items }));
  }, [indicators.data]);

  // The screen shows every figure (its users may see them); the threshold applies to the exported file.
  const input = (forExport: boolean) => ({ indicatorId: indicatorId ?? '', breakdowns: breakdowns as ReportDimension[], period: periodInput, ...(forExport && suppress ? { suppressBelow: 3 } : {}) });
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setView(await call('reports.crosstab', input(false)));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const exportXlsx = async () => {
    setBusy(true);
    setError(null);
    try {
      const f = await call('reports.crosstabXlsx', input(true));
      downloadBase64(f.fileName, f.fileBase64 ?? '', f.mimeType);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Title order={2}>{m.x.title}</Title>
      <Paper withBorder p="md">
        <Group align="flex-end">
          <Select label={m.x.indicator} data={indicatorData} value={indicatorId} onChange={(v) => { setIndicatorId(v); setBreakdowns([]); setView(null); }} searchable w={300} data-testid="x-indicator" />
          <MultiSelect
            label={m.x.breakdowns}
            data={(indicator?.breakdowns ?? []).map((d) => ({ value: d, label: REPORT_DIMENSION_LABELS[d] }))}
            value={breakdowns}
            onChange={setBreakdowns}
            maxValues={3}
            w={320}
            data-testid="x-breakdowns"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {mp.x.periodKind}
            </Text>
            <SegmentedControl
              value={kind}
              onChange={(v) => { setKind(v as PeriodKind); setChosen(null); setView(null); }}
              data={(['quarter', 'month', 'halfYear', 'year', 'range'] as const).map((k) => ({ value: k, label: mp.x.kinds[k] }))}
              data-testid="x-period-kind"
            />
          </Stack>
          {kind === 'range' ? (
            <>
              <RocDateInput label={mp.x.from} value={from} onChange={setFrom} data-testid="x-from" />
              <RocDateInput label={mp.x.to} value={to} onChange={setTo} error={rangeError} data-testid="x-to" />
            </>
          ) : (
            <Select label={m.x.period} data={options} value={period || null} onChange={(v) => setChosen(v ?? period)} w={160} data-testid="x-period" />
          )}
          <Checkbox label={m.x.suppress} checked={suppress} onChange={(e) => setSuppress(e.currentTarget.checked)} data-testid="x-suppress" />
          <Button onClick={() => void run()} loading={busy} disabled={!indicatorId || breakdowns.length === 0 || !periodReady} data-testid="x-run">
            {m.x.run}
          </Button>
          <Button variant="default" onClick={() => void exportXlsx()} disabled={!view} data-testid="x-export">
            {m.x.export}
          </Button>
        </Group>
      </Paper>
      <FormError message={indicators.error} />
      {error && <Alert color="red" title={m.refused}>{error}</Alert>}
      {view && (
        <Paper withBorder p="md">
          <Title order={4} mb="xs">
            {view.indicator.name}（{view.indicator.unit}）— {view.period.label}
          </Title>
          <div style={{ overflow: 'auto' }}>
            <Table withTableBorder withColumnBorders striped data-testid="crosstab-table">
              <Table.Thead>
                <Table.Tr>
                  {view.rowDimensions.map((d) => (
                    <Table.Th key={d}>{REPORT_DIMENSION_LABELS[d]}</Table.Th>
                  ))}
                  {view.columnDimension && view.columns.map((c) => <Table.Th key={c.label} ta="right">{c.label}</Table.Th>)}
                  <Table.Th ta="right">{m.x.total}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {view.rows.map((r, i) => (
                  <Table.Tr key={i}>
                    {r.labels.map((l, j) => (
                      <Table.Td key={j}>{l}</Table.Td>
                    ))}
                    {view.columnDimension && r.cells.map((c, j) => <Table.Td key={j} ta="right">{c.display}</Table.Td>)}
                    <Table.Td ta="right" fw={600}>{r.total.display}</Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr fw={700}>
                  <Table.Td colSpan={view.rowDimensions.length}>{m.x.total}</Table.Td>
                  {view.columnDimension && view.columnTotals.map((c, j) => <Table.Td key={j} ta="right">{c.display}</Table.Td>)}
                  <Table.Td ta="right" data-testid="grand-total">{view.grandTotal.display}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </div>
          {view.notes.map((n) => (
            <Text key={n} size="xs" c="dimmed">{n}</Text>
          ))}
          {view.scopedToTeams && <Text size="xs" c="dimmed">{m.x.scoped}</Text>}
          <Title order={5} mt="md" mb="xs">{m.x.chart}</Title>
          <div style={{ overflow: 'auto' }}>
            <BarChart view={view} />
          </div>
        </Paper>
      )}
    </Stack>
  );
}
