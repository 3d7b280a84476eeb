import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { todayIso } from '../../../main/contract/roc-date';
import type { MemberView } from '../../../main/contract/types-households';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { fieldErrors } from './format';
import { SaveError } from './SaveError';

function EndForm({ member, onSaved }: { member: MemberView; onSaved(): void }) {
  const [leftOn, setLeftOn] = useState<string | null>(todayIso());
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await call('households.endMembership', { membershipId: member.membershipId, leftOn: leftOn ?? '', reason });
      onSaved();
    } catch (err) {
      setError(err);
    }
  }
  const errors = fieldErrors(error);
  return (
    <Stack component="form" onSubmit={submit}>
      <RocDateInput label={msg.members.endOn} required value={leftOn} onChange={setLeftOn} error={errors.leftOn} />
      <TextInput label={msg.members.endReason} required placeholder={msg.members.endReasonPlaceholder} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.reason} />
      <SaveError error={error} />
      <Group justify="flex-end">
        <Button type="submit" color="red">{msg.members.end}</Button>
      </Group>
    </Stack>
  );
}

/** The member leaves the household (遷出, 死亡…) without joining another; history is kept. */
export function EndMembershipModal({ member, onClose, onSaved }: { member: MemberView | null; onClose(): void; onSaved(): void }) {
  return (
    <Modal opened={member !== null} onClose={onClose} title={member ? msg.members.endTitle(member.name) : ''}>
      {member && <EndForm member={member} onSaved={onSaved} />}
    </Modal>
  );
}
