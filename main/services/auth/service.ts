import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../../db/schema';
import { writeTransaction } from '../../../db/tx';
import { ApiError } from '../../contract/envelope';
import type { Role } from '../../contract/roles';
import { formatRocDateTime } from '../../contract/roc-date';
import type { SessionView } from '../../contract/types';
import { appendAudit, recordAudit } from '../audit/log';
import type { Actor, AppContext } from '../context';
import { readSettings } from '../settings/service';
import { countUsers, findUserByUsername } from '../users/service';
import { decoyHash, hashPassword, verifyPassword } from './passwords';
import type { Session } from './sessions';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export function actorOf(u: UserRow): Actor {
  return { userId: u.id, username: u.username, displayName: u.display_name, role: u.role as Role, teamId: u.team_id };
}

/** The token is always included; Electron's adapter takes it out and keeps it in the main process. */
export function sessionView(s: Session, idleLockMinutes: number): SessionView {
  return {
    token: s.token,
    user: { id: s.actor.userId, username: s.actor.username, displayName: s.actor.displayName, role: s.actor.role, teamId: s.actor.teamId, mustChangePassword: s.mustChangePassword },
    locked: s.locked,
    idleLockMinutes,
  };
}

function lockedMessage(until: string): string {
  return `密碼連續錯誤 ${MAX_FAILED_LOGINS} 次，帳號已鎖定至 ${formatRocDateTime(until)}（${LOCKOUT_MINUTES} 分鐘）。請稍後再試，或請管理者解除鎖定。`;
}

const BAD_CREDENTIALS = `帳號或密碼錯誤。連續錯誤 ${MAX_FAILED_LOGINS} 次將鎖定帳號 ${LOCKOUT_MINUTES} 分鐘。`;

/**
 * Counts a wrong password against the account; the fifth in a row locks it.
 * Returns the lock time when this attempt locked it.
 */
async function registerFailure(db: Kysely<Database>, user: UserRow, now: Date, context: 'login' | 'unlock' | 'password'): Promise<string | null> {
  return writeTransaction(db, async (trx) => {
    const fresh = await trx.selectFrom('users').select('failed_logins').where('id', '=', user.id).executeTakeFirstOrThrow();
    const failed = fresh.failed_logins + 1;
    const locks = failed >= MAX_FAILED_LOGINS;
    const lockedUntil = locks ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
    await trx
      .updateTable('users')
      .set(locks ? { failed_logins: 0, locked_until: lockedUntil } : { failed_logins: failed })
      .where('id', '=', user.id)
      .execute();
    await appendAudit(
      trx,
      {
        actor: null,
        actorLabel: user.username,
        action: context === 'login' ? 'login.failed' : context === 'unlock' ? 'unlock.failed' : 'password.failed',
        entity: 'user',
        entityId: user.id,
        detail: { attempt: failed, locked: locks },
      },
      now,
    );
    return lockedUntil;
  });
}

export async function login(app: AppContext, username: string, password: string): Promise<Session> {
  const now = app.now();
  const user = await findUserByUsername(app.db, username);
  if (!user) {
    await verifyPassword(password, await decoyHash());
    await recordAudit(app.db, { actor: null, actorLabel: username.slice(0, 32), action: 'login.failed', entity: 'user', detail: { reason: 'unknown-user' } }, now);
    throw new ApiError('BAD_CREDENTIALS', BAD_CREDENTIALS);
  }
  if (user.locked_until && user.locked_until > now.toISOString()) {
    await recordAudit(app.db, { actor: null, actorLabel: user.username, action: 'login.failed', entity: 'user', entityId: user.id, detail: { reason: 'locked' } }, now);
    throw new ApiError('ACCOUNT_LOCKED', lockedMessage(user.locked_until));
  }
  if (!(await verifyPassword(password, user.password_hash))) {
    const lockedUntil = await registerFailure(app.db, user, now, 'login');
    if (lockedUntil) throw new ApiError('ACCOUNT_LOCKED', lockedMessage(lockedUntil));
    throw new ApiError('BAD_CREDENTIALS', BAD_CREDENTIALS);
  }
  // Said only after the right password, so a disabled account's existence is not revealed to a guesser.
  if (user.disabled_at) {
    await recordAudit(app.db, { actor: null, actorLabel: user.username, action: 'login.failed', entity: 'user', entityId: user.id, detail: { reason: 'disabled' } }, now);
    throw new ApiError('ACCOUNT_DISABLED', '此帳號已停用，請洽管理者。');
  }
  return writeTransaction(app.db, async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    await appendAudit(trx, { actor: actorOf(user), action: 'login', entity: 'user', entityId: user.id }, now);
    return app.sessions.create(actorOf(user), user.must_change_password === 1, now.getTime());
  });
}

export async function unlock(app: AppContext, session: Session, password: string): Promise<void> {
  const now = app.now();
  const user = await app.db.selectFrom('users').selectAll().where('id', '=', session.actor.userId).executeTakeFirst();
  if (!user || user.disabled_at) {
    app.sessions.delete(session.token);
    throw new ApiError('UNAUTHENTICATED', '此帳號已停用，請洽管理者。');
  }
  if (!(await verifyPassword(password, user.password_hash))) {
    const lockedUntil = await registerFailure(app.db, user, now, 'unlock');
    if (lockedUntil) {
      app.sessions.endAllFor(user.id);
      throw new ApiError('ACCOUNT_LOCKED', lockedMessage(lockedUntil));
    }
    throw new ApiError('BAD_CREDENTIALS', `密碼錯誤，請再試一次。連續錯誤 ${MAX_FAILED_LOGINS} 次將登出並鎖定帳號。`);
  }
  await writeTransaction(app.db, async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0 }).where('id', '=', user.id).execute();
    await appendAudit(trx, { actor: session.actor, action: 'unlock', entity: 'session' }, now);
  });
  session.locked = false;
  session.lastSeen = now.getTime();
}

export interface SetupInput {
  setupCode?: string | undefined;
  centerName: string;
  username: string;
  displayName: string;
  password: string;
}

/** First run: creates the administrator. Only possible while no user exists. */
export async function setup(app: AppContext, input: SetupInput, codeRequired: boolean): Promise<Session> {
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
        username: input.username.toLowerCase(),
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
    return app.sessions.create(actor, false, now.getTime());
  });
  app.setupGate.consume();
  return session;
}

export async function changePassword(app: AppContext, session: Session, current: string, next: string): Promise<void> {
  const user = await app.db.selectFrom('users').selectAll().where('id', '=', session.actor.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(current, user.password_hash))) {
    // Guessing through an unattended session counts toward the same lockout as signing in.
    const lockedUntil = await registerFailure(app.db, user, app.now(), 'password');
    if (lockedUntil) {
      app.sessions.endAllFor(user.id);
      throw new ApiError('ACCOUNT_LOCKED', lockedMessage(lockedUntil));
    }
    throw new ApiError('BAD_CREDENTIALS', '目前的密碼不正確。', { fields: { currentPassword: '目前的密碼不正確' } });
  }
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
    await appendAudit(trx, { actor: session.actor, action: 'password.change', entity: 'user', entityId: user.id }, now);
  });
  session.mustChangePassword = false;
}

export async function idleLockMinutes(app: AppContext): Promise<number> {
  return (await readSettings(app.db)).idleLockMinutes;
}
