import { Badge, List, Stack, Table, Text } from '@mantine/core';
import type { ScoreResult } from '../../../main/contract/types-assessments';
import type { RiskLevel } from '../../../main/contract/types-cases';
import { msgAssessments as m } from '../../lib/messages-assessments';

const LEVEL_COLORS: Record<RiskLevel, string> = { 低: 'green', 中: 'yellow', 高: 'red' };

/** 高風險 / 中風險 / 低風險 as a coloured badge; a dash when there is no level. */
export function LevelBadge({ level, variant = 'light', testId }: { level: RiskLevel | null; variant?: 'light' | 'filled' | 'outline'; testId?: string }) {
  if (!level) {
    return (
      <Text span size="sm" c="dimmed" data-testid={testId}>
        {m.noLevel}
      </Text>
    );
  }
  return (
    <Badge color={LEVEL_COLORS[level]} variant={variant} data-testid={testId}>
      {`${level}風險`}
    </Badge>
  );
}

/** The suggested level's reasons, one line per rule that acted. */
export function Reasons({ result, testId = 'score-reasons' }: { result: ScoreResult; testId?: string }) {
  if (result.reasons.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {m.result.noReasons}
      </Text>
    );
  }
  return (
    <List size="sm" spacing={2} data-testid={testId}>
      {result.reasons.map((r, i) => (
        <List.Item key={i}>{r}</List.Item>
      ))}
    </List>
  );
}

/** Each domain's risk and protective scores against their most possible. */
export function DomainTable({ result }: { result: ScoreResult }) {
  return (
    <Stack gap={4}>
      <Table aria-label={m.result.scores} verticalSpacing={4} fz="sm" data-testid="domain-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{m.result.domain}</Table.Th>
            <Table.Th ta="right">{m.result.risk}</Table.Th>
            <Table.Th ta="right">{m.result.protective}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.domains.map((d) => (
            <Table.Tr key={d.key}>
              <Table.Td>{d.label}</Table.Td>
              <Table.Td ta="right">{m.result.scoreOf(d.risk, d.riskMax)}</Table.Td>
              <Table.Td ta="right">{m.result.scoreOf(d.protective, d.protectiveMax)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
