import { Button, Group, NumberInput, Select, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import { ConfirmAction } from '../../components/ConfirmAction';
import { NO_VALIDATE } from '../../lib/form';
import { confirmMsg } from '../../lib/messages-forms';
import {
  CONCERN_END_REASONS,
  CONCERN_FREQUENCIES,
  CONCERN_FREQUENCY_LABELS,
  CONCERN_REASONS,
  type ConcernEndReason,
  type ConcernFrequency,
  type ConcernReason,
  type ConcernView,
  type HouseholdCaseRow,
} from '../../../main/contract/types-households';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { useUser } from '../../lib/session';
import { fieldErrors } from '../households/format';
import { SaveError } from '../households/SaveError';
import { useStaffOptions } from './useStaffOptions';

const reasonOptions = CONCERN_REASONS.map((r) => ({ value: r, label: r }));
const frequencyOptions = CONCERN_FREQUENCIES.map((f) => ({ value: f, label: CONCERN_FREQUENCY_LABELS[f] }));
const endReasonOptions = CONCERN_END_REASONS.map((r) => ({ value: r, label: r }));
const caseOptions = (cases: HouseholdCaseRow[]) => [{ value: '', label: msg.none }, ...cases.map((c) => ({ value: String(c.id), label: `${c.caseNo}（${c.status}）` }))];

interface Settings {
  reason: ConcernReason | null;
  reasonNote: string;
  frequency: ConcernFrequency | null;
  intervalDays: number | null;
  workerId: string | null;
}

/** Reason, frequency (with the interval when custom) and the responsible worker. */
function SettingsFields({ v, set, errors, current }: { v: Settings; set(p: Partial<Settings>): void; errors: Record<string, string>; current?: { id: number; name: string | null } }) {
  const staff = useStaffOptions(current);
  const user = useUser();
  return (
    <>
      <Select label={msg.concern.reason} withAsterisk allowDeselect={false} data={reasonOptions} value={v.reason} onChange={(r) => set({ reason: r as ConcernReason | null })} error={errors.reason} />
      <Textarea label={msg.concern.reasonNote} autosize minRows={1} value={v.reasonNote} onChange={(e) => set({ reasonNote: e.currentTarget.value })} error={errors.reasonNote} />
      <Group grow align="flex-start">
        <Select label={msg.concern.frequency} withAsterisk allowDeselect={false} data={frequencyOptions} value={v.frequency} onChange={(f) => set({ frequency: f as ConcernFrequency | null })} error={errors.frequency} />
        {v.frequency === 'custom' && (
          <NumberInput label={msg.concern.intervalDays} withAsterisk min={7} max={730} value={v.intervalDays ?? ''} onChange={(n) => set({ intervalDays: typeof n === 'number' ? n : null })} error={errors.intervalDays} />
        )}
      </Group>
      <Select
        label={msg.concern.worker}
        withAsterisk
        allowDeselect={false}
        data={staff}
        value={v.workerId}
        onChange={(w) => set({ workerId: w })}
        description={user.role === 'worker' ? msg.concern.workerSelfOnly : undefined}
        error={errors.workerId}
        searchable
      />
    </>
  );
}

function settingsInput(v: Settings) {
  return {
    reason: v.reason as ConcernReason,
    reasonNote: v.reasonNote,
    frequency: v.frequency as ConcernFrequency,
    intervalDays: v.frequency === 'custom' ? v.intervalDays : null,
    workerId: Number(v.workerId),
  };
}

const complete = (v: Settings) => v.reason && v.frequency && v.workerId && (v.frequency !== 'custom' || v.intervalDays);

/** 列為長期關懷戶: from scratch or from one of the household's cases (nothing re-typed). */
export function DesignateForm({ householdId, cases, onSaved }: { householdId: number; cases: HouseholdCaseRow[]; onSaved(): void }) {
  const user = useUser();
  const [v, setV] = useState<Settings>({ reason: null, reasonNote: '', frequency: 'monthly', intervalDays: null, workerId: String(user.id) });
  const [startDate, setStartDate] = useState<string | null>(todayIso());
  const [firstDue, setFirstDue] = useState<string | null>(null);
  const [fromCaseId, setFromCaseId] = useState('');
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await call('concerns.designate', {
        householdId,
        ...settingsInput(v),
        startDate: startDate ?? '',
        ...(firstDue ? { firstDue } : {}),
        fromCaseId: fromCaseId ? Number(fromCaseId) : null,
      });
      onSaved();
    } catch (err) {
      setError(err);
    }
  }
  const errors = fieldErrors(error);
  return (
    <Stack component="form" onSubmit={submit} {...NO_VALIDATE}>
      <SettingsFields v={v} set={(p) => setV({ ...v, ...p })} errors={errors} />
      <Group grow align="flex-start">
        <RocDateInput label={msg.concern.startDate} required value={startDate} onChange={setStartDate} error={errors.startDate} />
        <RocDateInput label={msg.concern.firstDue} description={msg.concern.firstDueHelp} value={firstDue} onChange={setFirstDue} error={errors.firstDue} />
      </Group>
      {cases.length > 0 && (
        <Select label={msg.concern.fromCase} description={msg.concern.fromCaseHelp} data={caseOptions(cases)} value={fromCaseId} onChange={(c) => setFromCaseId(c ?? '')} error={errors.fromCaseId} />
      )}
      <SaveError error={error} />
      <Group justify="flex-end">
        <Button type="submit" disabled={!complete(v) || !startDate}>{msg.concern.designate}</Button>
      </Group>
    </Stack>
  );
}

