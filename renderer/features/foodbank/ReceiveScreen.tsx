import { Button, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { todayIso } from '../../../main/contract/roc-date';
import { FB_RECEIPT_KIND_LABELS, FB_RECEIPT_KINDS, type FbReceiptKind } from '../../../main/contract/types-foodbank';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msgFoodbank as m } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { errText, ItemSelect, LocationSelect } from './common';
import { PrintFrame } from './PrintFrame';
import { receiptHtml } from './print';

interface Line {
  itemId: number | null;
  quantity: number | string;
  expiry: string | null;
}

/** 收物 `#/foodbank/receive`: a donation, purchase or 盛食 with its lots; then the receipt to print. */
export function ReceiveScreen() {
  const items = useApiQuery('foodbank.items', {});
  const locations = useApiQuery('foodbank.locations', {});
  const donors = useApiQuery('foodbank.donors', {});
  const [kind, setKind] = useState<FbReceiptKind>('donation');
  const [donorId, setDonorId] = useState<number | null>(null);
  const [supplier, setSupplier] = useState('');
  const [loc, setLoc] = useState<number | null>(null);
  const [on, setOn] = useState<string | null>(todayIso());
  const [lines, setLines] = useState<Line[]>([{ itemId: null, quantity: '', expiry: null }]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hub = locations.data?.find((l) => l.kind === 'hub')?.id ?? null;
  const location = loc ?? hub;
  const set = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('foodbank.receive', {
        kind, donorId: kind === 'donation' ? donorId : null, supplier: kind === 'purchase' ? supplier : null, locationId: location ?? 0, receivedOn: on ?? '',
        lots: lines.filter((l) => l.itemId !== null).map((l) => ({ itemId: l.itemId as number, quantity: Number(l.quantity), expiry: l.expiry })),
      });
      navigate(`/foodbank/receipts/${r.id}`);
    } catch (e) {
      setError(errText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Title order={2}>{m.nav.receive}</Title>
      <Paper withBorder p="md">
        <Stack>
          <SegmentedControl value={kind} onChange={(v) => setKind(v as FbReceiptKind)} data={FB_RECEIPT_KINDS.map((k) => ({ value: k, label: FB_RECEIPT_KIND_LABELS[k] }))} data-testid="receive-kind" w={300} />
          <Group align="end">
            {kind === 'donation' && (
              <Select label={m.donor} searchable data={(donors.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))} value={donorId ? String(donorId) : null} onChange={(v) => setDonorId(v ? Number(v) : null)} data-testid="receive-donor" w={260} />
            )}
            {kind === 'purchase' && <TextInput label={m.supplier} value={supplier} onChange={(e) => setSupplier(e.currentTarget.value)} w={220} />}
            <LocationSelect locations={locations.data} value={location} onChange={setLoc} testId="receive-location" />
            <RocDateInput label={m.received} value={on} onChange={setOn} />
          </Group>
          <Table aria-label={m.lots}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.item}</Table.Th>
                <Table.Th>{m.quantity}</Table.Th>
                <Table.Th>{m.expiry}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((l, i) => (
                <Table.Tr key={i}>
                  <Table.Td><ItemSelect items={items.data} value={l.itemId} onChange={(v) => set(i, { itemId: v })} testId={`line-item-${i}`} /></Table.Td>
                  <Table.Td><NumberInput aria-label={m.quantity} value={l.quantity} onChange={(v) => set(i, { quantity: v })} w={120} data-testid={`line-qty-${i}`} /></Table.Td>
                  <Table.Td><RocDateInput value={l.expiry} onChange={(v) => set(i, { expiry: v })} data-testid={`line-expiry-${i}`} /></Table.Td>
                  <Table.Td><Button variant="subtle" color="red" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))} disabled={lines.length === 1}>{m.remove}</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group>
            <Button variant="light" onClick={() => setLines((ls) => [...ls, { itemId: null, quantity: '', expiry: null }])} data-testid="add-line">{m.addLine}</Button>
          </Group>
          <FormError message={error ?? items.error} />
          <Group justify="end">
            <Button onClick={() => void submit()} loading={busy} data-testid="receive-submit">{m.submitReceive}</Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}

/** `#/foodbank/receipts/:id`: the receipt on A4. */
export function ReceiptScreen({ id }: { id: number }) {
  const r = useApiQuery('foodbank.receipt', { id });
  return (
    <Stack>
      <FormError message={r.error} />
      <PrintFrame title={`${m.receiptTitle} ${r.data?.receiptNo ?? ''}`} html={r.data ? receiptHtml(r.data) : null} entity="fb_receipt" entityId={id} what="物資收據" testId="receipt-frame" actions={<Button variant="default" onClick={() => navigate('/foodbank/receive')}>{m.nav.receive}</Button>} />
    </Stack>
  );
}
