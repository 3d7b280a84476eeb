import { ActionIcon, Group, MultiSelect, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { REPORT_DIMENSION_LABELS, type IndicatorFilters, type ReportDimension } from '../../../main/contract/types-reports';
import { msgBlocks as b } from '../../lib/messages-report-blocks';
import { FREE_TEXT_DIMENSIONS, useDimensionValues, valueOptionLabel } from './dimensionValues';

function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function fromList(list: string[]): string | string[] | undefined {
  const clean = [...new Set(list.map((x) => x.trim()).filter(Boolean))];
  return clean.length === 0 ? undefined : clean.length === 1 ? clean[0] : clean;
}

/** The test id of the n-th row: the first keeps the plain name (the issue 4 spec uses it). */
function tid(prefix: string, part: string, i: number): string {
  return i === 0 ? `${prefix}-${part}` : `${prefix}-${part}-${i}`;
}

function FilterRow(props: {
  prefix: string;
  i: number;
  dim: ReportDimension;
  values: string[];
  dims: ReportDimension[];
  onDim(d: ReportDimension): void;
  onValues(v: string[]): void;
  onRemove(): void;
}) {
  const { prefix, i, dim } = props;
  const list = useDimensionValues(dim);
  const free = FREE_TEXT_DIMENSIONS.includes(dim) || (list.data !== null && list.data.length === 0 && !list.loading);
  const [text, setText] = useState(props.values.join(', '));
  const known = new Set((list.data ?? []).map((v) => v.value));
  // A stored value the list does not know stays visible (and the server refuses it at save).
  const data = [...(list.data ?? []).map((v) => ({ value: v.value, label: valueOptionLabel(v) })), ...props.values.filter((v) => !known.has(v)).map((v) => ({ value: v, label: v }))];
  return (
    <Stack gap={2} p={6} style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }} data-testid={tid(prefix, 'row', i)}>
      <Group gap={6} wrap="nowrap">
        <Select
          aria-label={b.filterDim}
          data={props.dims.map((d) => ({ value: d, label: REPORT_DIMENSION_LABELS[d] }))}
          value={dim}
          onChange={(v) => v && props.onDim(v as ReportDimension)}
          allowDeselect={false}
          size="xs"
          style={{ flex: 1 }}
          data-testid={tid(prefix, 'dim', i)}
        />
        <ActionIcon variant="subtle" color="red" onClick={props.onRemove} aria-label={b.removeFilter} title={b.removeFilter} data-testid={tid(prefix, 'remove', i)}>
          ×
        </ActionIcon>
      </Group>
      {free ? (
        <TextInput
          aria-label={b.filterValues}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            props.onValues(e.currentTarget.value.split(/[,，、\s]+/));
          }}
          placeholder={b.monthValueHint}
          size="xs"
          data-testid={tid(prefix, 'value-text', i)}
        />
      ) : (
        <MultiSelect
          aria-label={b.filterValues}
          data={data}
          value={props.values}
          onChange={props.onValues}
          searchable
          placeholder={props.values.length ? undefined : list.loading ? b.loadingValues : b.pickValue}
          nothingFoundMessage="—"
          size="xs"
          error={props.values.length === 0}
          data-testid={tid(prefix, 'value', i)}
        />
      )}
    </Stack>
  );
}

/**
 * Every filter of a mapping: one row per dimension, several values per row (picked from the
 * dimension's values; typed only for a dimension without a list, the month), and a blank row
 * to add one more.
 */
export function FilterEditor(props: { filters: IndicatorFilters; dims: ReportDimension[]; onChange(f: IndicatorFilters): void; prefix?: string; label?: string }) {
  const prefix = props.prefix ?? 'filter';
  const entries = Object.entries(props.filters).filter(([, v]) => v !== undefined) as [ReportDimension, string | string[]][];
  const used = new Set(entries.map(([d]) => d));
  const set = (next: [ReportDimension, string[]][]) => {
    const out: IndicatorFilters = {};
    for (const [d, vals] of next) out[d] = fromList(vals) ?? [];
    props.onChange(out);
  };
  const rows: [ReportDimension, string[]][] = entries.map(([d, v]) => [d, asList(v)]);
  const free = props.dims.filter((d) => !used.has(d));
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {props.label ?? b.filters}
      </Text>
      {rows.map(([d, vals], i) => (
        <FilterRow
          key={d}
          prefix={prefix}
          i={i}
          dim={d}
          values={vals}
          dims={[d, ...free]}
          onDim={(nd) => set(rows.map((r, k) => (k === i ? [nd, []] : r)))}
          onValues={(v) => set(rows.map((r, k) => (k === i ? [d, v] : r)))}
          onRemove={() => set(rows.filter((_, k) => k !== i))}
        />
      ))}
      {free.length > 0 && (
        <Select
          aria-label={b.addFilter}
          data={free.map((d) => ({ value: d, label: REPORT_DIMENSION_LABELS[d] }))}
          value={null}
          onChange={(v) => v && set([...rows, [v as ReportDimension, []]])}
          placeholder={rows.length ? `＋ ${b.addFilter}` : `${b.noFilters}；＋ ${b.addFilter}`}
          size="xs"
          data-testid={tid(prefix, 'dim', rows.length)}
        />
      )}
    </Stack>
  );
}

/** Filters without the rows still waiting for a value (what is saved). */
export function completeFilters(f: IndicatorFilters | undefined): IndicatorFilters | undefined {
  if (!f) return undefined;
  const out: IndicatorFilters = {};
  for (const [d, v] of Object.entries(f) as [ReportDimension, string | string[]][]) {
    const list = asList(v).filter(Boolean);
    if (list.length) out[d] = list.length === 1 ? list[0] : list;
  }
  return Object.keys(out).length ? out : undefined;
}
