/**
 * Signing in, lockout, idle lock, password changes and first-run setup, through the real dispatcher on a
 * real database. Time moves with the test clock (tests/helpers/app.ts), never by sleeping.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../main/contract/envelope';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/app';
import { row as dbRow, rows as dbRows } from '../helpers/db';

const CJK = /[\u3400-\u9fff]/;

function errorOf(env: Envelope<unknown>): { code: string; message: string; fields?: Record<string, string> } {
  if (env.ok) throw new Error(`expected a refusal, got ${JSON.stringify(env.value)}`);
  return env.error;
}

async function auditRows(t: TestApp, action: string): Promise<Record<string, unknown>[]> {
  return (await dbRows(t.app, 'select * from audit_log where action = ? order by id', action)) as Record<string, unknown>[];
}

describe('sign-in and lockout', () => {
  let t: TestApp;
  let adminToken: string;
  let worker: { id: number; token: string };

  beforeAll(async () => {
    t = await createTestApp();
    adminToken = await t.setupAdmin();
    worker = await t.createUser(adminToken, 'chen', 'worker');
  });
  afterAll(async () => {
    await t?.close();
  });

  const login = (username: string, password: string) => t.raw('auth.login', { username, password }, null, 'http');

  it('an unknown username gets exactly the same answer as a wrong password', async () => {
    const wrong = errorOf(await login('chen', 'Wrong12345'));
    const unknown = errorOf(await login('nobody', 'Wrong12345'));
    expect(wrong.code).toBe('BAD_CREDENTIALS');
    expect(unknown).toEqual(wrong);
    expect(wrong.message).toBe('帳號或密碼錯誤。連續錯誤 5 次將鎖定帳號 15 分鐘。');
    // Both are audited as failed sign-ins; the unknown name only by its first two characters, with no actor id.
    const failed = (await auditRows(t, 'login.failed'));
    expect(failed.at(-2)).toMatchObject({ actor_id: null, actor_name: 'chen', entity: 'user', entity_id: String(worker.id) });
    expect(failed.at(-1)).toMatchObject({ actor_id: null, actor_name: 'no…（不存在的帳號）', entity_id: null });
    expect(JSON.parse(failed.at(-1)?.detail as string)).toEqual({ reason: 'unknown-user', attempt: 1, locked: false });
    // A successful sign-in resets the count, so this one wrong password does not linger.
    expect((await t.call('auth.login', { username: 'chen', password: USER_PASSWORD })).user.id).toBe(worker.id);
  });

  it('username matching ignores case and surrounding spaces', async () => {
    const s = await t.call('auth.login', { username: '  CHEN ', password: USER_PASSWORD });
    expect(s.user.username).toBe('chen');
  });

  it('five wrong passwords in a row lock the account for 15 minutes, with a zh-TW message giving the time', async () => {
    // The test clock starts at 2026-03-05T02:00Z = 115/03/05 10:00 in Taipei.
    for (let i = 1; i <= 4; i++) {
      expect(errorOf(await login('chen', `Wrong${i}2345`)).code, `attempt ${i}`).toBe('BAD_CREDENTIALS');
    }
    const fifth = errorOf(await login('chen', 'Wrong52345'));
    expect(fifth.code).toBe('ACCOUNT_LOCKED');
    expect(fifth.message).toMatch(CJK);
    expect(fifth.message).toContain('115/03/05 10:15');
    expect(fifth.message).toContain('15 分鐘');
    const row = (await dbRow(t.app, 'select failed_logins, locked_until from users where id = ?', worker.id));
    expect(row).toEqual({ failed_logins: 0, locked_until: '2026-03-05T02:15:00.000Z' });
    const lastFailure = (await auditRows(t, 'login.failed')).at(-1);
    expect(JSON.parse(lastFailure?.detail as string)).toEqual({ attempt: 5, locked: true });

    // The right password does not help while locked; the message still names the time.
    const during = errorOf(await login('chen', USER_PASSWORD));
    expect(during.code).toBe('ACCOUNT_LOCKED');
    expect(during.message).toContain('115/03/05 10:15');

    t.clock.advanceMinutes(14);
    expect(errorOf(await login('chen', USER_PASSWORD)).code).toBe('ACCOUNT_LOCKED');
    t.clock.advanceMinutes(1);
    const s = await t.call('auth.login', { username: 'chen', password: USER_PASSWORD });
    expect(s.user.id).toBe(worker.id);
    expect((await dbRow(t.app, 'select failed_logins, locked_until from users where id = ?', worker.id))).toEqual({
      failed_logins: 0,
      locked_until: null,
    });
  });

  it('the count is "in a row": a successful sign-in in between starts it again', async () => {
    for (let i = 0; i < 4; i++) expect(errorOf(await login('chen', 'Nope12345')).code).toBe('BAD_CREDENTIALS');
    await t.call('auth.login', { username: 'chen', password: USER_PASSWORD });
    for (let i = 0; i < 4; i++) expect(errorOf(await login('chen', 'Nope12345')).code).toBe('BAD_CREDENTIALS');
    await t.call('auth.login', { username: 'chen', password: USER_PASSWORD });
  });

  it('an administrator can lift a lock early', async () => {
    for (let i = 0; i < 5; i++) await login('chen', 'Nope12345');
    expect(errorOf(await login('chen', USER_PASSWORD)).code).toBe('ACCOUNT_LOCKED');
    // The earlier clock jumps idle-locked the first admin session: sign in again.
    const admin = await t.call('auth.login', { username: 'admin', password: 'Admin12345' });
    const view = await t.call('users.unlock', { id: worker.id }, admin.token);
    expect(view.lockedUntil).toBeNull();
    expect((await t.call('auth.login', { username: 'chen', password: USER_PASSWORD })).user.id).toBe(worker.id);
  });

  it('sign-in hands out a fresh token each time, and sign-out ends only that session', async () => {
    const a = await t.call('auth.login', { username: 'chen', password: USER_PASSWORD });
    const b = await t.call('auth.login', { username: 'chen', password: USER_PASSWORD });
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    await t.call('auth.logout', {}, a.token);
    expect(errorOf(await t.raw('settings.get', {}, a.token, 'http')).code).toBe('UNAUTHENTICATED');
    expect((await t.raw('settings.get', {}, b.token, 'http')).ok).toBe(true);
    expect((await auditRows(t, 'logout')).at(-1)).toMatchObject({ actor_id: worker.id, entity: 'session' });
  });
});

describe('idle lock', () => {
  let t: TestApp;
  /** A fresh administrator session: the clock jumps in these tests idle-lock older ones. */
  const adminLogin = async () => (await t.call('auth.login', { username: 'admin', password: 'Admin12345' })).token as string;
  /**
   * A worker signed in with the initial password (two scrypt runs instead of five). The session must still
   * change its password, which leaves it settings.get and the session methods: all these tests need.
   */
  const signedInWorker = async (username: string) => {
    const u = await t.call('users.create', { username, displayName: `${username}姓名`, role: 'worker', teamId: null, initialPassword: USER_PASSWORD }, await adminLogin());
    const s = await t.call('auth.login', { username, password: USER_PASSWORD });
    return { id: u.id, token: s.token as string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    const adminToken = await t.setupAdmin();
    const settings = await t.call('settings.update', { centerName: '測試中心', idleLockMinutes: 5 }, adminToken);
    expect(settings.idleLockMinutes).toBe(5);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('locks a session on the server after the configured minutes without a call, and unlocks with the password', async () => {
    const me = await signedInWorker('lin');
    const token = me.token;
    expect((await t.call('auth.status', {}, token)).session?.idleLockMinutes).toBe(5);

    t.clock.advanceMinutes(4);
    expect((await t.raw('settings.get', {}, token, 'http')).ok).toBe(true); // activity resets the timer
    t.clock.advanceMinutes(5);
    expect((await t.raw('settings.get', {}, token, 'http')).ok).toBe(true); // exactly the limit: not yet
    t.clock.advanceMinutes(5.1);

    // auth.status (public) already tells the screen the session is locked.
    const status = await t.call('auth.status', {}, token);
    expect(status.session?.locked).toBe(true);
    expect(status.session?.token).toBeNull();
    const refused = errorOf(await t.raw('settings.get', {}, token, 'http'));
    expect(refused.code).toBe('SESSION_LOCKED');
    expect(refused.message).toMatch(CJK);
    const lockRows = (await auditRows(t, 'lock')).filter((r) => r.actor_id === me.id);
    expect(lockRows).toHaveLength(1);
    expect(JSON.parse(lockRows[0]?.detail as string)).toEqual({ reason: 'idle' });

    const wrong = errorOf(await t.raw('auth.unlock', { password: 'Wrong12345' }, token, 'http'));
    expect(wrong.code).toBe('BAD_CREDENTIALS');
    expect(wrong.message).toMatch(CJK);
    expect(errorOf(await t.raw('settings.get', {}, token, 'http')).code).toBe('SESSION_LOCKED');

    const unlocked = await t.call('auth.unlock', { password: USER_PASSWORD }, token);
    expect(unlocked.locked).toBe(false);
    expect(unlocked.user.id).toBe(me.id);
    expect((await t.raw('settings.get', {}, token, 'http')).ok).toBe(true);
    expect((await auditRows(t, 'unlock')).at(-1)).toMatchObject({ actor_id: me.id });
    expect((await auditRows(t, 'unlock.failed')).at(-1)).toMatchObject({ actor_id: null, actor_name: 'lin', entity_id: String(me.id) });
    // A correct unlock clears the count of the wrong one before it.
    expect((await dbRow(t.app, 'select failed_logins from users where id = ?', me.id))).toEqual({ failed_logins: 0 });
  });

  it('a new limit from settings.update applies at once, also to sessions already open', async () => {
    const admin = await adminLogin();
    const open = await adminLogin();
    await t.call('settings.update', { centerName: '測試中心', idleLockMinutes: 30 }, admin);
    t.clock.advanceMinutes(20);
    expect((await t.raw('settings.get', {}, open, 'http')).ok).toBe(true); // would have locked at 5
    t.clock.advanceMinutes(30.5);
    expect(errorOf(await t.raw('settings.get', {}, open, 'http')).code).toBe('SESSION_LOCKED');
    expect(errorOf(await t.raw('settings.get', {}, admin, 'http')).code).toBe('SESSION_LOCKED');
    await t.call('auth.unlock', { password: 'Admin12345' }, admin);
    await t.call('settings.update', { centerName: '測試中心', idleLockMinutes: 5 }, admin);
  });

  it('wrong passwords at the lock screen count toward the lockout: the fifth signs out and locks the account', async () => {
    const me = await signedInWorker('wang');
    await t.call('auth.lock', {}, me.token);
    expect((await auditRows(t, 'lock')).at(-1)).toMatchObject({ actor_id: me.id, detail: JSON.stringify({ reason: 'user' }) });
    for (let i = 1; i <= 4; i++) expect(errorOf(await t.raw('auth.unlock', { password: `Bad${i}23456` }, me.token, 'http')).code).toBe('BAD_CREDENTIALS');
    const fifth = errorOf(await t.raw('auth.unlock', { password: 'Bad523456' }, me.token, 'http'));
    expect(fifth.code).toBe('ACCOUNT_LOCKED');
    expect(fifth.message).toContain('15 分鐘');
    expect(errorOf(await t.raw('auth.unlock', { password: USER_PASSWORD }, me.token, 'http')).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await t.raw('auth.login', { username: 'wang', password: USER_PASSWORD }, null, 'http')).code).toBe('ACCOUNT_LOCKED');
    t.clock.advanceMinutes(15);
    expect((await t.call('auth.login', { username: 'wang', password: USER_PASSWORD })).user.id).toBe(me.id);
  });

  it('wrong sign-ins and wrong unlocks add up to the same count', async () => {
    const me = await signedInWorker('huang');
    for (let i = 0; i < 3; i++) expect(errorOf(await t.raw('auth.login', { username: 'huang', password: 'Bad123456' }, null, 'http')).code).toBe('BAD_CREDENTIALS');
    await t.call('auth.lock', {}, me.token);
    expect(errorOf(await t.raw('auth.unlock', { password: 'Bad123456' }, me.token, 'http')).code).toBe('BAD_CREDENTIALS');
    expect(errorOf(await t.raw('auth.unlock', { password: 'Bad123456' }, me.token, 'http')).code).toBe('ACCOUNT_LOCKED');
  });

  it('a locked session may still sign out', async () => {
    const me = await signedInWorker('wuu');
    await t.call('auth.lock', {}, me.token);
    expect(await t.call('auth.logout', {}, me.token)).toBeNull();
    expect(errorOf(await t.raw('auth.unlock', { password: USER_PASSWORD }, me.token, 'http')).code).toBe('UNAUTHENTICATED');
  });
});

