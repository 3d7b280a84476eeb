import { Alert, Button, Group, Paper, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import type { BackupFileView, RestoreCheck } from '../../../main/contract/methods/backup';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import { FormError } from '../../components/FormError';
import { ApiCallError, call } from '../../lib/api';
import { formatBytes, msgBackup as m } from '../../lib/messages';
import { useSession } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { BackupStatusCard } from './BackupStatusCard';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** 備份與還原: the administrator's folder, recovery passphrase, backups and restore. */
export function BackupScreen() {
  const status = useApiQuery('backup.status', {});
  const list = useApiQuery('backup.list', {});
  const [choosing, setChoosing] = useState<BackupFileView | null>(null);
  const [made, setMade] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function backupNow() {
    setBusy(true);
    setMade(null);
    setError(null);
    try {
      const r = await call('backup.create', {});
      setMade(m.made(r.name));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      await Promise.all([status.reload(), list.reload()]);
    }
  }

  return (
    <Stack maw={900}>
      <Title order={2}>{m.title}</Title>
      <FormError message={status.error ?? list.error} />
      {status.data && <BackupStatusCard status={status.data} />}
      {status.data && <FolderForm folder={status.data.folder} isDefault={status.data.folderIsDefault} onSaved={() => Promise.all([status.reload(), list.reload()])} />}
      {status.data && <PassphraseForm setAt={status.data.recoverySetAt} onSaved={status.reload} />}

      <Paper withBorder p="md">
        <Stack>
          <Group justify="space-between">
            <Title order={4}>{m.listTitle}</Title>
            <Button onClick={() => void backupNow()} loading={busy}>
              {m.backupNow}
            </Button>
          </Group>
          <FormError message={error} />
          {made && <Alert color="teal">{made}</Alert>}
          {list.data && list.data.length === 0 && <Text c="dimmed">{m.listEmpty}</Text>}
          {list.data && list.data.length > 0 && (
            <Table striped aria-label={m.listTitle}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{m.colTime}</Table.Th>
                  <Table.Th>{m.colFile}</Table.Th>
                  <Table.Th ta="right">{m.colSize}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.map((f) => (
                  <Table.Tr key={f.name}>
                    <Table.Td>{formatRocDateTime(f.madeAt)}</Table.Td>
                    <Table.Td style={{ fontFamily: 'monospace', fontSize: 13 }} data-verbatim>{f.name}</Table.Td>
                    <Table.Td ta="right">{formatBytes(f.bytes)}</Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="light" color="orange" onClick={() => setChoosing(f)} aria-label={`還原 ${f.name}`}>
                        {m.restore}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Paper>
      {choosing && <RestorePanel key={choosing.name} file={choosing} onClose={() => setChoosing(null)} />}
    </Stack>
  );
}

function FolderForm({ folder, isDefault, onSaved }: { folder: string; isDefault: boolean; onSaved: () => Promise<unknown> }) {
  const [value, setValue] = useState(folder);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setValue(folder), [folder]);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    try {
      await call('backup.setFolder', { folder: value });
      setFieldError(null);
      setSaved(true);
      await onSaved();
    } catch (err) {
      setFieldError(err instanceof ApiCallError ? (err.fields.folder ?? err.message) : errorText(err));
    }
  }
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit}>
      <Stack>
        <Title order={4}>{m.folderTitle}</Title>
        {isDefault && <Text size="sm" c="dimmed" data-verbatim="backups">{m.folderDefault}</Text>}
        <TextInput label={m.folder} description={m.folderHelp} value={value} onChange={(e) => setValue(e.currentTarget.value)} error={fieldError} />
        {saved && <Alert color="teal">{m.folderSaved}</Alert>}
        <Group>
          <Button type="submit" variant="light">
            {m.saveFolder}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function PassphraseForm({ setAt, onSaved }: { setAt: string | null; onSaved: () => Promise<unknown> }) {
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    setBusy(true);
    try {
      await call('backup.setPassphrase', { passphrase, confirm });
      setFields({});
      setPassphrase('');
      setConfirm('');
      setSaved(true);
      await onSaved();
    } catch (err) {
      setFields(err instanceof ApiCallError ? err.fields : { passphrase: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit}>
      <Stack>
        <Title order={4}>{m.passphraseTitle}</Title>
        {setAt ? (
          <Text size="sm">{m.passphraseSetAt(formatRocDateTime(setAt))}</Text>
        ) : (
          <Alert color="orange" title={m.passphraseTitle}>
            {m.passphraseMissing}
          </Alert>
        )}
        <PasswordInput label={m.passphrase} description={m.passphraseHelp} value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} error={fields.passphrase} autoComplete="new-password" />
        <PasswordInput label={m.passphraseAgain} value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} error={fields.confirm} autoComplete="new-password" />
        {saved && <Alert color="teal">{m.passphraseSaved}</Alert>}
        <Group>
          <Button type="submit" variant="light" loading={busy}>
            {m.setPassphrase}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function RestorePanel({ file, onClose }: { file: BackupFileView; onClose: () => void }) {
  const { signOut } = useSession();
  const [passphrase, setPassphrase] = useState('');
  const [passphraseError, setPassphraseError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [check, setCheck] = useState<RestoreCheck | null>(null);
  const [busy, setBusy] = useState<'verify' | 'restore' | null>(null);
  const [restored, setRestored] = useState(false);

  async function verify(e: FormEvent) {
    e.preventDefault();
    setBusy('verify');
    setError(null);
    setPassphraseError(null);
    setCheck(null);
    try {
      setCheck(await call('backup.inspect', passphrase ? { name: file.name, passphrase } : { name: file.name }));
    } catch (err) {
      if (err instanceof ApiCallError && err.fields.passphrase) setPassphraseError(err.fields.passphrase);
      else setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  async function cancel() {
    if (check) await call('backup.discard', { stageId: check.stageId }).catch(() => undefined);
    onClose();
  }

  async function restore() {
    if (!check) return;
    setBusy('restore');
    setError(null);
    try {
      await call('backup.restore', { stageId: check.stageId });
      setRestored(true);
      // Every session has ended on the server; back to the sign-in screen after the message is seen.
      setTimeout(() => void signOut(), 1500);
    } catch (err) {
      setError(errorText(err));
      setBusy(null);
    }
  }

  if (restored) return <Alert color="teal" title={m.restored} role="status" />;

  return (
    <Paper withBorder p="md" component="form" onSubmit={verify} aria-label={m.restoreTitle(file.name)}>
      <Stack>
        <Title order={4}>{m.restoreTitle(file.name)}</Title>
        <PasswordInput label={m.restorePassphrase} value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} error={passphraseError} autoComplete="off" />
        <Group>
          <Button type="submit" loading={busy === 'verify'}>
            {m.verify}
          </Button>
          <Button variant="subtle" onClick={() => void cancel()}>
            {m.cancel}
          </Button>
        </Group>
        <FormError message={error} />
        {check && (
          <Stack gap="xs" data-testid="restore-check">
            <Table withTableBorder variant="vertical">
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th w={140}>{m.checkMadeAt}</Table.Th>
                  <Table.Td>{formatRocDateTime(check.madeAt)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{m.checkMadeBy}</Table.Th>
                  <Table.Td>{check.madeBy ?? '—'}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{m.checkIntegrity}</Table.Th>
                  <Table.Td c={check.integrityOk ? 'teal' : 'red'}>{check.integrityOk ? m.ok : m.bad}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{m.checkAudit}</Table.Th>
                  <Table.Td c={check.audit.ok ? 'teal' : 'red'}>{check.audit.ok ? m.auditOk(check.audit.checked) : m.bad}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{m.checkCounts}</Table.Th>
                  <Table.Td>{m.counts(check.counts)}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            {check.pendingMigrations > 0 && <Text size="sm">{m.pending(check.pendingMigrations)}</Text>}
            {check.restorable ? (
              <>
                <Alert color="red" variant="light">
                  {m.confirmWarning}
                </Alert>
                <Group>
                  <Button color="red" onClick={() => void restore()} loading={busy === 'restore'}>
                    {m.confirm}
                  </Button>
                </Group>
              </>
            ) : (
              <Alert color="red">{m.cannotRestore + check.problems.join('；')}</Alert>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
