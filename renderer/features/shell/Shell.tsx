import { AppShell, Badge, Burger, Group, NavLink, ScrollArea, Text, Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useCallback, useState, type ReactNode } from 'react';
import { ROLE_LABELS } from '../../../main/contract/roles';
import { msg } from '../../lib/messages';
import { confirmLeave } from '../../lib/nav-guard';
import { navigate, useRoute } from '../../lib/router';
import { useSession, useUser } from '../../lib/session';
import { ROUTES } from '../../routes';
import { SearchButton, SearchSpotlight, useSearchShortcut } from '../search/SearchSpotlight';
import { NotificationBell } from '../notifications/NotificationBell';

/** Roles that may search households (search.query's access list). */
const SEARCH_ROLES: readonly string[] = ['worker', 'supervisor', 'admin', 'foodbank'];

export function Shell({ children, centerName }: { children: ReactNode; centerName: string }) {
  const [opened, { toggle }] = useDisclosure();
  const user = useUser();
  const { signOut, lockNow, locked } = useSession();
  const route = useRoute();
  const items = ROUTES.filter((r) => r.nav && (r.roles === 'all' || r.roles.includes(user.role)));
  const groups = [...new Set(items.map((i) => i.group ?? ''))];
  const canSearch = SEARCH_ROLES.includes(user.role);
  const [searchOpen, setSearchOpen] = useState(false);
  const openSearch = useCallback(() => {
    // Not over the lock screen.
    if (canSearch && !locked) setSearchOpen(true);
  }, [canSearch, locked]);
  useSearchShortcut(openSearch);
  const isActive = (path: string) => (path === '/' ? route === '/' : route === path || route.startsWith(`${path}/`) || route.startsWith(`${path}?`));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="選單" />
            <Text fw={700}>{msg.appName}</Text>
            <Text c="dimmed" size="sm">{centerName}</Text>
          </Group>
          {canSearch && <SearchButton onOpen={openSearch} />}
          <Group gap="sm">
            <NotificationBell />
            <Text size="sm" data-testid="current-user">{user.displayName}</Text>
            <Badge variant="light">{ROLE_LABELS[user.role]}</Badge>
            <Button size="xs" variant="default" onClick={() => void lockNow()}>{msg.lock.lockNow}</Button>
            <Button size="xs" variant="subtle" color="gray" onClick={() => void confirmLeave().then((ok) => (ok ? signOut() : undefined))}>{msg.nav.signOut}</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ScrollArea>
          {groups.map((g) => (
            <div key={g || 'main'}>
              {g && (
                <Text size="xs" c="dimmed" fw={700} mt="sm" mb={4} px="sm">
                  {g}
                </Text>
              )}
              {items
                .filter((i) => (i.group ?? '') === g)
                .map((item) => (
                  <NavLink key={item.path} label={item.nav} active={isActive(item.path)} onClick={(e) => { e.preventDefault(); navigate(item.path); }} href={`#${item.path}`} />
                ))}
            </div>
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
      {canSearch && <SearchSpotlight opened={searchOpen} onClose={() => setSearchOpen(false)} />}
    </AppShell>
  );
}