/** 調整關懷設定. A stale save keeps the input and offers the latest version. */
export function EditConcernForm({ concern, onReload, onSaved }: { concern: ConcernView; onReload(): void; onSaved(): void }) {
  const [v, setV] = useState<Settings>({
    reason: concern.reason,
    reasonNote: concern.reasonNote ?? '',
    frequency: concern.frequency,
    intervalDays: concern.intervalDays,
    workerId: String(concern.workerId),
  });
  const [nextDue, setNextDue] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await call('concerns.update', { id: concern.id, version: concern.version, ...settingsInput(v), ...(nextDue ? { nextDue } : {}) });
      onSaved();
    } catch (err) {
      setError(err);
    }
  }
  const errors = fieldErrors(error);
  return (
    <Stack component="form" onSubmit={submit} {...NO_VALIDATE}>
      <SettingsFields v={v} set={(p) => setV({ ...v, ...p })} errors={errors} current={{ id: concern.workerId, name: concern.workerName }} />
      <RocDateInput label={msg.concern.nextDueEdit} description={msg.concern.nextDueEditHelp} value={nextDue} onChange={setNextDue} error={errors.nextDue} />
      <SaveError error={error} onReload={onReload} />
      <Group justify="flex-end">
        <Button type="submit" disabled={!complete(v)}>{msg.save}</Button>
      </Group>
    </Stack>
  );
}

/** 結束關懷 with a reason; 轉為個案 may link a case of the household. */
export function EndConcernForm({ concern, cases, onReload, onSaved }: { concern: ConcernView; cases: HouseholdCaseRow[]; onReload(): void; onSaved(): void }) {
  const [endDate, setEndDate] = useState<string | null>(todayIso());
  const [endReason, setEndReason] = useState<ConcernEndReason | null>(null);
  const [toCaseId, setToCaseId] = useState('');
  const [error, setError] = useState<unknown>(null);
  async function end() {
    if (!endReason) return;
    setError(null);
    await call('concerns.end', {
      id: concern.id,
      version: concern.version,
      endDate: endDate ?? '',
      endReason,
      toCaseId: endReason === '轉為個案' && toCaseId ? Number(toCaseId) : null,
    });
    onSaved();
    // 轉為個案 without a case yet: straight on to the intake, which links the two.
    if (endReason === '轉為個案' && !toCaseId) navigate(`/cases/new?householdId=${concern.householdId}&concernId=${concern.id}`);
  }
  const errors = fieldErrors(error);
  return (
    <Stack component="form" onSubmit={(e) => e.preventDefault()} {...NO_VALIDATE}>
      <RocDateInput label={msg.concern.endDate} required value={endDate} onChange={setEndDate} error={errors.endDate} />
      <Select label={msg.concern.endReason} withAsterisk allowDeselect={false} data={endReasonOptions} value={endReason} onChange={(r) => setEndReason(r as ConcernEndReason | null)} error={errors.endReason} />
      {endReason === '轉為個案' && (
        <Select label={msg.concern.toCase} description={msg.concern.toCaseHelp} data={caseOptions(cases)} value={toCaseId} onChange={(c) => setToCaseId(c ?? '')} error={errors.toCaseId} />
      )}
      <SaveError error={error} onReload={onReload} />
      <Group justify="flex-end">
        <ConfirmAction
          label={msg.concern.end}
          color="red"
          disabled={!endReason || !endDate}
          buttonProps={{ 'data-testid': 'end-concern' }}
          title={confirmMsg.endConcern.title}
          message={confirmMsg.endConcern.body(endReason ?? '', formatRocDate(endDate))}
          confirmLabel={confirmMsg.endConcern.ok}
          onConfirm={end}
        />
      </Group>
    </Stack>
  );
}
