import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { Role } from '../../contract/roles';
import type { Actor, Transport } from '../context';

/**
 * Sessions live in the database (table `sessions`), so every process on the same data folder (the
 * desktop window and the browser host today, several server processes later) checks the same rows on
 * every call: disabling, demoting or resetting a user, or ending a session, takes effect on the next
 * call everywhere. The token is handed to the client once; only its SHA-256 is stored.
 */
export interface Session {
  id: number;
  /** The token itself, only right after sign-in (the one moment it is handed out); otherwise null. */
  token: string | null;
  actor: Actor;
  /** Read from the user's row on every call, so an administrator's reset applies at once. */
  mustChangePassword: boolean;
  createdAt: number;
  lastSeen: number;
  locked: boolean;
  /** Where the session was opened from (e.g. `http:127.0.0.1`, `ipc:local`). */
  source: string;
}

/** A session ends after this long whatever the activity (a working day). */
export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;
/** Last use is written at most this often per session: one small write, not one per call. */
const TOUCH_EVERY_MS = 15_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface SessionOrigin {
  transport: Transport;
  source: string;
}

interface SessionUser {
  id: number;
  username: string;
  display_name: string;
  role: string;
  team_id: number | null;
  must_change_password: number;
}

export class SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Opens a session for a user, inside the caller's transaction (the sign-in and its audit row). */
  async create(trx: Kysely<Database>, user: SessionUser, origin: SessionOrigin, now: Date): Promise<Session> {
    const token = randomBytes(32).toString('base64url');
    const ts = now.toISOString();
    const row = await trx
      .insertInto('sessions')
      .values({
        token_hash: hashToken(token),
        user_id: user.id,
        transport: origin.transport,
        source: origin.source,
        created_at: ts,
        last_seen_at: ts,
        expires_at: new Date(now.getTime() + SESSION_MAX_AGE_MS).toISOString(),
        locked: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      id: row.id,
      token,
      actor: { userId: user.id, username: user.username, displayName: user.display_name, role: user.role as Role, teamId: user.team_id },
      mustChangePassword: user.must_change_password === 1,
      createdAt: now.getTime(),
      lastSeen: now.getTime(),
      locked: false,
      source: origin.source,
    };
  }

  /**
   * The live session for a token, read with its user's current row: undefined when the token is unknown,
   * the session has passed its maximum age, or the user is disabled. The role and team are the user's
   * current ones.
   */
  async resolve(token: string | null | undefined, now: Date): Promise<Session | undefined> {
    if (!token || token.length > 128) return undefined;
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id',
        'sessions.source',
        'sessions.created_at',
        'sessions.last_seen_at',
        'sessions.locked',
        'users.id as user_id',
        'users.username',
        'users.display_name',
        'users.role',
        'users.team_id',
        'users.must_change_password',
      ])
      .where('sessions.token_hash', '=', hashToken(token))
      .where('sessions.expires_at', '>=', now.toISOString())
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      token: null,
      actor: { userId: row.user_id, username: row.username, displayName: row.display_name, role: row.role as Role, teamId: row.team_id },
      mustChangePassword: row.must_change_password === 1,
      createdAt: Date.parse(row.created_at),
      lastSeen: Date.parse(row.last_seen_at),
      locked: row.locked === 1,
      source: row.source,
    };
  }

  /** True when the session has been idle longer than the limit (and so must lock now). */
  idleExpired(s: Session, now: Date, idleLockMinutes: number): boolean {
    return !s.locked && now.getTime() - s.lastSeen > idleLockMinutes * 60_000;
  }

  /**
   * Locks the session. Returns true only for the call that changed it, so that when two processes
   * notice the same idle session at once only one of them writes the audit row.
   */
  async lock(trx: Kysely<Database>, s: Session): Promise<boolean> {
    const r = await trx.updateTable('sessions').set({ locked: 1 }).where('id', '=', s.id).where('locked', '=', 0).executeTakeFirst();
    s.locked = true;
    return Number(r.numUpdatedRows) > 0;
  }

  async unlock(trx: Kysely<Database>, s: Session, now: Date): Promise<void> {
    await trx.updateTable('sessions').set({ locked: 0, last_seen_at: now.toISOString() }).where('id', '=', s.id).execute();
    s.locked = false;
    s.lastSeen = now.getTime();
  }

  /** Records use of the session (for the idle lock), at most every few seconds. */
  async touch(s: Session, now: Date): Promise<void> {
    if (now.getTime() - s.lastSeen < TOUCH_EVERY_MS) return;
    await this.db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', s.id).where('locked', '=', 0).execute();
    s.lastSeen = now.getTime();
  }

  async end(trx: Kysely<Database>, s: Session): Promise<void> {
    await trx.deleteFrom('sessions').where('id', '=', s.id).execute();
  }

  /** Ends every session of a user (disabled, role changed, password reset, account locked), in every process. */
  async endAllFor(trx: Kysely<Database>, userId: number): Promise<number> {
    const r = await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Drops sessions past their maximum age (they are refused anyway; this keeps the table small). */
  async purgeExpired(trx: Kysely<Database>, now: Date): Promise<void> {
    await trx.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute();
  }
}
