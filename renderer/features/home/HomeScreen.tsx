import { Paper, Stack, Text, Title } from '@mantine/core';
import { ROLE_LABELS } from '../../../main/contract/roles';
import { formatRocLong, todayIso } from '../../../main/contract/roc-date';
import { msg } from '../../lib/messages';
import { useUser } from '../../lib/session';
import { BackupHomeTile } from '../backup/BackupStatusCard';
import { HomeCounts } from '../worklists/HomeCounts';

export function HomeScreen() {
  const user = useUser();
  return (
    <Stack>
      <Title order={2}>{msg.home.welcome(user.displayName)}</Title>
      <Paper withBorder p="md">
        <Text>{msg.home.today(formatRocLong(todayIso()))}</Text>
        <Text c="dimmed">{msg.home.roleIs(ROLE_LABELS[user.role])}</Text>
      </Paper>
      {user.role === 'admin' && <BackupHomeTile />}
      {(user.role === 'worker' || user.role === 'supervisor' || user.role === 'admin') && <HomeCounts />}
    </Stack>
  );
}
