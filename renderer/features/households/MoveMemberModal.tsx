import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { todayIso } from '../../../main/contract/roc-date';
import type { MemberView, Relation, SearchHit } from '../../../main/contract/types-households';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { fieldErrors, relationOptions } from './format';
import { HouseholdPicker } from './HouseholdPicker';
import { SaveError } from './SaveError';

function MoveForm({ member, fromHouseholdId, onSaved }: { member: MemberView; fromHouseholdId: number; onSaved(toId: number): void }) {
  const [target, setTarget] = useState<SearchHit | null>(null);
  const [relation, setRelation] = useState<Relation | null>(null);
  const [movedOn, setMovedOn] = useState<string | null>(todayIso());
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!target?.householdId || !relation) return;
    try {
      await call('households.moveMember', { personId: member.personId, toHouseholdId: target.householdId, relation, movedOn: movedOn ?? '', reason });
      onSaved(target.householdId);
    } catch (err) {
      setError(err);
    }
  }
  const errors = fieldErrors(error);
  return (
    <Stack component="form" onSubmit={submit}>
      {target ? (
        <Alert color="teal" variant="light">
          <Group justify="space-between">
            <Text size="sm">{msg.members.moveTargetChosen(target.addressText)}{target.headName ? `（${msg.search.head}：${target.headName}）` : ''}</Text>
            <Button size="compact-xs" variant="subtle" onClick={() => setTarget(null)}>{msg.edit}</Button>
          </Group>
        </Alert>
      ) : (
        <HouseholdPicker label={msg.members.moveTargetSearch} excludeId={fromHouseholdId} onPick={setTarget} />
      )}
      <Select label={msg.members.newRelation} required allowDeselect={false} data={relationOptions} value={relation} onChange={(r) => setRelation(r as Relation | null)} error={errors.relation} />
      <RocDateInput label={msg.members.movedOn} required value={movedOn} onChange={setMovedOn} error={errors.movedOn} />
      <TextInput label={msg.members.moveReason} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.reason} />
      <SaveError error={error} />
      <Group justify="flex-end">
        <Button type="submit" disabled={!target || !relation}>{msg.members.move}</Button>
      </Group>
    </Stack>
  );
}

/** Moves a member to another household found by search; the old membership is kept as history. */
export function MoveMemberModal({ member, fromHouseholdId, onClose, onSaved }: { member: MemberView | null; fromHouseholdId: number; onClose(): void; onSaved(toId: number): void }) {
  return (
    <Modal opened={member !== null} onClose={onClose} title={member ? msg.members.moveTitle(member.name) : ''} size="lg">
      {member && <MoveForm member={member} fromHouseholdId={fromHouseholdId} onSaved={onSaved} />}
    </Modal>
  );
}
