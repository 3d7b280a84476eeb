/**
 * The current dispatched call's hooks (see call-hooks.ts, which documents them). Kept apart from
 * call-hooks.ts so that the audit log can use `afterCommit` while call-hooks.ts writes audit rows
 * through the audit log, without the two modules importing each other.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditInput } from './audit/log';

export interface CallHooks {
  /** 'write': inside the dispatcher's write transaction; 'read': a read method's call. */
  readonly kind: 'read' | 'write';
  afterCommit: (() => void | Promise<void>)[];
  /** Audit rows the dispatcher writes after the call: `always`, or only when the call succeeded. */
  audits: { entry: AuditInput; now: Date; always: boolean }[];
}

const store = new AsyncLocalStorage<CallHooks>();

/** The hooks of the dispatched call being served, if any. */
export function currentCallHooks(): CallHooks | undefined {
  return store.getStore();
}

export function newCallHooks(kind: CallHooks['kind']): CallHooks {
  return { kind, afterCommit: [], audits: [] };
}

/** Runs `fn` with `hooks` as the current call's (the dispatcher only). */
export function withCallHooks<T>(hooks: CallHooks, fn: () => Promise<T>): Promise<T> {
  return store.run(hooks, fn);
}

/** Runs `fn` after the current write call commits (never for a rolled-back attempt); at once outside one. */
export function afterCommit(fn: () => void): void {
  const hooks = store.getStore();
  if (hooks?.kind === 'write') hooks.afterCommit.push(fn);
  else fn();
}
