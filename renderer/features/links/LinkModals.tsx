import { Button, Group, Modal, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { todayIso } from '../../../main/contract/roc-date';
import type { SearchHit } from '../../../main/contract/types-households';
import { LINK_END_REASONS, LINK_RELATIONS, type LinkEndReason, type LinkRelation, type MemberLinksView, type PersonLinkView } from '../../../main/contract/types-links';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { linksMsg as m } from '../../lib/messages-links';
import { useApiQuery } from '../../lib/useApi';
import { fieldErrors } from '../households/format';
import { HouseholdPicker } from '../households/HouseholdPicker';
import { SaveError } from '../households/SaveError';

const relationData = LINK_RELATIONS.map((r) => ({ value: r, label: r }));

/** The members of the picked household, to choose the other person from. */
function TargetMembers({ householdId, value, onChange, error }: { householdId: number; value: string | null; onChange(v: string | null): void; error?: string | undefined }) {
  const page = useApiQuery('households.page', { id: householdId, timelineLimit: 1 });
  const members = (page.data?.members ?? []).filter((x) => x.leftOn === null);
  return (
    <Select
      label={m.targetPerson}
      placeholder={m.targetPersonPlaceholder}
      data={members.map((x) => ({ value: String(x.personId), label: `${x.name}（${x.relation}）` }))}
      value={value}
      onChange={onChange}
      error={error ?? page.error ?? undefined}
      data-testid="link-target-person"
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

function AddForm({ householdId, members, onSaved }: { householdId: number; members: MemberLinksView[]; onSaved(): void }) {
  const current = members.filter((x) => x.current);
  const [personId, setPersonId] = useState<string | null>(current.length === 1 ? String(current[0]?.personId) : null);
  const [mode, setMode] = useState<'household' | 'nationalId'>('household');
  const [hit, setHit] = useState<SearchHit | null>(null);
  const [targetId, setTargetId] = useState<string | null>(null);
  const [nationalId, setNationalId] = useState('');
  const [relation, setRelation] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [notFound, setNotFound] = useState(false);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotFound(false);
    const missing: Record<string, string> = {};
    if (!personId) missing.personId = m.memberPlaceholder;
    if (mode === 'household' && !targetId) missing.target = m.targetPersonPlaceholder;
    if (mode === 'nationalId' && nationalId.trim() === '') missing.nationalId = '請輸入身分證字號';
    if (!relation) missing.relation = m.relationPlaceholder;
    setLocal(missing);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      const target = mode === 'household' ? { personId: Number(targetId) } : { nationalId: nationalId.trim() };
      const r = await call('links.create', { personId: Number(personId), target, relation: relation as LinkRelation, note });
      if (r.nationalIdNotFound) setNotFound(true);
      else onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const err = (k: string) => local[k] ?? errors[k];
  return (
    <Stack component="form" onSubmit={submit}>
      <Select
        label={m.member}
        placeholder={m.memberPlaceholder}
        required
        data={current.map((x) => ({ value: String(x.personId), label: x.name }))}
        value={personId}
        onChange={setPersonId}
        error={err('personId')}
        data-testid="link-member"
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500}>{m.targetMode}</Text>
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as 'household' | 'nationalId')}
          data={[
            { value: 'household', label: m.byHousehold },
            { value: 'nationalId', label: m.byNationalId },
          ]}
        />
      </Stack>
      {mode === 'household' &&
        (hit === null || hit.householdId === null ? (
          <>
            <HouseholdPicker label={m.householdSearch} excludeId={householdId} onPick={(h) => { setHit(h); setTargetId(null); }} />
            {err('target') && <Text size="sm" c="red">{err('target')}</Text>}
          </>
        ) : (
          <Stack gap="xs">
            <Group justify="space-between">
              <Text size="sm" data-testid="link-picked-household">{m.pickedHousehold(`${hit.headName ?? ''} ${hit.addressText}`.trim())}</Text>
              <Button size="compact-xs" variant="subtle" onClick={() => setHit(null)}>{m.changeHousehold}</Button>
            </Group>
            <TargetMembers householdId={hit.householdId} value={targetId} onChange={setTargetId} error={err('target')} />
          </Stack>
        ))}
      {mode === 'nationalId' && (
        <TextInput
          label={m.nationalId}
          required
          value={nationalId}
          onChange={(e) => setNationalId(e.currentTarget.value)}
          description={m.nationalIdHelp}
          error={notFound ? m.nationalIdNotFound : (err('nationalId') ?? err('target'))}
          autoComplete="off"
        />
      )}
      <Select
        label={m.relation}
        placeholder={m.relationPlaceholder}
        required
        data={relationData}
        value={relation}
        onChange={setRelation}
        error={err('relation')}
        data-testid="link-relation"
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      <Textarea label={m.note} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={err('note')} maxLength={200} autosize minRows={1} />
      <SaveError error={error} />
      <Group justify="flex-end">
        <Button type="submit" loading={busy}>{m.save}</Button>
      </Group>
    </Stack>
  );
}

