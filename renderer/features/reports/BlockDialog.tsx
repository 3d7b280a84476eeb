import { Alert, Badge, Button, Group, Modal, ScrollArea, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { RELATIVE_PERIOD_LABELS, relativePeriodsFor, type RelativePeriod, type ReportFrequency } from '../../../main/contract/report-periods';
import { REPORT_DIMENSION_LABELS, type IndicatorFilters, type IndicatorView, type MappingInput, type ReportDimension } from '../../../main/contract/types-reports';
import { msgBlocks as b } from '../../lib/messages-report-blocks';
import { axisEntries, matchIndicator, matchLabel, matchMonth, planBlock, type AxisChoice, type AxisEntry, type AxisKind } from './blockMapping';
import { STATIC_VALUES, useDimensionValues, valueOptionLabel, type DimensionValue } from './dimensionValues';
import { FilterEditor, completeFilters } from './FilterEditor';
import { addressOf, colLetters, rangeRef, type GridRange, type SheetIndex } from './gridRange';

/** Dimensions a block's rows or columns may be (the absolute month is offered as the period's n-th month instead). */
const AXIS_DIMS: ReportDimension[] = ['dimension', 'method', 'village', 'district', 'ageBand', 'sex', 'caseType', 'householdType', 'team', 'worker', 'caseStatus', 'referralStatus', 'concernReason'];
const AUTO_DIMS: ReportDimension[] = ['dimension', 'method', 'ageBand', 'sex', 'caseType', 'householdType'];
const MONTHS: Record<ReportFrequency, number> = { month: 1, quarter: 3, halfYear: 6, year: 12 };

function kindOptions(other: AxisKind, monthly: boolean) {
  return [
    { value: 'same', label: b.axisSame },
    ...(other === 'indicator' ? [] : [{ value: 'indicator', label: b.axisIndicator }]),
    ...(monthly || other === 'month' ? [] : [{ value: 'month', label: b.axisMonth }]),
    ...AXIS_DIMS.filter((d) => d !== other).map((d) => ({ value: d, label: REPORT_DIMENSION_LABELS[d] })),
  ];
}

/** The kind that fits the labels best: indicators, a closed list, the months; else all the same. */
function guessKind(labels: string[][], indicators: IndicatorView[], months: number, allowIndicator: boolean): AxisKind {
  const n = labels.filter((l) => l.length > 0).length;
  if (!n) return 'same';
  const half = (k: number) => k > 0 && k * 2 >= n;
  if (allowIndicator && half(labels.filter((l) => matchIndicator(l, indicators).indicatorId).length)) return 'indicator';
  let best: { kind: AxisKind; hits: number } = { kind: 'same', hits: 0 };
  for (const d of AUTO_DIMS) {
    const hits = labels.filter((l) => matchLabel(l[0] ?? '', STATIC_VALUES[d] ?? []).kind === 'value').length;
    if (hits > best.hits) best = { kind: d, hits };
  }
  if (months > 1) {
    const hits = labels.filter((l) => matchMonth(l[0] ?? '', months).kind === 'month').length;
    if (hits > best.hits) best = { kind: 'month', hits };
  }
  return half(best.hits) ? best.kind : 'same';
}

function choiceValue(c: AxisChoice): string | null {
  switch (c.kind) {
    case 'value':
      return c.value;
    case 'month':
      return c.period;
    case 'total':
      return '__total';
    case 'skip':
      return '__skip';
    case 'indicator':
      return c.indicatorId;
    default:
      return null;
  }
}

function filtersText(f: IndicatorFilters, lists: Partial<Record<ReportDimension, DimensionValue[]>>): string {
  return (Object.entries(f) as [ReportDimension, string | string[]][])
    .map(([d, v]) => `${REPORT_DIMENSION_LABELS[d]}＝${(Array.isArray(v) ? v : [v]).map((x) => lists[d]?.find((y) => y.value === x)?.label ?? x).join('、')}`)
    .join('；');
}

function AxisTable(props: {
  which: 'rows' | 'cols';
  kind: AxisKind;
  entries: AxisEntry[];
  values: DimensionValue[];
  indicatorData: { group: string; items: { value: string; label: string }[] }[];
  frequency: ReportFrequency;
  /** Rows (columns) whose cells in the block are all formulas: left alone whatever is chosen. */
  formulaOnly: Set<number>;
  onChange(i: number, c: AxisChoice): void;
}) {
  const { which, kind, entries } = props;
  if (kind === 'same' || entries.length === 0) return null;
  const ok = entries.filter((e) => e.choice.kind !== 'unmatched' && !(e.choice.kind === 'indicator' && !e.choice.indicatorId)).length;
  const special = [
    { value: '__total', label: b.total },
    { value: '__skip', label: b.skip },
  ];
  const data =
    kind === 'indicator'
      ? [{ group: '—', items: [{ value: '__skip', label: b.skip }] }, ...props.indicatorData]
      : kind === 'month'
        ? [...special, ...relativePeriodsFor(props.frequency).filter((r) => r.startsWith('month')).map((r) => ({ value: r, label: RELATIVE_PERIOD_LABELS[r] }))]
        : [...special, ...props.values.map((v) => ({ value: v.value, label: valueOptionLabel(v) }))];
  const pick = (v: string | null, e: AxisEntry): AxisChoice => {
    if (v === '__total') return { kind: 'total' };
    if (v === '__skip') return { kind: 'skip' };
    if (v === null) return kind === 'indicator' ? { kind: 'indicator', indicatorId: null, filters: {} } : { kind: 'unmatched' };
    if (kind === 'indicator') return { kind: 'indicator', indicatorId: v, filters: e.choice.kind === 'indicator' ? e.choice.filters : {} };
    if (kind === 'month') return { kind: 'month', period: v as RelativePeriod };
    return { kind: 'value', value: v };
  };
  const name = (i: number) => (which === 'rows' ? String(i) : colLetters(i));
  return (
    <Stack gap={4} data-testid={`block-${which}-table`}>
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {which === 'rows' ? b.rowsTable : b.colsTable}
        </Text>
        <Badge variant="light" color={ok === entries.length ? 'green' : 'red'}>
          {b.matchedCount(ok, entries.length)}
        </Badge>
      </Group>
      <Table withTableBorder withColumnBorders verticalSpacing={2} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={44}>{which === 'rows' ? b.row : b.col}</Table.Th>
            <Table.Th w="38%">{b.label}</Table.Th>
            <Table.Th>{kind === 'indicator' ? b.indicator : b.value}</Table.Th>
            {kind === 'indicator' && <Table.Th>{b.colFilters}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e, i) => {
            const bad = e.choice.kind === 'unmatched' || (e.choice.kind === 'indicator' && !e.choice.indicatorId);
            return (
              <Table.Tr key={e.index} bg={bad ? 'red.0' : undefined} data-testid={`block-${which}-${name(e.index)}`} data-unmatched={bad ? 'true' : undefined}>
                <Table.Td>{name(e.index)}</Table.Td>
                <Table.Td c={bad ? 'red.8' : undefined} fw={bad ? 600 : undefined}>
                  {e.label || b.noLabel}
                  {props.formulaOnly.has(e.index) && (
                    <Badge size="xs" color="yellow" variant="light" ml={6}>
                      {b.formulaAxis}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`${name(e.index)} ${e.label}`}
                    data={data}
                    value={choiceValue(e.choice)}
                    onChange={(v) => props.onChange(i, pick(v, e))}
                    placeholder={b.unmatched}
                    error={bad}
                    searchable
                    size="xs"
                    data-testid={`block-${which}-value-${name(e.index)}`}
                  />
                </Table.Td>
                {kind === 'indicator' && (
                  <Table.Td>
                    {e.choice.kind === 'indicator' && Object.keys(e.choice.filters).length > 0 && (
                      <Group gap={4} wrap="nowrap">
                        <Text size="xs">{filtersText(e.choice.filters, STATIC_VALUES)}</Text>
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          onClick={() => props.onChange(i, { kind: 'indicator', indicatorId: e.choice.kind === 'indicator' ? e.choice.indicatorId : null, filters: {} })}
                        >
                          ×
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** 對應整個區塊: what the rows and the columns of the selected range are, confirmed in a table, then one 套用. */
export function BlockDialog(props: {
  opened: boolean;
  onClose(): void;
  sheet: string;
  hidden: boolean;
  index: SheetIndex;
  range: GridRange;
  indicators: IndicatorView[];
  frequency: ReportFrequency;
  onApply(mappings: MappingInput[], formulaCells: string[]): void;
}) {
  const { index, range, indicators } = props;
  const months = MONTHS[props.frequency];
  const monthly = months === 1;
  const guess = useMemo(() => {
    const rowLabels: string[][] = [];
    for (let r = range.top; r <= range.bottom; r++) rowLabels.push([index.rowLabel(r, range.left).text].filter(Boolean));
    const colLabels: string[][] = [];
    for (let c = range.left; c <= range.right; c++) colLabels.push(index.columnHeads(c, range.top));
    const cols = range.right > range.left || range.bottom === range.top ? guessKind(colLabels, indicators, monthly ? 1 : months, true) : 'same';
    const rows = range.bottom > range.top ? guessKind(rowLabels, indicators, monthly ? 1 : months, cols !== 'indicator') : 'same';
    return { rows, cols: rows === cols && rows !== 'same' ? 'same' : cols };
  }, [index, range, indicators, months, monthly]);
  const [rowsKind, setRowsKind] = useState<AxisKind>(guess.rows);
  const [colsKind, setColsKind] = useState<AxisKind>(guess.cols);
  const [indicatorId, setIndicatorId] = useState<string | null>(null);
  const [filters, setFilters] = useState<IndicatorFilters>({});
  const [period, setPeriod] = useState<RelativePeriod>('report');
  const rowValues = useDimensionValues(rowsKind !== 'same' && rowsKind !== 'indicator' && rowsKind !== 'month' ? rowsKind : null);
  const colValues = useDimensionValues(colsKind !== 'same' && colsKind !== 'indicator' && colsKind !== 'month' ? colsKind : null);
  const [rows, setRows] = useState<AxisEntry[]>([]);
  const [cols, setCols] = useState<AxisEntry[]>([]);
  const ctx = (values: DimensionValue[] | null) => ({ index, range, indicators, values: values ?? [], lists: STATIC_VALUES, months });
  const rowData = rowValues.data;
  const colData = colValues.data;
  useEffect(() => {
    setRows(axisEntries('rows', rowsKind, ctx(rowData)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rowsKind, rowData, indicators, range]);
  useEffect(() => {
    setCols(axisEntries('cols', colsKind, ctx(colData)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [colsKind, colData, indicators, range]);

  const indicatorData = useMemo(() => {
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const i of indicators) {
      const list = groups.get(i.group) ?? [];
      list.push({ value: i.id, label: `${i.name}（${i.unit}）` });
      groups.set(i.group, list);
    }
    return [...groups].map(([group, items]) => ({ group, items }));
  }, [indicators]);

  const plan = planBlock({
    sheet: props.sheet,
    range,
    index,
    rowsKind,
    colsKind,
    rows,
    cols,
    indicatorId: rowsKind === 'indicator' || colsKind === 'indicator' ? null : indicatorId,
    filters: completeFilters(filters) ?? {},
    period,
    indicators,
  });
  const formulaRows = new Set<number>();
  const formulaCols = new Set<number>();
  const isFormula = (r: number, c: number) => index.covered(r, c) || !!index.cell(addressOf({ row: r, col: c }))?.hasFormula;
  for (let r = range.top; r <= range.bottom; r++) {
    let all = true;
    for (let c = range.left; c <= range.right && all; c++) all = isFormula(r, c);
    if (all) formulaRows.add(r);
  }
  for (let c = range.left; c <= range.right; c++) {
    let all = true;
    for (let r = range.top; r <= range.bottom && all; r++) all = isFormula(r, c);
    if (all) formulaCols.add(c);
  }
  const axisDims = [rowsKind, colsKind].filter((k): k is ReportDimension => k !== 'same' && k !== 'indicator' && k !== 'month');
  const filterDims = (['worker', 'team', 'district', 'village', 'caseType', 'dimension', 'householdType', 'ageBand', 'sex', 'month', 'method', 'caseStatus', 'referralStatus', 'concernReason'] as ReportDimension[]).filter((d) => !axisDims.includes(d));
  const periods = relativePeriodsFor(props.frequency).filter((r) => !(rowsKind === 'month' || colsKind === 'month') || !r.startsWith('month'));

  return (
    <Modal opened={props.opened} onClose={props.onClose} title={b.dialogTitle(`${props.sheet}!${rangeRef(range)}`)} size="min(1100px, 96vw)" data-testid="block-dialog">
      <Stack gap="sm">
        {props.hidden && <Alert color="orange" p="xs">{b.hiddenSheetWarn}</Alert>}
        <SimpleGrid cols={3}>
          <Select label={b.rowsAre} data={kindOptions(colsKind, monthly)} value={rowsKind} onChange={(v) => v && setRowsKind(v as AxisKind)} allowDeselect={false} data-testid="block-rows-kind" />
          <Select label={b.colsAre} data={kindOptions(rowsKind, monthly)} value={colsKind} onChange={(v) => v && setColsKind(v as AxisKind)} allowDeselect={false} data-testid="block-cols-kind" />
          <Select label={b.blockPeriod} data={periods.map((r) => ({ value: r, label: RELATIVE_PERIOD_LABELS[r] }))} value={period} onChange={(v) => v && setPeriod(v as RelativePeriod)} allowDeselect={false} data-testid="block-period" />
        </SimpleGrid>
        {rowsKind !== 'indicator' && colsKind !== 'indicator' && (
          <Select label={b.commonIndicator} data={indicatorData} value={indicatorId} onChange={setIndicatorId} searchable withAsterisk data-testid="block-indicator" />
        )}
        <FilterEditor filters={filters} dims={filterDims} onChange={setFilters} prefix="block-filter" label={b.blockFilters} />
        <ScrollArea.Autosize mah="48vh">
          <SimpleGrid cols={rowsKind !== 'same' && colsKind !== 'same' ? 2 : 1} spacing="md">
            <AxisTable which="rows" kind={rowsKind} entries={rows} values={rowData ?? []} indicatorData={indicatorData} frequency={props.frequency} formulaOnly={formulaRows} onChange={(i, c) => setRows((l) => l.map((e, k) => (k === i ? { ...e, choice: c } : e)))} />
            <AxisTable which="cols" kind={colsKind} entries={cols} values={colData ?? []} indicatorData={indicatorData} frequency={props.frequency} formulaOnly={formulaCols} onChange={(i, c) => setCols((l) => l.map((e, k) => (k === i ? { ...e, choice: c } : e)))} />
          </SimpleGrid>
        </ScrollArea.Autosize>
        {plan.formulaCells.length > 0 && (
          <Alert color="yellow" p="xs" data-testid="block-formula-notice">
            {b.formulaSkipped(plan.formulaCells.join('、'))}
          </Alert>
        )}
        {plan.problems.length > 0 && (
          <Alert color="red" p="xs" title={b.problems} data-testid="block-problems">
            <Stack gap={0}>
              {plan.problems.map((p) => (
                <Text key={p} size="sm">
                  {p}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
        <Group justify="space-between">
          <Text size="sm" c="dimmed" data-testid="block-summary">
            {plan.problems.length ? '' : b.willMap(plan.mappings.length)}
          </Text>
          <Group>
            <Button variant="default" onClick={props.onClose}>
              {b.cancel}
            </Button>
            <Button onClick={() => props.onApply(plan.mappings, plan.formulaCells)} disabled={plan.problems.length > 0 || plan.mappings.length === 0} data-testid="block-apply">
              {b.apply}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
