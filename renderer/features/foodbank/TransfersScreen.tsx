import { Badge, Button, Group, NumberInput, Paper, Select, Stack, Table, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msgFoodbank as m } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';
import { EmptyRow, errText, LocationSelect } from './common';
import { transferLotOptions } from './lotOptions';

/** 調撥 `#/foodbank/transfers`: send lots from one location to another; the receiving side confirms. */
export function TransfersScreen() {
  const locations = useApiQuery('foodbank.locations', {});
  const transfers = useApiQuery('foodbank.transfers', {});
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [on, setOn] = useState<string | null>(todayIso());
  const [lot, setLot] = useState<number | null>(null);
  const [qty, setQty] = useState<number | string>('');
  const [error, setError] = useState<string | null>(null);
  const hub = locations.data?.find((l) => l.kind === 'hub')?.id ?? null;
  const fromId = from ?? hub;
  const stock = useApiQuery('foodbank.stock', fromId ? { locationId: fromId } : {});
  const chooseFrom = (id: number | null) => {
    setFrom(id);
    setLot(null);
  };
  const send = async () => {
    setError(null);
    try {
      await call('foodbank.sendTransfer', { fromLocationId: fromId ?? 0, toLocationId: to ?? 0, sentOn: on ?? '', lines: [{ lotId: lot ?? 0, quantity: Number(qty) }] });
      setQty('');
      setLot(null);
      await Promise.all([transfers.reload(), stock.reload()]);
    } catch (e) {
      setError(errText(e));
    }
  };
  const receive = async (id: number) => {
    setError(null);
    try {
      await call('foodbank.receiveTransfer', { transferId: id, receivedOn: todayIso() });
      await transfers.reload();
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <Title order={2}>{m.nav.transfers}</Title>
      <Paper withBorder p="md">
        <Group align="end">
          <LocationSelect label={m.from} locations={locations.data} value={fromId} onChange={chooseFrom} testId="transfer-from" />
          <LocationSelect label={m.to} locations={locations.data} value={to} onChange={setTo} testId="transfer-to" />
          <RocDateInput label={m.sentOn} value={on} onChange={setOn} />
        </Group>
        <Group align="end" mt="sm">
          <Select
            label={m.lot}
            searchable
            w={420}
            data-testid="transfer-lot"
            data={transferLotOptions(stock.data?.lots ?? [], fromId)}
            value={lot ? String(lot) : null}
            onChange={(v) => setLot(v ? Number(v) : null)}
          />
          <NumberInput label={m.quantity} value={qty} onChange={setQty} w={120} data-testid="transfer-qty" />
          <Button onClick={() => void send()} data-testid="transfer-send">{m.send}</Button>
        </Group>
        <FormError message={error} />
      </Paper>
      <Paper withBorder>
        <Table striped aria-label={m.nav.transfers} data-testid="transfers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{m.from}</Table.Th>
              <Table.Th>{m.to}</Table.Th>
              <Table.Th>{m.items}</Table.Th>
              <Table.Th>{m.sentOn}</Table.Th>
              <Table.Th>{m.status}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(transfers.data ?? []).map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>{t.id}</Table.Td>
                <Table.Td>{t.fromName}</Table.Td>
                <Table.Td>{t.toName}</Table.Td>
                <Table.Td>{t.lines.map((l) => `${l.itemName} ${l.quantity}${l.unit}`).join('、')}</Table.Td>
                <Table.Td>{formatRocDate(t.sentOn)}</Table.Td>
                <Table.Td><Badge color={t.status === 'sent' ? 'orange' : 'green'} variant="light">{t.status === 'sent' ? m.sent : `${m.done} ${formatRocDate(t.receivedOn)}`}</Badge></Table.Td>
                <Table.Td>{t.status === 'sent' && <Button size="xs" onClick={() => void receive(t.id)} data-testid={`receive-${t.id}`}>{m.receiveIt}</Button>}</Table.Td>
              </Table.Tr>
            ))}
            {transfers.data && transfers.data.length === 0 && <EmptyRow cols={7} />}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
