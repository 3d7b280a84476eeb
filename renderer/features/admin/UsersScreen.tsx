import { Badge, Button, Group, Modal, Paper, PasswordInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ROLES, ROLE_LABELS, type Role } from '../../../main/contract/roles';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import type { TeamView, UserView } from '../../../main/contract/types';
import { FormError } from '../../components/FormError';
import { ApiCallError, call } from '../../lib/api';
import { ConfirmAction } from '../../components/ConfirmAction';
import { confirmMsg } from '../../lib/messages-forms';
import { msg } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';

const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

function teamOptions(teams: TeamView[]) {
  return [{ value: '', label: msg.users.noTeam }, ...teams.map((t) => ({ value: String(t.id), label: t.name }))];
}

interface UserFormValue {
  username: string;
  displayName: string;
  role: Role;
  teamId: string;
  initialPassword: string;
}

function UserForm({ teams, editing, onDone }: { teams: TeamView[]; editing: UserView | null; onDone(): void }) {
  const [v, setV] = useState<UserFormValue>({
    username: editing?.username ?? '',
    displayName: editing?.displayName ?? '',
    role: editing?.role ?? 'worker',
    teamId: editing?.teamId ? String(editing.teamId) : '',
    initialPassword: '',
  });
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  async function submit(e: FormEvent) {
    e.preventDefault();
    const teamId = v.teamId ? Number(v.teamId) : null;
    try {
      if (editing) {
        await call('users.update', { id: editing.id, version: editing.version, displayName: v.displayName, role: v.role, teamId });
      } else {
        await call('users.create', { username: v.username, displayName: v.displayName, role: v.role, teamId, initialPassword: v.initialPassword });
      }
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setFields(err instanceof ApiCallError ? err.fields : {});
    }
  }

  return (
    <Stack component="form" onSubmit={submit}>
      <TextInput label={msg.users.username} required disabled={!!editing} value={v.username} onChange={(e) => setV({ ...v, username: e.currentTarget.value })} error={fields.username} />
      <TextInput label={msg.users.displayName} required value={v.displayName} onChange={(e) => setV({ ...v, displayName: e.currentTarget.value })} error={fields.displayName} />
      <Select label={msg.users.role} data={roleOptions} value={v.role} onChange={(r) => r && setV({ ...v, role: r as Role })} allowDeselect={false} />
      <Select label={msg.users.team} data={teamOptions(teams)} value={v.teamId} onChange={(t) => setV({ ...v, teamId: t ?? '' })} error={fields.teamId} />
      {!editing && (
        <PasswordInput label={msg.users.initialPassword} description={msg.users.initialPasswordHelp} required value={v.initialPassword} onChange={(e) => setV({ ...v, initialPassword: e.currentTarget.value })} error={fields.initialPassword} />
      )}
      <FormError message={error} />
      <Group justify="flex-end">
        <Button type="submit">{msg.save}</Button>
      </Group>
    </Stack>
  );
}

function TeamForm({ users, editing, onDone }: { users: UserView[]; editing: TeamView | null; onDone(): void }) {
  const [name, setName] = useState(editing?.name ?? '');
  const [supervisorId, setSupervisorId] = useState<string>(editing?.supervisorId ? String(editing.supervisorId) : '');
  const [error, setError] = useState<string | null>(null);
  const supervisors = users.filter((u) => u.role === 'supervisor' && !u.disabled);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const sup = supervisorId ? Number(supervisorId) : null;
    try {
      if (editing) await call('teams.update', { id: editing.id, name, supervisorId: sup });
      else await call('teams.create', { name, supervisorId: sup });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <Stack component="form" onSubmit={submit}>
      <TextInput label={msg.users.teamName} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <Select
        label={msg.users.supervisor}
        data={[{ value: '', label: msg.none }, ...supervisors.map((u) => ({ value: String(u.id), label: u.displayName }))]}
        value={supervisorId}
        onChange={(s) => setSupervisorId(s ?? '')}
      />
      <FormError message={error} />
      <Group justify="flex-end">
        <Button type="submit">{msg.save}</Button>
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
