import { Paper, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { SearchHit } from '../../../main/contract/types-households';
import { msg } from '../../lib/messages';
import { SearchHitView } from '../search/SearchHitView';
import { useSearch } from '../search/useSearch';

/** Finds a household by search (for moving a member there); `excludeId` is the household moved from. */
export function HouseholdPicker({ label, excludeId, onPick }: { label: string; excludeId?: number; onPick(hit: SearchHit): void }) {
  const [q, setQ] = useState('');
  const { result, error } = useSearch(q, 10);
  const hits = (result?.hits ?? []).filter((h) => h.householdId !== null && h.householdId !== excludeId);
  return (
    <Stack gap="xs">
      <TextInput label={label} value={q} onChange={(e) => setQ(e.currentTarget.value)} autoComplete="off" />
      {error && <Text size="sm" c="red">{error}</Text>}
      {result?.hint && <Text size="xs" c="dimmed">{result.hint}</Text>}
      {result && !result.hint && hits.length === 0 && <Text size="xs" c="dimmed">{msg.search.noResults}</Text>}
      {hits.length > 0 && (
        <ScrollArea.Autosize mah={260}>
          <Stack gap={4} role="listbox" aria-label={label}>
            {hits.map((h) => (
              <Paper key={h.householdId} withBorder>
                <UnstyledButton role="option" aria-selected={false} p="xs" w="100%" onClick={() => onPick(h)}>
                  <SearchHitView hit={h} />
                </UnstyledButton>
              </Paper>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}
