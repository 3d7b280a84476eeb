import { Button, Group, NumberInput, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import type { FbStockRow, FbStockTotal, FbStockView } from '../../../main/contract/types-foodbank';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { call } from '../../lib/api';
import { useUser } from '../../lib/session';
import { FormError } from '../../components/FormError';
import { msgFoodbank as m } from '../../lib/messages';
import { msgTables as mt } from '../../lib/messages-tables';
import { useApiQuery } from '../../lib/useApi';
import { errText, ExpiryBadge, LocationSelect } from './common';

type Transit = FbStockView['inTransit'][number];

const totalColumns: DataColumn<FbStockTotal>[] = [
  { id: 'location', header: m.location, accessor: (t) => t.locationName },
  { id: 'item', header: m.item, accessor: (t) => t.itemName },
  { id: 'quantity', header: m.quantity, accessor: (t) => t.quantity, kind: 'number', align: 'right', cell: (t) => <span data-testid="qty">{t.quantity}</span> },
  {
    id: 'expired',
    header: m.expired,
    accessor: (t) => t.expired || null,
    kind: 'number',
    align: 'right',
    cell: (t) => (t.expired ? <Text span size="sm" c="red">{t.expired}</Text> : ''),
  },
  { id: 'unit', header: m.unit, accessor: (t) => t.unit },
];

const lotColumns: DataColumn<FbStockRow>[] = [
  { id: 'location', header: m.location, accessor: (l) => l.locationName },
  { id: 'item', header: m.item, accessor: (l) => l.itemName },
  { id: 'lot', header: m.lot, accessor: (l) => `#${l.lotId}`, exportValue: (l) => `#${l.lotId}` },
  { id: 'quantity', header: m.quantity, accessor: (l) => l.quantity, kind: 'number', align: 'right' },
  { id: 'unit', header: m.unit, accessor: (l) => l.unit },
  {
    id: 'expiry',
    header: m.expiry,
    accessor: (l) => l.expiry,
    kind: 'date',
    exportValue: (l) => (l.expiry ? `${formatRocDate(l.expiry)}${l.expiryState === 'expired' ? ` ${m.expired}` : l.expiryState === 'soon' ? ` ${m.soon}` : ''}` : m.noExpiry),
    cell: (l) => <ExpiryBadge state={l.expiryState} expiry={l.expiry} />,
  },
  { id: 'received', header: m.received, accessor: (l) => l.receivedOn, kind: 'date' },
];

const transitColumns: DataColumn<Transit>[] = [
  { id: 'transfer', header: mt.lists.transfer, accessor: (t) => `#${t.transferId}` },
  { id: 'route', header: mt.lists.route, accessor: (t) => `${t.fromName} → ${t.toName}` },
  { id: 'item', header: m.item, accessor: (t) => t.itemName },
  { id: 'quantity', header: m.quantity, accessor: (t) => t.quantity, kind: 'number', align: 'right' },
  { id: 'unit', header: m.unit, accessor: (t) => t.unit },
  { id: 'sentOn', header: mt.lists.sentOn, accessor: (t) => t.sentOn, kind: 'date' },
];

/** 庫存 `#/foodbank/stock`: per item and location, then every lot with its expiry, and what is in transit. */
export function StockScreen() {
  const locations = useApiQuery('foodbank.locations', {});
  const [loc, setLoc] = useState<number | null>(null);
  const stock = useApiQuery('foodbank.stock', loc ? { locationId: loc } : {});
  const s = stock.data;
  const user = useUser();
  const locName = loc ? (locations.data ?? []).find((l) => l.id === loc)?.name : undefined;
  const filters = locName ? [{ label: m.location, value: locName }] : [];
  const clerk = user.role === 'foodbank' || user.role === 'admin';
  const [spoilKey, setSpoilKey] = useState<string | null>(null);
  const [spoilQty, setSpoilQty] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const [spoilError, setSpoilError] = useState<string | null>(null);
  const spoil = async () => {
    const [lotId, locationId] = (spoilKey ?? '0@0').split('@').map(Number);
    try {
      await call('foodbank.spoil', { lotId: lotId ?? 0, locationId: locationId ?? 0, quantity: Number(spoilQty), on: todayIso(), reason });
      setSpoilQty('');
      setReason('');
      setSpoilError(null);
      await stock.reload();
    } catch (e) {
      setSpoilError(errText(e));
    }
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{m.nav.stock}</Title>
        <LocationSelect locations={locations.data} value={loc} onChange={setLoc} clearable testId="stock-location" />
      </Group>
      <FormError message={stock.error ?? locations.error} />
      <Title order={4}>{m.totals}</Title>
      <DataTable
        tableId="stock-totals"
        auditEntity="foodbank.stock"
        listName={m.nav.stock}
        label={m.totals}
        filters={filters}
        columns={totalColumns}
        rows={s?.totals ?? []}
        rowKey={(t) => `${t.locationId}-${t.itemId}`}
        rowTestId={(t) => `total-${t.locationName}-${t.itemName}`}
        emptyText={m.nothing}
        loading={stock.loading}
      />
      <Title order={4}>{m.lots}</Title>
      <DataTable
        tableId="stock-lots"
        auditEntity="foodbank.stock_lots"
        listName={mt.lists.stockLots}
        label={m.lots}
        filters={filters}
        columns={lotColumns}
        rows={s?.lots ?? []}
        rowKey={(l) => `${l.locationId}-${l.lotId}`}
        emptyText={m.nothing}
        loading={stock.loading}
      />
      {clerk && s && s.lots.length > 0 && (
        <Paper withBorder p="md">
          <Title order={5}>{m.spoil}</Title>
          <Group align="end">
            <Select
              label={m.lot}
              searchable
              w={460}
              data-testid="spoil-lot"
              data={s.lots.slice(0, 500).map((l) => ({ value: `${l.lotId}@${l.locationId}`, label: `${l.locationName} ${l.itemName} #${l.lotId}（${l.quantity} ${l.unit}${l.expiry ? `，${formatRocDate(l.expiry)}` : ''}）` }))}
              value={spoilKey}
              onChange={setSpoilKey}
            />
            <NumberInput label={m.quantity} value={spoilQty} onChange={setSpoilQty} w={110} />
            <TextInput label={m.reason} value={reason} onChange={(e) => setReason(e.currentTarget.value)} placeholder="過期、破損…" />
            <Button color="red" variant="light" onClick={() => void spoil()} data-testid="spoil-submit">{m.spoil}</Button>
          </Group>
          <FormError message={spoilError} />
        </Paper>
      )}
      {s && s.inTransit.length > 0 && (
        <>
          <Title order={4}>{m.inTransit}</Title>
          <DataTable
            tableId="stock-in-transit"
            auditEntity="foodbank.in_transit"
            listName={mt.lists.inTransit}
            label={m.inTransit}
            columns={transitColumns}
            rows={s.inTransit}
            rowKey={(t) => `${t.transferId}-${t.itemName}`}
            emptyText={m.nothing}
          />
        </>
      )}
    </Stack>
  );
}
