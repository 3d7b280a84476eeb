import { Alert, Anchor, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Tabs, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { RELATIVE_PERIOD_LABELS, REPORT_FREQUENCIES, REPORT_FREQUENCY_LABELS, relativePeriodsFor, type RelativePeriod, type ReportFrequency } from '../../../main/contract/report-periods';
import {
  AGE_BAND_LABELS,
  REPORT_DIMENSION_LABELS,
  SEX_LABELS,
  VULNERABILITY_DIMENSION_LABELS,
  type DefinitionView,
  type IndicatorFilters,
  type IndicatorView,
  type MappingInput,
  type ReportDimension,
} from '../../../main/contract/types-reports';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgReports as m } from '../../lib/messages';
import { navigate, useRoute } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { routeQuery } from '../../lib/router';
import { useMaybeQuery } from '../cases/hooks';
import { msgBlocks as b } from '../../lib/messages-report-blocks';
import { BlockDialog } from './BlockDialog';
import { fillMappings } from './blockMapping';
import { FilterEditor, completeFilters } from './FilterEditor';
import { SheetIndex, addressOf, isSingle, parseAddress, rangeRef, type GridRange } from './gridRange';
import { recogniseForm, type RecognisedCell } from './recognise';
import { TemplateGridView, selectionRange, type GridMark, type GridSelection } from './TemplateGridView';
import { downloadBlob, errorText } from './reportFiles';

/** Known values for a filter dimension (others are typed). */
const FILTER_VALUES: Partial<Record<ReportDimension, Record<string, string>>> = {
  dimension: VULNERABILITY_DIMENSION_LABELS,
  sex: SEX_LABELS,
  ageBand: AGE_BAND_LABELS,
};

function filterLabel(filters: IndicatorFilters | undefined, period?: RelativePeriod): string {
  const when = period && period !== 'report' ? RELATIVE_PERIOD_LABELS[period] : '';
  if (!filters) return when ? `（${when}）` : '';
  const parts = Object.entries(filters).map(([dim, v]) => {
    const values = Array.isArray(v) ? v : [v ?? ''];
    const names = FILTER_VALUES[dim as ReportDimension];
    return `${REPORT_DIMENSION_LABELS[dim as ReportDimension]}＝${values.map((x) => names?.[x] ?? x).join('、')}`;
  });
  if (when) parts.push(when);
  return parts.length ? `（${parts.join('；')}）` : '';
}

/** `#/reports/definitions/:id` (or `new?templateId=N`): map template cells to indicators. */
export function DefinitionScreen({ id }: { id: string }) {
  const isNew = id === 'new';
  const queryTemplate = Number(routeQuery(useRoute()).get('templateId') ?? '');
  const definition = useMaybeQuery('reports.getDefinition', isNew ? null : { id: Number(id) });
  const templateId = isNew ? queryTemplate : (definition.data?.templateId ?? 0);
  if (!isNew && !definition.data) {
    return (
      <Stack>
        <Title order={2}>{m.def.title}</Title>
        {definition.error ? <FormError message={definition.error} /> : <Text c="dimmed">{m.loading}</Text>}
      </Stack>
    );
  }
  if (!Number.isInteger(templateId) || templateId <= 0) {
    return (
      <Stack>
        <Title order={2}>{m.def.title}</Title>
        <Alert color="yellow">{m.def.needTemplate}</Alert>
      </Stack>
    );
  }
  return <DefinitionEditor key={`${id}-${templateId}`} id={isNew ? null : Number(id)} templateId={templateId} initial={isNew ? null : definition.data} />;
}


interface EditorMapping extends MappingInput {
  label?: string;
}

interface CellRef {
  sheet: string;
  cell: string;
}


function toEditor(list: DefinitionView['mappings']): EditorMapping[] {
  return list.map((x) => ({ sheet: x.sheet, cell: x.cell, indicatorId: x.indicatorId, filters: x.filters, label: x.label, ...(x.period && x.period !== 'report' ? { period: x.period } : {}) }));
}

