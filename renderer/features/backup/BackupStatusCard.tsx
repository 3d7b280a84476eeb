import { Alert, Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import type { BackupStatus } from '../../../main/contract/methods/backup';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import { formatBytes, msgBackup as m } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';

/** The last backup's result; a failed, overdue or missing backup is a red warning. */
export function BackupStatusCard({ status, withLink = false }: { status: BackupStatus; withLink?: boolean }) {
  const last = status.last;
  return (
    <Paper withBorder p="md" data-testid="backup-status">
      <Stack gap="xs">
        <Title order={4}>{withLink ? m.homeTitle : m.statusTitle}</Title>
        {status.warning && (
          <Alert color="red" variant="filled" role="alert" data-testid="backup-warning">
            {status.warning}
          </Alert>
        )}
        {last?.ok && last.file && <Text data-verbatim={last.file}>{m.lastOk(formatRocDateTime(last.at), last.file, formatBytes(last.bytes ?? 0))}</Text>}
        {last && !last.ok && <Text c="red">{m.lastFailed(formatRocDateTime(last.at))}</Text>}
        {!last && !status.warning && <Text c="dimmed">{m.never}</Text>}
        <Text size="sm" c="dimmed">
          {m.schedule(status.intervalHours, status.keepDays)}
        </Text>
        {!status.recoverySet && withLink && <Text size="sm" c="orange">{m.passphraseMissing}</Text>}
        {withLink && <Anchor href="#/backup">{m.homeLink}</Anchor>}
      </Stack>
    </Paper>
  );
}

/** The administrator's home screen tile. */
export function BackupHomeTile() {
  const { data } = useApiQuery('backup.status', {});
  return data ? <BackupStatusCard status={data} withLink /> : null;
}
