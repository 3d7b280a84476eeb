import { Badge, Button, Group, Modal, Paper, PasswordInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ROLES, ROLE_LABELS, type Role } from '../../../main/contract/roles';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import type { TeamView, UserView } from '../../../main/contract/types';
import { FormError } from '../../components/FormError';
import type { z } from 'zod';
import { api } from '../../../main/contract/api';
import { call } from '../../lib/api';
import { useContractForm } from '../../lib/form';
import { ConfirmAction } from '../../components/ConfirmAction';
import { confirmMsg } from '../../lib/messages-forms';
import { msg } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';

const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

function teamOptions(teams: TeamView[]) {
  return [{ value: '', label: msg.users.noTeam }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))];
}

interface UserFormValue extends Record<string, unknown> {
  username: string;
  displayName: string;
  role: Role;
  teamId: string;
  initialPassword: string;
}

type AnyInput = Record<string, unknown>;

function UserForm({ teams, editing, onDone }: { teams: TeamView[]; editing: UserView | null; onDone(): void }) {
  // Checked against the method it calls, so each message stands beside its own field.
  const f = useContractForm((editing ? api['users.update'].input : api['users.create'].input) as unknown as z.ZodType<AnyInput, AnyInput>, {
    initialValues: {
      username: editing?.username ?? '',
      displayName: editing?.displayName ?? '',
      role: editing?.role ?? 'worker',
      teamId: editing?.teamId ? String(editing.teamId) : '',
      initialPassword: '',
    } as UserFormValue,
    required: editing ? ['displayName'] : ['username', 'displayName', 'initialPassword'],
    toInput: (v): AnyInput => {
      const teamId = v.teamId ? Number(v.teamId) : null;
      return editing
        ? { id: editing.id, version: editing.version, displayName: v.displayName, role: v.role, teamId }
        : { username: v.username, displayName: v.displayName, role: v.role, teamId, initialPassword: v.initialPassword };
    },
  });

  const submit = f.formProps(async (input) => {
    if (editing) await call('users.update', input as Parameters<typeof call<'users.update'>>[1]);
    else await call('users.create', input as Parameters<typeof call<'users.create'>>[1]);
    onDone();
  });

  return (
    <Stack component="form" {...submit}>
      <TextInput {...f.field('username')} label={msg.users.username} disabled={!!editing} />
      <TextInput {...f.field('displayName')} label={msg.users.displayName} />
      <Select {...f.field('role')} label={msg.users.role} data={roleOptions} allowDeselect={false} />
      <Select {...f.field('teamId')} label={msg.users.team} data={teamOptions(teams)} />
      {!editing && <PasswordInput {...f.field('initialPassword')} label={msg.users.initialPassword} description={msg.users.initialPasswordHelp} />}
      <FormError message={f.formError} />
      <Group justify="flex-end">
        <Button type="submit" loading={f.busy}>{msg.save}</Button>
      </Group>
    </Stack>
  );
}

function TeamForm({ users, editing, onDone }: { users: UserView[]; editing: TeamView | null; onDone(): void }) {
  const supervisors = users.filter((u) => u.role === 'supervisor' && !u.disabled);
  const f = useContractForm((editing ? api['teams.update'].input : api['teams.create'].input) as unknown as z.ZodType<AnyInput, AnyInput>, {
    initialValues: { name: editing?.name ?? '', supervisorId: editing?.supervisorId ? String(editing.supervisorId) : '' } as Record<string, unknown> & { name: string; supervisorId: string },
    labels: { name: msg.users.teamName, supervisorId: msg.users.supervisor },
    required: ['name'],
    toInput: (v): AnyInput => {
      const sup = v.supervisorId ? Number(v.supervisorId) : null;
      return editing ? { id: editing.id, name: v.name, supervisorId: sup } : { name: v.name, supervisorId: sup };
    },
  });

  const submit = f.formProps(async (input) => {
    if (editing) await call('teams.update', input as Parameters<typeof call<'teams.update'>>[1]);
    else await call('teams.create', input as Parameters<typeof call<'teams.create'>>[1]);
    onDone();
  });

  return (
    <Stack component="form" {...submit}>
      <TextInput {...f.field('name')} />
      <Select
        {...f.field('supervisorId')}
        data={[{ value: '', label: msg.none }, ...supervisors.map((u) => ({ value: String(u.id), label: u.displayName }))]}
      />
      <FormError message={f.formError} />
      <Group justify="flex-end">
        <Button type="submit" loading={f.busy}>{msg.save}</Button>
      </Group>
    </Stack>
  );
}

