import { Alert, Button, Group, Radio, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import type { CaseDetail, CaseSource, CaseType, RiskLevel } from '../../../main/contract/types-cases';
import { FormError } from '../../components/FormError';
import { joinTimestamp, RocDateTimeInput, splitTimestamp, type DateTimeValue } from '../../components/RocDateTimeInput';
import { ApiCallError, call } from '../../lib/api';
import { msg, msgCases } from '../../lib/messages';
import { FactorPicker } from './FactorPicker';
import { stopEnterSubmit } from './hooks';
import { caseTypeOptions, RISK_LEVEL_LIST, sourceLabel, sourceOptions } from './labels';
import { NO_VALIDATE } from '../../lib/form';

interface Draft {
  source: CaseSource;
  referringUnit: string;
  dispatched: DateTimeValue;
  caseType: CaseType;
  factors: string[];
  riskLevel: RiskLevel | null;
  summary: string;
}

function draftOf(d: CaseDetail): Draft {
  return {
    source: d.source,
    referringUnit: d.referringUnit ?? '',
    dispatched: splitTimestamp(d.dispatchedAt),
    caseType: d.caseType,
    factors: d.factors.map((f) => f.code),
    riskLevel: d.riskLevel,
    summary: d.summary ?? '',
  };
}

/**
 * Edits a case's details against the version it was loaded at. A CONFLICT keeps the
 * form (and everything typed) on screen, names who changed the case and when, shows
 * the newer values, and lets the user save over them or drop their edits.
 */
export function CaseEditForm({ detail, onSaved, onCancel, onDiscard }: { detail: CaseDetail; onSaved(d: CaseDetail): void; onCancel(): void; onDiscard(): void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(detail));
  const [baseVersion, setBaseVersion] = useState(detail.version);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState<{ message: string; latest: CaseDetail | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  async function save(version: number) {
    const dispatchedAt = draft.dispatched.date || draft.dispatched.time ? joinTimestamp(draft.dispatched) : null;
    if ((draft.dispatched.date || draft.dispatched.time) && !dispatchedAt) {
      setFields({ dispatchedAt: '請填寫完整的派案日期與時間' });
      setError('請修正標示的欄位');
      return;
    }
    if (!draft.riskLevel) {
      setFields({ riskLevel: '請選擇風險等級' });
      setError('請修正標示的欄位');
      return;
    }
    setBusy(true);
    try {
      const saved = await call('cases.update', {
        id: detail.id,
        version,
        source: draft.source,
        referringUnit: draft.referringUnit.trim() || null,
        dispatchedAt,
        caseType: draft.caseType,
        factors: draft.factors,
        riskLevel: draft.riskLevel,
        summary: draft.summary.trim() || null,
      });
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'CONFLICT') {
        setError(null);
        setFields({});
        let latest: CaseDetail | null = null;
        try {
          latest = await call('cases.get', { id: detail.id });
        } catch {
          latest = null;
        }
        setConflict({ message: err.message, latest });
      } else {
        setError(err instanceof Error ? err.message : String(err));
        setFields(err instanceof ApiCallError ? err.fields : {});
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(baseVersion);
  }

  const latest = conflict?.latest ?? null;
  return (
    <Stack component="form" onSubmit={submit} onKeyDown={stopEnterSubmit} aria-label={msgCases.action.edit} {...NO_VALIDATE}>
      {conflict && (
        <Alert color="orange" variant="light" role="alert" data-testid="conflict-alert" title={conflict.message}>
          <Stack gap={6}>
            <Text size="sm">{msgCases.edit.conflictKeep}</Text>
            {latest && (
              <Text size="sm" c="dimmed">
                {`${msgCases.edit.latest}：${sourceLabel(latest.source)}；${latest.caseType}；${latest.riskLevel ?? ''}風險；${msgCases.field.factors} ${latest.factors.length} 項；${latest.updatedBy?.name ?? ''} ${formatRocDateTime(latest.updatedAt)}`}
              </Text>
            )}
            {latest?.summary && (
              <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                {`${msgCases.field.summary}：${latest.summary}`}
              </Text>
            )}
            <Group gap="xs">
              {latest && (
                <Button
                  size="xs"
                  color="orange"
                  onClick={() => {
                    setBaseVersion(latest.version);
                    setConflict(null);
                    void save(latest.version);
                  }}
                >
                  {msgCases.edit.overwrite}
                </Button>
              )}
              <Button size="xs" variant="default" onClick={onDiscard}>
                {msgCases.edit.discard}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select label={msgCases.field.source} data={sourceOptions} value={draft.source} onChange={(v) => v && set('source', v as CaseSource)} allowDeselect={false} error={fields.source} />
        <TextInput
          label={msgCases.field.referringUnit}
          withAsterisk={draft.source === 'B'}
          value={draft.referringUnit}
          onChange={(e) => set('referringUnit', e.currentTarget.value)}
          error={fields.referringUnit}
        />
        <RocDateTimeInput label={msgCases.field.dispatched} value={draft.dispatched} onChange={(v) => set('dispatched', v)} error={fields.dispatchedAt} />
        <Select label={msgCases.field.caseType} data={caseTypeOptions} value={draft.caseType} onChange={(v) => v && set('caseType', v as CaseType)} allowDeselect={false} error={fields.caseType} />
      </SimpleGrid>
      <Radio.Group label={msgCases.field.riskLevel} withAsterisk value={draft.riskLevel ?? ''} onChange={(v) => set('riskLevel', v as RiskLevel)} error={fields.riskLevel}>
        <Group mt={6}>
          {RISK_LEVEL_LIST.map((r) => (
            <Radio key={r} value={r} label={r} />
          ))}
        </Group>
      </Radio.Group>
      <FactorPicker
        versionId={detail.codeListVersion?.id ?? null}
        onDate={detail.codeListVersion ? null : splitTimestamp(detail.receivedAt).date}
        value={draft.factors}
        onChange={(v) => set('factors', v)}
        error={fields.factors}
      />
      <Textarea label={msgCases.field.summary} autosize minRows={4} maxRows={14} value={draft.summary} onChange={(e) => set('summary', e.currentTarget.value)} error={fields.summary} />
      <FormError message={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {msg.cancel}
        </Button>
        <Button type="submit" loading={busy}>
          {msgCases.edit.save}
        </Button>
      </Group>
    </Stack>
  );
}
