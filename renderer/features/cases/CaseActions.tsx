import { Button, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import {
  CASE_REQUEST_KIND_LABELS,
  type CaseAction,
  type CaseDetail,
  type CaseRequestKind,
  type CaseSource,
  type CaseType,
  type RiskLevel,
} from '../../../main/contract/types-cases';
import { FormError } from '../../components/FormError';
import { joinTimestamp, nowDateTime, RocDateTimeInput, type DateTimeValue } from '../../components/RocDateTimeInput';
import { ApiCallError, call } from '../../lib/api';
import { msg, msgCases } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { useUser } from '../../lib/session';
import { setCaseFlash } from './flash';
import { stopEnterSubmit } from './hooks';
import { caseTypeOptions, RISK_LEVEL_LIST, sourceOptions } from './labels';
import { useAssignableWorkers } from './workers';
import { NO_VALIDATE } from '../../lib/form';
import { requestGuideKey, WorkGuide } from '../guides/WorkGuide';

type Dialog =
  | { kind: 'request'; request: CaseRequestKind }
  | { kind: 'decide'; approve: boolean }
  | { kind: 'reopen' }
  | { kind: 'contact' }
  | { kind: 'assign' }
  | { kind: 'withdraw' }
  | null;

const REQUEST_BUTTONS: { action: CaseAction; kind: CaseRequestKind; label: string; color?: string; variant?: string }[] = [
  { action: 'request-open', kind: 'open', label: msgCases.action.requestOpen },
  { action: 'request-not-open', kind: 'not-open', label: msgCases.action.requestNotOpen, variant: 'light' },
  { action: 'request-short-term', kind: 'short-term', label: msgCases.action.requestShortTerm, variant: 'light' },
  { action: 'request-close', kind: 'close', label: msgCases.action.requestClose },
  { action: 'request-transfer', kind: 'transfer', label: msgCases.action.requestTransfer, variant: 'default' },
];

function has(d: CaseDetail, a: CaseAction) {
  return d.allowed.includes(a);
}

/** The workflow buttons the server allows the caller now, and their dialogs. */
export function CaseActions({ detail, onChanged }: { detail: CaseDetail; onChanged(d: CaseDetail): void }) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const done = (d: CaseDetail) => {
    setDialog(null);
    onChanged(d);
  };
  const canApprove = detail.allowed.some((a) => a.startsWith('approve-'));
  const canReturn = has(detail, 'return-review') || has(detail, 'return-transfer');
  const pendingKind = detail.pendingRequest ? CASE_REQUEST_KIND_LABELS[detail.pendingRequest.kind] : '';

  return (
    <>
      <Group gap="xs" data-testid="case-actions">
        {REQUEST_BUTTONS.filter((b) => has(detail, b.action)).map((b) => (
          <Button key={b.action} variant={b.variant ?? 'filled'} onClick={() => setDialog({ kind: 'request', request: b.kind })}>
            {b.label}
          </Button>
        ))}
        {canApprove && (
          <Button color="teal" onClick={() => setDialog({ kind: 'decide', approve: true })}>
            {`${msgCases.action.approve}${pendingKind}`}
          </Button>
        )}
        {canReturn && (
          <Button color="red" variant="light" onClick={() => setDialog({ kind: 'decide', approve: false })}>
            {msgCases.action.return}
          </Button>
        )}
        {has(detail, 'withdraw') && (
          <Button color="gray" variant="light" onClick={() => setDialog({ kind: 'withdraw' })}>
            {`撤回${pendingKind}申請`}
          </Button>
        )}
        {has(detail, 'assign') && (
          <Button variant="default" onClick={() => setDialog({ kind: 'assign' })}>
            {detail.lead ? msgCases.action.reassign : msgCases.action.assign}
          </Button>
        )}
        {has(detail, 'first-contact') && (
          <Button variant="default" onClick={() => setDialog({ kind: 'contact' })}>
            {msgCases.action.firstContact}
          </Button>
        )}
        {has(detail, 'record-service') && (
          <Button variant="default" onClick={() => navigate(`/records/new?householdId=${detail.householdId}&caseId=${detail.id}`)}>
            {msgCases.action.recordService}
          </Button>
        )}
        {has(detail, 'reopen') && (
          <Button variant="filled" color="grape" onClick={() => setDialog({ kind: 'reopen' })}>
            {msgCases.action.reopen}
          </Button>
        )}
      </Group>

      <Modal
        opened={dialog?.kind === 'request'}
        onClose={close}
        title={dialog?.kind === 'request' ? `申請${CASE_REQUEST_KIND_LABELS[dialog.request]}` : ''}
        size="lg"
      >
        {dialog?.kind === 'request' && <RequestForm detail={detail} kind={dialog.request} onDone={done} />}
      </Modal>
      <Modal
        opened={dialog?.kind === 'decide'}
        onClose={close}
        title={detail.pendingRequest ? msgCases.action.decideTitle(CASE_REQUEST_KIND_LABELS[detail.pendingRequest.kind]) : ''}
        size="lg"
      >
        {dialog?.kind === 'decide' && <DecideForm detail={detail} approve={dialog.approve} onDone={done} />}
      </Modal>
      <Modal opened={dialog?.kind === 'reopen'} onClose={close} title={msgCases.action.reopen} size="lg">
        {dialog?.kind === 'reopen' && <ReopenForm detail={detail} />}
      </Modal>
      <Modal opened={dialog?.kind === 'withdraw'} onClose={close} title={`撤回${pendingKind}申請`}>
        {dialog?.kind === 'withdraw' && <WithdrawForm detail={detail} onDone={done} />}
      </Modal>
      <Modal opened={dialog?.kind === 'contact'} onClose={close} title={msgCases.action.firstContact}>
        {dialog?.kind === 'contact' && <ContactForm detail={detail} onDone={done} />}
      </Modal>
      <Modal opened={dialog?.kind === 'assign'} onClose={close} title={detail.lead ? msgCases.action.reassign : msgCases.action.assign}>
        {dialog?.kind === 'assign' && <AssignForm detail={detail} onDone={done} />}
      </Modal>
    </>
  );
}

