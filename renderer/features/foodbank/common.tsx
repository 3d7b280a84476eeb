import { Badge, Select, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { FbItemView, FbLocationView } from '../../../main/contract/types-foodbank';
import { msgFoodbank as m } from '../../lib/messages';

export function ExpiryBadge({ state, expiry }: { state: 'expired' | 'soon' | 'ok'; expiry: string | null }) {
  if (!expiry) return <Text size="sm" c="dimmed">{m.noExpiry}</Text>;
  const color = state === 'expired' ? 'red' : state === 'soon' ? 'orange' : 'gray';
  return (
    <Badge color={color} variant={state === 'ok' ? 'outline' : 'light'} data-testid={`expiry-${state}`}>
      {formatRocDate(expiry)} {state === 'expired' ? m.expired : state === 'soon' ? m.soon : ''}
    </Badge>
  );
}

export function LocationSelect(props: { locations: FbLocationView[] | null; value: number | null; onChange: (id: number | null) => void; label?: string; clearable?: boolean; testId?: string }) {
  return (
    <Select
      label={props.label ?? m.location}
      data={(props.locations ?? []).filter((l) => l.active).map((l) => ({ value: String(l.id), label: `${l.name}（${l.kind === 'hub' ? m.hub : m.point}）` }))}
      value={props.value === null ? null : String(props.value)}
      onChange={(v) => props.onChange(v ? Number(v) : null)}
      clearable={props.clearable}
      placeholder={props.clearable ? m.allLocations : undefined}
      data-testid={props.testId}
      w={260}
    />
  );
}

export function ItemSelect(props: { items: FbItemView[] | null; value: number | null; onChange: (id: number | null) => void; testId?: string }) {
  return (
    <Select
      aria-label={m.item}
      searchable
      data={(props.items ?? []).map((i) => ({ value: String(i.id), label: `${i.name}（${i.unit}）` }))}
      value={props.value === null ? null : String(props.value)}
      onChange={(v) => props.onChange(v ? Number(v) : null)}
      data-testid={props.testId}
      w={220}
    />
  );
}

export function EmptyRow({ cols, children }: { cols: number; children?: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={cols}>
        <Text size="sm" c="dimmed" ta="center">
          {children ?? m.nothing}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

export const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
