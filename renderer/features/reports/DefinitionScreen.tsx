import { Alert, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
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
import { TemplateGridView, type GridMark } from './TemplateGridView';
import { downloadBlob, errorText } from './reportFiles';

/** Known values for a filter dimension (others are typed). */
const FILTER_VALUES: Partial<Record<ReportDimension, Record<string, string>>> = {
  dimension: VULNERABILITY_DIMENSION_LABELS,
  sex: SEX_LABELS,
  ageBand: AGE_BAND_LABELS,
};

function filterLabel(filters: IndicatorFilters | undefined): string {
  if (!filters) return '';
  const parts = Object.entries(filters).map(([dim, v]) => {
    const values = Array.isArray(v) ? v : [v ?? ''];
    const names = FILTER_VALUES[dim as ReportDimension];
    return `${REPORT_DIMENSION_LABELS[dim as ReportDimension]}＝${values.map((x) => names?.[x] ?? x).join('、')}`;
  });
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

function DefinitionEditor(props: { id: number | null; templateId: number; initial: DefinitionView | null }) {
  const grid = useApiQuery('reports.templateGrid', { templateId: props.templateId });
  const indicators = useApiQuery('reports.indicators', {});
  const init = props.initial;
  const [name, setName] = useState(init?.name ?? '');
  const [formNo, setFormNo] = useState(init?.formNo ?? '');
  const [agency, setAgency] = useState(init?.agency ?? '');
  const [deadline, setDeadline] = useState(init?.deadline ?? '');
  const [version, setVersion] = useState(init?.version);
  const [periodCell, setPeriodCell] = useState<{ sheet: string; cell: string } | null>(init?.periodCell ? { sheet: init.periodCell.sheet, cell: init.periodCell.cell } : null);
  const [mappings, setMappings] = useState<EditorMapping[]>(init?.mappings.map((x) => ({ sheet: x.sheet, cell: x.cell, indicatorId: x.indicatorId, filters: x.filters, label: x.label })) ?? []);
  const [sheetName, setSheetName] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [indicatorId, setIndicatorId] = useState<string | null>(null);
  const [filterDim, setFilterDim] = useState<string | null>(null);
  const [filterValue, setFilterValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const sheets = grid.data?.sheets.filter((s) => s.cells.length > 0 || s.kind === 'worksheet') ?? [];
  const activeSheet = sheets.find((s) => s.name === sheetName) ?? sheets[0] ?? null;
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

  const labelOf = (mp: EditorMapping) => mp.label ?? `${byId.get(mp.indicatorId)?.name ?? mp.indicatorId}${filterLabel(mp.filters)}`;
  const current = activeSheet && selected ? mappings.find((x) => x.sheet === activeSheet.name && x.cell === selected) : undefined;

  useEffect(() => {
    setIndicatorId(current?.indicatorId ?? null);
    const f = current?.filters ? Object.entries(current.filters)[0] : undefined;
    setFilterDim(f?.[0] ?? null);
    setFilterValue(f ? String(Array.isArray(f[1]) ? f[1][0] : f[1]) : '');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, activeSheet?.name]);

  const marks = new Map<string, GridMark>();
  if (activeSheet) {
    for (const mp of mappings) if (mp.sheet === activeSheet.name) marks.set(mp.cell, { label: labelOf(mp), color: '#d0ebff' });
    if (periodCell?.sheet === activeSheet.name) marks.set(periodCell.cell, { label: m.def.periodCellMark, color: '#fff3bf' });
  }

  const indicator = indicatorId ? byId.get(indicatorId) : undefined;
  const selectedCell = activeSheet && selected ? activeSheet.cells.find((c) => c.address === selected) : undefined;

  const applyMapping = () => {
    if (!activeSheet || !selected || !indicatorId) return;
    const filters: IndicatorFilters | undefined = filterDim && filterValue.trim() ? { [filterDim]: filterValue.trim() } : undefined;
    setMappings((list) => [...list.filter((x) => !(x.sheet === activeSheet.name && x.cell === selected)), { sheet: activeSheet.name, cell: selected, indicatorId, filters }]);
    if (periodCell?.sheet === activeSheet.name && periodCell.cell === selected) setPeriodCell(null);
  };
  const removeMapping = () => {
    if (!activeSheet || !selected) return;
    setMappings((list) => list.filter((x) => !(x.sheet === activeSheet.name && x.cell === selected)));
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
        periodCell,
        mappings: mappings.map((x) => ({ sheet: x.sheet, cell: x.cell, indicatorId: x.indicatorId, ...(x.filters ? { filters: x.filters } : {}) })),
      });
      setVersion(saved.version);
      setMappings(saved.mappings.map((x) => ({ sheet: x.sheet, cell: x.cell, indicatorId: x.indicatorId, filters: x.filters, label: x.label })));
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

  const dims = indicator?.breakdowns ?? [];
  const valueNames = filterDim ? FILTER_VALUES[filterDim as ReportDimension] : undefined;

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
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 2, lg: 5 }}>
          <TextInput label={m.def.name} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fields.name} withAsterisk />
          <TextInput label={m.def.formNo} value={formNo} onChange={(e) => setFormNo(e.currentTarget.value)} error={fields.formNo} withAsterisk />
          <TextInput label={m.def.agency} value={agency} onChange={(e) => setAgency(e.currentTarget.value)} error={fields.agency} withAsterisk />
          <TextInput label={m.def.deadline} value={deadline} onChange={(e) => setDeadline(e.currentTarget.value)} error={fields.deadline} placeholder={m.def.deadlineHint} withAsterisk />
          <TextInput label={m.def.periodCell} value={periodCell ? `${periodCell.sheet}!${periodCell.cell}` : ''} readOnly placeholder={m.def.periodCellHint} data-testid="period-cell" />
        </SimpleGrid>
      </Paper>
      <FormError message={grid.error ?? indicators.error} />
      {activeSheet && (
        <Group align="flex-start" wrap="nowrap">
          <Stack style={{ flex: 1, minWidth: 0 }} gap="xs">
            <Tabs value={activeSheet.name} onChange={(v) => { setSheetName(v); setSelected(null); }}>
              <Tabs.List>
                {sheets.map((s) => (
                  <Tabs.Tab key={s.name} value={s.name}>
                    {s.name}
                    {mappings.some((x) => x.sheet === s.name) && (
                      <Badge size="xs" ml={6} variant="light">
                        {mappings.filter((x) => x.sheet === s.name).length}
                      </Badge>
                    )}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
            </Tabs>
            <TemplateGridView sheet={activeSheet} styles={grid.data?.styles ?? []} selected={selected} marks={marks} onSelect={setSelected} />
          </Stack>
          <Paper withBorder p="md" w={320} style={{ flexShrink: 0 }} data-testid="mapping-panel">
            <Stack gap="sm">
              <Title order={5}>{selected ? `${activeSheet.name}!${selected}` : m.def.pickCell}</Title>
              {selectedCell?.text && <Text size="sm">{m.def.cellText}：{selectedCell.text}</Text>}
              {selectedCell?.hasFormula && <Alert color="yellow" p="xs">{m.def.formulaCell}</Alert>}
              {selected && (
                <>
                  <Select label={m.def.indicator} data={indicatorData} value={indicatorId} onChange={(v) => { setIndicatorId(v); setFilterDim(null); setFilterValue(''); }} searchable nothingFoundMessage={m.none} data-testid="indicator-select" />
                  {indicator && <Text size="xs" c="dimmed">{indicator.description}</Text>}
                  {indicator && dims.length > 0 && (
                    <Select label={m.def.filterDim} data={dims.map((d) => ({ value: d, label: REPORT_DIMENSION_LABELS[d] }))} value={filterDim} onChange={(v) => { setFilterDim(v); setFilterValue(''); }} clearable placeholder={m.def.noFilter} data-testid="filter-dim" />
                  )}
                  {filterDim && valueNames && (
                    <Select label={m.def.filterValue} data={Object.entries(valueNames).map(([value, label]) => ({ value, label }))} value={filterValue || null} onChange={(v) => setFilterValue(v ?? '')} data-testid="filter-value" />
                  )}
                  {filterDim && !valueNames && <TextInput label={m.def.filterValue} value={filterValue} onChange={(e) => setFilterValue(e.currentTarget.value)} placeholder={m.def.filterValueHint} data-testid="filter-value-text" />}
                  <Group gap="xs">
                    <Button size="compact-sm" onClick={applyMapping} disabled={!indicatorId} data-testid="apply-mapping">
                      {m.def.apply}
                    </Button>
                    {current && (
                      <Button size="compact-sm" color="red" variant="light" onClick={removeMapping}>
                        {m.def.remove}
                      </Button>
                    )}
                    <Button size="compact-sm" variant="default" onClick={() => { setPeriodCell({ sheet: activeSheet.name, cell: selected }); removeMapping(); }} data-testid="set-period-cell">
                      {m.def.setPeriodCell}
                    </Button>
                  </Group>
                </>
              )}
              <Text size="sm" fw={600} mt="sm">{m.def.mappedCount(mappings.length)}</Text>
              <Stack gap={2} style={{ maxHeight: 260, overflow: 'auto' }}>
                {mappings.map((mp) => (
                  <Text key={`${mp.sheet}!${mp.cell}`} size="xs" style={{ cursor: 'pointer' }} onClick={() => { setSheetName(mp.sheet); setSelected(mp.cell); }}>
                    {mp.sheet}!{mp.cell} → {labelOf(mp)}
                  </Text>
                ))}
              </Stack>
            </Stack>
          </Paper>
        </Group>
      )}
    </Stack>
  );
}
