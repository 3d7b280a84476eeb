import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { householdsMethods } from '../../../main/contract/methods/households';
import { RELATIONS, type MemberView, type Relation } from '../../../main/contract/types-households';
import { call } from '../../lib/api';
import { FormError, useContractForm } from '../../lib/form';
import { msgRelation } from '../../lib/messages-edit-records';

const schema = householdsMethods['households.updateRelation'].input;

interface Values extends Record<string, unknown> {
  relation: Relation | null;
  reason: string;
}

function RelationForm({ member, onSaved }: { member: MemberView; onSaved(): void }) {
  const f = useContractForm<typeof schema, Values>(schema, {
    initialValues: { relation: member.relation, reason: '' },
    toInput: (v) => ({
      membershipId: member.membershipId,
      version: member.version,
      relation: (v.relation ?? '') as Relation,
      ...(v.reason.trim() ? { reason: v.reason } : {}),
    }),
    labels: { relation: msgRelation.relation, reason: msgRelation.reason },
    required: ['relation'],
  });
  return (
    <form
      {...f.formProps(async (input) => {
        await call('households.updateRelation', input);
        onSaved();
      })}
      aria-label={msgRelation.title(member.name)}
    >
      <Stack>
        <Text size="sm" c="dimmed">{msgRelation.help}</Text>
        <Text size="sm">{msgRelation.current(member.relation)}</Text>
        <Select {...f.field('relation')} data={[...RELATIONS]} allowDeselect={false} comboboxProps={{ withinPortal: true }} />
        <TextInput {...f.field('reason')} description={msgRelation.reasonHelp} maxLength={200} />
        <FormError message={f.formError} />
        <Group justify="flex-end">
          <Button type="submit" loading={f.busy}>{msgRelation.save}</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** 修改與戶長關係: the relation of a current member, in place; the earlier one stays on the timeline. */
export function EditRelationModal({ member, onClose, onSaved }: { member: MemberView | null; onClose(): void; onSaved(): void }) {
  return (
    <Modal opened={member !== null} onClose={onClose} title={member ? msgRelation.title(member.name) : ''}>
      {member && <RelationForm key={`${member.membershipId}-${member.version}`} member={member} onSaved={onSaved} />}
    </Modal>
  );
}