function useSubmit<T>(fn: () => Promise<T>, onDone: (v: T) => void) {
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function run(e?: FormEvent) {
    e?.preventDefault();
    setBusy(true);
    try {
      const v = await fn();
      onDone(v);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setFields(err instanceof ApiCallError ? err.fields : {});
    } finally {
      setBusy(false);
    }
  }
  return { error, fields, busy, run, setError, setFields };
}

function RequestForm({ detail, kind, onDone }: { detail: CaseDetail; kind: CaseRequestKind; onDone(d: CaseDetail): void }) {
  const [reason, setReason] = useState('');
  const [transferTo, setTransferTo] = useState<string | null>(null);
  const workers = useAssignableWorkers();
  const s = useSubmit(
    () =>
      call('cases.request', {
        caseId: detail.id,
        kind,
        reason,
        ...(kind === 'transfer' && transferTo ? { transferTo: Number(transferTo) } : {}),
      }),
    onDone,
  );
  return (
    <Stack component="form" onSubmit={(e) => void s.run(e)} {...NO_VALIDATE}>
      <WorkGuide guideKey={requestGuideKey(kind)} />
      {kind === 'transfer' && (
        <Select
          label={msgCases.action.transferTo}
          withAsterisk
          data={workers.options.filter((w) => w.value !== String(detail.lead?.id ?? ''))}
          value={transferTo}
          onChange={setTransferTo}
          searchable
          error={s.fields.transferTo}
          description={workers.limited ? msgCases.workersLimited : undefined}
        />
      )}
      <Textarea label={msgCases.action.reasonLabel} withAsterisk autosize minRows={3} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={s.fields.reason} data-autofocus />
      <FormError message={s.error} />
      <Group justify="flex-end">
        <Button type="submit" loading={s.busy}>
          {msgCases.action.submit}
        </Button>
      </Group>
    </Stack>
  );
}