describe('changing the password', () => {
  let t: TestApp;
  let me: { id: number; token: string };

  beforeAll(async () => {
    t = await createTestApp();
    const adminToken = await t.setupAdmin();
    me = await t.createUser(adminToken, 'tsai', 'worker');
  });
  afterAll(async () => {
    await t?.close();
  });

  const change = (currentPassword: string, newPassword: string) => t.raw('auth.changePassword', { currentPassword, newPassword }, me.token, 'http');

  it('refuses a wrong current password, naming the field', async () => {
    const e = errorOf(await change('Wrong12345', 'Better12345'));
    expect(e.code).toBe('BAD_CREDENTIALS');
    expect(e.fields).toEqual({ currentPassword: '目前的密碼不正確' });
  });

  it.each([
    ['short', 'Ab1', '密碼至少需 8 個字元'],
    ['no digit', 'OnlyLetters', '密碼需同時包含英文字母與數字'],
    ['no letter', '1234567890', '密碼需同時包含英文字母與數字'],
    ['too long', `A1${'x'.repeat(127)}`, '密碼最多 128 個字元'],
  ])('refuses a new password that is %s', async (_label, next, message) => {
    const e = errorOf(await change(USER_PASSWORD, next));
    expect(e.code).toBe('VALIDATION');
    expect(e.fields?.newPassword).toBe(message);
  });

  it('refuses the same password again, and one containing the username', async () => {
    expect(errorOf(await change(USER_PASSWORD, USER_PASSWORD))).toMatchObject({ code: 'RULE', fields: { newPassword: '與目前密碼相同' } });
    expect(errorOf(await change(USER_PASSWORD, 'myTSAI2026'))).toMatchObject({ code: 'RULE', fields: { newPassword: '不可包含帳號' } });
  });

  it('a good new password replaces the old one at once and is audited', async () => {
    expect((await change(USER_PASSWORD, 'Better12345')).ok).toBe(true);
    expect(errorOf(await t.raw('auth.login', { username: 'tsai', password: USER_PASSWORD }, null, 'http')).code).toBe('BAD_CREDENTIALS');
    expect((await t.call('auth.login', { username: 'tsai', password: 'Better12345' })).user.id).toBe(me.id);
    expect((await auditRows(t, 'password.change')).at(-1)).toMatchObject({ actor_id: me.id, entity: 'user', entity_id: String(me.id) });
    const stored = (await dbRow(t.app, 'select password_hash from users where id = ?', me.id)) as { password_hash: string };
    expect(stored.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.password_hash).not.toContain('Better12345');
  });
});

