import { Alert, Button, Stack, Text } from '@mantine/core';
import { msg } from '../../lib/messages';
import { errorText, isConflict } from './format';

/**
 * The refusal of a save. A stale-version refusal (CONFLICT) names who saved the newer version and
 * when; the form keeps the user's input and offers to load the latest data instead.
 */
export function SaveError({ error, onReload }: { error: unknown; onReload?: () => void }) {
  if (!error) return null;
  const conflict = isConflict(error);
  return (
    <Alert color={conflict ? 'orange' : 'red'} variant="light" role="alert" data-testid={conflict ? 'conflict-error' : 'form-error'}>
      <Stack gap="xs">
        <Text size="sm">{errorText(error)}</Text>
        {conflict && onReload && (
          <>
            <Text size="xs" c="dimmed">{msg.conflict.reloadHelp}</Text>
            <Button size="xs" variant="light" color="orange" onClick={onReload} w="fit-content">
              {msg.conflict.reload}
            </Button>
          </>
        )}
      </Stack>
    </Alert>
  );
}
