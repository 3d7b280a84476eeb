import { Badge, Button, Group, Menu, Paper, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { MemberView } from '../../../main/contract/types-households';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { msgRelation } from '../../lib/messages-edit-records';
import { ageOf, errorText, incomeLabel, periodText, sexLabel, sortMembers } from './format';

export type MemberAction = 'edit' | 'relation' | 'move' | 'end';

/** The masked ID with a 顯示 button that fetches the full one (persons.revealId writes an audit entry). */
function IdCell({ member, canReveal }: { member: MemberView; canReveal: boolean }) {
  const [full, setFull] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!member.maskedNationalId) return <Text size="sm" c="dimmed">—</Text>;
  const reveal = async () => {
    try {
      const r = await call('persons.revealId', { personId: member.personId });
      setFull(r.nationalId ?? '');
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="sm" ff="monospace" data-testid={`id-${member.personId}`}>{full ?? member.maskedNationalId}</Text>
      {canReveal &&
        (full === null ? (
          <Button size="compact-xs" variant="subtle" onClick={() => void reveal()} aria-label={msg.members.revealLabel(member.name)}>
            {msg.members.reveal}
          </Button>
        ) : (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setFull(null)}>{msg.members.hide}</Button>
        ))}
      {error && <Text size="xs" c="red">{error}</Text>}
    </Group>
  );
}

function Flags({ m }: { m: MemberView }) {
  return (
    <Group gap={4}>
      {m.incomeStatus && <Badge size="xs" variant="light" color="orange">{incomeLabel(m.incomeStatus)}</Badge>}
      {m.disabilityLevel && <Badge size="xs" variant="light" color="violet">身障{m.disabilityLevel}</Badge>}
      {m.indigenous && <Badge size="xs" variant="light" color="cyan">原住民</Badge>}
      {m.newImmigrant && <Badge size="xs" variant="light" color="lime">新住民</Badge>}
    </Group>
  );
}

function MemberRow({ m, staff, onAction }: { m: MemberView; staff: boolean; onAction(a: MemberAction, m: MemberView): void }) {
  const age = ageOf(m.birthDate);
  const past = m.leftOn !== null;
  return (
    <Table.Tr data-testid={`member-row-${m.personId}`} c={past ? 'dimmed' : undefined}>
      <Table.Td>
        <Text size="sm" fw={m.relation === '戶長' && !past ? 700 : undefined}>{m.name}</Text>
      </Table.Td>
      <Table.Td>{m.relation}</Table.Td>
      <Table.Td>{sexLabel(m.sex)}</Table.Td>
      <Table.Td>
        {age !== null ? msg.members.ageValue(age) : ''}
        {m.birthDate && <Text size="xs" c="dimmed">{formatRocDate(m.birthDate)}</Text>}
      </Table.Td>
      <Table.Td><IdCell member={m} canReveal={staff} /></Table.Td>
      <Table.Td>{m.phone ?? ''}</Table.Td>
      <Table.Td><Flags m={m} /></Table.Td>
      <Table.Td>
        <Text size="xs">{periodText(m)}</Text>
        {m.leftReason && <Text size="xs" c="dimmed">{m.leftReason}</Text>}
      </Table.Td>
      {staff && (
        <Table.Td>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="compact-xs" variant="subtle" aria-label={`${m.name} ${msg.members.actions}`}>{msg.members.actions}</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => onAction('edit', m)}>{msg.members.edit}</Menu.Item>
              {!past && <Menu.Item onClick={() => onAction('relation', m)}>{msgRelation.action}</Menu.Item>}
              {!past && <Menu.Item onClick={() => onAction('move', m)}>{msg.members.move}</Menu.Item>}
              {!past && <Menu.Item color="red" onClick={() => onAction('end', m)}>{msg.members.end}</Menu.Item>}
            </Menu.Dropdown>
          </Menu>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

/** Current members, and past ones on request, with relation, age, masked ID and actions. */
export function MembersPanel({ members, staff, onAdd, onAction }: { members: MemberView[]; staff: boolean; onAdd(): void; onAction(a: MemberAction, m: MemberView): void }) {
  const [showPast, setShowPast] = useState(true);
  const sorted = sortMembers(members);
  const pastCount = sorted.filter((m) => m.leftOn !== null).length;
  const shown = showPast ? sorted : sorted.filter((m) => m.leftOn === null);
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{msg.members.title}</Title>
        <Group gap="xs">
          {pastCount > 0 && (
            <Button size="compact-sm" variant="subtle" color="gray" onClick={() => setShowPast(!showPast)}>
              {showPast ? msg.members.hidePast : msg.members.showPast(pastCount)}
            </Button>
          )}
          {staff && <Button size="compact-sm" onClick={onAdd}>{msg.members.add}</Button>}
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table aria-label={msg.members.title} verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{msg.members.name}</Table.Th>
              <Table.Th>{msg.members.relation}</Table.Th>
              <Table.Th>{msg.members.sex}</Table.Th>
              <Table.Th>{msg.members.age}</Table.Th>
              <Table.Th>{msg.members.nationalId}</Table.Th>
              <Table.Th>{msg.members.phone}</Table.Th>
              <Table.Th>{msg.members.flags}</Table.Th>
              <Table.Th>{msg.members.period}</Table.Th>
              {staff && <Table.Th><VisuallyHidden>{msg.members.actions}</VisuallyHidden></Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((m) => (
              <MemberRow key={m.membershipId} m={m} staff={staff} onAction={onAction} />
            ))}
            {shown.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={9}><Text size="sm" c="dimmed">{msg.members.none}</Text></Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
