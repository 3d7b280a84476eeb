import { Alert, Anchor, Badge, Button, Grid, Group, Loader, Paper, Radio, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import { ASSESSMENT_STAGE_LABELS, type AssessmentView, type ResponseItem } from '../../../main/contract/types-assessments';
import { RISK_LEVELS, type RiskLevel } from '../../../main/contract/types-cases';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { msgAssessments as m } from '../../lib/messages-assessments';
import { printAudited } from '../../lib/print';
import { useUnsavedGuard } from '../../lib/unsaved';
import { useApiQuery } from '../../lib/useApi';
import { downloadBlob } from '../reports/reportFiles';
import { AssessmentForm } from './AssessmentForm';
import { pruneAnswers } from './answers';
import { AnswersView } from './AnswersView';
import { clientIssues, serverIssues } from './issues';
import { useMembers } from './NewAssessmentScreen';
import { LivePreview, ResultPanel } from './ResultPanel';
import { LevelBadge } from './ScoreSummary';
import { WorkGuide } from '../guides/WorkGuide';

/** 確認等級: accept the suggestion, or choose another level with 調整原因 (required when it differs). */
function ConfirmBox({ a, disabled, onConfirmed }: { a: AssessmentView; disabled: boolean; onConfirmed(v: AssessmentView): void }) {
  const suggested = a.suggestedLevel;
  const [mode, setMode] = useState<'accept' | 'other'>(suggested ? 'accept' : 'other');
  const [level, setLevel] = useState<RiskLevel | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ level?: string; overrideReason?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = mode === 'accept' ? suggested : level;
  const differs = chosen !== null && suggested !== null && chosen !== suggested;

  async function confirm() {
    setError(null);
    const local: typeof errors = {};
    if (!chosen) local.level = m.confirm.levelRequired;
    if (differs && reason.trim() === '') local.overrideReason = m.confirm.reasonRequired;
    setErrors(local);
    if (!chosen || Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const v = await call('assessments.confirm', { id: a.id, version: a.version, level: chosen, ...(mode === 'other' && reason.trim() !== '' ? { overrideReason: reason.trim() } : {}) });
      onConfirmed(v);
    } catch (e) {
      const s = serverIssues(e, null);
      setErrors({ level: s.byField.level, overrideReason: s.byField.overrideReason });
      setError(s.byField.level || s.byField.overrideReason ? null : s.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md" data-testid="confirm-box">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {m.confirm.title}
        </Title>
        <Radio.Group value={mode} onChange={(v) => setMode(v as 'accept' | 'other')}>
          <Stack gap={6}>
            <Radio value="accept" disabled={!suggested} label={suggested ? m.confirm.accept(`${suggested}風險`) : m.confirm.acceptNone} data-testid="confirm-accept" />
            <Radio value="other" label={m.confirm.other} data-testid="confirm-other" />
          </Stack>
        </Radio.Group>
        {mode === 'other' && (
          <>
            <Select
              label={m.confirm.level}
              withAsterisk
              data={RISK_LEVELS.map((l) => ({ value: l, label: `${l}風險` }))}
              value={level}
              onChange={(v) => setLevel(v as RiskLevel | null)}
              error={errors.level}
              allowDeselect={false}
              maw={220}
              data-testid="confirm-level"
            />
            <Textarea
              label={m.confirm.reason}
              withAsterisk={differs}
              placeholder={m.confirm.reasonPlaceholder}
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={errors.overrideReason}
              data-testid="confirm-reason"
            />
          </>
        )}
        {disabled && (
          <Text size="sm" c="orange">
            {m.confirm.saveFirst}
          </Text>
        )}
        <FormError message={error} />
        <Group justify="flex-end">
          <Button onClick={() => void confirm()} loading={busy} disabled={disabled} data-testid="confirm-submit">
            {m.confirm.button}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** After confirmation: the level, why it differs from the suggestion, the next reassessment and the visit frequency. */
function ConfirmedBox({ a }: { a: AssessmentView }) {
  const rules = useApiQuery('visitRules.list', {});
  const rule = a.confirmedLevel ? rules.data?.find((r) => r.level === a.confirmedLevel) : undefined;
  return (
    <Paper withBorder p="md" data-testid="confirmed-box">
      <Stack gap={6}>
        <Group gap="xs">
          <Text fw={600} size="sm">
            {m.confirmedLevel}
          </Text>
          <LevelBadge level={a.confirmedLevel} variant="filled" testId="confirmed-level" />
          {a.overrideReason && a.suggestedLevel && (
            <Text size="sm" c="dimmed">
              {m.confirm.overridden(`${a.suggestedLevel}風險`)}
            </Text>
          )}
        </Group>
        {a.overrideReason && (
          <Text size="sm" data-testid="confirmed-reason">
            <Text span size="sm" c="dimmed">{`${m.confirm.reason}：`}</Text>
            {a.overrideReason}
          </Text>
        )}
        <Text size="sm" data-testid="reassess-due">
          <Text span size="sm" c="dimmed">{`${m.after.reassessDue}：`}</Text>
          {a.reassessDue ? formatRocDate(a.reassessDue) : m.after.noReassess}
        </Text>
        <Text size="sm" data-testid="visit-frequency">
          <Text span size="sm" c="dimmed">{`${m.after.visitEvery}：`}</Text>
          {rule ? `${m.after.visitEveryDays(rule.visitEveryDays)}，${m.after.reassessEveryDays(rule.reassessEveryDays)}` : rules.data ? m.after.noRule : ''}
        </Text>
        {a.confirmedAt && (
          <Text size="xs" c="dimmed">
            {m.confirm.at(formatRocDateTime(a.confirmedAt))}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function Draft({ a, onSaved }: { a: AssessmentView; onSaved(v: AssessmentView): void }) {
  const members = useMembers(a.householdId);
  const [answers, setAnswers] = useState<ResponseItem[]>(a.answers);
  const [dirty, setDirty] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [server, setServer] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const leaveGuard = useUnsavedGuard(dirty);
  const pruned = useMemo(() => pruneAnswers(answers), [answers]);
  const issues = useMemo(() => ({ ...(attempted ? clientIssues(a.definition, pruned) : {}), ...server }), [attempted, a.definition, pruned, server]);

  async function save() {
    setAttempted(true);
    setError(null);
    setNotice(null);
    if (Object.keys(clientIssues(a.definition, pruned)).length > 0) {
      setError(m.formInvalid);
      return;
    }
    setBusy(true);
    try {
      const v = await call('assessments.save', { id: a.id, version: a.version, answers: pruned });
      setServer({});
      setDirty(false);
      setNotice(m.saved);
      onSaved(v);
    } catch (e) {
      const s = serverIssues(e, a.definition);
      setServer(s.byLinkId);
      setError(Object.keys(s.byLinkId).length > 0 ? m.formInvalid : s.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Grid>
      {leaveGuard}
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Stack>
          <AssessmentForm
            definition={a.definition}
            value={answers}
            onChange={(v) => {
              setAnswers(v);
              setDirty(true);
              setNotice(null);
            }}
            members={members}
            issues={issues}
          />
          <FormError message={error} />
          {notice && (
            <Alert color="teal" variant="light" data-testid="assessment-saved">
              {notice}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button onClick={() => void save()} loading={busy} disabled={!dirty} data-testid="assessment-save">
              {m.saveDraft}
            </Button>
          </Group>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Stack>
          {dirty ? (
            <LivePreview definition={a.definition} answers={pruned} label={formatRocDate(a.assessedOn)} />
          ) : (
            <ResultPanel result={a.result} title={m.result.title} label={formatRocDate(a.assessedOn)} />
          )}
          <ConfirmBox key={a.version} a={a} disabled={dirty} onConfirmed={onSaved} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function Confirmed({ a }: { a: AssessmentView }) {
  const members = useMembers(a.householdId);
  return (
    <Grid>
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="sm">
            {m.answers}
          </Title>
          <AnswersView definition={a.definition} answers={a.answers} members={members} />
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Stack>
          <ConfirmedBox a={a} />
          <ResultPanel result={a.result} title={m.result.title} label={formatRocDate(a.assessedOn)} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

/** `#/assessments/:id`: the answers, the radar, the suggested level and its reasons; 確認等級 while a draft. */
export function AssessmentScreen({ id }: { id: number }) {
  const q = useApiQuery('assessments.get', { id });
  const [error, setError] = useState<string | null>(null);
  if (q.error && !q.data) return <FormError message={q.error} />;
  if (!q.data) return <Loader aria-label={msg.loading} />;
  const a = q.data;
  const draft = a.confirmedLevel === null;

  async function downloadFhir() {
    setError(null);
    try {
      const r = await call('assessments.exportFhir', { id });
      downloadBlob(`QuestionnaireResponse-${a.id}.json`, new Blob([JSON.stringify(r, null, 2)], { type: 'application/fhir+json' }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <Stack maw={1400}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2} data-testid="assessment-title">
            {m.title(a.instrumentName, formatRocDate(a.assessedOn))}
          </Title>
          <Group gap="xs">
            <Badge variant="light">{ASSESSMENT_STAGE_LABELS[a.stage]}</Badge>
            <Badge variant="outline" color={draft ? 'orange' : 'teal'} data-testid="assessment-state">
              {draft ? m.panel.draft : m.confirm.done(`${a.confirmedLevel ?? ''}風險`)}
            </Badge>
            <Text size="sm" c="dimmed">{`${m.worker}：${a.workerName}`}</Text>
          </Group>
          <Group gap="md">
            <Anchor href={`#/households/${a.householdId}`}>{m.household}</Anchor>
            {a.caseId && a.caseNo && <Anchor href={`#/cases/${a.caseId}`}>{m.caseLink(a.caseNo)}</Anchor>}
          </Group>
        </Stack>
        <Group gap="xs" className="no-print">
          <Button variant="default" onClick={() => void printAudited('assessment', a.id, m.printWhat).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))}>
            {m.print}
          </Button>
          <Button variant="light" onClick={() => void downloadFhir()} data-testid="assessment-fhir">
            {m.fhir}
          </Button>
        </Group>
      </Group>
      <FormError message={error} />
      {draft && a.stage === 'intake' && <WorkGuide guideKey="openAssessment" />}
      {draft ? <Draft a={a} onSaved={(v) => q.setData(v)} /> : <Confirmed a={a} />}
    </Stack>
  );
}
