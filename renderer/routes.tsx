/**
 * Every screen of the app: its path pattern, menu label, the roles that see it,
 * and the component. The menu and the router both read this list; the main
 * process enforces access regardless of what is shown.
 */
import type { ReactElement } from 'react';
import type { Role } from '../main/contract/roles';
import { SettingsScreen } from './features/admin/SettingsScreen';
import { UsersScreen } from './features/admin/UsersScreen';
import { AuditScreen } from './features/audit/AuditScreen';
import { ChangePasswordScreen } from './features/auth/ChangePasswordScreen';
import { HomeScreen } from './features/home/HomeScreen';
import { msg } from './lib/messages';

export interface RouteDef {
  /** e.g. '/households/:id'; params arrive as strings. */
  path: string;
  /** Shown in the side menu when set. */
  nav?: string;
  /** Menu group heading; items without one come first. */
  group?: string;
  roles: readonly Role[] | 'all';
  render(params: Record<string, string>): ReactElement;
}

/** Roles that work with case content. */
export const STAFF_ROLES: readonly Role[] = ['worker', 'supervisor', 'admin'];

export const ROUTES: RouteDef[] = [
  { path: '/', nav: msg.nav.home, roles: 'all', render: () => <HomeScreen /> },
  // Caseload screens (issue 3) register here.
  { path: '/users', nav: msg.nav.users, group: '管理', roles: ['admin'], render: () => <UsersScreen /> },
  { path: '/settings', nav: msg.nav.settings, group: '管理', roles: ['admin'], render: () => <SettingsScreen /> },
  { path: '/audit', nav: msg.nav.audit, group: '管理', roles: ['auditor', 'admin'], render: () => <AuditScreen /> },
  { path: '/password', nav: msg.nav.password, group: '個人', roles: 'all', render: () => <ChangePasswordScreen forced={false} /> },
];

/** Matches a hash path against the route list; returns the route and its params. */
export function matchRoute(path: string, role: Role): { route: RouteDef; params: Record<string, string> } | null {
  const clean = path.split('?')[0] ?? '/';
  const parts = clean.split('/').filter(Boolean);
  for (const route of ROUTES) {
    if (route.roles !== 'all' && !route.roles.includes(role)) continue;
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    pattern.forEach((seg, i) => {
      const actual = parts[i] ?? '';
      if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(actual);
      else if (seg !== actual) ok = false;
    });
    if (ok) return { route, params };
  }
  return null;
}

/** Query-string parameters of the current hash path (`#/cases?status=處遇中`). */
export function routeQuery(path: string): URLSearchParams {
  return new URLSearchParams(path.split('?')[1] ?? '');
}
