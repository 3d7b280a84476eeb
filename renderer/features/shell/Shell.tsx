import { AppShell, Badge, Burger, Group, NavLink, ScrollArea, Text, Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import type { Role } from '../../../main/contract/roles';
import { ROLE_LABELS } from '../../../main/contract/roles';
import { msg } from '../../lib/messages';
import { navigate, useRoute } from '../../lib/router';
import { useSession, useUser } from '../../lib/session';

export interface NavItem {
  path: string;
  label: string;
  roles: readonly Role[] | 'all';
}

/** The menu mirrors the contract's access rules; the main process enforces them regardless. */
export const NAV: NavItem[] = [
  { path: '/', label: msg.nav.home, roles: 'all' },
  { path: '/users', label: msg.nav.users, roles: ['admin'] },
  { path: '/settings', label: msg.nav.settings, roles: ['admin'] },
  { path: '/audit', label: msg.nav.audit, roles: ['auditor', 'admin'] },
  { path: '/password', label: msg.nav.password, roles: 'all' },
];

export function Shell({ children, centerName }: { children: ReactNode; centerName: string }) {
  const [opened, { toggle }] = useDisclosure();
  const user = useUser();
  const { signOut, lockNow } = useSession();
  const route = useRoute();
  const items = NAV.filter((n) => n.roles === 'all' || n.roles.includes(user.role));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="選單" />
            <Text fw={700}>{msg.appName}</Text>
            <Text c="dimmed" size="sm">{centerName}</Text>
          </Group>
          <Group gap="sm">
            <Text size="sm" data-testid="current-user">{user.displayName}</Text>
            <Badge variant="light">{ROLE_LABELS[user.role]}</Badge>
            <Button size="xs" variant="default" onClick={() => void lockNow()}>{msg.lock.lockNow}</Button>
            <Button size="xs" variant="subtle" color="gray" onClick={() => void signOut()}>{msg.nav.signOut}</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ScrollArea>
          {items.map((item) => (
            <NavLink
              key={item.path}
              label={item.label}
              active={item.path === '/' ? route === '/' : route.startsWith(item.path)}
              onClick={() => navigate(item.path)}
              href={`#${item.path}`}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
