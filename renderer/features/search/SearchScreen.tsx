import { Loader, Paper, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { msg } from '../../lib/messages';
import { openHit } from './SearchSpotlight';
import { hitKey, SearchHitView } from './SearchHitView';
import { useSearch } from './useSearch';

/** `#/search?q=…`: the same search on a page, with more results. */
export function SearchScreen({ initial }: { initial: string }) {
  const [q, setQ] = useState(initial);
  const { result, loading, error, answered } = useSearch(q, 50);
  const hits = result?.hits ?? [];
  return (
    <Stack maw={960}>
      <Title order={2}>{msg.search.pageTitle}</Title>
      <TextInput
        label={msg.search.inputLabel}
        description={msg.search.help}
        placeholder={msg.search.boxPlaceholder}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        rightSection={loading ? <Loader size="xs" /> : null}
        autoFocus
      />
      {error && <Text c="red" size="sm">{error}</Text>}
      {result?.hint && <Text c="dimmed" size="sm">{result.hint}</Text>}
      {result && !result.hint && hits.length === 0 && answered === q.trim() && (
        <Stack gap={2} data-testid="search-empty">
          <Text>{msg.search.noResults}</Text>
          <Text size="sm" c="dimmed">{msg.search.noResultsHint}</Text>
        </Stack>
      )}
      {hits.length > 0 && <Text size="sm" c="dimmed">{msg.search.resultCount(hits.length)}</Text>}
      <Stack gap="xs" role="list" aria-label={msg.search.results}>
        {hits.map((hit) => (
          <Paper key={hitKey(hit)} withBorder role="listitem">
            <UnstyledButton onClick={() => openHit(hit)} p="sm" w="100%" aria-label={`${msg.search.openHousehold}：${hit.addressText || hit.members[0]?.name || ''}`}>
              <SearchHitView hit={hit} />
              {!hit.householdId && <Text size="xs" c="teal">{msg.search.makeHousehold}</Text>}
            </UnstyledButton>
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}
