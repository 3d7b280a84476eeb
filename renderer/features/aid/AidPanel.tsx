import { Badge, Button, Group, Modal, NumberInput, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { aidMethods } from '../../../main/contract/methods/aid';
import { formatRocDate, formatRocDateTime, todayIso } from '../../../main/contract/roc-date';
import { AID_CHANGE_REASONS, AID_KINDS, AID_SOURCE_KINDS, type AidChangeReason, type AidView } from '../../../main/contract/types-aid';
import type { MemberView } from '../../../main/contract/types-households';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { ConfirmAction, ContractFormError, FormError, useContractForm } from '../../lib/form';
import { msgAid as m } from '../../lib/messages-aid';
import { useApiQuery } from '../../lib/useApi';

const schema = aidMethods['aid.record'].input;

interface Values extends Record<string, unknown> {
  personId: string | null;
  sourceKind: string | null;
  sourceName: string;
  kind: string | null;
  amount: number | string;
  items: string;
  receivedOn: string | null;
  note: string;
  reason: string | null;
}

function AidForm({ householdId, members, aid, onSaved, onCancel }: { householdId: number; members: MemberView[]; aid: AidView | null; onSaved(): void; onCancel(): void }) {
  const f = useContractForm(schema, {
    initialValues: {
      personId: aid?.personId ? String(aid.personId) : null,
      sourceKind: aid?.sourceKind ?? null,
      sourceName: aid?.sourceName ?? '',
      kind: aid?.kind ?? null,
      amount: aid?.amount ?? '',
      items: aid?.items ?? '',
      receivedOn: aid?.receivedOn ?? null,
      note: aid?.note ?? '',
      reason: null,
    } as Values,
    labels: m.labels,
    required: ['sourceKind', 'sourceName', 'kind', 'receivedOn'],
    extra: (v: Values): Record<string, string> => ({ ...(v.receivedOn ? {} : { receivedOn: m.dateRequired }), ...(aid && !v.reason ? { reason: m.panel.reasonPlaceholder } : {}) }),
    toInput: (v: Values) => ({
      householdId,
      personId: v.personId ? Number(v.personId) : null,
      sourceKind: v.sourceKind as never,
      sourceName: v.sourceName,
      kind: v.kind as never,
      amount: v.amount === '' || v.amount === null ? null : Number(v.amount),
      items: v.items,
      receivedOn: v.receivedOn ?? '',
      note: v.note,
    }),
  });
  const options = members.filter((x) => x.leftOn === null || x.personId === aid?.personId).map((x) => ({ value: String(x.personId), label: `${x.name}（${x.relation}）` }));
  return (
    <Stack
      component="form"
      {...f.formProps(async (input) => {
        const { householdId: _h, ...fields } = input;
        if (aid) await call('aid.update', { id: aid.id, version: aid.version, reason: f.form.getValues().reason as AidChangeReason, ...fields });
        else await call('aid.record', input);
        onSaved();
      })}
    >
      <Group grow align="flex-start">
        <Select {...f.field('sourceKind')} data={[...AID_SOURCE_KINDS]} data-testid="aid-source-kind" allowDeselect={false} />
        <TextInput {...f.field('sourceName')} placeholder="例：○○慈善會" data-testid="aid-source-name" />
      </Group>
      <Group grow align="flex-start">
        <Select {...f.field('kind')} data={[...AID_KINDS]} data-testid="aid-kind" allowDeselect={false} />
        <RocDateInput label={f.label('receivedOn')} withAsterisk maxDate={todayIso()} data-testid="aid-date" {...f.control<string | null>('receivedOn')} />
      </Group>
      <Group grow align="flex-start">
        <NumberInput {...f.field('amount')} min={0} allowDecimal={false} thousandSeparator="," description={m.amountHelp} data-testid="aid-amount" />
        <TextInput {...f.field('items')} placeholder="例：白米 2 包" data-testid="aid-items" />
      </Group>
      <Select {...f.field('personId')} data={options} placeholder={m.panel.personPlaceholder} clearable data-testid="aid-person" />
      <Textarea {...f.field('note')} autosize minRows={1} maxRows={4} data-testid="aid-note" />
      {aid && <Select {...f.field('reason')} withAsterisk data={[...AID_CHANGE_REASONS]} placeholder={m.panel.reasonPlaceholder} data-testid="aid-reason" />}
      <ContractFormError form={f} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>{m.panel.cancel}</Button>
        <Button type="submit" loading={f.busy} data-testid="aid-save">{m.panel.save}</Button>
      </Group>
    </Stack>
  );
}

/** 外單位資源: the household's aid from other units, recorded, corrected and deleted (with a reason) here. */
export function AidPanel({ householdId, members }: { householdId: number; members: MemberView[] }) {
  const q = useApiQuery('aid.list', { householdId });
  const [editing, setEditing] = useState<AidView | 'new' | null>(null);
  const [reason, setReason] = useState<AidChangeReason | null>(null);
  const saved = () => {
    setEditing(null);
    void q.reload();
  };
  const rows = q.data ?? [];
  return (
    <Paper withBorder p="md" data-testid="aid-panel">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{m.panel.title}</Title>
        <Button size="compact-sm" variant="default" onClick={() => setEditing('new')} data-testid="aid-add">{m.panel.add}</Button>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">{m.panel.hint}</Text>
      <FormError message={q.error} />
      {q.data && rows.length === 0 && <Text size="sm" c="dimmed">{m.panel.none}</Text>}
      {rows.length > 0 && (
        <Stack gap={0} role="list" aria-label={m.panel.table}>
          {rows.map((r) => (
            <Group key={r.id} justify="space-between" align="flex-start" wrap="nowrap" py={6} role="listitem" data-testid={`aid-row-${r.id}`} style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
              <Stack gap={2}>
                <Group gap={6}>
                  <Text fw={600} size="sm">{formatRocDate(r.receivedOn)}</Text>
                  <Text size="sm">{r.sourceName}</Text>
                  <Badge variant="outline" color="gray">{r.sourceKind}</Badge>
                  <Badge variant="light">{r.kind}</Badge>
                  {r.origin === '匯入' && <Badge variant="light" color="grape">{m.panel.imported}</Badge>}
                </Group>
                <Text size="xs">
                  {[r.amount !== null ? m.money(r.amount) : null, r.items, r.personName ? `${m.labels.personId.replace('（選填）', '')}：${r.personName}` : null].filter(Boolean).join('・')}
                </Text>
                {r.note && <Text size="xs" c="dimmed">{r.note}</Text>}
                <Text size="xs" c="dimmed">{m.panel.recordedBy(r.updatedByName ?? r.createdByName, formatRocDateTime(r.updatedAt))}</Text>
              </Stack>
              <Group gap={4} wrap="nowrap">
                <Button size="compact-xs" variant="subtle" onClick={() => setEditing(r)}>{m.panel.correct}</Button>
                <ConfirmAction
                  label={m.panel.remove}
                  buttonProps={{ size: 'compact-xs', variant: 'subtle' }}
                  title={m.panel.removeTitle}
                  message={m.panel.removeMessage(formatRocDate(r.receivedOn), r.sourceName)}
                  confirmLabel={m.panel.removeConfirm}
                  onOpen={() => setReason(null)}
                  canConfirm={reason !== null}
                  onConfirm={async () => {
                    if (!reason) return;
                    await call('aid.delete', { id: r.id, version: r.version, reason });
                    void q.reload();
                  }}
                >
                  <Select label={m.labels.reason} withAsterisk data={[...AID_CHANGE_REASONS]} value={reason} onChange={(v) => setReason(v as AidChangeReason | null)} placeholder={m.panel.reasonPlaceholder} data-testid="aid-delete-reason" />
                </ConfirmAction>
              </Group>
            </Group>
          ))}
        </Stack>
      )}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? m.panel.addTitle : m.panel.correctTitle} size="lg">
        {editing !== null && (
          <AidForm key={editing === 'new' ? 'new' : editing.id} householdId={householdId} members={members} aid={editing === 'new' ? null : editing} onSaved={saved} onCancel={() => setEditing(null)} />
        )}
      </Modal>
    </Paper>
  );
}
