import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../../db/schema';
import { writeTransaction } from '../../../db/tx';
import { ApiError } from '../../contract/envelope';
import type { Role } from '../../contract/roles';
import { formatRocDateTime } from '../../contract/roc-date';
import type { SessionView } from '../../contract/types';
import { normalizeInput } from '../../contract/text';
import { appendAudit, recordAudit, type AuditInput } from '../audit/log';
import type { Actor, AppContext } from '../context';
import { readSettings } from '../settings/service';
import { countUsers, findUserByUsername } from '../users/service';
import { decoyHash, hashPassword, verifyPassword, waitLikeAVerification } from './passwords';
import type { Session, SessionOrigin } from './sessions';
import { countersFor, LOCKOUT_MINUTES, MAX_FAILED_LOGINS, purgeStale, reserveAttempt, settleFailure, settleSuccess } from './throttle';

export { LOCKOUT_MINUTES, MAX_FAILED_LOGINS } from './throttle';

export function actorOf(u: UserRow): Actor {
  return { userId: u.id, username: u.username, displayName: u.display_name, role: u.role as Role, teamId: u.team_id };
}

/** The token is included right after sign-in only; Electron's adapter takes it out and keeps it in the main process. */
export function sessionView(s: Session, idleLockMinutes: number): SessionView {
  return {
    token: s.token,
    user: { id: s.actor.userId, username: s.actor.username, displayName: s.actor.displayName, role: s.actor.role, teamId: s.actor.teamId, mustChangePassword: s.mustChangePassword },
    locked: s.locked,
    idleLockMinutes,
  };
}

/** The username as typed, in the one form it is stored and looked up in: full-width, invisible characters and case folded. */
export function normalizeUsername(typed: string): string {
  return normalizeInput(typed).replace(/\s+/g, '').toLowerCase();
}

/**
 * How a name typed at a failed sign-in appears in the audit log when no such account exists: its first
 * two characters only, so a national ID (or a password typed into the wrong box) never lands in the
 * append-only log, while an administrator can still see a pattern of attempts.
 */
export function unknownUsernameLabel(username: string): string {
  return `${[...username].slice(0, 2).join('')}…（不存在的帳號）`;
}

function lockedMessage(until: string): string {
  return `密碼錯誤次數過多，帳號已鎖定至 ${formatRocDateTime(until)}（${LOCKOUT_MINUTES} 分鐘）。請稍後再試，或請管理者解除鎖定。`;
}

const BAD_CREDENTIALS = `帳號或密碼錯誤。連續錯誤 ${MAX_FAILED_LOGINS} 次將鎖定帳號 ${LOCKOUT_MINUTES} 分鐘。`;

type Door = 'login' | 'unlock' | 'password';
const FAILED_ACTION = { login: 'login.failed', unlock: 'unlock.failed', password: 'password.failed' } as const;

interface Attempt {
  door: Door;
  /** The normalised username typed (login) or the session's own. */
  username: string;
  user: UserRow | undefined;
  source: string;
}

function failureAudit(a: Attempt, detail: Record<string, unknown>): AuditInput {
  return a.user
    ? { actor: null, actorLabel: a.user.username, action: FAILED_ACTION[a.door], entity: 'user', entityId: a.user.id, detail }
    : { actor: null, actorLabel: unknownUsernameLabel(a.username), action: FAILED_ACTION[a.door], entity: 'user', detail: { ...detail, reason: 'unknown-user' } };
}

/**
 * Checks a password against the attempt counters (./throttle.ts): the attempt is counted before the
 * hash is computed, a locked or full counter is refused without hashing (after waiting as long as a hash
 * takes), and the right password never clears a lock set meanwhile. Unknown usernames go through the
 * very same steps against a decoy hash. Resolves only for the right password of an existing user.
 * `onLock` runs inside the transaction that sets or meets a lock (ending sessions, for the lock screen).
 */