export function UsersScreen() {
  const users = useApiQuery('users.list', { includeDisabled: true });
  const teams = useApiQuery('teams.list', {});
  const [userModal, setUserModal] = useState<{ editing: UserView | null } | null>(null);
  const [teamModal, setTeamModal] = useState<{ editing: TeamView | null } | null>(null);
  const [resetFor, setResetFor] = useState<UserView | null>(null);
  const [resetPw, setResetPw] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);

  const reloadAll = async () => {
    await Promise.all([users.reload(), teams.reload()]);
  };
  async function act(fn: () => Promise<unknown>) {
    try {
      await fn();
      setActionError(null);
      // No reload here: every successful write refreshes the cached reads on screen (lib/queryClient.ts).
    } catch (err) {
      setActionError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{msg.users.title}</Title>
        <Group>
          <Button variant="default" onClick={() => setTeamModal({ editing: null })}>{msg.users.addTeam}</Button>
          <Button onClick={() => setUserModal({ editing: null })}>{msg.users.add}</Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">{msg.users.neverDeleted}</Text>
      <FormError message={users.error ?? teams.error ?? actionError} />

      <Paper withBorder>
        <Table striped highlightOnHover aria-label="使用者清單">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{msg.users.displayName}</Table.Th>
              <Table.Th>{msg.users.username}</Table.Th>
              <Table.Th>{msg.users.role}</Table.Th>
              <Table.Th>{msg.users.team}</Table.Th>
              <Table.Th>{msg.users.status}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(users.data ?? []).map((u) => (
              <Table.Tr key={u.id} data-testid={`user-row-${u.username}`}>
                <Table.Td>{u.displayName}</Table.Td>
                <Table.Td data-verbatim>{u.username}</Table.Td>
                <Table.Td>{ROLE_LABELS[u.role]}</Table.Td>
                <Table.Td>{u.teamName ?? msg.users.noTeam}</Table.Td>
                <Table.Td>
                  {u.disabled ? (
                    <Badge color="gray">{msg.users.disabled}</Badge>
                  ) : u.lockedUntil && u.lockedUntil > new Date().toISOString() ? (
                    <Badge color="red" title={formatRocDateTime(u.lockedUntil)}>{msg.users.locked}</Badge>
                  ) : (
                    <Badge color="teal">{msg.users.active}</Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end">
                    <Button size="compact-xs" variant="subtle" onClick={() => setUserModal({ editing: u })}>{msg.edit}</Button>
                    <Button size="compact-xs" variant="subtle" onClick={() => { setResetFor(u); setResetPw(''); }}>{msg.users.resetPassword}</Button>
                    {u.lockedUntil && <Button size="compact-xs" variant="subtle" onClick={() => void act(() => call('users.unlock', { id: u.id }))}>{msg.users.unlock}</Button>}
                    {u.disabled ? (
                      <Button size="compact-xs" variant="subtle" color="teal" onClick={() => void act(() => call('users.setDisabled', { id: u.id, disabled: false }))}>
                        {msg.users.enable}
                      </Button>
                    ) : (
                      <ConfirmAction
                        label={msg.users.disable}
                        buttonProps={{ size: 'compact-xs', variant: 'subtle', 'data-testid': `disable-${u.username}` }}
                        color="red"
                        reversible
                        title={confirmMsg.disableUser.title}
                        message={confirmMsg.disableUser.body(u.displayName)}
                        confirmLabel={confirmMsg.disableUser.ok}
                        onConfirm={async () => {
                          await call('users.setDisabled', { id: u.id, disabled: true });
                          await users.reload();
                        }}
                      />
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      <Title order={3}>{msg.users.teams}</Title>
      <Paper withBorder>
        <Table aria-label="組別清單">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{msg.users.teamName}</Table.Th>
              <Table.Th>{msg.users.supervisor}</Table.Th>
              <Table.Th>{msg.users.members}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(teams.data ?? []).map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>{t.name}</Table.Td>
                <Table.Td>{t.supervisorName ?? msg.none}</Table.Td>
                <Table.Td>{t.memberCount}</Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" onClick={() => setTeamModal({ editing: t })}>{msg.edit}</Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      <Modal opened={userModal !== null} onClose={() => setUserModal(null)} title={userModal?.editing ? msg.edit : msg.users.add}>
        {userModal && (
          <UserForm teams={teams.data ?? []} editing={userModal.editing} onDone={() => { setUserModal(null); void reloadAll(); }} />
        )}
      </Modal>
      <Modal opened={teamModal !== null} onClose={() => setTeamModal(null)} title={teamModal?.editing ? msg.edit : msg.users.addTeam}>
        {teamModal && <TeamForm users={users.data ?? []} editing={teamModal.editing} onDone={() => { setTeamModal(null); void reloadAll(); }} />}
      </Modal>
      <Modal opened={resetFor !== null} onClose={() => setResetFor(null)} title={`${msg.users.resetPassword}：${resetFor?.displayName ?? ''}`}>
        <Stack>
          <PasswordInput label={msg.users.initialPassword} description={msg.users.initialPasswordHelp} value={resetPw} onChange={(e) => setResetPw(e.currentTarget.value)} />
          <Button onClick={() => { const u = resetFor; if (u) void act(() => call('users.resetPassword', { id: u.id, newPassword: resetPw })).then(() => setResetFor(null)); }}>{msg.save}</Button>
        </Stack>
      </Modal>
    </Stack>
  );
}
