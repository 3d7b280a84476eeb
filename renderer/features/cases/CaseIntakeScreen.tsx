import { Alert, Anchor, Button, Checkbox, Group, MultiSelect, Paper, Radio, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { CaseSource, CaseType, RiskLevel } from '../../../main/contract/types-cases';
import { CONCERN_FREQUENCY_LABELS } from '../../../main/contract/types-households';
import { FormError } from '../../components/FormError';
import { joinTimestamp, nowDateTime, RocDateTimeInput, type DateTimeValue } from '../../components/RocDateTimeInput';
import { api } from '../../../main/contract/api';
import { call } from '../../lib/api';
import { useDraft } from '../../lib/drafts';
import { useContractForm, useUnsavedGuard } from '../../lib/form';
import { navigateSaved } from '../../lib/nav-guard';
import { msg, msgCases } from '../../lib/messages';
import { navigate, useRoute } from '../../lib/router';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { routeQuery } from '../../lib/router';
import { FactorPicker } from './FactorPicker';
import { stopEnterSubmit, useMaybeQuery } from './hooks';
import { caseTypeOptions, RISK_LEVEL_LIST, sourceOptions } from './labels';
import { useAssignableWorkers } from './workers';
import { WorkGuide } from '../guides/WorkGuide';

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

const UNASSIGNED_LEAD = UNASSIGNED;

interface IntakeValues extends Record<string, unknown> {
  source: CaseSource | null;
  referringUnit: string;
  received: DateTimeValue;
  dispatched: DateTimeValue;
  caseType: CaseType;
  factors: string[];
  riskLevel: RiskLevel | null;
  lead: string;
  assistants: string[];
  summary: string;
  fromConcern: boolean;
}

/** Contract paths → this form's fields. */
const INTAKE_PATHS = { receivedAt: 'received', dispatchedAt: 'dispatched', leadWorkerId: 'lead', assistantIds: 'assistants' } as const;

function IntakeForm({ householdId, concernId }: { householdId: number; concernId: number | null }) {
  const user = useUser();
  const household = useApiQuery('households.get', { id: householdId });
  const concern = useMaybeQuery('concerns.get', concernId !== null ? { id: concernId } : null);
  const workers = useAssignableWorkers();
  const [dropped, setDropped] = useState<string[]>([]);
  const activeConcern = concernId !== null && concern.data?.active ? concern.data : null;

  const f = useContractForm(api['cases.intake'].input, {
    initialValues: {
      source: null,
      referringUnit: '',
      received: nowDateTime(),
      dispatched: { date: null, time: '' },
      caseType: '脆弱家庭',
      factors: [],
      riskLevel: null,
      lead: user.role === 'worker' ? String(user.id) : UNASSIGNED_LEAD,
      assistants: [],
      summary: '',
      fromConcern: concernId !== null,
    } as IntakeValues,
    paths: INTAKE_PATHS,
    required: ['source', 'received', 'caseType', 'riskLevel'],
    toInput: (v) => {
      const unassigned = v.lead === UNASSIGNED_LEAD;
      const dispatchedAt = v.dispatched.date || v.dispatched.time ? joinTimestamp(v.dispatched) : null;
      return {
        householdId,
        source: v.source as CaseSource,
        referringUnit: v.referringUnit.trim() || null,
        receivedAt: joinTimestamp(v.received) as string,
        dispatchedAt: unassigned ? null : dispatchedAt,
        caseType: v.caseType,
        factors: v.factors,
        riskLevel: v.riskLevel as RiskLevel,
        leadWorkerId: unassigned ? null : Number(v.lead),
        assistantIds: v.assistants.filter((a) => a !== v.lead).map(Number),
        summary: v.summary.trim() || null,
        ...(activeConcern && v.fromConcern ? { fromConcernId: activeConcern.id } : {}),
      };
    },
    extra: (v): Record<string, string> =>
      (v.dispatched.date || v.dispatched.time) && !joinTimestamp(v.dispatched) ? { dispatched: '請填寫完整的派案日期與時間' } : {},
  });
  const values = f.form.getValues();
  const lead = values.lead;
  const draft = useDraft(`case-intake:${householdId}`, values.summary, (text) => f.form.setFieldValue('summary', text));
  const leaveGuard = useUnsavedGuard(f.form.isDirty() || values.summary.trim() !== '' || values.referringUnit.trim() !== '');

  const head = household.data?.members.find((m) => m.relation === '戶長' && !m.leftOn);
  const leadOptions = [
    ...(user.role === 'worker'
      ? [{ value: String(user.id), label: msgCases.leadSelf(user.displayName) }]
      : workers.options.map((w) => ({ value: w.value, label: w.value === String(user.id) ? msgCases.leadSelf(w.label) : w.label }))),
    { value: UNASSIGNED, label: msgCases.leadUnassigned },
  ];
  const assistantOptions = workers.options.filter((w) => w.value !== lead);

  const submit = f.formProps(async (input) => {
    const created = await call('cases.intake', input);
    draft.clear();
    navigateSaved(`/cases/${created.id}`);
  });

  return (
    <Stack component="form" {...submit} onKeyDown={stopEnterSubmit} maw={960}>
      {leaveGuard}
      {draft.prompt}
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
      <WorkGuide guideKey="intake" />
      {activeConcern && (
        <Paper withBorder p="sm">
          <Checkbox
            {...f.form.getInputProps('fromConcern', { type: 'checkbox' })}
            label={msgCases.intake.fromConcern}
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
            <Select {...f.field('source')} data={sourceOptions} allowDeselect={false} />
            <TextInput {...f.field('referringUnit')} description={msgCases.field.referringUnitHelp} withAsterisk={values.source === 'B'} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <RocDateTimeInput {...f.control<DateTimeValue>('received')} label={msgCases.field.received} required />
            <RocDateTimeInput
              {...f.control<DateTimeValue>('dispatched')}
              label={msgCases.field.dispatched}
              disabled={lead === UNASSIGNED}
              description={lead === UNASSIGNED ? '待督導派案時填入' : '留空則以送出收案的時間為派案時間'}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select {...f.field('caseType')} data={caseTypeOptions} allowDeselect={false} />
            <Radio.Group {...f.field('riskLevel')} value={values.riskLevel ?? ''}>
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
      <FactorPicker
        onDate={values.received.date}
        value={values.factors}
        onChange={(v) => f.form.setFieldValue('factors', v)}
        onDropped={setDropped}
        error={f.errorOf('factors')}
      />

      <Paper withBorder p="md">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select {...f.field('lead')} label={msgCases.field.lead} data={leadOptions} allowDeselect={false} />
            <MultiSelect
              {...f.field('assistants')}
              label={msgCases.field.assistants}
              data={assistantOptions}
              value={values.assistants.filter((a) => a !== lead)}
              searchable
              clearable
              description={workers.limited ? msgCases.workersLimited : undefined}
            />
          </SimpleGrid>
          <Textarea {...f.field('summary')} autosize minRows={4} maxRows={12} data-testid="intake-summary" />
        </Stack>
      </Paper>

      <FormError message={f.formError} />
      <Group justify="flex-end">
        <Button variant="default" onClick={() => navigate(`/households/${householdId}`)}>
          {msg.cancel}
        </Button>
        <Button type="submit" loading={f.busy}>
          {msgCases.intake.submit}
        </Button>
      </Group>
    </Stack>
  );
}
