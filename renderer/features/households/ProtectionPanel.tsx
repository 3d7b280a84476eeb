import { Badge, Button, Group, Modal, MultiSelect, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { outcomesMethods } from '../../../main/contract/methods/outcomes';
import { formatRocDate, formatRocDateTime, todayIso } from '../../../main/contract/roc-date';
import type { MemberView } from '../../../main/contract/types-households';
import { PROTECTION_DELETE_REASONS, PROTECTION_KINDS, PROTECTION_SOURCES, type ProtectionDeleteReason, type ProtectionReportView } from '../../../main/contract/types-outcomes';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { ConfirmAction, ContractFormError, FormError, useContractForm } from '../../lib/form';
import { msgProtection as m } from '../../lib/messages-protection';
import { useApiQuery } from '../../lib/useApi';

const schema = outcomesMethods['protection.record'].input;

interface Values extends Record<string, unknown> {
  reportedOn: string | null;
  source: string | null;
  kind: string | null;
  personIds: string[];
}

function ReportForm({ householdId, members, report, onSaved, onCancel }: { householdId: number; members: MemberView[]; report: ProtectionReportView | null; onSaved(): void; onCancel(): void }) {
  const f = useContractForm(schema, {
    initialValues: {
      reportedOn: report?.reportedOn ?? null,
      source: report?.source ?? null,
      kind: report?.kind ?? null,
      personIds: (report?.persons ?? []).map((p) => String(p.personId)),
    } as Values,
    labels: m.labels,
    required: ['reportedOn', 'source', 'kind'],
    // An empty date says so in words, not with the schema's YYYY-MM-DD format message.
    extra: (v: Values): Record<string, string> => (v.reportedOn ? {} : { reportedOn: m.dateRequired }),
    toInput: (v: Values) => ({ householdId, reportedOn: v.reportedOn ?? '', source: v.source as never, kind: v.kind as never, personIds: v.personIds.map(Number) }),
  });
  // Current members, and anyone already named on the report.
  const options = members
    .filter((x) => x.leftOn === null || report?.persons.some((p) => p.personId === x.personId))
    .map((x) => ({ value: String(x.personId), label: `${x.name}（${x.relation}）` }));
  return (
    <Stack
      component="form"
      {...f.formProps(async (input) => {
        if (report) await call('protection.correct', { id: report.id, version: report.version, reportedOn: input.reportedOn, source: input.source, kind: input.kind, personIds: input.personIds ?? [] });
        else await call('protection.record', input);
        onSaved();
      })}
    >
      <RocDateInput label={f.label('reportedOn')} withAsterisk maxDate={todayIso()} data-testid="protection-date" {...f.control<string | null>('reportedOn')} />
      <Select {...f.field('source')} data={[...PROTECTION_SOURCES]} data-testid="protection-source" allowDeselect={false} />
      <Select {...f.field('kind')} data={[...PROTECTION_KINDS]} data-testid="protection-kind" allowDeselect={false} />
      <MultiSelect {...f.field('personIds')} data={options} placeholder={m.personsPlaceholder} data-testid="protection-persons" clearable />
      <ContractFormError form={f} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>{m.cancel}</Button>
        <Button type="submit" loading={f.busy} data-testid="protection-save">{m.save}</Button>
      </Group>
    </Stack>
  );
}

/** 保護通報: the household's protection reports, recorded, corrected and deleted (with a reason) here. */
export function ProtectionPanel({ householdId, members }: { householdId: number; members: MemberView[] }) {
  const q = useApiQuery('protection.list', { householdId });
  const [editing, setEditing] = useState<ProtectionReportView | 'new' | null>(null);
  const [reason, setReason] = useState<ProtectionDeleteReason | null>(null);
  const saved = () => {
    setEditing(null);
    void q.reload();
  };
  const rows = q.data ?? [];
  return (
    <Paper withBorder p="md" data-testid="protection-panel">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{m.title}</Title>
        <Button size="compact-sm" variant="default" onClick={() => setEditing('new')} data-testid="protection-add">{m.add}</Button>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">{m.hint}</Text>
      <FormError message={q.error} />
      {q.data && rows.length === 0 && <Text size="sm" c="dimmed">{m.none}</Text>}
      {rows.length > 0 && (
        <Stack gap={0} role="list" aria-label={m.table}>
          {rows.map((r) => (
            <Group key={r.id} justify="space-between" align="flex-start" wrap="nowrap" py={6} role="listitem" data-testid={`protection-row-${r.id}`} style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
              <Stack gap={2}>
                <Group gap={6}>
                  <Text fw={600} size="sm">{formatRocDate(r.reportedOn)}</Text>
                  <Badge variant="light" color="red">{r.kind}</Badge>
                  <Badge variant="outline" color="gray">{r.source}</Badge>
                </Group>
                <Text size="xs">
                  <Text span c="dimmed" size="xs">{m.columns.persons}：</Text>
                  {r.persons.map((p) => p.name).join('、') || '－'}
                </Text>
                <Text size="xs" c="dimmed">{m.recordedBy(r.updatedByName ?? r.createdByName, formatRocDateTime(r.updatedAt))}</Text>
              </Stack>
              <Group gap={4} wrap="nowrap">
                <Button size="compact-xs" variant="subtle" onClick={() => setEditing(r)}>{m.correct}</Button>
                <ConfirmAction
                  label={m.remove}
                  buttonProps={{ size: 'compact-xs', variant: 'subtle' }}
                  title={m.removeTitle}
                  message={m.removeMessage(formatRocDate(r.reportedOn), r.kind)}
                  confirmLabel={m.removeConfirm}
                  onOpen={() => setReason(null)}
                  canConfirm={reason !== null}
                  onConfirm={async () => {
                    if (!reason) return;
                    await call('protection.delete', { id: r.id, version: r.version, reason });
                    void q.reload();
                  }}
                >
                  <Select label={m.labels.reason} withAsterisk data={[...PROTECTION_DELETE_REASONS]} value={reason} onChange={(v) => setReason(v as ProtectionDeleteReason | null)} placeholder={m.reasonPlaceholder} data-testid="protection-delete-reason" />
                </ConfirmAction>
              </Group>
            </Group>
          ))}
        </Stack>
      )}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? m.addTitle : m.correctTitle} size="lg">
        {editing !== null && (
          <ReportForm key={editing === 'new' ? 'new' : editing.id} householdId={householdId} members={members} report={editing === 'new' ? null : editing} onSaved={saved} onCancel={() => setEditing(null)} />
        )}
      </Modal>
    </Paper>
  );
}
