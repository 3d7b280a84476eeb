import { Alert, Anchor, Grid, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { formatRocDate } from '../../../main/contract/roc-date';
import { ASSESSMENT_STAGE_LABELS, type AssessmentView } from '../../../main/contract/types-assessments';
import { FormError } from '../../components/FormError';
import { msg } from '../../lib/messages';
import { msgAssessments as m } from '../../lib/messages-assessments';
import { useApiQuery } from '../../lib/useApi';
import { RadarChart } from './RadarChart';
import { LevelBadge } from './ScoreSummary';
import { signed } from './signed';


/** Risk going up is worse, protection going up is better. */
function changeColor(n: number, kind: 'risk' | 'protective'): string | undefined {
  if (n === 0) return undefined;
  const better = kind === 'risk' ? n < 0 : n > 0;
  return better ? 'green.8' : 'red.8';
}

function Side({ a, title }: { a: AssessmentView; title: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {title}
      </Text>
      <Group gap="xs">
        <Anchor href={`#/assessments/${a.id}`}>{`${formatRocDate(a.assessedOn)} ${ASSESSMENT_STAGE_LABELS[a.stage]}`}</Anchor>
        <LevelBadge level={a.confirmedLevel ?? a.suggestedLevel} testId={title === m.earlier ? 'level-before' : 'level-after'} />
        {a.confirmedLevel === null && (
          <Text size="xs" c="dimmed">
            {m.panel.draft}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

/** `#/assessments/compare?earlier=&later=`: both radars overlaid, the change per domain, the level before and after. */
export function CompareScreen({ earlierId, laterId }: { earlierId: number | null; laterId: number | null }) {
  const q = useApiQuery('assessments.compare', earlierId && laterId ? { earlierId, laterId } : null);
  if (!earlierId || !laterId) return <Alert color="blue">{m.compareNeedTwo}</Alert>;
  if (q.error && !q.data) return <FormError message={q.error} />;
  if (!q.data) return <Loader aria-label={msg.loading} />;
  const c = q.data;
  const before = new Map(c.earlier.result.domains.map((d) => [d.key, d]));
  const after = new Map(c.later.result.domains.map((d) => [d.key, d]));
  return (
    <Stack maw={1400}>
      <Group justify="space-between" align="flex-start">
        <Title order={2}>{`${m.compareTitle}：${c.later.instrumentName}`}</Title>
        <Anchor href={c.later.caseId ? `#/cases/${c.later.caseId}` : `#/households/${c.later.householdId}`}>{c.later.caseId ? m.backToCase : m.household}</Anchor>
      </Group>
      <Paper withBorder p="md">
        <Group gap="xl">
          <Side a={c.earlier} title={m.earlier} />
          <Text size="xl" c="dimmed" aria-hidden="true">
            →
          </Text>
          <Side a={c.later} title={m.later} />
        </Group>
      </Paper>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Paper withBorder p="md">
            <RadarChart
              series={[
                { label: `${m.earlier} ${formatRocDate(c.earlier.assessedOn)}`, domains: c.earlier.result.domains, earlier: true },
                { label: `${m.later} ${formatRocDate(c.later.assessedOn)}`, domains: c.later.result.domains },
              ]}
            />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Paper withBorder p="md">
            <Title order={3} size="h4" mb="sm">
              {m.compareTable}
            </Title>
            <Table aria-label={m.compareTable} verticalSpacing={6} data-testid="compare-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{m.compareCols.domain}</Table.Th>
                  <Table.Th ta="right">{m.compareCols.riskBefore}</Table.Th>
                  <Table.Th ta="right">{m.compareCols.riskAfter}</Table.Th>
                  <Table.Th ta="right">{m.compareCols.riskChange}</Table.Th>
                  <Table.Th ta="right">{m.compareCols.protBefore}</Table.Th>
                  <Table.Th ta="right">{m.compareCols.protAfter}</Table.Th>
                  <Table.Th ta="right">{m.compareCols.protChange}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {c.domains.map((d) => (
                  <Table.Tr key={d.key} data-testid={`compare-row-${d.key}`}>
                    <Table.Td>{d.label}</Table.Td>
                    <Table.Td ta="right">{before.get(d.key)?.risk ?? 0}</Table.Td>
                    <Table.Td ta="right">{after.get(d.key)?.risk ?? 0}</Table.Td>
                    <Table.Td ta="right">
                      <Text span size="sm" fw={700} c={changeColor(d.riskChange, 'risk')} data-testid="risk-change">
                        {signed(d.riskChange)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{before.get(d.key)?.protective ?? 0}</Table.Td>
                    <Table.Td ta="right">{after.get(d.key)?.protective ?? 0}</Table.Td>
                    <Table.Td ta="right">
                      <Text span size="sm" fw={700} c={changeColor(d.protectiveChange, 'protective')} data-testid="protective-change">
                        {signed(d.protectiveChange)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
