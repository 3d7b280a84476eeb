import { Anchor, Badge, Paper, Table, Text, Title } from '@mantine/core';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { HouseholdCaseRow } from '../../../main/contract/types-households';
import { msg } from '../../lib/messages';
import { caseStatusColor, rocDayOf } from './format';

/** The household's cases the caller may open (the case page belongs to the cases screens). */
export function CasesPanel({ cases, hiddenCount }: { cases: HouseholdCaseRow[]; hiddenCount: number }) {
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="xs">{msg.cases3.title}</Title>
      {cases.length === 0 ? (
        <Text size="sm" c="dimmed">{msg.cases3.none}</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label={msg.cases3.title} verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{msg.cases3.caseNo}</Table.Th>
                <Table.Th>{msg.cases3.status}</Table.Th>
                <Table.Th>{msg.cases3.type}</Table.Th>
                <Table.Th>{msg.cases3.lead}</Table.Th>
                <Table.Th>{msg.cases3.received}</Table.Th>
                <Table.Th>{msg.cases3.closed}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {cases.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor href={`#/cases/${c.id}`} ff="monospace" size="sm">{c.caseNo}</Anchor>
                    {c.previousCaseId && <Text span size="xs" c="dimmed"> {msg.cases3.reopenOf}</Text>}
                  </Table.Td>
                  <Table.Td><Badge color={caseStatusColor(c.status)} variant="light">{c.status}</Badge></Table.Td>
                  <Table.Td>{c.caseType}</Table.Td>
                  <Table.Td>{c.leadWorkerName ?? ''}</Table.Td>
                  <Table.Td>{rocDayOf(c.receivedAt)}</Table.Td>
                  <Table.Td>{formatRocDate(c.closedOn)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {hiddenCount > 0 && <Text size="xs" c="dimmed" mt="xs">{msg.cases3.hidden(hiddenCount)}</Text>}
    </Paper>
  );
}