async function checkPassword(
  app: AppContext,
  a: Attempt,
  password: string,
  refusal: { locked: (until: string) => ApiError; wrong: () => ApiError },
  onLock?: (trx: Kysely<Database>) => Promise<unknown>,
): Promise<void> {
  const now = app.now();
  const counters = countersFor(a.username, a.source);
  const reservation = await writeTransaction(app.db, async (trx) => {
    const r = await reserveAttempt(trx, counters, now);
    if (!r.ok) {
      await appendAudit(trx, failureAudit(a, { reason: r.lockedUntil ? 'locked' : 'throttled' }), now);
      if (r.lockedUntil && a.user && onLock) await onLock(trx);
    }
    return r;
  });
  if (!reservation.ok) {
    await waitLikeAVerification();
    throw reservation.lockedUntil ? refusal.locked(reservation.lockedUntil) : refusal.wrong();
  }
  const user = a.user;
  const right = await verifyPassword(password, user ? user.password_hash : await decoyHash());
  if (right && user) {
    const lockedMeanwhile = await writeTransaction(app.db, async (trx) => {
      const until = await settleSuccess(trx, counters, now);
      if (until) {
        await appendAudit(trx, failureAudit(a, { reason: 'locked' }), now);
        if (onLock) await onLock(trx);
      } else {
        await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
      }
      return until;
    });
    if (lockedMeanwhile) throw refusal.locked(lockedMeanwhile);
    return;
  }
  const lockedUntil = await writeTransaction(app.db, async (trx) => {
    const until = await settleFailure(trx, counters, now);
    if (user) {
      // Shown to administrators on the user list; the counters above are the truth.
      await trx.updateTable('users').set({ failed_logins: until ? 0 : reservation.attempt, locked_until: until }).where('id', '=', user.id).execute();
      if (until && onLock) await onLock(trx);
    }
    await appendAudit(trx, failureAudit(a, { attempt: reservation.attempt, locked: until !== null }), now);
    return until;
  });
  throw lockedUntil ? refusal.locked(lockedUntil) : refusal.wrong();
}

export async function login(app: AppContext, typedUsername: string, password: string, origin: SessionOrigin): Promise<Session> {
  const username = normalizeUsername(typedUsername);
  const user = await findUserByUsername(app.db, username);
  await checkPassword(app, { door: 'login', username, user, source: origin.source }, password, {
    locked: (until) => new ApiError('ACCOUNT_LOCKED', lockedMessage(until)),
    wrong: () => new ApiError('BAD_CREDENTIALS', BAD_CREDENTIALS),
  });
  const found = user as UserRow; // checkPassword resolves only for an existing user
  const now = app.now();
  // Said only after the right password, so a disabled account's existence is not revealed to a guesser.
  if (found.disabled_at) {
    await recordAudit(app.db, { actor: null, actorLabel: found.username, action: 'login.failed', entity: 'user', entityId: found.id, detail: { reason: 'disabled' } }, now);
    throw new ApiError('ACCOUNT_DISABLED', '此帳號已停用，請洽管理者。');
  }
  return writeTransaction(app.db, async (trx) => {
    // Read again inside the write lock: disabled or changed since the password was checked.
    const fresh = await trx.selectFrom('users').selectAll().where('id', '=', found.id).executeTakeFirstOrThrow();
    if (fresh.disabled_at) throw new ApiError('ACCOUNT_DISABLED', '此帳號已停用，請洽管理者。');
    await app.sessions.purgeExpired(trx, now);
    await purgeStale(trx, now);
    await appendAudit(trx, { actor: actorOf(fresh), action: 'login', entity: 'user', entityId: fresh.id }, now);
    return app.sessions.create(trx, fresh, origin, now);
  });
}

export async function unlock(app: AppContext, session: Session, password: string, source: string): Promise<void> {
  const user = await app.db.selectFrom('users').selectAll().where('id', '=', session.actor.userId).executeTakeFirst();
  if (!user || user.disabled_at) {
    await app.sessions.end(app.db, session);
    throw new ApiError('UNAUTHENTICATED', '此帳號已停用，請洽管理者。');
  }
  await checkPassword(
    app,
    { door: 'unlock', username: user.username, user, source },
    password,
    {
      locked: (until) => new ApiError('ACCOUNT_LOCKED', lockedMessage(until)),
      wrong: () => new ApiError('BAD_CREDENTIALS', `密碼錯誤，請再試一次。連續錯誤 ${MAX_FAILED_LOGINS} 次將登出並鎖定帳號。`),
    },
    // Guessing at an unattended lock screen: the lock signs the user out everywhere.
    (trx) => app.sessions.endAllFor(trx, user.id),
  );
  const now = app.now();
  await writeTransaction(app.db, async (trx) => {
    await app.sessions.unlock(trx, session, now);
    await appendAudit(trx, { actor: session.actor, action: 'unlock', entity: 'session' }, now);
  });
}

