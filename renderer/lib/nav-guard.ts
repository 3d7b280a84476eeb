/**
 * Navigation guards (issue 11 §2): a form with unsaved input registers one, and every way of leaving the
 * screen asks first. Navigation in this app is the hash (renderer/lib/router.ts): the side menu, the search
 * box / Ctrl+K hits, links and the browser's back button all change it. `navigate()` asks BEFORE it changes
 * the hash (the side menu and search hits use it). For the rest (a plain link, back/forward) one `hashchange`
 * listener, added when this module loads and so before any React listener (listeners on the window run in
 * the order they were added; a capturing one does not run first in Chromium), puts the old hash back while a
 * guard is dirty (the router then reads the old route: no screen is unmounted), asks, and goes on only when
 * the user agrees.
 * Sign-out (not a hash change) asks through `confirmLeave()`. A reload or closing the tab is `beforeunload`.
 */

type Asker = () => Promise<boolean>;

interface Guard {
  dirty: () => boolean;
}

const guards = new Set<Guard>();
let asker: Asker | null = null;
let shownRoute = typeof window === 'undefined' ? '/' : routeOf(window.location.hash);
let installed = false;
let bypass = false;

function routeOf(hash: string): string {
  const h = hash.replace(/^#/, '');
  return h.startsWith('/') ? h : '/';
}

function anyDirty(): boolean {
  for (const g of guards) if (g.dirty()) return true;
  return false;
}

/** The form that owns the dialog (the last registered) sets how to ask. */
export function setLeaveAsker(fn: Asker | null): void {
  asker = fn;
}

/** Resolves true when nothing unsaved is on screen or the user agreed to lose it. */
export async function confirmLeave(): Promise<boolean> {
  if (!anyDirty()) return true;
  if (!asker) return window.confirm('尚未儲存的內容將會遺失，確定離開？');
  return asker();
}

function onHashChange(e: HashChangeEvent): void {
  const next = routeOf(window.location.hash);
  if (bypass || next === shownRoute || !anyDirty()) {
    bypass = false;
    shownRoute = next;
    return;
  }
  // Keep the form on screen: no other listener (the router) sees this change, and the address shows the form again.
  e.stopImmediatePropagation();
  history.replaceState(history.state, '', `#${shownRoute}`);
  void confirmLeave().then((ok) => {
    if (!ok) return;
    guards.clear();
    bypass = true;
    window.location.hash = next;
  });
}

function onBeforeUnload(e: BeforeUnloadEvent): void {
  if (!anyDirty()) return;
  e.preventDefault();
  e.returnValue = '';
}

function install(): void {
  if (installed) return;
  installed = true;
  shownRoute = routeOf(window.location.hash);
  window.addEventListener('hashchange', onHashChange, true);
  window.addEventListener('beforeunload', onBeforeUnload);
}

// Before the router's own listener (renderer/lib/router.ts imports this module).
if (typeof window !== 'undefined') install();

/** Goes to `path`, asking first when a guard has unsaved input (the side menu, search hits, buttons). */
export function guardedNavigate(path: string): void {
  if (routeOf(`#${path}`) === routeOf(window.location.hash) || !anyDirty()) {
    window.location.hash = path;
    return;
  }
  void confirmLeave().then((ok) => {
    if (!ok) return;
    guards.clear();
    bypass = true;
    window.location.hash = path;
  });
}

/** Registers a guard; returns its removal. `dirty` is read at the moment of leaving. */
export function registerNavGuard(dirty: () => boolean): () => void {
  install();
  shownRoute = routeOf(window.location.hash);
  const g: Guard = { dirty };
  guards.add(g);
  return () => {
    guards.delete(g);
  };
}

/** Goes to `path` without asking: the form's input has just been saved. */
export function navigateSaved(path: string): void {
  if (routeOf(`#${path}`) !== routeOf(window.location.hash)) bypass = installed;
  window.location.hash = path;
}
