import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';

/**
 * Counting password attempts (table `auth_throttle`). An attempt is counted as failed *before* its
 * password is hashed, inside one write transaction, so a burst of parallel guesses cannot all pass the
 * check: once a counter is full, further attempts are refused without hashing. The right password
 * gives its count back afterwards, unless a lock was set meanwhile, which it never clears.
 *
 * Three counters apply to every attempt, for known and unknown usernames alike (so a lock says nothing
 * about whether a username exists):
 * - the account at this source, "in a row": 5 wrong lock the account for that source for 15 minutes;
 * - the account from anywhere: 20 wrong within 15 minutes lock it everywhere for 15 minutes;
 * - the source, whatever the username: 30 wrong within 15 minutes refuse that source for 15 minutes.
 * Locks are bounded (15 minutes) and an administrator can lift an account's (users.unlock).
 */
export const MAX_FAILED_LOGINS = 5;
export const MAX_ACCOUNT_FAILURES = 20;
export const MAX_SOURCE_FAILURES = 30;
export const LOCKOUT_MINUTES = 15;
const WINDOW_MS = 15 * 60_000;

export interface Counter {
  key: string;
  account: string | null;
  max: number;
  /** The "in a row" counter never forgets by time; the others count within a window. */
  windowed: boolean;
  /** The right password starts the account's counts again; a source's count only loses this attempt. */
  resetOnSuccess: boolean;
}

/** The SHA-256 of a normalised username: how an account is named in the throttle table. */
export function accountKey(username: string): string {
  return createHash('sha256').update(username, 'utf8').digest('hex');
}

export function countersFor(username: string, source: string): Counter[] {
  const account = accountKey(username);
  return [
    { key: `acct-src:${account}:${source}`, account, max: MAX_FAILED_LOGINS, windowed: false, resetOnSuccess: true },
    { key: `acct:${account}`, account, max: MAX_ACCOUNT_FAILURES, windowed: true, resetOnSuccess: true },
    { key: `src:${source}`, account: null, max: MAX_SOURCE_FAILURES, windowed: true, resetOnSuccess: false },
  ];
}

interface State {
  failures: number;
  windowStart: string;
  lockedUntil: string | null;
}

/** A counter's state now: an expired lock or a window that has passed starts it again. */
async function read(trx: Kysely<Database>, c: Counter, now: Date): Promise<State & { exists: boolean }> {
  const row = await trx.selectFrom('auth_throttle').select(['failures', 'window_start', 'locked_until']).where('key', '=', c.key).executeTakeFirst();
  const ts = now.toISOString();
  if (!row) return { exists: false, failures: 0, windowStart: ts, lockedUntil: null };
  if (row.locked_until !== null && row.locked_until <= ts) return { exists: true, failures: 0, windowStart: ts, lockedUntil: null };
  if (c.windowed && row.locked_until === null && Date.parse(row.window_start) + WINDOW_MS <= now.getTime()) {
    return { exists: true, failures: 0, windowStart: ts, lockedUntil: null };
  }
  return { exists: true, failures: row.failures, windowStart: row.window_start, lockedUntil: row.locked_until };
}

async function write(trx: Kysely<Database>, c: Counter, s: State, exists: boolean): Promise<void> {
  const values = { failures: s.failures, window_start: s.windowStart, locked_until: s.lockedUntil };
  if (exists) await trx.updateTable('auth_throttle').set(values).where('key', '=', c.key).execute();
  else await trx.insertInto('auth_throttle').values({ key: c.key, account: c.account, ...values }).execute();
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

export type Reservation =
  | { ok: true; attempt: number }
  /** lockedUntil null: every allowed attempt is already being checked (a burst); refused, not locked. */
  | { ok: false; lockedUntil: string | null };

/** Call inside a write transaction, before hashing: refuses a locked or full counter, otherwise counts the attempt. */
export async function reserveAttempt(trx: Kysely<Database>, counters: Counter[], now: Date): Promise<Reservation> {
  const states = [];
  let lockedUntil: string | null = null;
  let full = false;
  for (const c of counters) {
    const s = await read(trx, c, now);
    if (s.lockedUntil !== null) lockedUntil = later(lockedUntil, s.lockedUntil);
    else if (s.failures >= c.max) full = true;
    states.push(s);
  }
  if (lockedUntil !== null || full) return { ok: false, lockedUntil };
  for (const [i, c] of counters.entries()) {
    const s = states[i] as State & { exists: boolean };
    await write(trx, c, { ...s, failures: s.failures + 1 }, s.exists);
  }
  return { ok: true, attempt: (states[0]?.failures ?? 0) + 1 };
}

/** After a wrong password: a counter at its limit locks now. Returns the lock's end when one is in force. */
export async function settleFailure(trx: Kysely<Database>, counters: Counter[], now: Date): Promise<string | null> {
  let lockedUntil: string | null = null;
  const until = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
  for (const c of counters) {
    const s = await read(trx, c, now);
    if (s.lockedUntil !== null) {
      lockedUntil = later(lockedUntil, s.lockedUntil);
    } else if (s.failures >= c.max) {
      await write(trx, c, { failures: 0, windowStart: s.windowStart, lockedUntil: until }, s.exists);
      lockedUntil = later(lockedUntil, until);
    }
  }
  return lockedUntil;
}

/**
 * After the right password: if a lock was set while it was being checked, the lock stands and its end is
 * returned (the caller refuses). Otherwise the account's counts start again and the source's loses this attempt.
 */
export async function settleSuccess(trx: Kysely<Database>, counters: Counter[], now: Date): Promise<string | null> {
  const states = [];
  let lockedUntil: string | null = null;
  for (const c of counters) {
    const s = await read(trx, c, now);
    lockedUntil = later(lockedUntil, s.lockedUntil);
    states.push(s);
  }
  if (lockedUntil !== null) return lockedUntil;
  for (const [i, c] of counters.entries()) {
    const s = states[i] as State & { exists: boolean };
    await write(trx, c, { ...s, failures: c.resetOnSuccess ? 0 : Math.max(0, s.failures - 1) }, s.exists);
  }
  // "In a row" holds for the account wherever it is used: the right password at one PC starts the counts
  // at the others again too, but never lifts a lock standing there.
  const account = counters.find((c) => c.account !== null)?.account;
  if (account) {
    await trx
      .updateTable('auth_throttle')
      .set({ failures: 0 })
      .where('account', '=', account)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now.toISOString())]))
      .execute();
  }
  return null;
}

/** An administrator lifts every lock and count on an account (not on sources). */
export async function clearAccount(trx: Kysely<Database>, username: string): Promise<void> {
  await trx.deleteFrom('auth_throttle').where('account', '=', accountKey(username)).execute();
}

/** Forgets counts begun more than a day ago (unless locked), so sprayed usernames do not pile up. */
export async function purgeStale(trx: Kysely<Database>, now: Date): Promise<void> {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60_000).toISOString();
  await trx
    .deleteFrom('auth_throttle')
    .where('window_start', '<', dayAgo)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now.toISOString())]))
    .execute();
}
