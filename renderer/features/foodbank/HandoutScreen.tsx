import { Alert, Badge, Button, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { FbEligibilityView, FbHandoutPreview } from '../../../main/contract/types-foodbank';
import type { SearchHit } from '../../../main/contract/types-households';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgFoodbank as m } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { errText, ItemSelect, LocationSelect } from './common';
import { PrintFrame } from './PrintFrame';
import { RecentAidAlert } from '../aid/RecentAidAlert';
import { handoutHtml } from './print';

interface Line {
  itemId: number | null;
  quantity: number | string;
}

/** 發放 `#/foodbank/handout`: find the household → eligibility and allowance → pick items → FEFO preview → confirm → receipt. */
export function HandoutScreen() {
  const items = useApiQuery('foodbank.items', {});
  const locations = useApiQuery('foodbank.locations', {});
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [elig, setElig] = useState<FbEligibilityView | null>(null);
  const [loc, setLoc] = useState<number | null>(null);
  const [lines, setLines] = useState<Line[]>([{ itemId: null, quantity: 1 }]);
  const [preview, setPreview] = useState<FbHandoutPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const location = loc ?? locations.data?.find((l) => l.kind === 'point')?.id ?? null;
  const payloadLines = () => lines.filter((l) => l.itemId !== null).map((l) => ({ itemId: l.itemId as number, quantity: Number(l.quantity) }));
  const set = (i: number, patch: Partial<Line>) => {
    setPreview(null);
    setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  };

  const search = async () => {
    setError(null);
    try {
      const r = await call('search.query', { q, limit: 20 });
      setHits(r.hits.filter((h) => h.householdId !== null));
      setHint(r.hint);
    } catch (e) {
      setError(errText(e));
    }
  };
  const choose = async (id: number) => {
    setError(null);
    setPreview(null);
    try {
      setElig(await call('foodbank.eligibility', { householdId: id }));
    } catch (e) {
      setError(errText(e));
    }
  };
  const doPreview = async () => {
    if (!elig) return;
    setError(null);
    try {
      setPreview(await call('foodbank.previewHandout', { householdId: elig.householdId, locationId: location ?? 0, lines: payloadLines() }));
    } catch (e) {
      setPreview(null);
      setError(errText(e));
    }
  };
  const confirm = async () => {
    if (!elig) return;
    setError(null);
    try {
      const h = await call('foodbank.handout', { householdId: elig.householdId, locationId: location ?? 0, lines: payloadLines() });
      navigate(`/foodbank/handouts/${h.id}`);
    } catch (e) {
      setError(errText(e));
    }
  };

  return (
    <Stack>
      <Title order={2}>{m.nav.handout}</Title>
      <Paper withBorder p="md">
        <Group align="end">
          <TextInput label={m.search} value={q} onChange={(e) => setQ(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && void search()} w={320} data-testid="handout-search" />
          <Button onClick={() => void search()} data-testid="handout-search-button">{m.searchButton}</Button>
          <LocationSelect locations={locations.data} value={location} onChange={(v) => { setLoc(v); setPreview(null); }} testId="handout-location" />
        </Group>
        {hint && <Text size="sm" c="dimmed" mt="xs">{hint}</Text>}
        {hits && (
          <Table mt="sm" aria-label="搜尋結果">
            <Table.Tbody>
              {hits.map((h) => (
                <Table.Tr key={h.householdId} style={{ cursor: 'pointer' }} onClick={() => void choose(h.householdId as number)} data-testid="handout-hit">
                  <Table.Td>{h.headName}</Table.Td>
                  <Table.Td>{h.addressText}</Table.Td>
                  <Table.Td>{h.members.map((p) => p.name).join('、')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {elig && (
        <Paper withBorder p="md" data-testid="eligibility">
          <Group>
            <Text fw={700}>{elig.headName}</Text>
            <Text>{m.householdSize(elig.householdSize)}</Text>
            <Badge color={elig.eligible ? 'green' : 'red'}>{elig.eligible ? m.eligible : m.ineligible}</Badge>
            <Text size="sm">{elig.reasons.join('、')}</Text>
          </Group>
          <Text mt="xs" data-testid="allowance-line">{m.allowanceLine(elig.mode, elig.allowance, elig.used, elig.remaining)}</Text>
          {elig.lastHandedOn && <Text size="sm" c="dimmed">{m.lastHanded}：{formatRocDate(elig.lastHandedOn)}</Text>}
          <RecentAidAlert key={elig.householdId} householdId={elig.householdId} />
          <Table mt="sm" aria-label={m.items}>
            <Table.Tbody>
              {lines.map((l, i) => (
                <Table.Tr key={i}>
                  <Table.Td><ItemSelect items={items.data} value={l.itemId} onChange={(v) => set(i, { itemId: v })} testId={`handout-item-${i}`} /></Table.Td>
                  <Table.Td><NumberInput aria-label={m.quantity} value={l.quantity} onChange={(v) => set(i, { quantity: v })} w={120} data-testid={`handout-qty-${i}`} /></Table.Td>
                  <Table.Td><Button variant="subtle" color="red" disabled={lines.length === 1} onClick={() => { setPreview(null); setLines((ls) => ls.filter((_, j) => j !== i)); }}>{m.remove}</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group mt="sm">
            <Button variant="light" onClick={() => setLines((ls) => [...ls, { itemId: null, quantity: 1 }])} data-testid="handout-add-line">{m.addLine}</Button>
            <Button variant="outline" onClick={() => void doPreview()} disabled={!elig.eligible} data-testid="handout-preview">{m.preview}</Button>
            <Button onClick={() => void confirm()} disabled={!preview} data-testid="handout-confirm">{m.confirm}</Button>
          </Group>
        </Paper>
      )}
      <FormError message={error} />
      {preview && (
        <Paper withBorder p="md" data-testid="fefo">
          <Title order={4}>{m.fefo}</Title>
          <Table aria-label={m.fefo}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.item}</Table.Th>
                <Table.Th>{m.lot}</Table.Th>
                <Table.Th>{m.expiry}</Table.Th>
                <Table.Th ta="right">{m.quantity}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.picks.map((p, i) => (
                <Table.Tr key={i} data-testid="fefo-row">
                  <Table.Td>{p.itemName}</Table.Td>
                  <Table.Td>#{p.lotId}</Table.Td>
                  <Table.Td>{p.expiry ? formatRocDate(p.expiry) : m.noExpiry}</Table.Td>
                  <Table.Td ta="right">{p.quantity} {p.unit}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Alert variant="light" mt="xs">{`本次使用 ${preview.allowanceUsed}，發放後尚餘 ${preview.remainingAfter}`}</Alert>
        </Paper>
      )}
    </Stack>
  );
}

/** `#/foodbank/handouts/:id`: the receipt for the family to sign. */
export function HandoutReceiptScreen({ id }: { id: number }) {
  const h = useApiQuery('foodbank.handoutReceipt', { id });
  return (
    <Stack>
      <FormError message={h.error} />
      <PrintFrame title={m.handoutTitle} html={h.data ? handoutHtml(h.data) : null} entity="fb_handout" entityId={id} what="發放簽收單" testId="handout-frame" actions={<Button variant="default" onClick={() => navigate('/foodbank/handout')}>{m.nav.handout}</Button>} />
    </Stack>
  );
}
