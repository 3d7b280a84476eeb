/**
 * Correcting what was typed (issue 11 §1): a programme (status, dates, targets), an enrolment's outcome,
 * a child's placement, closing / reopening a child account. Built on the shared form layer (contract
 * schemas, messages beside fields, the unsaved-input guard); the server's stale-save refusal (CONFLICT)
 * shows above the buttons.
 */
import { Button, Group, NumberInput, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { programmesMethods } from '../../../main/contract/methods/programmes';
import { formatRocDate, formatRocDateTime, todayIso } from '../../../main/contract/roc-date';
import {
  CLOSE_REASONS,
  ENROLMENT_STATUSES,
  ENROLMENT_STATUS_LABELS,
  PROGRAMME_STATUSES,
  PROGRAMME_STATUS_LABELS,
  PROGRAMME_TYPES,
  type AccountView,
  type EligibleChild,
  type EnrolmentView,
  type ProgrammeDetail,
} from '../../../main/contract/types-programmes';
import { RocDateInput } from '../../components/RocDateInput';
import { ApiCallError, call } from '../../lib/api';
import { ConfirmAction, FormError, useContractForm, useUnsavedGuard } from '../../lib/form';
import { msgProgEdit as e } from '../../lib/messages-programmes-edit';

const labels = e.labels;
/** A form field's props for RocDateInput (ISO string or null; the asterisk as `required`). */
function dateProps(field: { value?: unknown; withAsterisk?: boolean; label: string; onChange: (v: unknown) => void; error?: unknown }) {
  const { withAsterisk, value, error, ...rest } = field;
  return { ...rest, value: (value as string | null | undefined) ?? null, required: withAsterisk === true, error: error as string | undefined };
}
const blankToNull = (v: unknown): number | null => (v === '' || v === null || v === undefined ? null : Number(v));

function Buttons({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {e.cancel}
      </Button>
      <Button type="submit" loading={busy}>
        {e.save}
      </Button>
    </Group>
  );
}

/** 修改方案: name, type, period, funder, partner, targets, status, notes. */
export function ProgrammeEditForm({ p, onSaved, onCancel }: { p: ProgrammeDetail; onSaved: (p: ProgrammeDetail) => void; onCancel: () => void }) {
  const f = useContractForm(programmesMethods['programmes.update'].input, {
    initialValues: {
      id: p.id,
      version: p.version,
      name: p.name,
      type: p.type as string,
      startsOn: p.startsOn as string | null,
      endsOn: p.endsOn as string | null,
      funder: p.funder ?? '',
      partner: p.partner ?? '',
      targetPeople: (p.targetPeople ?? '') as number | string,
      targetSessions: (p.targetSessions ?? '') as number | string,
      workerId: p.worker?.id ?? null,
      status: p.status as string,
      notes: p.notes ?? '',
    },
    labels,
    required: ['name', 'type', 'startsOn', 'endsOn', 'status'],
    toInput: (v) => ({ ...v, targetPeople: blankToNull(v.targetPeople), targetSessions: blankToNull(v.targetSessions) }) as never,
  });
  const guard = useUnsavedGuard(f.form.isDirty());
  return (
    <form
      {...f.formProps(async (input) => {
        const saved = await call('programmes.update', input as never);
        f.form.resetDirty();
        onSaved(saved);
      })}
    >
      {guard}
      <Stack>
        <TextInput {...f.field('name')} />
        <Group grow>
          <Select {...f.field('type')} data={[...PROGRAMME_TYPES]} allowDeselect={false} />
          <Select {...f.field('status')} data={PROGRAMME_STATUSES.map((s) => ({ value: s, label: PROGRAMME_STATUS_LABELS[s] }))} allowDeselect={false} data-testid="edit-status" />
        </Group>
        <Group grow>
          <RocDateInput {...dateProps(f.field('startsOn'))} data-testid="edit-startsOn" />
          <RocDateInput {...dateProps(f.field('endsOn'))} data-testid="edit-endsOn" />
        </Group>
        <Group grow>
          <NumberInput {...f.field('targetPeople')} min={0} allowDecimal={false} />
          <NumberInput {...f.field('targetSessions')} min={0} allowDecimal={false} />
        </Group>
        <Group grow>
          <TextInput {...f.field('funder')} />
          <TextInput {...f.field('partner')} />
        </Group>
        <Textarea {...f.field('notes')} autosize minRows={2} />
        <FormError message={f.formError} />
        <Buttons busy={f.busy} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

/** 修改參與紀錄: status, end date, outcome; earlier values listed under the form. */
export function EnrolmentEditForm({ en, onSaved, onCancel }: { en: EnrolmentView; onSaved: (p: ProgrammeDetail) => void; onCancel: () => void }) {
  const f = useContractForm(programmesMethods['programmes.updateEnrolment'].input, {
    initialValues: { id: en.id, version: en.version, status: en.status as string, endedOn: en.endedOn ?? (null as string | null), outcome: en.outcome ?? '' },
    labels,
    required: ['status'],
    extra: (v): Record<string, string> => (v.status !== 'enrolled' && !v.endedOn ? { endedOn: '完成或退出時請填寫結束日期' } : {}),
    toInput: (v) => ({ ...v, endedOn: v.status === 'enrolled' ? null : v.endedOn }) as never,
  });
  const guard = useUnsavedGuard(f.form.isDirty());
  return (
    <form
      {...f.formProps(async (input) => {
        const saved = await call('programmes.updateEnrolment', input as never);
        f.form.resetDirty();
        onSaved(saved);
      })}
    >
      {guard}
      <Stack>
        <Select {...f.field('status')} data={ENROLMENT_STATUSES.map((s) => ({ value: s, label: ENROLMENT_STATUS_LABELS[s] }))} allowDeselect={false} />
        <RocDateInput {...dateProps(f.field('endedOn'))} data-testid="edit-endedOn" />
        <Textarea {...f.field('outcome')} autosize minRows={2} />
        {en.history.length > 0 && (
          <Stack gap={2}>
            <Text size="sm" fw={600}>
              {e.history}
            </Text>
            {en.history.map((h) => (
              <Text size="xs" c="dimmed" key={h.at}>
                {`${e.historyEntry(formatRocDateTime(h.at), h.by)}${ENROLMENT_STATUS_LABELS[h.status]}${h.endedOn ? ` ${formatRocDate(h.endedOn)}` : ''}；${h.outcome ?? '（無成果）'}`}
              </Text>
            ))}
          </Stack>
        )}
        <FormError message={f.formError} />
        <Buttons busy={f.busy} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

/** 修改安置: a corrected placement date, or no placement with a reason. */
export function PlacementEditForm({ child, onSaved, onCancel }: { child: EligibleChild; onSaved: (rows: EligibleChild[]) => void; onCancel: () => void }) {
  const f = useContractForm(programmesMethods['childAccounts.updatePlacement'].input, {
    initialValues: { personId: child.personId, version: child.placementVersion ?? 0, placed: 'yes', placedOn: child.placedOn as string | null, reason: '' },
    labels,
    required: ['placedOn'],
    toInput: (v) => ({ ...v, placed: v.placed === 'yes', placedOn: v.placed === 'yes' ? (v.placedOn ?? undefined) : undefined }) as never,
  });
  const guard = useUnsavedGuard(f.form.isDirty());
  const placed = f.form.getValues().placed === 'yes';
  return (
    <form
      {...f.formProps(async (input) => {
        const rows = await call('childAccounts.updatePlacement', input as never);
        f.form.resetDirty();
        onSaved(rows);
      })}
    >
      {guard}
      <Stack>
        <Text size="sm" c="dimmed">
          {e.placementHelp}
        </Text>
        <Select
          {...f.field('placed')}
          data={[
            { value: 'yes', label: labels.placed },
            { value: 'no', label: e.removePlacement },
          ]}
          allowDeselect={false}
        />
        {placed && <RocDateInput {...dateProps(f.field('placedOn'))} data-testid="edit-placedOn" />}
        <TextInput {...f.field('reason')} withAsterisk={!placed} />
        <FormError message={f.formError} />
        <Buttons busy={f.busy} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

/**
 * 結清帳戶: a date and a reason from the list, in a confirmation dialog that says what happens to the
 * balance; the server's field messages show beside the fields inside the dialog.
 */
export function CloseAccountAction({ child, onDone }: { child: EligibleChild; onDone: () => void }) {
  const [account, setAccount] = useState<AccountView | null>(null);
  const [closedOn, setClosedOn] = useState<string | null>(todayIso());
  const [reason, setReason] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const total = account ? account.deposits.reduce((s, d) => s + d.amount, 0) : 0;
  return (
    <ConfirmAction
      label={e.closeAccount}
      buttonProps={{ size: 'compact-xs', variant: 'light', color: 'red', 'data-testid': `close-${child.name}` }}
      title={`${e.closeAccount}：${child.name}`}
      message={account ? e.closeMessage(child.name, total.toLocaleString('zh-TW'), account.deposits.length) : ''}
      confirmLabel={e.confirmClose}
      color="red"
      canConfirm={account !== null && closedOn !== null && reason !== null}
      onOpen={() => {
        setErrors({});
        setReason(null);
        setClosedOn(todayIso());
        void call('childAccounts.get', { id: child.accountId as number }).then(setAccount);
      }}
      onConfirm={async () => {
        if (!account) return;
        try {
          await call('childAccounts.close', { id: account.id, version: account.version, closedOn: closedOn ?? '', reason: reason as never });
        } catch (err) {
          if (err instanceof ApiCallError) setErrors(err.fields);
          throw err;
        }
        onDone();
      }}
    >
      <RocDateInput label={labels.closedOn} value={closedOn} onChange={(v) => { setClosedOn(v); setErrors({}); }} required error={errors.closedOn} data-testid="close-date" />
      <Select
        label={labels.closeReason}
        data={[...CLOSE_REASONS]}
        value={reason}
        onChange={setReason}
        withAsterisk
        error={errors.reason}
        placeholder="請選擇"
        data-testid="close-reason"
      />
    </ConfirmAction>
  );
}

/** 重新開啟 (督導 / 管理者): undoes a mistaken closing, with a reason. */
export function ReopenAccountAction({ child, onDone }: { child: EligibleChild; onDone: () => void }) {
  const [reason, setReason] = useState('');
  return (
    <ConfirmAction
      label={e.reopenAccount}
      buttonProps={{ size: 'compact-xs', variant: 'subtle' }}
      title={`${e.reopenAccount}：${child.name}`}
      message={e.reopenMessage(child.name)}
      confirmLabel={e.confirmReopen}
      reversible
      canConfirm={reason.trim() !== ''}
      onOpen={() => setReason('')}
      onConfirm={async () => {
        const a = await call('childAccounts.get', { id: child.accountId as number });
        await call('childAccounts.reopen', { id: a.id, version: a.version, reason });
        onDone();
      }}
    >
      <TextInput label={labels.reason} value={reason} onChange={(ev) => setReason(ev.currentTarget.value)} withAsterisk />
    </ConfirmAction>
  );
}
