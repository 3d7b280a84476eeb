import { Anchor, Group, Kbd, Loader, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { SearchHit } from '../../../main/contract/types-households';
import { msg } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { hitKey, SearchHitView } from './SearchHitView';
import { useSearch } from './useSearch';

/** Where a hit leads: its household page, or (a person without one) a new household with them as 戶長. */
export function openHit(hit: SearchHit): void {
  if (hit.householdId) navigate(`/households/${hit.householdId}`);
  else if (hit.members[0]) navigate(`/households/new?headPersonId=${hit.members[0].personId}`);
}

/** Ctrl+K / Cmd+K anywhere opens the search. */
export function useSearchShortcut(open: () => void): void {
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        open();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
}

function SearchBody({ onDone }: { onDone(): void }) {
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const { result, loading, error, answered } = useSearch(q);
  const hits = result?.hits ?? [];
  const current = Math.min(active, Math.max(hits.length - 1, 0));

  const choose = (hit: SearchHit | undefined) => {
    if (!hit) return;
    onDone();
    openHit(hit);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive(Math.min(current + 1, hits.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(Math.max(current - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(hits[current]);
    }
  };

  return (
    <Stack gap="sm">
      <TextInput
        aria-label={msg.search.inputLabel}
        placeholder={msg.search.boxPlaceholder}
        value={q}
        onChange={(e) => {
          setQ(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        data-autofocus
        rightSection={loading ? <Loader size="xs" /> : null}
        size="md"
      />
      {q.trim() === '' && <Text size="xs" c="dimmed">{msg.search.help}</Text>}
      {error && <Text size="sm" c="red">{error}</Text>}
      {result?.hint && <Text size="sm" c="dimmed">{result.hint}</Text>}
      {result && !result.hint && hits.length === 0 && answered === q.trim() && (
        <Text size="sm" c="dimmed" data-testid="search-empty">{msg.search.noResults}</Text>
      )}
      {hits.length > 0 && (
        <ScrollArea.Autosize mah="60vh">
          <Stack gap={4} role="listbox" aria-label={msg.search.results}>
            {hits.map((hit, i) => (
              <UnstyledButton
                key={hitKey(hit)}
                role="option"
                aria-selected={i === current}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(hit)}
                p="xs"
                style={{ borderRadius: 4, background: i === current ? 'var(--mantine-color-teal-light)' : undefined }}
              >
                <SearchHitView hit={hit} />
              </UnstyledButton>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      )}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">{msg.search.enterHint}</Text>
        {q.trim() !== '' && (
          <Anchor
            size="xs"
            href={`#/search?q=${encodeURIComponent(q.trim())}`}
            onClick={() => onDone()}
          >
            {msg.search.fullPage}
          </Anchor>
        )}
      </Group>
    </Stack>
  );
}

/** The spotlight-like search modal; its text starts empty each time it opens. */
export function SearchSpotlight({ opened, onClose }: { opened: boolean; onClose(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={msg.search.modalTitle} size="lg" yOffset="8vh">
      {opened && <SearchBody onDone={onClose} />}
    </Modal>
  );
}

/** The header's search box: opens the modal; shows the shortcut. */
export function SearchButton({ onOpen }: { onOpen(): void }) {
  return (
    <UnstyledButton
      onClick={onOpen}
      aria-label={msg.search.boxLabel}
      data-testid="header-search"
      px="sm"
      py={6}
      w={{ base: 40, md: 300 }}
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}
    >
      <Group gap="xs" wrap="nowrap" justify="space-between">
        <Group gap={6} wrap="nowrap">
          <SearchIcon />
          <Text size="sm" c="dimmed" visibleFrom="md" lineClamp={1}>{msg.search.boxPlaceholder}</Text>
        </Group>
        <Kbd size="xs" visibleFrom="md">{msg.search.shortcut}</Kbd>
      </Group>
    </UnstyledButton>
  );
}

function SearchIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <circle cx="11" cy="11" r="7" />
      <path d="M20 20l-4-4" />
    </svg>
  );
}