/** The range when it is one cell (or exactly one merged area): its top-left address. */
function singleCell(sheet: { merges: { top: number; left: number; bottom: number; right: number }[] }, r: GridRange | null): string | null {
  if (!r) return null;
  if (isSingle(r)) return addressOf({ row: r.top, col: r.left });
  const mg = sheet.merges.find((x) => x.top === r.top && x.left === r.left && x.bottom === r.bottom && x.right === r.right);
  return mg ? addressOf({ row: r.top, col: r.left }) : null;
}

/** 範本中辨識到：使用「…」 — a one-click fill from what the template says. */
function Suggestion(props: { show: boolean; label: string; onUse(): void; testId: string }) {
  if (!props.show) return null;
  return (
    <Text size="xs" c="dimmed" span>
      {b.recognised}：
      <Anchor size="xs" component="button" type="button" onClick={props.onUse} data-testid={props.testId}>
        {b.useValue(props.label)}
      </Anchor>
    </Text>
  );
}

function DefinitionEditor(props: { id: number | null; templateId: number; initial: DefinitionView | null }) {
  const grid = useApiQuery('reports.templateGrid', { templateId: props.templateId });
  const indicators = useApiQuery('reports.indicators', {});
  const init = props.initial;
  const [name, setName] = useState(init?.name ?? '');
  const [formNo, setFormNo] = useState(init?.formNo ?? '');
  const [agency, setAgency] = useState(init?.agency ?? '');
  const [deadline, setDeadline] = useState(init?.deadline ?? '');
  const [frequency, setFrequency] = useState<ReportFrequency>(init?.frequency ?? 'quarter');
  const [version, setVersion] = useState(init?.version);
  const [periodCell, setPeriodCell] = useState<CellRef | null>(init?.periodCell ? { sheet: init.periodCell.sheet, cell: init.periodCell.cell } : null);
  const [compiledCell, setCompiledCell] = useState<CellRef | null>(init?.compiledCell ? { sheet: init.compiledCell.sheet, cell: init.compiledCell.cell } : null);
  const [mappings, setMappings] = useState<EditorMapping[]>(init ? toEditor(init.mappings) : []);
  const [sheetName, setSheetName] = useState<string | null>(null);
  const [sel, setSel] = useState<GridSelection | null>(null);
  const [indicatorId, setIndicatorId] = useState<string | null>(null);
  const [draftFilters, setDraftFilters] = useState<IndicatorFilters>({});
  const [draftPeriod, setDraftPeriod] = useState<RelativePeriod>('report');
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [blockOpen, setBlockOpen] = useState(false);

  const sheets = grid.data?.sheets.filter((s) => s.cells.length > 0 || s.kind === 'worksheet') ?? [];
  const activeSheet = sheets.find((s) => s.name === sheetName) ?? sheets[0] ?? null;
  const index = useMemo(() => (activeSheet ? new SheetIndex(activeSheet) : null), [activeSheet]);
  const recognised = useMemo(() => (grid.data ? recogniseForm(grid.data) : null), [grid.data]);
  const byId = useMemo(() => new Map<string, IndicatorView>((indicators.data ?? []).map((i) => [i.id, i])), [indicators.data]);
  const indicatorData = useMemo(() => {
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const i of indicators.data ?? []) {
      const list = groups.get(i.group) ?? [];
      list.push({ value: i.id, label: `${i.name}（${i.unit}）` });
      groups.set(i.group, list);
    }
    return [...groups].map(([group, items]) => ({ group, items }));
  }, [indicators.data]);

  const range = activeSheet ? selectionRange(activeSheet, sel) : null;
  const selected = activeSheet ? singleCell(activeSheet, range) : null;
  const hiddenSheet = !!activeSheet && activeSheet.state !== 'visible';
  const labelOf = (mp: EditorMapping) => mp.label ?? `${byId.get(mp.indicatorId)?.name ?? mp.indicatorId}${filterLabel(mp.filters, mp.period)}`;
  const current = activeSheet && selected ? mappings.find((x) => x.sheet === activeSheet.name && x.cell === selected) : undefined;

  useEffect(() => {
    setIndicatorId(current?.indicatorId ?? null);
    setDraftFilters(current?.filters ?? {});
    setDraftPeriod(current?.period ?? 'report');
  }, [selected, activeSheet?.name, current]);

  const marks = new Map<string, GridMark>();
  if (activeSheet) {
    for (const mp of mappings) if (mp.sheet === activeSheet.name) marks.set(mp.cell, { label: labelOf(mp), color: '#d0ebff' });
    if (periodCell?.sheet === activeSheet.name) marks.set(periodCell.cell, { label: m.def.periodCellMark, color: '#fff3bf' });
    if (compiledCell?.sheet === activeSheet.name) marks.set(compiledCell.cell, { label: b.compiledCellMark, color: '#fff3bf' });
  }

  const indicator = indicatorId ? byId.get(indicatorId) : undefined;
  const selectedCell = activeSheet && selected ? activeSheet.cells.find((c) => c.address === selected) : undefined;
  const at = (sheet: string, cells: Set<string>) => (x: CellRef) => x.sheet === sheet && cells.has(x.cell);

  /** Puts `list` in place of whatever was mapped on those cells (and frees the period / 編製日期 cell). */
  const replaceMappings = (list: MappingInput[]) => {
    const bySheet = new Map<string, Set<string>>();
    for (const x of list) bySheet.set(x.sheet, (bySheet.get(x.sheet) ?? new Set()).add(x.cell));
    const hit = (x: CellRef) => bySheet.get(x.sheet)?.has(x.cell) ?? false;
    setMappings((prev) => [...prev.filter((x) => !hit(x)), ...list]);
    if (periodCell && hit(periodCell)) setPeriodCell(null);
    if (compiledCell && hit(compiledCell)) setCompiledCell(null);
  };

  const applyMapping = () => {
    if (!activeSheet || !selected || !indicatorId) return;
    const filters = completeFilters(draftFilters);
    replaceMappings([{ sheet: activeSheet.name, cell: selected, indicatorId, ...(filters ? { filters } : {}), ...(draftPeriod !== 'report' ? { period: draftPeriod } : {}) }]);
  };
  const removeCells = (cells: Set<string>) => {
    if (!activeSheet) return 0;
    const gone = mappings.filter(at(activeSheet.name, cells)).length;
    setMappings((list) => list.filter((x) => !at(activeSheet.name, cells)(x)));
    return gone;
  };
  const rangeCells = (): Set<string> => {
    const out = new Set<string>();
    if (range) for (let r = range.top; r <= range.bottom; r++) for (let c = range.left; c <= range.right; c++) out.add(addressOf({ row: r, col: c }));
    return out;
  };
  const fill = (dir: 'right' | 'down') => {
    if (!activeSheet || !range || !index) return;
    const copies = fillMappings(mappings, activeSheet.name, range, dir, index);
    if (!copies.length) {
      setNotice(b.nothingToCopy);
      return;
    }
    replaceMappings(copies);
    setNotice(b.copied(copies.length));
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    setFields({});
    try {
      const saved = await call('reports.saveDefinition', {
        ...(props.id ? { id: props.id, version } : {}),
        templateId: props.templateId,
        name,
        formNo,
        agency,
        deadline,
        frequency,
        periodCell,
        compiledCell,
        mappings: mappings.map((x) => ({ sheet: x.sheet, cell: x.cell, indicatorId: x.indicatorId, ...(x.filters ? { filters: x.filters } : {}), ...(x.period && x.period !== 'report' ? { period: x.period } : {}) })),
      });
      setVersion(saved.version);
      setWarnings((saved.warnings ?? []).map((w) => `${w.sheet}!${w.cell}：${w.message}`));
      setMappings(toEditor(saved.mappings));
      setNotice(m.def.saved);
      if (!props.id) navigate(`/reports/definitions/${saved.id}`);
    } catch (e) {
      setError(errorText(e));
      const f = (e as { fields?: Record<string, string> }).fields;
      if (f) setFields(f);
    } finally {
      setBusy(false);
    }
  };

  const exportFile = async () => {
    if (!props.id) return;
    try {
      const f = await call('reports.exportDefinition', { id: props.id });
      downloadBlob(f.fileName, new Blob([f.text ?? ''], { type: f.mimeType || 'application/json' }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  const periods = relativePeriodsFor(frequency);
  const cellText = (c: CellRef | null) => (c ? `${c.sheet}!${c.cell}` : '');
  const pickCell = (c: RecognisedCell) => {
    setSheetName(c.sheet);
    return { sheet: c.sheet, cell: c.cell };
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{props.id ? `${m.def.title}：${init?.name ?? ''}` : m.def.newTitle}</Title>
        <Group>
          <Button variant="default" onClick={() => navigate('/reports/templates')}>
            {m.back}
          </Button>
          {props.id && (
            <Button variant="default" onClick={() => void exportFile()} data-testid="export-definition">
              {m.def.export}
            </Button>
          )}
          <Button onClick={() => void save()} loading={busy} data-testid="save-definition">
            {m.def.save}
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">{grid.data ? `${m.def.template}：${grid.data.fileName}` : ''}</Text>
      {error && (
        <Alert color="red" title={m.refused} data-testid="refusal">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{error}</Text>
        </Alert>
      )}
      {notice && <Alert color="green" data-testid="saved-notice">{notice}</Alert>}
      {warnings.length > 0 && (
        <Alert color="orange" data-testid="save-warnings">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{warnings.join('\n')}</Text>
        </Alert>
      )}
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 2, lg: 4 }}>
          <TextInput label={m.def.name} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fields.name} withAsterisk />
          <TextInput
            label={m.def.formNo}
            value={formNo}
            onChange={(e) => setFormNo(e.currentTarget.value)}
            error={fields.formNo}
            withAsterisk
            description={<Suggestion show={!!recognised?.formNo && recognised.formNo.text !== formNo} label={recognised?.formNo?.text ?? ''} onUse={() => setFormNo(recognised?.formNo?.text ?? '')} testId="use-formNo" />}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
          <TextInput
            label={m.def.agency}
            value={agency}
            onChange={(e) => setAgency(e.currentTarget.value)}
            error={fields.agency}
            withAsterisk
            description={<Suggestion show={!!recognised?.agency && recognised.agency.text !== agency} label={recognised?.agency?.text ?? ''} onUse={() => setAgency(recognised?.agency?.text ?? '')} testId="use-agency" />}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
          <Select
            label={b.frequency}
            data={REPORT_FREQUENCIES.map((f) => ({ value: f, label: REPORT_FREQUENCY_LABELS[f] }))}
            value={frequency}
            onChange={(v) => v && setFrequency(v as ReportFrequency)}
            allowDeselect={false}
            error={fields.frequency}
            data-testid="frequency-select"
            description={
              <Suggestion show={!!recognised?.frequency && recognised.frequency !== frequency} label={recognised?.frequency ? REPORT_FREQUENCY_LABELS[recognised.frequency] : ''} onUse={() => recognised?.frequency && setFrequency(recognised.frequency)} testId="use-frequency" />
            }
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
          <TextInput label={m.def.deadline} value={deadline} onChange={(e) => setDeadline(e.currentTarget.value)} error={fields.deadline} placeholder={m.def.deadlineHint} withAsterisk />
          <TextInput
            label={m.def.periodCell}
            value={cellText(periodCell)}
            readOnly
            placeholder={m.def.periodCellHint}
            data-testid="period-cell"
            error={fields.periodCell}
            description={
              <Suggestion show={!!recognised?.periodCell && cellText(recognised.periodCell) !== cellText(periodCell)} label={recognised?.periodCell ? `${cellText(recognised.periodCell)}「${recognised.periodCell.text}」` : ''} onUse={() => recognised?.periodCell && setPeriodCell(pickCell(recognised.periodCell))} testId="use-period-cell" />
            }
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
          <TextInput
            label={b.compiledCell}
            value={cellText(compiledCell)}
            readOnly
            placeholder={b.compiledCellHint}
            data-testid="compiled-cell"
            error={fields.compiledCell}
            description={
              <Suggestion show={!!recognised?.compiledCell && cellText(recognised.compiledCell) !== cellText(compiledCell)} label={recognised?.compiledCell ? `${cellText(recognised.compiledCell)}「${recognised.compiledCell.text}」` : ''} onUse={() => recognised?.compiledCell && setCompiledCell(pickCell(recognised.compiledCell))} testId="use-compiled-cell" />
            }
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
        </SimpleGrid>
      </Paper>
      <FormError message={grid.error ?? indicators.error} />
      {activeSheet && index && (
        <Group align="flex-start" wrap="nowrap">
          <Stack style={{ flex: 1, minWidth: 0 }} gap="xs">
            <Tabs value={activeSheet.name} onChange={(v) => { setSheetName(v); setSel(null); }}>
              <Tabs.List>
                {sheets.map((s) => (
                  <Tabs.Tab key={s.name} value={s.name} c={s.state !== 'visible' ? 'dimmed' : undefined} data-testid={`sheet-tab-${s.name}`}>
                    {s.name}
                    {s.state !== 'visible' && (
                      <Tooltip label={b.hiddenTab}>
                        <Badge size="xs" ml={6} color="gray" variant="outline" data-testid="hidden-sheet-badge">
                          {b.hidden}
                        </Badge>
                      </Tooltip>
                    )}
                    {mappings.some((x) => x.sheet === s.name) && (
                      <Badge size="xs" ml={6} variant="light">
                        {mappings.filter((x) => x.sheet === s.name).length}
                      </Badge>
                    )}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
            </Tabs>
            <Text size="xs" c="dimmed">{b.selectionHint}</Text>
            <TemplateGridView sheet={activeSheet} styles={grid.data?.styles ?? []} selection={sel} marks={marks} onSelect={setSel} />
          </Stack>
          <Paper withBorder p="md" w={360} style={{ flexShrink: 0 }} data-testid="mapping-panel">
            <Stack gap="sm">
              {hiddenSheet && (
                <Alert color="orange" p="xs" data-testid="hidden-sheet-warning">
                  {b.hiddenSheetWarn}
                </Alert>
              )}
              {range && !selected && (
                <>
                  <Title order={5} data-testid="selection-info">
                    {b.selection(`${activeSheet.name}!${rangeRef(range)}`, range.bottom - range.top + 1, range.right - range.left + 1)}
                  </Title>
                  <Button onClick={() => setBlockOpen(true)} disabled={!indicators.data} data-testid="map-block">
                    {b.mapBlock}
                  </Button>
                  <Group gap="xs" grow>
                    <Tooltip label={b.fillRightHint} multiline w={220}>
                      <Button size="compact-sm" variant="light" onClick={() => fill('right')} disabled={range.right === range.left} data-testid="fill-right">
                        {b.fillRight}
                      </Button>
                    </Tooltip>
                    <Tooltip label={b.fillDownHint} multiline w={220}>
                      <Button size="compact-sm" variant="light" onClick={() => fill('down')} disabled={range.bottom === range.top} data-testid="fill-down">
                        {b.fillDown}
                      </Button>
                    </Tooltip>
                  </Group>
                  <Button size="compact-sm" color="red" variant="subtle" onClick={() => setNotice(b.cleared(removeCells(rangeCells())))} data-testid="clear-block">
                    {b.clearBlock}
                  </Button>
                </>
              )}
              {!range && <Title order={5}>{m.def.pickCell}</Title>}
              {selected && (
                <>
                  <Title order={5}>{`${activeSheet.name}!${selected}`}</Title>
                  {selectedCell?.text && <Text size="sm">{m.def.cellText}：{selectedCell.text}</Text>}
                  {selectedCell?.hasFormula && <Alert color="yellow" p="xs">{m.def.formulaCell}</Alert>}
                  <Select
                    label={m.def.indicator}
                    data={indicatorData}
                    value={indicatorId}
                    onChange={(v) => {
                      setIndicatorId(v);
                      const next = v ? byId.get(v) : undefined;
                      setDraftFilters((f) => Object.fromEntries(Object.entries(f).filter(([d]) => next?.breakdowns.includes(d as ReportDimension))));
                    }}
                    searchable
                    nothingFoundMessage={m.none}
                    data-testid="indicator-select"
                  />
                  {indicator && <Text size="xs" c="dimmed">{indicator.description}</Text>}
                  {indicator && indicator.breakdowns.length > 0 && <FilterEditor filters={draftFilters} dims={indicator.breakdowns} onChange={setDraftFilters} />}
                  {indicator && (
                    <Select
                      label={b.period}
                      data={periods.map((r) => ({ value: r, label: RELATIVE_PERIOD_LABELS[r] }))}
                      value={periods.includes(draftPeriod) ? draftPeriod : 'report'}
                      onChange={(v) => v && setDraftPeriod(v as RelativePeriod)}
                      allowDeselect={false}
                      size="xs"
                      data-testid="cell-period"
                    />
                  )}
                  <Group gap="xs">
                    <Button size="compact-sm" onClick={applyMapping} disabled={!indicatorId} data-testid="apply-mapping">
                      {m.def.apply}
                    </Button>
                    {current && (
                      <Button size="compact-sm" color="red" variant="light" onClick={() => removeCells(new Set([selected]))}>
                        {m.def.remove}
                      </Button>
                    )}
                    <Button size="compact-sm" variant="default" onClick={() => { setPeriodCell({ sheet: activeSheet.name, cell: selected }); removeCells(new Set([selected])); }} data-testid="set-period-cell">
                      {m.def.setPeriodCell}
                    </Button>
                    <Button size="compact-sm" variant="default" onClick={() => { setCompiledCell({ sheet: activeSheet.name, cell: selected }); removeCells(new Set([selected])); }} data-testid="set-compiled-cell">
                      {b.setCompiledCell}
                    </Button>
                  </Group>
                </>
              )}
              <Text size="sm" fw={600} mt="sm">{m.def.mappedCount(mappings.length)}</Text>
              <Stack gap={2} style={{ maxHeight: 260, overflow: 'auto' }} data-testid="mapping-list">
                {mappings.map((mp) => (
                  <Text
                    key={`${mp.sheet}!${mp.cell}`}
                    size="xs"
                    style={{ cursor: 'pointer' }}
                    onClick={() => {
                      setSheetName(mp.sheet);
                      const pos = parseAddress(mp.cell);
                      if (pos) setSel({ anchor: pos, focus: pos });
                    }}
                  >
                    {mp.sheet}!{mp.cell} → {labelOf(mp)}
                  </Text>
                ))}
              </Stack>
            </Stack>
          </Paper>
        </Group>
      )}
      {blockOpen && activeSheet && index && range && indicators.data && (
        <BlockDialog
          opened
          onClose={() => setBlockOpen(false)}
          sheet={activeSheet.name}
          hidden={hiddenSheet}
          index={index}
          range={range}
          indicators={indicators.data}
          frequency={frequency}
          onApply={(list, formulaCells) => {
            replaceMappings(list);
            setBlockOpen(false);
            setNotice(b.applied(list.length, formulaCells.length));
          }}
        />
      )}
    </Stack>
  );
}
