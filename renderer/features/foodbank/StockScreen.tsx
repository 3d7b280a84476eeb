import { Button, Group, NumberInput, Paper, ScrollArea, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import { call } from '../../lib/api';
import { useUser } from '../../lib/session';
import { FormError } from '../../components/FormError';
import { msgFoodbank as m } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';
import { EmptyRow, errText, ExpiryBadge, LocationSelect } from './common';

/** 庫存 `#/foodbank/stock`: per item and location, then every lot with its expiry, and what is in transit. */
export function StockScreen() {
  const locations = useApiQuery('foodbank.locations', {});
  const [loc, setLoc] = useState<number | null>(null);
  const stock = useApiQuery('foodbank.stock', loc ? { locationId: loc } : {});
  const s = stock.data;
  const user = useUser();
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
      <Paper withBorder>
        <Table striped aria-label={m.totals} data-testid="stock-totals">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{m.location}</Table.Th>
              <Table.Th>{m.item}</Table.Th>
              <Table.Th ta="right">{m.quantity}</Table.Th>
              <Table.Th ta="right">{m.expired}</Table.Th>
              <Table.Th>{m.unit}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(s?.totals ?? []).map((t) => (
              <Table.Tr key={`${t.locationId}-${t.itemId}`} data-testid={`total-${t.locationName}-${t.itemName}`}>
                <Table.Td>{t.locationName}</Table.Td>
                <Table.Td>{t.itemName}</Table.Td>
                <Table.Td ta="right" data-testid="qty">{t.quantity}</Table.Td>
                <Table.Td ta="right" c={t.expired > 0 ? 'red' : undefined}>{t.expired || ''}</Table.Td>
                <Table.Td>{t.unit}</Table.Td>
              </Table.Tr>
            ))}
            {s && s.totals.length === 0 && <EmptyRow cols={5} />}
          </Table.Tbody>
        </Table>
      </Paper>
      <Title order={4}>{m.lots}</Title>
      <Paper withBorder>
        <ScrollArea h={420}>
          <Table striped aria-label={m.lots}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.location}</Table.Th>
                <Table.Th>{m.item}</Table.Th>
                <Table.Th>{m.lot}</Table.Th>
                <Table.Th ta="right">{m.quantity}</Table.Th>
                <Table.Th>{m.expiry}</Table.Th>
                <Table.Th>{m.received}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(s?.lots ?? []).slice(0, 500).map((l) => (
                <Table.Tr key={`${l.locationId}-${l.lotId}`}>
                  <Table.Td>{l.locationName}</Table.Td>
                  <Table.Td>{l.itemName}</Table.Td>
                  <Table.Td>#{l.lotId}</Table.Td>
                  <Table.Td ta="right">{l.quantity} {l.unit}</Table.Td>
                  <Table.Td><ExpiryBadge state={l.expiryState} expiry={l.expiry} /></Table.Td>
                  <Table.Td>{formatRocDate(l.receivedOn)}</Table.Td>
                </Table.Tr>
              ))}
              {s && s.lots.length === 0 && <EmptyRow cols={6} />}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
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
          <Paper withBorder>
            <Table aria-label={m.inTransit}>
              <Table.Tbody>
                {s.inTransit.map((t, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>#{t.transferId}</Table.Td>
                    <Table.Td>{t.fromName} → {t.toName}</Table.Td>
                    <Table.Td>{t.itemName}</Table.Td>
                    <Table.Td ta="right">{t.quantity} {t.unit}</Table.Td>
                    <Table.Td>{formatRocDate(t.sentOn)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </>
      )}
    </Stack>
  );
}