export interface SetupInput {
  setupCode?: string | undefined;
  centerName: string;
  username: string;
  displayName: string;
  password: string;
}

/** First run: creates the administrator. Only possible while no user exists. */
export async function setup(app: AppContext, input: SetupInput, codeRequired: boolean, origin: SessionOrigin): Promise<Session> {
  if ((await countUsers(app.db)) > 0) throw new ApiError('RULE', '本系統已完成首次設定，請直接登入。');
  if (codeRequired && !app.setupGate.matches(input.setupCode)) {
    if (!app.setupGate.active) {
      throw new ApiError('FORBIDDEN', '設定碼已失效（錯誤次數過多）。請關閉並重新啟動本系統，使用主控台顯示的新設定碼。');
    }
    app.setupGate.fail();
    throw new ApiError('FORBIDDEN', '首次設定碼不正確。請查看啟動本系統的視窗（主控台）所顯示的設定碼。', { fields: { setupCode: '設定碼不正確' } });
  }
  const now = app.now();
  const passwordHash = await hashPassword(input.password);
  const session = await writeTransaction(app.db, async (trx) => {
    // Re-checked inside the write lock: two first-run screens racing get one administrator.
    const again = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (again) throw new ApiError('RULE', '本系統已完成首次設定，請直接登入。');
    const ts = now.toISOString();
    const inserted = await trx
      .insertInto('users')
      .values({
        username: normalizeUsername(input.username),
        display_name: input.displayName,
        role: 'admin',
        team_id: null,
        password_hash: passwordHash,
        must_change_password: 0,
        failed_logins: 0,
        locked_until: null,
        disabled_at: null,
        created_at: ts,
        updated_at: ts,
        version: 1,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto('settings').values({ key: 'center.name', value: JSON.stringify(input.centerName) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(input.centerName) })).execute();
    const actor = actorOf(inserted);
    await appendAudit(trx, { actor, action: 'setup', entity: 'center', detail: { centerName: input.centerName } }, now);
    await appendAudit(trx, { actor, action: 'create', entity: 'user', entityId: inserted.id, detail: { username: inserted.username, role: 'admin' } }, now);
    await appendAudit(trx, { actor, action: 'login', entity: 'user', entityId: inserted.id }, now);
    return app.sessions.create(trx, inserted, origin, now);
  });
  app.setupGate.consume();
  return session;
}

export async function changePassword(app: AppContext, session: Session, current: string, next: string, source: string): Promise<void> {
  const user = await app.db.selectFrom('users').selectAll().where('id', '=', session.actor.userId).executeTakeFirstOrThrow();
  // Guessing through an unattended session counts toward the same lockout as signing in.
  await checkPassword(
    app,
    { door: 'password', username: user.username, user, source },
    current,
    {
      locked: (until) => new ApiError('ACCOUNT_LOCKED', lockedMessage(until)),
      wrong: () => new ApiError('BAD_CREDENTIALS', '目前的密碼不正確。', { fields: { currentPassword: '目前的密碼不正確' } }),
    },
    (trx) => app.sessions.endAllFor(trx, user.id),
  );
  if (current === next) throw new ApiError('RULE', '新密碼不可與目前的密碼相同。', { fields: { newPassword: '與目前密碼相同' } });
  if (next.toLowerCase().includes(user.username)) {
    throw new ApiError('RULE', '新密碼不可包含帳號名稱。', { fields: { newPassword: '不可包含帳號' } });
  }
  const hash = await hashPassword(next);
  const now = app.now();
  await writeTransaction(app.db, async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: 0, updated_at: now.toISOString(), version: user.version + 1 })
      .where('id', '=', user.id)
      .execute();
    // Other sessions of this user (another PC, a forgotten window) end; this one goes on.
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('id', '!=', session.id).execute();
    await appendAudit(trx, { actor: session.actor, action: 'password.change', entity: 'user', entityId: user.id }, now);
  });
  session.mustChangePassword = false;
}

export async function idleLockMinutes(app: AppContext): Promise<number> {
  return (await readSettings(app.db)).idleLockMinutes;
}