export function AddLinkModal({ opened, householdId, members, onClose, onSaved }: { opened: boolean; householdId: number; members: MemberLinksView[]; onClose(): void; onSaved(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={m.addTitle} size="lg">
      {opened && <AddForm householdId={householdId} members={members} onSaved={onSaved} />}
    </Modal>
  );
}

export interface LinkTarget {
  member: MemberLinksView;
  link: PersonLinkView;
}

const otherName = (l: PersonLinkView) => (l.other.inScope ? l.other.name : l.other.label);

function EditForm({ t, onSaved, onReload }: { t: LinkTarget; onSaved(): void; onReload(): void }) {
  const [relation, setRelation] = useState<string | null>(t.link.relation);
  const [note, setNote] = useState(t.link.note ?? '');
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await call('links.update', { id: t.link.id, version: t.link.version, fromPersonId: t.member.personId, relation: relation as LinkRelation, note });
      onSaved();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <Stack component="form" onSubmit={submit}>
      <Select label={m.relation} required data={relationData} value={relation} onChange={setRelation} error={errors.relation} allowDeselect={false} comboboxProps={{ withinPortal: true }} />
      <Textarea label={m.note} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={errors.note} maxLength={200} autosize minRows={1} />
      <SaveError error={error} onReload={onReload} />
      <Group justify="flex-end">
        <Button type="submit">{m.save}</Button>
      </Group>
    </Stack>
  );
}

export function EditLinkModal({ target, onClose, onSaved, onReload }: { target: LinkTarget | null; onClose(): void; onSaved(): void; onReload(): void }) {
  return (
    <Modal opened={target !== null} onClose={onClose} title={target ? m.editTitle(`${target.member.name} — ${otherName(target.link)}`) : ''}>
      {target && <EditForm t={target} onSaved={onSaved} onReload={onReload} />}
    </Modal>
  );
}

function EndForm({ t, onSaved, onReload }: { t: LinkTarget; onSaved(): void; onReload(): void }) {
  const [endedOn, setEndedOn] = useState<string | null>(todayIso());
  const [reason, setReason] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await call('links.end', { id: t.link.id, version: t.link.version, endedOn: endedOn ?? '', reason: (reason ?? '') as LinkEndReason });
      onSaved();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <Stack component="form" onSubmit={submit}>
      <RocDateInput label={m.endOn} required value={endedOn} onChange={setEndedOn} error={errors.endedOn} />
      <Select label={m.endReason} placeholder={m.endReasonPlaceholder} required data={[...LINK_END_REASONS]} value={reason} onChange={setReason} error={errors.reason} allowDeselect={false} comboboxProps={{ withinPortal: true }} />
      <SaveError error={error} onReload={onReload} />
      <Group justify="flex-end">
        <Button type="submit" color="red">{m.end}</Button>
      </Group>
    </Stack>
  );
}

export function EndLinkModal({ target, onClose, onSaved, onReload }: { target: LinkTarget | null; onClose(): void; onSaved(): void; onReload(): void }) {
  return (
    <Modal opened={target !== null} onClose={onClose} title={target ? m.endTitle(`${target.member.name} — ${otherName(target.link)}`) : ''}>
      {target && <EndForm t={target} onSaved={onSaved} onReload={onReload} />}
    </Modal>
  );
}
