import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { scoreAssessment } from '../../../main/contract/assessment-scoring';
import type { InstrumentDefinition, ResponseItem, ScoreResult } from '../../../main/contract/types-assessments';
import { msgAssessments as m } from '../../lib/messages-assessments';
import { RadarChart } from './RadarChart';
import { DomainTable, LevelBadge, Reasons } from './ScoreSummary';

/** A score result: the radar, the suggested level with its reasons and the scores per domain. */
export function ResultPanel({ result, title, hint, label, children, testId = 'result-panel' }: { result: ScoreResult; title: string; hint?: string; label: string; children?: ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Stack gap="sm">
        <Stack gap={0}>
          <Title order={3} size="h4">
            {title}
          </Title>
          {hint && (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          )}
        </Stack>
        <RadarChart series={[{ label, domains: result.domains }]} />
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {m.suggestedLevel}
          </Text>
          <LevelBadge level={result.level} testId={`${testId}-level`} />
        </Group>
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            {m.result.reasons}
          </Text>
          <Reasons result={result} testId={`${testId}-reasons`} />
        </Stack>
        <DomainTable result={result} />
        {children}
      </Stack>
    </Paper>
  );
}

/** 即時試算: the shared scoring run on the answers as they are typed; the service's result is the one saved. */
export function LivePreview({ definition, answers, label }: { definition: InstrumentDefinition; answers: ResponseItem[]; label: string }) {
  const result = useMemo(() => scoreAssessment(definition, answers), [definition, answers]);
  return <ResultPanel result={result} title={m.preview.title} hint={m.preview.hint} label={label} testId="live-preview" />;
}
