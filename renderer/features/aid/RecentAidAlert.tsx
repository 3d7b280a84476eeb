import { Alert, Table, Text } from '@mantine/core';
import { formatRocDate } from '../../../main/contract/roc-date';
import { AID_SERVICE_ITEMS } from '../../../main/contract/types-aid';
import { FormError } from '../../components/FormError';
import { msgAid as m } from '../../lib/messages-aid';
import { useApiQuery } from '../../lib/useApi';

/**
 * The duplicate-aid warning (issue 14 §4): what the household received in the last N days from anyone
 * (other units, the food bank, the center's 經濟補助 / 實物給付 records), as a yellow Alert that never
 * blocks. With `items` (the service record form) it shows only once an aid-like item is ticked.
 */
export function RecentAidAlert({ householdId, items }: { householdId: number; items?: readonly string[] }) {
  const wanted = items === undefined || items.some((i) => (AID_SERVICE_ITEMS as readonly string[]).includes(i));
  const q = useApiQuery('aid.recent', wanted ? { householdId } : null);
  if (!wanted) return null;
  if (q.error) return <FormError message={q.error} />;
  const r = q.data;
  if (!r) return null;
  if (r.entries.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="aid-recent-none">
        {m.recent.none(r.days)}
      </Text>
    );
  }
  return (
    <Alert color="yellow" variant="light" title={m.recent.title(r.days)} data-testid="aid-recent" mt="xs">
      <Table fz="sm" withRowBorders={false} verticalSpacing={2} aria-label={m.recent.title(r.days)}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{m.recent.cols.source}</Table.Th>
            <Table.Th>{m.recent.cols.date}</Table.Th>
            <Table.Th>{m.recent.cols.content}</Table.Th>
            <Table.Th ta="right">{m.recent.cols.amount}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {r.entries.map((e, i) => (
            <Table.Tr key={i} data-testid="aid-recent-row">
              <Table.Td>{e.source}</Table.Td>
              <Table.Td>{formatRocDate(e.date)}</Table.Td>
              <Table.Td>{e.content}</Table.Td>
              <Table.Td ta="right">{e.amount === null ? '－' : m.money(e.amount)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" mt={4}>{m.recent.summary(r.totals.count, r.totals.sources, r.totals.amount)}</Text>
    </Alert>
  );
}
