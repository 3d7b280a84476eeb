import { Anchor, Badge, Button, Checkbox, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import { ASSESSMENT_STAGE_LABELS } from '../../../main/contract/types-assessments';
import { FormError } from '../../components/FormError';
import { msgAssessments as m } from '../../lib/messages-assessments';
import { navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { LevelBadge } from './ScoreSummary';

/**
 * 評估 on the household page (every assessment of the household) and the case page (the case's): dates in
 * ROC, stage, level; 新增評估, and 比較 after ticking two.
 */
export function AssessmentsPanel({ householdId, caseId }: { householdId: number; caseId?: number }) {
  const q = useApiQuery('assessments.list', caseId ? { caseId } : { householdId });
  const [picked, setPicked] = useState<number[]>([]);
  const rows = q.data ?? [];
  const toggle = (id: number, on: boolean) => setPicked((p) => (on ? [...p.filter((x) => x !== id), id].slice(-2) : p.filter((x) => x !== id)));
  function compare() {
    const two = rows.filter((r) => picked.includes(r.id)).sort((a, b) => a.assessedOn.localeCompare(b.assessedOn) || a.id - b.id);
    const [earlier, later] = two;
    if (earlier && later) navigate(`/assessments/compare?earlier=${earlier.id}&later=${later.id}`);
  }
  const newHref = `/assessments/new?householdId=${householdId}${caseId ? `&caseId=${caseId}` : ''}`;
  return (
    <Paper withBorder p="md" data-testid="assessments-panel">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{m.panel.title}</Title>
        <Group gap="xs">
          {rows.length >= 2 && (
            <Button size="compact-sm" variant="default" disabled={picked.length !== 2} onClick={compare} data-testid="assessments-compare">
              {m.panel.compare}
            </Button>
          )}
          <Button size="compact-sm" onClick={() => navigate(newHref)} data-testid="assessments-add">
            {m.panel.add}
          </Button>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {rows.length >= 2 ? `${m.panel.hint}${m.panel.compareHint}` : m.panel.hint}
      </Text>
      <FormError message={q.error} />
      {q.data && rows.length === 0 && (
        <Text size="sm" c="dimmed">
          {m.panel.none}
        </Text>
      )}
      {rows.length > 0 && (
        <Stack gap={0} role="list" aria-label={m.panel.table}>
          {rows.map((r) => (
            <Group key={r.id} justify="space-between" wrap="nowrap" py={6} role="listitem" data-testid={`assessment-row-${r.id}`} style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
              <Group gap="xs" wrap="nowrap">
                {rows.length >= 2 && <Checkbox aria-label={m.panel.pick(formatRocDate(r.assessedOn))} checked={picked.includes(r.id)} onChange={(e) => toggle(r.id, e.currentTarget.checked)} data-testid={`assessment-pick-${r.id}`} />}
                <Stack gap={0}>
                  <Group gap={6}>
                    <Anchor href={`#/assessments/${r.id}`} fw={600} size="sm">
                      {formatRocDate(r.assessedOn)}
                    </Anchor>
                    <Badge variant="light" size="sm">
                      {ASSESSMENT_STAGE_LABELS[r.stage]}
                    </Badge>
                  </Group>
                  <Text size="xs" c="dimmed">
                    {[r.instrumentName, r.workerName, !caseId && r.caseNo ? r.caseNo : null].filter(Boolean).join('・')}
                  </Text>
                </Stack>
              </Group>
              {r.confirmedLevel ? (
                <LevelBadge level={r.confirmedLevel} />
              ) : (
                <Group gap={4} wrap="nowrap">
                  <Badge variant="outline" color="orange" size="sm">
                    {m.panel.draft}
                  </Badge>
                  {r.suggestedLevel && (
                    <Text size="xs" c="dimmed">
                      {m.panel.suggested(`${r.suggestedLevel}風險`)}
                    </Text>
                  )}
                </Group>
              )}
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