export function DecideForm({ detail, approve, onDone }: { detail: CaseDetail; approve: boolean; onDone(d: CaseDetail): void }) {
  const req = detail.pendingRequest;
  const [comment, setComment] = useState('');
  const s = useSubmit(async () => {
    if (!req) throw new Error('沒有審查中的申請');
    return call('cases.decide', { requestId: req.id, approve, ...(comment.trim() ? { comment: comment.trim() } : {}) });
  }, onDone);
  if (!req) return null;
  return (
    <Stack component="form" onSubmit={(e) => void s.run(e)} {...NO_VALIDATE}>
      <Text size="sm">
        <b>{msgCases.page.reason}：</b>
        {req.reason}
      </Text>
      <Textarea
        label={approve ? msgCases.action.commentLabel : msgCases.action.returnCommentLabel}
        description={approve ? undefined : msgCases.action.returnCommentHelp}
        withAsterisk={!approve}
        autosize
        minRows={3}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        error={s.fields.comment}
        data-autofocus
      />
      <FormError message={s.error} />
      <Group justify="flex-end">
        <Button type="submit" color={approve ? 'teal' : 'red'} loading={s.busy}>
          {approve ? msgCases.action.approve : msgCases.action.return}
        </Button>
      </Group>
    </Stack>
  );
}

