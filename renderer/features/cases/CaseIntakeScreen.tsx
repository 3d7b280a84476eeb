import { Alert, Anchor, Button, Checkbox, Group, MultiSelect, Paper, Radio, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { CaseSource, CaseType, RiskLevel } from '../../../main/contract/types-cases';
import { CONCERN_FREQUENCY_LABELS } from '../../../main/contract/types-households';
import { FormError } from '../../components/FormError';
import { joinTimestamp, nowDateTime, RocDateTimeInput, type DateTimeValue } from '../../components/RocDateTimeInput';
import { ApiCallError, call } from '../../lib/api';
import { msg, msgCases } from '../../lib/messages';
import { navigate, useRoute } from '../../lib/router';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { routeQuery } from '../../lib/router';
import { FactorPicker } from './FactorPicker';
import { stopEnterSubmit, useMaybeQuery } from './hooks';
import { caseTypeOptions, RISK_LEVEL_LIST, sourceOptions } from './labels';
import { useAssignableWorkers } from './workers';

const UNASSIGNED = 'unassigned';

/** 開案受理: `#/cases/new?householdId=N[&concernId=K]`. */
export function CaseIntakeScreen() {
  const q = routeQuery(useRoute());
  const householdId = Number(q.get('householdId') ?? '');
  const concernId = Number(q.get('concernId') ?? '');
  if (!Number.isInteger(householdId) || householdId <= 0) {
    return (
      <Stack>
        <Title order={2}>{msgCases.intake.title}</Title>
        <Alert color="yellow">{msgCases.intake.needHousehold}</Alert>
      </Stack>
    );
  }
  return <IntakeForm householdId={householdId} concernId={Number.isInteger(concernId) && concernId > 0 ? concernId : null} />;
}

function IntakeForm({ householdId, concernId }: { householdId: number; concernId: number | null }) {
  const user = useUser();
  const household = useApiQuery('households.get', { id: householdId });
  const concern = useMaybeQuery('concerns.get', concernId !== null ? { id: concernId } : null);
  const workers = useAssignableWorkers();

  const [source, setSource] = useState<CaseSource | null>(null);
  const [referringUnit, setReferringUnit] = useState('');
  const [received, setReceived] = useState<DateTimeValue>(nowDateTime);
  const [dispatched, setDispatched] = useState<DateTimeValue>({ date: null, time: '' });
  const [caseType, setCaseType] = useState<CaseType>('脆弱家庭');
  const [factors, setFactors] = useState<string[]>([]);
  const [dropped, setDropped] = useState<string[]>([]);
  const [riskLevel, setRiskLevel] = useState<RiskLevel | null>(null);
  const [lead, setLead] = useState<string>(user.role === 'worker' ? String(user.id) : UNASSIGNED);
  const [assistants, setAssistants] = useState<string[]>([]);
  const [summary, setSummary] = useState('');
  const [fromConcern, setFromConcern] = useState(concernId !== null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const head = household.data?.members.find((m) => m.relation === '戶長' && !m.leftOn);
  const leadOptions = [
    ...(user.role === 'worker'
      ? [{ value: String(user.id), label: msgCases.leadSelf(user.displayName) }]
      : workers.options.map((w) => ({ value: w.value, label: w.value === String(user.id) ? msgCases.leadSelf(w.label) : w.label }))),
    { value: UNASSIGNED, label: msgCases.leadUnassigned },
  ];
  const assistantOptions = workers.options.filter((w) => w.value !== lead);
  const activeConcern = concernId !== null && concern.data?.active ? concern.data : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const receivedAt = joinTimestamp(received);
    const problems: Record<string, string> = {};
    if (!source) problems.source = '請選擇案件來源';
    if (!receivedAt) problems.receivedAt = '請填寫收案日期與時間';
    if (!riskLevel) problems.riskLevel = '請選擇風險等級';
    const dispatchedAt = dispatched.date || dispatched.time ? joinTimestamp(dispatched) : null;
    if ((dispatched.date || dispatched.time) && !dispatchedAt) problems.dispatchedAt = '請填寫完整的派案日期與時間';
    if (Object.keys(problems).length > 0 || !source || !receivedAt || !riskLevel) {
      setFields(problems);
      setError('請修正標示的欄位');
      return;
    }
    setBusy(true);
    try {
      const created = await call('cases.intake', {
        householdId,
        source,
        referringUnit: referringUnit.trim() || null,
        receivedAt,
        dispatchedAt: lead === UNASSIGNED ? null : dispatchedAt,
        caseType,
        factors,
        riskLevel,
        leadWorkerId: lead === UNASSIGNED ? null : Number(lead),
        assistantIds: assistants.map(Number),
        summary: summary.trim() || null,
        ...(activeConcern && fromConcern ? { fromConcernId: activeConcern.id } : {}),
      });
      navigate(`/cases/${created.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setFields(err instanceof ApiCallError ? err.fields : {});
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack component="form" onSubmit={submit} onKeyDown={stopEnterSubmit} maw={960}>
      <Group justify="space-between">
        <Title order={2}>{msgCases.intake.title}</Title>
        <Anchor href={`#/households/${householdId}`}>{msgCases.intake.backToHousehold}</Anchor>
      </Group>
      <FormError message={household.error} />
      {household.data && (
        <Paper withBorder p="sm">
          <Text size="sm" c="dimmed">
            {msgCases.intake.household}
          </Text>
          <Text fw={600} data-testid="intake-household">
            {head ? `${head.name}\u3000` : ''}
            {household.data.address.text}
          </Text>
          <Text size="sm" c="dimmed">
            {household.data.members.filter((m) => !m.leftOn).map((m) => `${m.name}（${m.relation}）`).join('、')}
          </Text>
        </Paper>
      )}
      {activeConcern && (
        <Paper withBorder p="sm">
          <Checkbox
            label={msgCases.intake.fromConcern}
            checked={fromConcern}
            onChange={(e) => setFromConcern(e.currentTarget.checked)}
            description={msgCases.intake.fromConcernHelp(
              `${activeConcern.reason}，${CONCERN_FREQUENCY_LABELS[activeConcern.frequency]}訪視，下次 ${formatRocDate(activeConcern.nextDue)}`,
              activeConcern.workerName ?? '',
            )}
          />
        </Paper>
      )}

      <Paper withBorder p="md">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={msgCases.field.source}
              required
              data={sourceOptions}
              value={source}
              onChange={(v) => setSource(v as CaseSource | null)}
              error={fields.source}
              allowDeselect={false}
            />
            <TextInput
              label={msgCases.field.referringUnit}
              description={msgCases.field.referringUnitHelp}
              required={source === 'B'}
              value={referringUnit}
              onChange={(e) => setReferringUnit(e.currentTarget.value)}
              error={fields.referringUnit}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <RocDateTimeInput label={msgCases.field.received} value={received} onChange={setReceived} required error={fields.receivedAt} />
            <RocDateTimeInput
              label={msgCases.field.dispatched}
              value={dispatched}
              onChange={setDispatched}
              disabled={lead === UNASSIGNED}
              error={fields.dispatchedAt}
              description={lead === UNASSIGNED ? '待督導派案時填入' : '留空則以送出收案的時間為派案時間'}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={msgCases.field.caseType}
              required
              data={caseTypeOptions}
              value={caseType}
              onChange={(v) => v && setCaseType(v as CaseType)}
              allowDeselect={false}
              error={fields.caseType}
            />
            <Radio.Group label={msgCases.field.riskLevel} required value={riskLevel ?? ''} onChange={(v) => setRiskLevel(v as RiskLevel)} error={fields.riskLevel}>
              <Group mt={8}>
                {RISK_LEVEL_LIST.map((r) => (
                  <Radio key={r} value={r} label={r} />
                ))}
              </Group>
            </Radio.Group>
          </SimpleGrid>
        </Stack>
      </Paper>

      {dropped.length > 0 && (
        <Alert color="yellow" variant="light" withCloseButton onClose={() => setDropped([])}>
          {msgCases.factorsDropped(dropped.join('、'))}
        </Alert>
      )}
      <FactorPicker onDate={received.date} value={factors} onChange={setFactors} onDropped={setDropped} error={fields.factors} />

      <Paper withBorder p="md">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={msgCases.field.lead}
              data={leadOptions}
              value={lead}
              onChange={(v) => v && setLead(v)}
              allowDeselect={false}
              error={fields.leadWorkerId}
            />
            <MultiSelect
              label={msgCases.field.assistants}
              data={assistantOptions}
              value={assistants.filter((a) => a !== lead)}
              onChange={setAssistants}
              searchable
              clearable
              error={fields.assistantIds}
              description={workers.limited ? msgCases.workersLimited : undefined}
            />
          </SimpleGrid>
          <Textarea label={msgCases.field.summary} autosize minRows={4} maxRows={12} value={summary} onChange={(e) => setSummary(e.currentTarget.value)} error={fields.summary} />
        </Stack>
      </Paper>

      <FormError message={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={() => navigate(`/households/${householdId}`)}>
          {msg.cancel}
        </Button>
        <Button type="submit" loading={busy}>
          {msgCases.intake.submit}
        </Button>
      </Group>
    </Stack>
  );
}