describe('first-run setup', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const input = (extra: Record<string, unknown> = {}) => ({ centerName: '新北市某區社福中心', username: 'boss', displayName: '主任', password: 'Boss12345', ...extra });
  const userTotal = async () => ((await dbRow(t.app, 'select count(*) as n from users')) as { n: number }).n;

  it('over http and test transports the printed setup code is required; wrong or missing codes write nothing', async () => {
    const code = t.app.ctx.setupGate.issue();
    const status = await t.call('auth.status', {}, null);
    expect(status).toMatchObject({ needsSetup: true, setupCodeRequired: true, session: null });
    for (const transport of ['http', 'test'] as const) {
      for (const setupCode of [undefined, '', '0000-0000', code.replace('-', '').split('').reverse().join('')]) {
        if (setupCode === code.replace('-', '')) continue;
        const e = errorOf(await t.raw('auth.setup', input(setupCode === undefined ? {} : { setupCode }), null, transport));
        expect(e.code, `${transport} ${String(setupCode)}`).toBe('FORBIDDEN');
        expect(e.message).toContain('設定碼');
      }
    }
    expect((await userTotal())).toBe(0);
    expect(((await dbRow(t.app, 'select count(*) as n from audit_log')) as { n: number }).n).toBe(0);
    // The code may be typed without its dash or with spaces.
    const s = await t.raw('auth.setup', input({ setupCode: ` ${code.replace('-', ' ')} ` }), null, 'http');
    expect(s).toMatchObject({ ok: true, value: { user: { username: 'boss', role: 'admin', mustChangePassword: false } } });
    expect((await userTotal())).toBe(1);
    expect((await t.call('settings.get', {}, s.ok ? (s.value as { token: string }).token : null)).centerName).toBe('新北市某區社福中心');
    // One-time: the code is spent, and a second setup is refused whatever it carries.
    expect(t.app.ctx.setupGate.active).toBe(false);
    expect(errorOf(await t.raw('auth.setup', input({ username: 'boss2', setupCode: code }), null, 'http')).code).toBe('RULE');
    expect((await userTotal())).toBe(1);
  });

  it('without an issued code, http setup is impossible', async () => {
    expect(errorOf(await t.raw('auth.setup', input({ setupCode: '' }), null, 'http')).code).toBe('FORBIDDEN');
    expect((await userTotal())).toBe(0);
  });

  it("over 'ipc' (only the app's own window) no code is needed", async () => {
    const status = await t.raw('auth.status', {}, null, 'ipc');
    expect(status).toMatchObject({ ok: true, value: { needsSetup: true, setupCodeRequired: false } });
    const s = await t.raw('auth.setup', input(), null, 'ipc');
    expect(s).toMatchObject({ ok: true, value: { user: { role: 'admin' } } });
    expect((await userTotal())).toBe(1);
    const actions = ((await dbRows(t.app, 'select action, entity from audit_log order by id')) as { action: string; entity: string }[]).map(
      (r) => `${r.action} ${r.entity}`,
    );
    expect(actions).toEqual(['setup center', 'create user', 'login user']);
  });

  it('two setups racing each other produce exactly one administrator', async () => {
    const code = t.app.ctx.setupGate.issue();
    const results = await Promise.all([
      t.raw('auth.setup', input({ username: 'first', setupCode: code }), null, 'http'),
      t.raw('auth.setup', input({ username: 'second', setupCode: code }), null, 'http'),
      t.raw('auth.setup', input({ username: 'third' }), null, 'ipc'),
    ]);
    const outcomes = results.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual(['RULE', 'RULE']);
    expect((await dbRow(t.app, "select count(*) as n from users where role = 'admin'"))).toEqual({ n: 1 });
    expect(((await dbRow(t.app, "select count(*) as n from audit_log where action = 'setup'")) as { n: number }).n).toBe(1);
  });
});

