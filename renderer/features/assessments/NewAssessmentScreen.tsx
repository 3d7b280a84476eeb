import { Alert, Anchor, Button, Grid, Group, Loader, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import { ASSESSMENT_STAGE_LABELS, ASSESSMENT_STAGES, type AssessmentStage, type ResponseItem } from '../../../main/contract/types-assessments';
import { RocDateInput } from '../../components/RocDateInput';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { msgAssessments as m } from '../../lib/messages-assessments';
import { navigate } from '../../lib/router';
import { useUnsavedGuard } from '../../lib/unsaved';
import { useApiQuery } from '../../lib/useApi';
import { AssessmentForm, type MemberOption } from './AssessmentForm';
import { pruneAnswers } from './answers';
import { clientIssues, serverIssues } from './issues';
import { LivePreview } from './ResultPanel';

const stageOptions = ASSESSMENT_STAGES.map((s) => ({ value: s, label: ASSESSMENT_STAGE_LABELS[s] }));

/** The household's current members, for `reference` items. */
export function useMembers(householdId: number | null): MemberOption[] {
  const h = useApiQuery('households.get', householdId ? { id: householdId } : null);
  return useMemo(() => (h.data?.members ?? []).filter((x) => x.leftOn === null).map((x) => ({ personId: x.personId, name: x.name, relation: x.relation })), [h.data]);
}

/** `#/assessments/new?householdId=&caseId=`: choose the instrument, the stage and the date, fill, save as a draft. */
export function NewAssessmentScreen({ householdId, caseId, concernId }: { householdId: number | null; caseId: number | null; concernId: number | null }) {
  const instruments = useApiQuery('instruments.list', {});
  const members = useMembers(householdId);
  const usable = (instruments.data ?? []).filter((i) => !i.archived && i.versions.length > 0);
  const [picked, setPicked] = useState<string | null>(null);
  const instrumentId = picked ?? (usable.length === 1 ? String(usable[0]?.id) : null);
  const [stage, setStage] = useState<AssessmentStage | null>(null);
  const [assessedOn, setAssessedOn] = useState<string | null>(() => todayIso());
  const version = useApiQuery('instruments.version', instrumentId && assessedOn ? { instrumentId: Number(instrumentId), on: assessedOn } : null);
  const definition = version.data?.definition ?? null;
  const [answers, setAnswers] = useState<ResponseItem[]>([]);
  const [attempted, setAttempted] = useState(false);
  const [server, setServer] = useState<{ byLinkId: Record<string, string>; byField: Record<string, string> }>({ byLinkId: {}, byField: {} });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [savedId, setSavedId] = useState<number | null>(null);
  const leaveGuard = useUnsavedGuard(answers.length > 0 && savedId === null);
  // After the render that tells the leave guard the answers are saved, open the saved draft.
  useEffect(() => {
    if (savedId !== null) navigate(`/assessments/${savedId}`);
  }, [savedId]);

  const pruned = useMemo(() => pruneAnswers(answers), [answers]);
  const issues = useMemo(() => ({ ...(attempted && definition ? clientIssues(definition, pruned) : {}), ...server.byLinkId }), [attempted, definition, pruned, server]);
  const headerErrors = {
    instrumentId: attempted && !instrumentId ? m.chooseInstrument : server.byField.instrumentId,
    stage: attempted && !stage ? m.chooseStage : server.byField.stage,
    assessedOn: attempted && !assessedOn ? m.dateRequired : server.byField.assessedOn,
  };

  if (!householdId) return <Alert color="red">{m.missingHousehold}</Alert>;
  if (instruments.error && !instruments.data) return <FormError message={instruments.error} />;
  if (!instruments.data) return <Loader aria-label={msg.loading} />;

  async function save() {
    setAttempted(true);
    setError(null);
    if (!instrumentId || !stage || !assessedOn || !householdId || !definition) return;
    // The service refuses the same answers with the same messages; say so beside the fields first.
    if (Object.keys(clientIssues(definition, pruned)).length > 0) {
      setError(m.formInvalid);
      return;
    }
    setBusy(true);
    try {
      const a = await call('assessments.save', {
        householdId,
        ...(caseId ? { caseId } : {}),
        ...(concernId ? { concernId } : {}),
        instrumentId: Number(instrumentId),
        stage,
        assessedOn,
        answers: pruned,
      });
      setSavedId(a.id);
    } catch (e) {
      const s = serverIssues(e, definition);
      setServer(s);
      setError(Object.keys(s.byLinkId).length > 0 ? m.formInvalid : s.message);
    } finally {
      setBusy(false);
    }
  }

  const back = caseId ? `#/cases/${caseId}` : `#/households/${householdId}`;
  return (
    <Stack maw={1400}>
      {leaveGuard}
      <Group justify="space-between">
        <Title order={2}>{m.newTitle}</Title>
        <Anchor href={back}>{caseId ? m.backToCase : m.household}</Anchor>
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={m.instrument}
            withAsterisk
            data={usable.map((i) => ({ value: String(i.id), label: i.name }))}
            value={instrumentId}
            onChange={(v) => setPicked(v)}
            error={headerErrors.instrumentId}
            allowDeselect={false}
            data-testid="assessment-instrument"
          />
          <Select label={m.stage} withAsterisk data={stageOptions} value={stage} onChange={(v) => setStage(v as AssessmentStage | null)} error={headerErrors.stage} allowDeselect={false} data-testid="assessment-stage" />
          <RocDateInput label={m.assessedOn} required value={assessedOn} onChange={setAssessedOn} maxDate={todayIso()} error={headerErrors.assessedOn} data-testid="assessment-date" />
        </SimpleGrid>
        {usable.length === 0 && (
          <Text size="sm" c="dimmed" mt="sm">
            {m.noInstruments}
          </Text>
        )}
        {version.data && (
          <Text size="xs" c="dimmed" mt="xs" data-testid="assessment-version">
            {`${version.data.name} ${m.version(version.data.versionNo, formatRocDate(version.data.effectiveFrom))}`}
          </Text>
        )}
        {version.error && instrumentId && assessedOn && <FormError message={m.noVersionOn(formatRocDate(assessedOn))} />}
      </Paper>
      {definition && (
        <Grid>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Stack>
              <AssessmentForm definition={definition} value={answers} onChange={setAnswers} members={members} issues={issues} />
              <FormError message={error} />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => navigate(back.slice(1))}>
                  {m.cancel}
                </Button>
                <Button onClick={() => void save()} loading={busy} data-testid="assessment-save">
                  {m.saveDraft}
                </Button>
              </Group>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <div style={{ position: 'sticky', top: 16 }}>
              <LivePreview definition={definition} answers={pruned} label={formatRocDate(assessedOn)} />
            </div>
          </Grid.Col>
        </Grid>
      )}
      {!definition && !version.error && instrumentId && <Loader aria-label={msg.loading} />}
    </Stack>
  );
}
