import { ConfirmAction } from '../../components/ConfirmAction';
import { confirmMsg } from '../../lib/messages-forms';
import { Badge, Button, Group, NumberInput, Paper, Stack, Table, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgFoodbank as m } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { EmptyRow, errText, LocationSelect } from './common';
import { PrintFrame } from './PrintFrame';
import { countSheetHtml } from './print';

/** 盤點 `#/foodbank/stocktake`: open a count sheet per location, list earlier ones. */
export function StocktakeListScreen() {
  const locations = useApiQuery('foodbank.locations', {});
  const list = useApiQuery('foodbank.stocktakes', {});
  const [loc, setLoc] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = async () => {
    try {
      const s = await call('foodbank.startStocktake', { locationId: loc ?? 0, on: todayIso() });
      navigate(`/foodbank/stocktake/${s.id}`);
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <Title order={2}>{m.nav.stocktake}</Title>
      <Paper withBorder p="md">
        <Group align="end">
          <LocationSelect locations={locations.data} value={loc} onChange={setLoc} testId="stocktake-location" />
          <Button onClick={() => void start()} data-testid="stocktake-start">{m.startStocktake}</Button>
        </Group>
        <FormError message={error} />
      </Paper>
      <Paper withBorder>
        <Table striped aria-label={m.nav.stocktake}>
          <Table.Tbody>
            {(list.data ?? []).map((s) => (
              <Table.Tr key={s.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/foodbank/stocktake/${s.id}`)}>
                <Table.Td>#{s.id}</Table.Td>
                <Table.Td>{s.locationName}</Table.Td>
                <Table.Td>{formatRocDate(s.startedOn)}</Table.Td>
                <Table.Td><Badge color={s.status === 'posted' ? 'green' : 'orange'} variant="light">{s.status === 'posted' ? m.posted : m.counting}</Badge></Table.Td>
                <Table.Td>{s.lines.filter((l) => l.difference).length} 筆差異</Table.Td>
              </Table.Tr>
            ))}
            {list.data && list.data.length === 0 && <EmptyRow cols={5} />}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

/** `#/foodbank/stocktake/:id`: enter counts, a second person confirms and posts; the sheet prints. */
export function StocktakeScreen({ id }: { id: number }) {
  const st = useApiQuery('foodbank.stocktake', { id });
  const [counts, setCounts] = useState<Record<number, number | string>>({});
  const [error, setError] = useState<string | null>(null);
  const s = st.data;
  const save = async () => {
    try {
      const list = Object.entries(counts).filter(([, v]) => v !== '').map(([k, v]) => ({ lineId: Number(k), counted: Number(v) }));
      st.setData(await call('foodbank.enterCounts', { id, counts: list }));
      setError(null);
    } catch (e) {
      setError(errText(e));
    }
  };
  const [reasons, setReasons] = useState<Record<number, string>>({});
  const diffLines = (s?.lines ?? []).filter((l) => l.difference);
  const reasonsComplete = diffLines.every((l) => (reasons[l.lineId] ?? '').trim() !== '');
  // Posting cannot be undone: the dialog asks a 盤差 reason per line with a difference and shows the refusal itself.
  const post = async () => {
    st.setData(
      await call('foodbank.confirmStocktake', {
        id,
        reasons: diffLines.map((l) => ({ lineId: l.lineId, reason: (reasons[l.lineId] ?? '').trim() })),
      }),
    );
    setError(null);
  };
  return (
    <Stack>
      <Title order={2}>{m.stocktakeTitle} #{id} {s?.locationName}</Title>
      <FormError message={error ?? st.error} />
      {s && (
        <Paper withBorder p="md">
          <Group mb="sm">
            <Badge color={s.status === 'posted' ? 'green' : 'orange'} variant="light" data-testid="stocktake-status">{s.status === 'posted' ? m.posted : m.counting}</Badge>
            {s.countedByName && <span>盤點：{s.countedByName}</span>}
            {s.confirmedByName && <span>確認：{s.confirmedByName}</span>}
          </Group>
          <Table aria-label={m.stocktakeTitle} data-testid="count-sheet">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.item}</Table.Th>
                <Table.Th>{m.lot}</Table.Th>
                <Table.Th>{m.expiry}</Table.Th>
                <Table.Th ta="right">{m.expected}</Table.Th>
                <Table.Th>{m.counted}</Table.Th>
                <Table.Th ta="right">{m.difference}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.lines.map((l, i) => (
                <Table.Tr key={l.lineId}>
                  <Table.Td>{l.itemName}</Table.Td>
                  <Table.Td>#{l.lotId}</Table.Td>
                  <Table.Td>{l.expiry ? formatRocDate(l.expiry) : m.noExpiry}</Table.Td>
                  <Table.Td ta="right">{l.expected} {l.unit}</Table.Td>
                  <Table.Td>
                    {s.status === 'counting' ? (
                      <NumberInput aria-label={`${m.counted} ${l.itemName}`} value={counts[l.lineId] ?? l.counted ?? ''} onChange={(v) => setCounts((c) => ({ ...c, [l.lineId]: v }))} w={110} data-testid={`count-${i}`} />
                    ) : (
                      l.counted
                    )}
                  </Table.Td>
                  <Table.Td ta="right" c={l.difference ? 'red' : undefined}>{l.difference ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {s.status === 'counting' && (
            <Group mt="sm">
              <Button variant="light" onClick={() => void save()} data-testid="counts-save">{m.saveCounts}</Button>
              <ConfirmAction
                label={m.confirmPost}
                color="blue"
                buttonProps={{ 'data-testid': 'stocktake-post' }}
                title={confirmMsg.postStocktake.title}
                message={confirmMsg.postStocktake.body(diffLines.length)}
                confirmLabel={confirmMsg.postStocktake.ok}
                canConfirm={reasonsComplete}
                onConfirm={post}
              >
                {diffLines.map((l, i) => (
                  <TextInput
                    key={l.lineId}
                    label={`${l.itemName} #${l.lotId}（盤差 ${l.difference}）${confirmMsg.postStocktake.reason}`}
                    withAsterisk
                    value={reasons[l.lineId] ?? ''}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      setReasons((r) => ({ ...r, [l.lineId]: v }));
                    }}
                    error={(reasons[l.lineId] ?? '').trim() === '' ? confirmMsg.postStocktake.reasonRequired : undefined}
                    maxLength={200}
                    data-testid={`diff-reason-${i}`}
                  />
                ))}
              </ConfirmAction>
            </Group>
          )}
        </Paper>
      )}
      {s && <PrintFrame title="盤點表（列印）" html={countSheetHtml(s, s.status === 'counting')} entity="fb_stocktake" entityId={id} what="盤點表" testId="count-sheet-frame" />}
    </Stack>
  );
}
