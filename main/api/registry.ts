import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/schema';
import { api, type Api, type ApiOutput, type MethodName } from '../contract/api';
import type { Scope } from '../services/access/scope';
import type { Actor, AppContext, Transport } from '../services/context';
import type { Session } from '../services/auth/sessions';

/** What every handler receives besides its parsed input. */
export interface PublicContext {
  app: AppContext;
  actor: Actor | null;
  session: Session | null;
  transport: Transport;
  /** The caller's source, e.g. `http:127.0.0.1` or `ipc:local`: sign-in attempts are throttled per source. */
  source: string;
}
export interface SignedInContext extends PublicContext {
  actor: Actor;
  session: Session;
  /** The caller's scope (services/access/scope.ts), computed on first use and kept for the call. */
  scope(): Promise<Scope>;
}

/**
 * The write transaction the dispatcher opened for a `write: true` method. The handler and its services
 * do everything through it, reads after the write included; they never open one of their own. It may
 * be run again after a serialization failure or deadlock: nothing outside the database before the
 * commit (use services/call-hooks.ts for work after it).
 */
export type WriteTx = Kysely<Database>;

/** What a write method's handler gets: the transaction instead of `app.db`. */
export type WriteContextOf<C extends PublicContext> = Omit<C, 'app'> & { app: Omit<AppContext, 'db'>; trx: WriteTx };
export type WriteContext = WriteContextOf<SignedInContext>;

type BaseContextFor<N extends MethodName> = Api[N]['access'] extends 'public' ? PublicContext : SignedInContext;
type ContextFor<N extends MethodName> = true extends Api[N]['write'] ? WriteContextOf<BaseContextFor<N>> : BaseContextFor<N>;

export type Handler<N extends MethodName> = (
  ctx: ContextFor<N>,
  input: z.output<Api[N]['input']>,
) => Promise<ApiOutput<N>> | ApiOutput<N>;

/** A partial table, one per domain; composeHandlers joins them. */
export type HandlerTable<N extends MethodName = MethodName> = { [K in N]: Handler<K> };

/**
 * Joins the domains' tables into the one table the dispatcher serves. A method
 * defined twice, or a contract method nobody implements, stops the process at
 * start-up rather than failing on first use.
 */
export function composeHandlers(...tables: Partial<HandlerTable>[]): HandlerTable {
  const out: Partial<Record<MethodName, unknown>> = {};
  for (const table of tables) {
    for (const name of Object.keys(table) as MethodName[]) {
      if (!Object.hasOwn(api, name)) throw new Error(`Handler for unknown method ${name}`);
      if (out[name]) throw new Error(`Duplicate handler for ${name}`);
      out[name] = table[name];
    }
  }
  const missing = (Object.keys(api) as MethodName[]).filter((n) => !out[n]);
  if (missing.length > 0) throw new Error(`No handler for: ${missing.join(', ')}`);
  return out as HandlerTable;
}
