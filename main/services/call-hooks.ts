/**
 * Work that must not run inside a call's write transaction, held by the dispatcher for the call
 * it is serving (see main/api/dispatch.ts, which owns the store and runs the queues).
 *
 * A write method's handler may be run more than once (PostgreSQL retries the transaction after a
 * serialization failure or deadlock), so it must have no effect outside the database before the
 * commit. What it wants done outside goes here:
 * - `afterCommit(fn)`: after the commit, once (e.g. the audit checkpoint file, services/audit/seal.ts);
 * - `auditOutsideCall(db, entry, now)`: an audit row that belongs in a short transaction of its own,
 *   written by the dispatcher after the call: a read method's 'view' / 'export' / 'print' row (read
 *   methods get a handle that refuses writes), or a refusal that must stay recorded although the
 *   call fails and its transaction rolls back (`even: 'failed'`).
 *
 * Outside a dispatched call (CLI, demo seeders, migrations, background jobs) each runs at once, as before.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { recordAudit, type AuditInput } from './audit/log';
import { currentCallHooks } from './call-store';

export { afterCommit, newCallHooks, withCallHooks, type CallHooks } from './call-store';

/**
 * Records an audit row in a transaction of its own, after the current dispatched call (see above).
 * `db` is used only outside a dispatched call, where the row is written at once.
 * `even: 'failed'` keeps the row also when the call fails (a refusal); otherwise only a call that
 * succeeded leaves it (the thing was really viewed, exported or printed).
 */
export async function auditOutsideCall(db: Kysely<Database>, entry: AuditInput, now: Date, opts: { even?: 'failed' } = {}): Promise<void> {
  const hooks = currentCallHooks();
  if (hooks) hooks.audits.push({ entry, now, always: opts.even === 'failed' });
  else await recordAudit(db, entry, now);
}

/**
 * The body of a write inside a service or handler, run on `trx`: the transaction the dispatcher
 * opened for this call (`write: true` in the contract) and passed down. It opens nothing itself; it
 * refuses to run outside a declared write, so a service cannot write on its own any more.
 */
export function inDeclaredWrite<T>(trx: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (currentCallHooks()?.kind !== 'write') {
    return Promise.reject(new Error('a write outside the dispatcher-owned transaction: declare the method with write: true'));
  }
  return fn(trx);
}

let savepoints = 0;

/**
 * Like inDeclaredWrite, inside a savepoint: when `fn` throws, only its own writes are undone and the
 * error goes on (a dry run that writes, then throws to leave nothing behind). SAVEPOINT, ROLLBACK TO
 * and RELEASE mean the same on SQLite and PostgreSQL.
 */
export function inDeclaredSavepoint<T>(trx: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return inDeclaredWrite(trx, async (t) => {
    const name = sql.id(`wd_sp_${++savepoints}`);
    await sql`savepoint ${name}`.execute(t);
    try {
      const value = await fn(t);
      await sql`release savepoint ${name}`.execute(t);
      return value;
    } catch (err) {
      await sql`rollback to savepoint ${name}`.execute(t);
      await sql`release savepoint ${name}`.execute(t);
      throw err;
    }
  });
}
