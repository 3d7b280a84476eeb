import { useEffect, useState } from 'react';
import type { Role } from '../../main/contract/roles';
import { guardedNavigate } from './nav-guard';

/**
 * A tiny hash router: `#/users`, `#/households/12`. Hash routes work the same
 * under Electron's custom protocol and the browser host.
 */
export function currentRoute(): string {
  const h = window.location.hash.replace(/^#/, '');
  return h.startsWith('/') ? h : '/';
}

/** Goes to `path`; asks first when a form has unsaved input (./nav-guard). */
export function navigate(path: string): void {
  guardedNavigate(path);
}

export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = () => setRoute(currentRoute());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Query-string parameters of the current hash path (`#/cases?status=處遇中`). */
export function routeQuery(path: string): URLSearchParams {
  return new URLSearchParams(path.split('?')[1] ?? '');
}

/** Roles that work with case content. */
export const STAFF_ROLES: readonly Role[] = ['worker', 'supervisor', 'admin'];
/** Roles that see households (實物銀行 too: address, members and eligibility, never case content). */
export const HOUSEHOLD_ROLES: readonly Role[] = ['worker', 'supervisor', 'admin', 'foodbank'];
