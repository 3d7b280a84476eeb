import { Alert, Anchor, Button, Checkbox, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import {
  ACTIVE_CASE_STATUSES,
  REFERRAL_UNIT_KINDS,
  SERVICE_ITEMS,
  SERVICE_METHODS,
  type ReferralUnitKind,
  type ServiceItem,
  type ServiceMethod,
} from '../../../main/contract/types-cases';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { joinTimestamp, nowDateTime, RocDateTimeInput, type DateTimeValue } from '../../components/RocDateTimeInput';
import { ApiCallError, call } from '../../lib/api';
import { msg, msgRecords } from '../../lib/messages';
import { navigate, useRoute } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { useDraft } from '../../lib/drafts';
import { navigateSaved } from '../../lib/nav-guard';
import { NO_VALIDATE, useUnsavedGuard } from '../../lib/form';
import { routeQuery } from '../../routes';
import { stopEnterSubmit, useMaybeQuery } from '../cases/hooks';

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
        ...(withReferral ? { referral: { unitKind: unitKind ?? ('' as ReferralUnitKind), unitName, reason: referralReason } } : {}),
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
          required
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
                required
                data={[...SERVICE_METHODS]}
                value={method}
                onChange={(v) => setMethod(v as ServiceMethod | null)}
                error={fields.method}
                searchable
              />
              <NumberInput label={msgRecords.minutes} required min={1} max={1440} step={10} value={minutes} onChange={setMinutes} error={fields.minutes} allowDecimal={false} />
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
          <Checkbox.Group label={msgRecords.items} required value={items} onChange={setItems} error={fields.items}>
            <Group mt={6}>
              {SERVICE_ITEMS.map((i) => (
                <Checkbox key={i} value={i} label={i} />
              ))}
            </Group>
          </Checkbox.Group>
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
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select
                  label={msgRecords.unitKind}
                  required
                  data={[...REFERRAL_UNIT_KINDS]}
                  value={unitKind}
                  onChange={(v) => setUnitKind(v as ReferralUnitKind | null)}
                  error={fields['referral.unitKind'] ?? fields.referral}
                />
                <TextInput label={msgRecords.unitName} required value={unitName} onChange={(e) => setUnitName(e.currentTarget.value)} error={fields['referral.unitName']} />
              </SimpleGrid>
              <Textarea label={msgRecords.referralReason} required autosize minRows={2} value={referralReason} onChange={(e) => setReferralReason(e.currentTarget.value)} error={fields['referral.reason']} />
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
