import { Badge, Button, Checkbox, Group, Modal, NumberInput, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { FbAllowanceMode, FbLocationKind } from '../../../main/contract/types-foodbank';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgFoodbank as m } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';
import { EmptyRow, errText } from './common';
import { ItemEditForm } from './ItemEditForm';
import { msgProgEdit } from '../../lib/messages-programmes-edit';
import type { FbItemView } from '../../../main/contract/types-foodbank';

/** 提醒 `#/foodbank/alerts`: expiring lots by location, items below minimum, households not served, today's hand-outs. */
export function AlertsScreen() {
  const [days, setDays] = useState(14);
  const [months, setMonths] = useState(2);
  const a = useApiQuery('foodbank.alerts', { days, months });
  const d = a.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{m.nav.alerts}</Title>
        <Group>
          <NumberInput aria-label={m.days} value={days} onChange={(v) => setDays(Number(v) || 14)} w={90} rightSection={<Text size="xs">天</Text>} />
          <NumberInput aria-label={m.months} value={months} onChange={(v) => setMonths(Number(v) || 2)} w={90} rightSection={<Text size="xs">月</Text>} />
        </Group>
      </Group>
      <FormError message={a.error} />
      <Title order={4}>{m.todayPoints}</Title>
      <Paper withBorder>
        <Table aria-label={m.todayPoints}>
          <Table.Tbody>
            {(d?.todayByLocation ?? []).map((r) => (
              <Table.Tr key={r.locationId}><Table.Td>{r.locationName}</Table.Td><Table.Td>{m.handouts} {r.handouts}</Table.Td><Table.Td>{m.households} {r.households}</Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Title order={4}>{m.expiring}（{days} {m.days}）</Title>
      <Paper withBorder>
        <Table striped aria-label={m.expiring}>
          <Table.Tbody>
            {(d?.expiring ?? []).slice(0, 300).map((r) => (
              <Table.Tr key={`${r.locationId}-${r.lotId}`}>
                <Table.Td>{r.locationName}</Table.Td><Table.Td>{r.itemName} #{r.lotId}</Table.Td><Table.Td>{r.quantity} {r.unit}</Table.Td>
                <Table.Td><Badge color={r.expired ? 'red' : 'orange'} variant="light">{formatRocDate(r.expiry)} {r.expired ? m.expired : m.soon}</Badge></Table.Td>
              </Table.Tr>
            ))}
            {d && d.expiring.length === 0 && <EmptyRow cols={4} />}
          </Table.Tbody>
        </Table>
      </Paper>
      <Title order={4}>{m.belowMin}</Title>
      <Paper withBorder>
        <Table aria-label={m.belowMin}>
          <Table.Tbody>
            {(d?.belowMinimum ?? []).map((r) => (
              <Table.Tr key={r.itemId}><Table.Td>{r.itemName}</Table.Td><Table.Td>{r.onHand} / {r.minLevel} {r.unit}</Table.Td></Table.Tr>
            ))}
            {d && d.belowMinimum.length === 0 && <EmptyRow cols={2} />}
          </Table.Tbody>
        </Table>
      </Paper>
      <Title order={4}>{m.notServed}（{months} {m.months}）</Title>
      <Paper withBorder>
        <Table aria-label={m.notServed}>
          <Table.Tbody>
            {(d?.notServed ?? []).slice(0, 200).map((r) => (
              <Table.Tr key={r.householdId}><Table.Td>{r.headName}</Table.Td><Table.Td>{m.lastHanded} {formatRocDate(r.lastHandedOn)}</Table.Td></Table.Tr>
            ))}
            {d && d.notServed.length === 0 && <EmptyRow cols={2} />}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

/** 品項與據點 `#/foodbank/catalogue`. */
export function CatalogueScreen() {
  const items = useApiQuery('foodbank.items', { includeInactive: true });
  const locations = useApiQuery('foodbank.locations', {});
  const [error, setError] = useState<string | null>(null);
  const [it, setIt] = useState({ name: '', category: '', unit: '', value: 0, kgPerUnit: 0, perishable: false, byWeight: false, shelfLifeDays: '' as number | string, minLevel: 0, points: 1 });
  const [loc, setLoc] = useState({ name: '', kind: 'point' as FbLocationKind, address: '', staff: '' });
  const [editingItem, setEditingItem] = useState<FbItemView | null>(null);
  const addItem = async () => {
    try {
      await call('foodbank.saveItem', { ...it, shelfLifeDays: it.shelfLifeDays === '' ? null : Number(it.shelfLifeDays) });
      setError(null);
      await items.reload();
    } catch (e) {
      setError(errText(e));
    }
  };
  const addLoc = async () => {
    try {
      await call('foodbank.saveLocation', loc);
      setError(null);
      await locations.reload();
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <Title order={2}>{m.nav.catalogue}</Title>
      <FormError message={error} />
      <Title order={4}>{m.items}</Title>
      <Paper withBorder p="md">
        <Group align="end">
          <TextInput label={m.name} value={it.name} onChange={(e) => setIt({ ...it, name: e.currentTarget.value })} w={140} />
          <TextInput label={m.category} value={it.category} onChange={(e) => setIt({ ...it, category: e.currentTarget.value })} w={110} />
          <TextInput label={m.unit} value={it.unit} onChange={(e) => setIt({ ...it, unit: e.currentTarget.value })} w={70} />
          <NumberInput label={m.value} value={it.value} onChange={(v) => setIt({ ...it, value: Number(v) || 0 })} w={100} />
          <NumberInput label="每單位公斤" value={it.kgPerUnit} onChange={(v) => setIt({ ...it, kgPerUnit: Number(v) || 0 })} w={100} decimalScale={3} />
          <NumberInput label={m.shelfLife} value={it.shelfLifeDays} onChange={(v) => setIt({ ...it, shelfLifeDays: v })} w={90} />
          <NumberInput label={m.minLevel} value={it.minLevel} onChange={(v) => setIt({ ...it, minLevel: Number(v) || 0 })} w={90} />
          <NumberInput label={m.points} value={it.points} onChange={(v) => setIt({ ...it, points: Number(v) || 0 })} w={70} />
          <Checkbox label={m.perishable} checked={it.perishable} onChange={(e) => setIt({ ...it, perishable: e.currentTarget.checked })} />
          <Checkbox label={m.byWeight} checked={it.byWeight} onChange={(e) => setIt({ ...it, byWeight: e.currentTarget.checked })} />
          <Button onClick={() => void addItem()}>{m.save}</Button>
        </Group>
      </Paper>
      <Paper withBorder>
        <Table striped aria-label={m.items}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{m.name}</Table.Th><Table.Th>{m.category}</Table.Th><Table.Th>{m.unit}</Table.Th><Table.Th ta="right">{m.value}</Table.Th>
              <Table.Th ta="right">公斤</Table.Th><Table.Th>{m.perishable}</Table.Th><Table.Th ta="right">{m.shelfLife}</Table.Th><Table.Th ta="right">{m.minLevel}</Table.Th><Table.Th ta="right">{m.points}</Table.Th><Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(items.data ?? []).map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.name}</Table.Td><Table.Td>{i.category}</Table.Td><Table.Td>{i.unit}</Table.Td><Table.Td ta="right">{i.value}</Table.Td>
                <Table.Td ta="right">{i.kgPerUnit}</Table.Td><Table.Td>{i.perishable ? '是' : ''}</Table.Td><Table.Td ta="right">{i.shelfLifeDays ?? ''}</Table.Td>
                <Table.Td ta="right">{i.minLevel}</Table.Td><Table.Td ta="right">{i.points}</Table.Td>
                <Table.Td><Button size="compact-xs" variant="subtle" aria-label={`${msgProgEdit.editItem} ${i.name}`} onClick={() => setEditingItem(i)}>{msgProgEdit.edit}</Button></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Modal opened={editingItem !== null} onClose={() => setEditingItem(null)} title={`${msgProgEdit.editItem}：${editingItem?.name ?? ''}`} size="lg">
        {editingItem && <ItemEditForm item={editingItem} onCancel={() => setEditingItem(null)} onSaved={() => { setEditingItem(null); void items.reload(); }} />}
      </Modal>
      <Title order={4}>{m.locations}</Title>
      <Paper withBorder p="md">
        <Group align="end">
          <TextInput label={m.name} value={loc.name} onChange={(e) => setLoc({ ...loc, name: e.currentTarget.value })} />
          <Select label={m.kind} data={[{ value: 'hub', label: m.hub }, { value: 'point', label: m.point }]} value={loc.kind} onChange={(v) => setLoc({ ...loc, kind: (v as FbLocationKind) ?? 'point' })} w={120} />
          <TextInput label={m.address} value={loc.address} onChange={(e) => setLoc({ ...loc, address: e.currentTarget.value })} />
          <TextInput label={m.staff} value={loc.staff} onChange={(e) => setLoc({ ...loc, staff: e.currentTarget.value })} />
          <Button onClick={() => void addLoc()}>{m.save}</Button>
        </Group>
      </Paper>
      <Paper withBorder>
        <Table striped aria-label={m.locations}>
          <Table.Tbody>
            {(locations.data ?? []).map((l) => (
              <Table.Tr key={l.id}><Table.Td>{l.name}</Table.Td><Table.Td>{l.kind === 'hub' ? m.hub : m.point}</Table.Td><Table.Td>{l.address}</Table.Td><Table.Td>{l.staff}</Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

/** 發放額度 `#/foodbank/allowance` (administrator): per household size, in points or items. */
export function AllowanceScreen() {
  const a = useApiQuery('foodbank.allowance', {});
  const [mode, setMode] = useState<FbAllowanceMode>('items');
  const [sizes, setSizes] = useState<number[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (a.data) {
      setMode(a.data.mode);
      setSizes(a.data.bySize);
    }
  }, [a.data]);
  const save = async () => {
    try {
      await call('foodbank.setAllowance', { mode, bySize: sizes });
      setNote(m.saved);
      setError(null);
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <Title order={2}>{m.nav.allowance}</Title>
      <Paper withBorder p="md">
        <Stack>
          <SegmentedControl value={mode} onChange={(v) => setMode(v as FbAllowanceMode)} data={[{ value: 'items', label: m.modeItems }, { value: 'points', label: m.modePoints }]} w={200} />
          <Group>
            {sizes.map((v, i) => (
              <NumberInput key={i} label={m.bySize(i + 1, i === sizes.length - 1)} value={v} onChange={(x) => setSizes((s) => s.map((y, j) => (j === i ? Number(x) || 0 : y)))} w={110} />
            ))}
            <Button variant="subtle" onClick={() => setSizes((s) => [...s, s[s.length - 1] ?? 0])}>＋</Button>
            <Button variant="subtle" disabled={sizes.length <= 1} onClick={() => setSizes((s) => s.slice(0, -1))}>－</Button>
          </Group>
          <FormError message={error ?? a.error} />
          {note && <Text c="green">{note}</Text>}
          <Group><Button onClick={() => void save()}>{m.save}</Button></Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
