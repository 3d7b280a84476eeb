import { Code, Paper, Stack, Text, Title } from '@mantine/core';
import { FormError } from '../../components/FormError';
import { msg } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';

/** Where this app's data lives: this PC, or the center server with the certificate fingerprint PCs confirm. */
export function ServerInfoCard() {
  const { data, error } = useApiQuery('system.serverInfo', {});
  const m = msg.settings.server;
  return (
    <Paper withBorder p="xl" maw={520} data-testid="server-info">
      <Stack gap="xs">
        <Title order={4}>{m.title}</Title>
        <FormError message={error} />
        {data && data.deployment === 'single' && <Text>{m.single}</Text>}
        {data && data.deployment === 'center' && (
          <>
            <Text>{m.center}</Text>
            {data.url && (
              <Text>
                {m.url}：<Code>{data.url}</Code>
              </Text>
            )}
            <Text fw={500}>{m.fingerprint}</Text>
            <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="server-fingerprint">
              {data.fingerprint}
            </Code>
            <Text size="sm" c="dimmed">
              {m.fingerprintHelp}
            </Text>
          </>
        )}
      </Stack>
    </Paper>
  );
}