/** 撤回: the maker of a pending request takes it back before the supervisor decides. */
function WithdrawForm({ detail, onDone }: { detail: CaseDetail; onDone(d: CaseDetail): void }) {
  const [reason, setReason] = useState('');
  const s = useSubmit(async () => {
    const requestId = detail.pendingRequest?.id;
    if (!requestId) throw new Error('這個個案目前沒有審查中的申請。');
    return call('cases.withdraw', { requestId, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  }, onDone);
  return (
    <Stack component="form" onSubmit={(e) => void s.run(e)} {...NO_VALIDATE}>
      <Textarea label="撤回原因" description="選填；會記在狀態歷程中。" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} />
      <FormError message={s.error} />
      <Group justify="flex-end">
        <Button type="submit" color="gray" loading={s.busy}>
          撤回申請
        </Button>
      </Group>
    </Stack>
  );
}

function ContactForm({ detail, onDone }: { detail: CaseDetail; onDone(d: CaseDetail): void }) {
  const [at, setAt] = useState<DateTimeValue>(nowDateTime);
  const s = useSubmit(async () => {
    const ts = joinTimestamp(at);
    if (!ts) throw new Error('請填寫完整的聯繫日期與時間');
    return call('cases.recordFirstContact', { caseId: detail.id, at: ts });
  }, onDone);
  return (
    <Stack component="form" onSubmit={(e) => void s.run(e)} {...NO_VALIDATE}>
      <WorkGuide guideKey="contact24h" />
      <RocDateTimeInput label={msgCases.action.contactAt} value={at} onChange={setAt} required error={s.fields.at} />
      <FormError message={s.error} />
      <Group justify="flex-end">
        <Button type="submit" loading={s.busy}>
          {msg.save}
        </Button>
      </Group>
    </Stack>
  );
}

function AssignForm({ detail, onDone }: { detail: CaseDetail; onDone(d: CaseDetail): void }) {
  const workers = useAssignableWorkers();
  const [lead, setLead] = useState<string | null>(detail.lead ? String(detail.lead.id) : null);
  const [assistants, setAssistants] = useState<string[]>(detail.assistants.map((a) => String(a.id)));
  const [reason, setReason] = useState('');
  // Keep the current people selectable even when the list of assignable workers does not include them.
  const known = new Map(workers.options.map((w) => [w.value, w]));
  for (const p of [detail.lead, ...detail.assistants]) if (p && !known.has(String(p.id))) known.set(String(p.id), { value: String(p.id), label: p.name });
  const options = [...known.values()];
  const s = useSubmit(async () => {
    if (!lead) throw new ApiCallError({ code: 'VALIDATION', message: '請選擇主責社工', fields: { leadWorkerId: '請選擇主責社工' } });
    return call('cases.assign', {
      id: detail.id,
      version: detail.version,
      leadWorkerId: Number(lead),
      assistantIds: assistants.filter((a) => a !== lead).map(Number),
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    });
  }, onDone);
  return (
    <Stack component="form" onSubmit={(e) => void s.run(e)} {...NO_VALIDATE}>
      <Select label={msgCases.field.lead} withAsterisk data={options} value={lead} onChange={setLead} searchable error={s.fields.leadWorkerId} />
      <MultiSelect label={msgCases.field.assistants} data={options.filter((o) => o.value !== lead)} value={assistants.filter((a) => a !== lead)} onChange={setAssistants} searchable clearable error={s.fields.assistantIds} />
      <TextInput label={msgCases.action.assignReason} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
      <FormError message={s.error} />
      <Group justify="flex-end">
        <Button type="submit" loading={s.busy}>
          {msg.save}
        </Button>
      </Group>
    </Stack>
  );
}

function ReopenForm({ detail }: { detail: CaseDetail }) {
  const user = useUser();
  const workers = useAssignableWorkers();
  const [reason, setReason] = useState('');
  const [received, setReceived] = useState<DateTimeValue>(nowDateTime);
  const [source, setSource] = useState<CaseSource>(detail.source);
  const [referringUnit, setReferringUnit] = useState(detail.referringUnit ?? '');
  const [caseType, setCaseType] = useState<CaseType>(detail.caseType);
  const [riskLevel, setRiskLevel] = useState<RiskLevel>(detail.riskLevel ?? '中');
  const [lead, setLead] = useState<string | null>(user.role === 'worker' ? String(user.id) : detail.lead ? String(detail.lead.id) : null);
  const s = useSubmit(
    async () => {
      const receivedAt = joinTimestamp(received);
      if (!receivedAt) throw new ApiCallError({ code: 'VALIDATION', message: '請填寫完整的收案日期與時間', fields: { receivedAt: '請填寫收案日期與時間' } });
      return call('cases.reopen', {
        caseId: detail.id,
        reason,
        receivedAt,
        source,
        referringUnit: referringUnit.trim() || null,
        caseType,
        riskLevel,
        ...(user.role !== 'worker' && lead ? { leadWorkerId: Number(lead) } : {}),
      });
    },
    (r) => {
      setCaseFlash({ message: msgCases.reopenedFlash(r.case.caseNo), dropped: r.droppedFactors.map((f) => f.label) });
      navigate(`/cases/${r.case.id}`);
    },
  );
  const leadOptions = user.role === 'worker' ? [{ value: String(user.id), label: msgCases.leadSelf(user.displayName) }] : workers.options;
  return (
    <Stack component="form" onSubmit={(e) => void s.run(e)} onKeyDown={stopEnterSubmit} {...NO_VALIDATE}>
      <Text size="sm" c="dimmed">
        {msgCases.action.reopenHelp}
      </Text>
      <Textarea label={msgCases.action.reopenReason} withAsterisk autosize minRows={3} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={s.fields.reason} data-autofocus />
      <RocDateTimeInput label={msgCases.field.received} value={received} onChange={setReceived} required error={s.fields.receivedAt} />
      <SimpleGrid cols={2}>
        <Select label={msgCases.field.source} data={sourceOptions} value={source} onChange={(v) => v && setSource(v as CaseSource)} allowDeselect={false} error={s.fields.source} />
        <TextInput label={msgCases.field.referringUnit} withAsterisk={source === 'B'} value={referringUnit} onChange={(e) => setReferringUnit(e.currentTarget.value)} error={s.fields.referringUnit} />
        <Select label={msgCases.field.caseType} data={caseTypeOptions} value={caseType} onChange={(v) => v && setCaseType(v as CaseType)} allowDeselect={false} />
        <Select label={msgCases.field.riskLevel} data={[...RISK_LEVEL_LIST]} value={riskLevel} onChange={(v) => v && setRiskLevel(v as RiskLevel)} allowDeselect={false} />
      </SimpleGrid>
      <Select label={msgCases.field.lead} data={leadOptions} value={lead} onChange={setLead} disabled={user.role === 'worker'} error={s.fields.leadWorkerId} />
      <FormError message={s.error} />
      <Group justify="flex-end">
        <Button type="submit" color="grape" loading={s.busy}>
          {msgCases.action.reopen}
        </Button>
      </Group>
    </Stack>
  );
}
