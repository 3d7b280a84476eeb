import { Alert, Anchor, Button, Checkbox, Group, Loader, NumberInput, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { recordsMethods } from '../../../main/contract/methods/records';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import {
  ACTIVE_CASE_STATUSES,
  REFERRAL_UNIT_KINDS,
  SERVICE_ITEMS,
  SERVICE_METHODS,
  type ReferralUnitKind,
  type ServiceItem,
  type ServiceMethod,
  type ServiceRecordView,
} from '../../../main/contract/types-cases';
import type { HouseholdView } from '../../../main/contract/types-households';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { joinTimestamp, nowDateTime, RocDateTimeInput, splitTimestamp, type DateTimeValue } from '../../components/RocDateTimeInput';
import { ApiCallError, call } from '../../lib/api';
import { useContractForm, useUnsavedGuard } from '../../lib/form';
import { msg, msgRecords } from '../../lib/messages';
import { msgRecordEdit } from '../../lib/messages-edit-records';
import { navigate, useRoute } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { routeQuery } from '../../lib/router';
import { useDraft } from '../../lib/drafts';
import { navigateSaved } from '../../lib/nav-guard';
import { NO_VALIDATE } from '../../lib/form';
import { stopEnterSubmit, useMaybeQuery } from '../cases/hooks';
import { ServiceItemGuides } from '../guides/WorkGuide';
import { msgResources } from '../../lib/messages-resources';
import { ResourcePicker } from '../resources/ResourcePicker';

function idParam(q: URLSearchParams, name: string): number | null {
  const n = Number(q.get(name) ?? '');
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** 新增服務紀錄 `#/records/new?householdId=N[&caseId=M][&concernId=K]`. */
export function RecordFormScreen() {
  const q = routeQuery(useRoute());
  const householdId = idParam(q, 'householdId');
  if (householdId === null) {
    return (
      <Stack>
        <Title order={2}>{msgRecords.newTitle}</Title>
        <Alert color="yellow">{msgRecords.missingHousehold}</Alert>
      </Stack>
    );
  }
  return <RecordForm key={q.toString()} householdId={householdId} caseId={idParam(q, 'caseId')} concernId={idParam(q, 'concernId')} />;
}

/** Where the record hangs: `case:12` or `concern:5`. */
type Attach = string;

function RecordForm({ householdId, caseId, concernId }: { householdId: number; caseId: number | null; concernId: number | null }) {
  const household = useApiQuery('households.get', { id: householdId });
  const theCase = useMaybeQuery('cases.get', caseId !== null ? { id: caseId } : null);
  const theConcern = useMaybeQuery('concerns.get', concernId !== null ? { id: concernId } : null);
  const chooseAttach = caseId === null && concernId === null;
  const householdCases = useMaybeQuery('cases.listByHousehold', chooseAttach ? { householdId } : null);
  const concerns = useMaybeQuery('concerns.list', chooseAttach ? { filter: 'all', limit: 500 } : null);

  const [attach, setAttach] = useState<Attach | null>(null);
  const [occurred, setOccurred] = useState<DateTimeValue>(nowDateTime);
  const [method, setMethod] = useState<ServiceMethod | null>(null);
  const [participants, setParticipants] = useState<string[]>([]);
  const [minutes, setMinutes] = useState<number | string>(30);
  const [items, setItems] = useState<string[]>([]);
  const [narrative, setNarrative] = useState('');
  const [nextFollowUp, setNextFollowUp] = useState<string | null>(null);
  const [withReferral, setWithReferral] = useState(false);
  const [unitKind, setUnitKind] = useState<ReferralUnitKind | null>(null);
  const [unitName, setUnitName] = useState('');
  const [referralReason, setReferralReason] = useState('');
  const [resourceId, setResourceId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const draft = useDraft(`record:new:${householdId}:${caseId ?? ''}:${concernId ?? ''}`, narrative, setNarrative);
  const leaveGuard = useUnsavedGuard(narrative.trim() !== '');

  const members = (household.data?.members ?? []).filter((m) => !m.leftOn);
  const head = members.find((m) => m.relation === '戶長');
  const attachOptions = [
    ...(householdCases.data ?? [])
      .filter((c) => ACTIVE_CASE_STATUSES.includes(c.status))
      .map((c) => ({ value: `case:${c.id}`, label: msgRecords.attachCase(c.caseNo, c.status) })),
    ...(concerns.data?.rows ?? []).filter((c) => c.householdId === householdId).map((c) => ({ value: `concern:${c.id}`, label: msgRecords.attachConcern(c.reason) })),
  ];
  const effectiveAttach = attach ?? (attachOptions.length === 1 ? (attachOptions[0]?.value ?? null) : null);
  const backHref = caseId !== null ? `/cases/${caseId}` : `/households/${householdId}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const occurredAt = joinTimestamp(occurred);
    const problems: Record<string, string> = {};
    if (!occurredAt) problems.occurredAt = '請填寫服務日期與時間';
    if (!method) problems.method = '請選擇服務方式';
    if (items.length === 0) problems.items = '請至少選擇一個服務項目';
    if (typeof minutes !== 'number') problems.minutes = '請填寫服務分鐘數';
    let targetCase = caseId;
    let targetConcern = concernId;
    if (chooseAttach) {
      if (!effectiveAttach) problems.caseId = msgRecords.attachHelp;
      else if (effectiveAttach.startsWith('case:')) targetCase = Number(effectiveAttach.slice(5));
      else targetConcern = Number(effectiveAttach.slice(8));
    }
    if (Object.keys(problems).length > 0 || !occurredAt || !method || typeof minutes !== 'number') {
      setFields(problems);
      setError('請修正標示的欄位');
      return;
    }
    setBusy(true);
    try {
      await call('records.create', {
        householdId,
        ...(targetCase !== null ? { caseId: targetCase } : {}),
        ...(targetConcern !== null ? { concernId: targetConcern } : {}),
        occurredAt,
        method,
        participants: participants.map(Number),
        minutes,
        items: items as ServiceItem[],
        nextFollowUp,
        narrative,
        ...(withReferral ? { referral: { unitKind: unitKind ?? ('' as ReferralUnitKind), unitName, reason: referralReason, ...(resourceId !== null ? { resourceId } : {}) } } : {}),
      });
      draft.clear();
      navigateSaved(backHref);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setFields(err instanceof ApiCallError ? err.fields : {});
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack component="form" onSubmit={submit} onKeyDown={stopEnterSubmit} maw={960} {...NO_VALIDATE}>
      {leaveGuard}
      {draft.prompt}
      <Group justify="space-between">
        <Title order={2}>{msgRecords.newTitle}</Title>
        <Anchor href={`#${backHref}`}>{msg.cancel}</Anchor>
      </Group>
      <FormError message={household.error ?? theCase.error ?? theConcern.error} />
      <Paper withBorder p="sm">
        <Text fw={600} data-testid="record-context">
          {head ? `${head.name}\u3000` : ''}
          {household.data?.address.text ?? ''}
        </Text>
        {theCase.data && <Text size="sm">{msgRecords.forCase(theCase.data.caseNo)}</Text>}
        {theConcern.data && <Text size="sm">{msgRecords.forConcern(theConcern.data.reason, formatRocDate(theConcern.data.nextDue))}</Text>}
      </Paper>

      {chooseAttach && (
        <Select
          label={msgRecords.attachTo}
          withAsterisk
          data={attachOptions}
          value={effectiveAttach}
          onChange={setAttach}
          description={attachOptions.length === 0 && householdCases.data && concerns.data ? msgRecords.nothingToAttach : msgRecords.attachHelp}
          error={fields.caseId ?? fields.householdId}
        />
      )}

      <Paper withBorder p="md">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <RocDateTimeInput label={msgRecords.occurred} value={occurred} onChange={setOccurred} required error={fields.occurredAt} />
            <SimpleGrid cols={2}>
              <Select
                label={msgRecords.method}
                withAsterisk
                data={[...SERVICE_METHODS]}
                value={method}
                onChange={(v) => setMethod(v as ServiceMethod | null)}
                error={fields.method}
                searchable
              />
              <NumberInput label={msgRecords.minutes} withAsterisk min={1} max={1440} step={10} value={minutes} onChange={setMinutes} error={fields.minutes} allowDecimal={false} />
            </SimpleGrid>
          </SimpleGrid>
          <Checkbox.Group label={msgRecords.participants} value={participants} onChange={setParticipants} error={fields.participants}>
            <Group mt={6}>
              {members.map((m) => (
                <Checkbox key={m.personId} value={String(m.personId)} label={`${m.name}（${m.relation}）`} />
              ))}
              {household.data && members.length === 0 && (
                <Text size="sm" c="dimmed">
                  {msgRecords.noMembers}
                </Text>
              )}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group label={msgRecords.items} withAsterisk value={items} onChange={setItems} error={fields.items}>
            <Group mt={6}>
              {SERVICE_ITEMS.map((i) => (
                <Checkbox key={i} value={i} label={i} />
              ))}
            </Group>
          </Checkbox.Group>
          <ServiceItemGuides items={items} />
          <Textarea
            label={msgRecords.narrative}
            description={msgRecords.narrativeHelp}
            autosize
            minRows={6}
            maxRows={20}
            value={narrative}
            onChange={(e) => setNarrative(e.currentTarget.value)}
            error={fields.narrative}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <RocDateInput label={msgRecords.nextFollowUp} value={nextFollowUp} onChange={setNextFollowUp} error={fields.nextFollowUp} />
          </SimpleGrid>
        </Stack>
      </Paper>

      <Paper withBorder p="md">
        <Stack>
          <Checkbox label={msgRecords.withReferral} checked={withReferral} onChange={(e) => setWithReferral(e.currentTarget.checked)} />
          {withReferral && (
            <>
              <Group>
                <ResourcePicker
                  householdDistrict={household.data?.address.townCode ?? null}
                  onPick={(r) => {
                    setUnitKind(r.unitKind);
                    setUnitName(r.name);
                    setResourceId(r.id);
                  }}
                />
                {resourceId !== null && (
                  <Text size="sm" c="teal" data-testid="picked-resource">
                    {msgResources.picker.chosen(unitName)}
                  </Text>
                )}
                {resourceId !== null && (
                  <Button size="compact-xs" variant="subtle" onClick={() => setResourceId(null)}>
                    {msgResources.picker.unlink}
                  </Button>
                )}
              </Group>
              <FormError message={fields['referral.resourceId'] ?? null} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select
                  label={msgRecords.unitKind}
                  withAsterisk
                  data={[...REFERRAL_UNIT_KINDS]}
                  value={unitKind}
                  onChange={(v) => {
                    setUnitKind(v as ReferralUnitKind | null);
                    setResourceId(null);
                  }}
                  error={fields['referral.unitKind'] ?? fields.referral}
                />
                <TextInput label={msgRecords.unitName} withAsterisk value={unitName} onChange={(e) => {
                    setUnitName(e.currentTarget.value);
                    setResourceId(null);
                  }}
                  error={fields['referral.unitName']} />
              </SimpleGrid>
              <Textarea label={msgRecords.referralReason} withAsterisk autosize minRows={2} value={referralReason} onChange={(e) => setReferralReason(e.currentTarget.value)} error={fields['referral.reason']} />
            </>
          )}
        </Stack>
      </Paper>

      <FormError message={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={() => navigate(backHref)}>
          {msg.cancel}
        </Button>
        <Button type="submit" loading={busy}>
          {msgRecords.submit}
        </Button>
      </Group>
    </Stack>
  );
}

// --- edit mode (issue 11 §1: correct what was typed) -------------------------------------------------

const updateSchema = recordsMethods['records.update'].input;

/** 修改服務紀錄 `#/records/:id/edit`: the record's own fields, its narrative and a required 修改原因. */
export function RecordEditScreen({ id }: { id: number }) {
  const record = useApiQuery('records.get', { id });
  const householdId = record.data?.householdId ?? null;
  const household = useMaybeQuery('households.get', householdId !== null ? { id: householdId } : null);
  // Reading the narrative to correct it is a view like any other: the server audits it.
  const narrative = useApiQuery('records.narrative', { id });
  const r = record.data;
  const h = household.data;
  const n = narrative.data;
  return (
    <Stack maw={960}>
      <Title order={2}>{msgRecordEdit.editTitle}</Title>
      <FormError message={record.error ?? household.error ?? narrative.error} />
      {r && !r.canEdit && <Alert color="yellow">{msgRecordEdit.locked}</Alert>}
      {!(r && h && n) && !record.error && !narrative.error && <Loader size="sm" aria-label={msgRecordEdit.narrativeLoading} />}
      {/* The record and its narrative of the same version only, so a reload never mixes two versions. */}
      {r && h && n && r.canEdit && r.version === n.version && (
        <RecordEditForm
          key={`${r.id}-${r.version}`}
          record={r}
          narrative={n.narrative ?? ''}
          household={h}
          onReload={() => {
            void record.reload();
            void narrative.reload();
          }}
        />
      )}
    </Stack>
  );
}

interface EditValues extends Record<string, unknown> {
  occurred: DateTimeValue;
  method: ServiceMethod | null;
  participants: string[];
  minutes: number | string;
  items: string[];
  narrative: string;
  nextFollowUp: string | null;
  reason: string;
}

function RecordEditForm({ record, narrative, household, onReload }: { record: ServiceRecordView; narrative: string; household: HouseholdView; onReload(): void }) {
  const [saved, setSaved] = useState(false);
  // A save over a newer version keeps the input on screen and offers the newer version (which replaces it).
  const [conflict, setConflict] = useState(false);
  const backHref = record.caseId !== null ? `/cases/${record.caseId}` : `/households/${record.householdId}`;
  const f = useContractForm<typeof updateSchema, EditValues>(updateSchema, {
    initialValues: {
      occurred: splitTimestamp(record.occurredAt),
      method: record.method,
      participants: record.participants.map((p) => String(p.id)),
      minutes: record.minutes,
      items: [...record.items],
      narrative,
      nextFollowUp: record.nextFollowUp,
      reason: '',
    },
    toInput: (v) => ({
      id: record.id,
      version: record.version,
      occurredAt: joinTimestamp(v.occurred) ?? '',
      method: (v.method ?? '') as ServiceMethod,
      participants: v.participants.map(Number),
      minutes: typeof v.minutes === 'number' ? v.minutes : Number.NaN,
      items: v.items as ServiceItem[],
      nextFollowUp: v.nextFollowUp,
      narrative: v.narrative,
      reason: v.reason,
    }),
    paths: { occurredAt: 'occurred' },
    labels: { reason: msgRecordEdit.reason, items: msgRecords.items, method: msgRecords.method, minutes: msgRecords.minutes, participants: msgRecords.participants },
    required: ['occurred', 'method', 'minutes', 'items', 'reason'],
  });
  const leaveGuard = useUnsavedGuard(f.form.isDirty() && !saved);
  // Current members, and anyone already recorded as taking part (they may have left since).
  const current = household.members.filter((m) => !m.leftOn);
  const options = [
    ...current.map((m) => ({ id: m.personId, label: `${m.name}（${m.relation}）` })),
    ...record.participants.filter((p) => !current.some((m) => m.personId === p.id)).map((p) => ({ id: p.id, label: p.name })),
  ];
  const v = f.form.getValues();
  return (
    <form
      {...f.formProps(async (input) => {
        setConflict(false);
        try {
          await call('records.update', input);
        } catch (err) {
          setConflict(err instanceof ApiCallError && err.code === 'CONFLICT');
          throw err;
        }
        setSaved(true);
        f.form.resetDirty();
        navigateSaved(backHref);
      })}
      onKeyDown={stopEnterSubmit}
      aria-label={msgRecordEdit.editTitle}
    >
      <Stack>
      {leaveGuard}
      <Paper withBorder p="sm">
        <Group justify="space-between">
          <Text fw={600} data-testid="record-context">
            {record.caseNo ? msgRecords.forCase(record.caseNo) : ''}
            {`\u3000${household.address.text}`}
          </Text>
          <Text size="sm" c="dimmed">
            {msgRecordEdit.author(record.worker.name)}
            {record.editCount > 0 && record.lastEditedAt ? `・${msgRecordEdit.edited(record.editCount, formatRocDateTime(record.lastEditedAt))}` : ''}
          </Text>
        </Group>
      </Paper>
      <Paper withBorder p="md">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <RocDateTimeInput label={msgRecords.occurred} required value={v.occurred} onChange={(x) => f.form.setFieldValue('occurred', x)} error={f.form.errors.occurred} />
            <SimpleGrid cols={2}>
              <Select {...f.field('method')} data={[...SERVICE_METHODS]} searchable />
              <NumberInput {...f.field('minutes')} min={1} max={1440} step={10} allowDecimal={false} />
            </SimpleGrid>
          </SimpleGrid>
          <Checkbox.Group {...f.field('participants')}>
            <Group mt={6}>
              {options.map((o) => (
                <Checkbox key={o.id} value={String(o.id)} label={o.label} />
              ))}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group {...f.field('items')}>
            <Group mt={6}>
              {SERVICE_ITEMS.map((i) => (
                <Checkbox key={i} value={i} label={i} />
              ))}
            </Group>
          </Checkbox.Group>
          <Textarea {...f.field('narrative')} label={msgRecords.narrative} description={msgRecords.narrativeHelp} autosize minRows={6} maxRows={20} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <RocDateInput label={msgRecords.nextFollowUp} value={v.nextFollowUp} onChange={(x) => f.form.setFieldValue('nextFollowUp', x)} error={f.form.errors.nextFollowUp} />
          </SimpleGrid>
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <TextInput {...f.field('reason')} description={msgRecordEdit.reasonHelp} placeholder={msgRecordEdit.reasonPlaceholder} maxLength={500} />
      </Paper>
      <FormError message={f.formError} />
      <Group justify="flex-end">
        {conflict && (
          <Button variant="light" color="orange" onClick={onReload}>
            {msgRecordEdit.reload}
          </Button>
        )}
        <Button variant="default" onClick={() => navigate(backHref)}>
          {msg.cancel}
        </Button>
        <Button type="submit" loading={f.busy}>
          {msgRecordEdit.save}
        </Button>
      </Group>
      </Stack>
    </form>
  );
}