describe('guessing through other doors', () => {
  let t: TestApp;
  let adminToken: string;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('wrong current passwords at "change password" count toward the lockout and end the session on the fifth', async () => {
    adminToken = await t.setupAdmin();
    const worker = await t.createUser(adminToken, 'lin', 'worker');
    for (let i = 1; i <= 4; i++) {
      const e = errorOf(await t.raw('auth.changePassword', { currentPassword: `guess${i}aa`, newPassword: 'Another123' }, worker.token));
      expect(e.code).toBe('BAD_CREDENTIALS');
    }
    const fifth = errorOf(await t.raw('auth.changePassword', { currentPassword: 'guess5aa', newPassword: 'Another123' }, worker.token));
    expect(fifth.code).toBe('ACCOUNT_LOCKED');
    expect(errorOf(await t.raw('settings.get', {}, worker.token)).code).toBe('UNAUTHENTICATED');
    expect((await auditRows(t, 'password.failed'))).toHaveLength(5);
    expect(errorOf(await t.raw('auth.login', { username: 'lin', password: USER_PASSWORD })).code).toBe('ACCOUNT_LOCKED');
  });

  it('a disabled account answers a wrong password like any other, so its existence is not revealed', async () => {
    adminToken = await t.setupAdmin();
    const worker = await t.createUser(adminToken, 'wuyi', 'worker');
    await t.call('users.setDisabled', { id: worker.id, disabled: true }, adminToken);
    expect(errorOf(await t.raw('auth.login', { username: 'wuyi', password: 'NotIt12345' })).code).toBe('BAD_CREDENTIALS');
    expect(errorOf(await t.raw('auth.login', { username: 'wuyi', password: USER_PASSWORD })).code).toBe('ACCOUNT_DISABLED');
  });

  it('ten wrong setup codes void the code until the host restarts with a new one', async () => {
    const code = t.app.ctx.setupGate.issue();
    const input = { centerName: '中心', username: 'admin', displayName: '管理者', password: 'Admin12345' };
    for (let i = 0; i < 10; i++) {
      expect(errorOf(await t.raw('auth.setup', { ...input, setupCode: `0000-000${i}` })).message).toContain('設定碼不正確');
    }
    const late = errorOf(await t.raw('auth.setup', { ...input, setupCode: code }));
    expect(late.message).toContain('重新啟動');
    expect(await t.app.needsSetup()).toBe(true);
  });
});
