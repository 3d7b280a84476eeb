/**
 * Who may call what: each role against each foundation method, through the real dispatcher.
 *
 * The probe is a payload with one unknown key. The dispatcher checks access before it parses the payload
 * (ARCHITECTURE.md, "A call"), so a caller who may call the method gets VALIDATION and one who may not
 * gets FORBIDDEN (or UNAUTHENTICATED / SESSION_LOCKED); either way no handler runs, so the probe itself
 * changes nothing but the audit row written for a denied call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, METHOD_NAMES, type MethodName } from '../../main/contract/api';
import { ROLES, type Role } from '../../main/contract/roles';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/app';
import { row as dbRow } from '../helpers/db';

const FOUNDATION_PREFIXES = ['auth.', 'users.', 'teams.', 'settings.', 'audit.'];
const FOUNDATION_METHODS = METHOD_NAMES.filter((m) => FOUNDATION_PREFIXES.some((p) => m.startsWith(p)));
const PROBE = { __probe: 1 };
const CJK = /[\u3400-\u9fff]/;

async function auditMaxId(t: TestApp): Promise<number> {
  return ((await dbRow(t.app, 'select coalesce(max(id), 0) as id from audit_log')) as { id: number }).id;
}
async function auditRow(t: TestApp, id: number): Promise<Record<string, unknown>> {
  return (await dbRow(t.app, 'select * from audit_log where id = ?', id)) as Record<string, unknown>;
}
async function userCount(t: TestApp): Promise<number> {
  return ((await dbRow(t.app, 'select count(*) as n from users')) as { n: number }).n;
}

describe('role access to the foundation methods', () => {
  let t: TestApp;
  const users = {} as Record<Role, { id: number; token: string }>;

  beforeAll(async () => {
    t = await createTestApp();
    const adminToken = await t.setupAdmin();
    users.admin = { id: 1, token: adminToken };
    for (const role of ROLES) {
      if (role !== 'admin') users[role] = await t.createUser(adminToken, `acc-${role}`, role);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('covers every foundation method of the contract', () => {
    expect(FOUNDATION_METHODS).toEqual(
      expect.arrayContaining(['auth.login', 'auth.changePassword', 'users.create', 'users.setDisabled', 'teams.list', 'settings.update', 'audit.verify']),
    );
  });

  // The contract's table, written out: a change to who may do what must change this test too.
  const EXPECTED: Record<string, 'public' | 'session' | Role[]> = {
    'auth.status': 'public',
    'users.assignable': ['worker', 'supervisor', 'admin'],
    'audit.recordPrint': ['worker', 'supervisor', 'admin', 'foodbank'],
    'audit.recordExport': ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'],
    'auth.setup': 'public',
    'auth.login': 'public',
    'auth.logout': 'session',
    'auth.lock': 'session',
    'auth.unlock': 'session',
    'auth.changePassword': ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'],
    'auth.draftKey': ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'],
    'users.list': ['admin'],
    'users.create': ['admin'],
    'users.update': ['admin'],
    'users.setDisabled': ['admin'],
    'users.resetPassword': ['admin'],
    'users.unlock': ['admin'],
    'teams.list': ['admin', 'supervisor'],
    'teams.create': ['admin'],
    'teams.update': ['admin'],
    'settings.get': ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'],
    'settings.update': ['admin'],
    'audit.list': ['auditor', 'admin'],
    'audit.actors': ['auditor', 'admin'],
    'audit.verify': ['auditor', 'admin'],
  };

  it('the contract grants exactly the access this test expects', () => {
    for (const name of FOUNDATION_METHODS) {
      const access = api[name].access;
      const expected = EXPECTED[name];
      expect(expected, `${name} missing from EXPECTED`).toBeDefined();
      if (typeof access === 'string') expect(access, name).toBe(expected);
      else expect([...access].sort(), name).toEqual([...(expected as Role[])].sort());
    }
  });

  for (const role of ROLES) {
    it(`${role}: allowed methods get as far as validation, the rest are FORBIDDEN with a 'denied' audit row`, async () => {
      const me = users[role];
      for (const name of FOUNDATION_METHODS) {
        const access = api[name].access;
        const allowed = access === 'public' || access === 'session' || access.includes(role);
        const before = (await auditMaxId(t));
        const env = await t.raw(name, PROBE, me.token, 'http');
        expect(env.ok, name).toBe(false);
        if (env.ok) continue;
        if (allowed) {
          expect(env.error.code, `${role} → ${name}`).toBe('VALIDATION');
          expect((await auditMaxId(t)), `${role} → ${name} wrote an audit row`).toBe(before);
        } else {
          expect(env.error.code, `${role} → ${name}`).toBe('FORBIDDEN');
          expect(env.error.message).toContain('沒有權限');
          expect((await auditMaxId(t))).toBe(before + 1);
          expect((await auditRow(t, before + 1))).toMatchObject({ actor_id: me.id, action: 'denied', entity: 'api', entity_id: name, detail: null });
        }
      }
    });
  }

  it('allowed calls really run for each role, and the role label appears in the refusal', async () => {
    expect((await t.call('settings.get', {}, users.worker.token)).idleLockMinutes).toBe(10);
    expect(await t.call('teams.list', {}, users.supervisor.token)).toEqual([]);
    expect((await t.call('audit.verify', {}, users.auditor.token)).ok).toBe(true);
    expect((await t.call('audit.list', { limit: 1 }, users.auditor.token)).rows).toHaveLength(1);
    const denied = await t.raw('audit.list', {}, users.foodbank.token, 'http');
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('實物銀行') } });
    const deniedWorker = await t.raw('users.list', {}, users.worker.token, 'http');
    expect(deniedWorker).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('社工') } });
  });

  it('without a session, or with an unknown token: UNAUTHENTICATED for every non-public method, and nothing audited', async () => {
    for (const token of [null, '', 'forged-token', `${users.admin.token}x`]) {
      for (const name of FOUNDATION_METHODS) {
        const before = (await auditMaxId(t));
        const env = await t.raw(name, PROBE, token, 'http');
        const expected = api[name].access === 'public' ? 'VALIDATION' : 'UNAUTHENTICATED';
        expect(env, `${name} with token ${JSON.stringify(token)}`).toMatchObject({ ok: false, error: { code: expected } });
        if (!env.ok) expect(env.error.message).toMatch(CJK);
        expect((await auditMaxId(t))).toBe(before);
      }
    }
  });

  it('a locked session gets SESSION_LOCKED for everything but the session and public methods', async () => {
    const second = await t.call('auth.login', { username: 'admin', password: 'Admin12345' });
    const token = second.token as string;
    expect(await t.call('auth.lock', {}, token)).toBeNull();
    for (const name of FOUNDATION_METHODS) {
      const access = api[name].access;
      const env = await t.raw(name, PROBE, token, 'http');
      const expected = access === 'public' || access === 'session' ? 'VALIDATION' : 'SESSION_LOCKED';
      expect(env, name).toMatchObject({ ok: false, error: { code: expected } });
      if (!env.ok && expected === 'SESSION_LOCKED') expect(env.error.message).toContain('鎖定');
    }
    // The lock is per session: the admin's first session is untouched.
    expect((await t.call('auth.status', {}, users.admin.token)).session?.locked).toBe(false);
    expect((await t.call('auth.status', {}, token)).session?.locked).toBe(true);
    await t.call('auth.logout', {}, token);
    expect(await t.raw('settings.get', {}, token, 'http')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('a user who must change the password may only change it (and read settings, sign out, lock)', async () => {
    await t.call('users.create', { username: 'newbie', displayName: '新進社工', role: 'admin', teamId: null, initialPassword: 'Initial123' }, users.admin.token);
    const s = await t.call('auth.login', { username: 'newbie', password: 'Initial123' });
    expect(s.user.mustChangePassword).toBe(true);
    const token = s.token as string;
    const stillAllowed = new Set<MethodName>(['auth.changePassword', 'settings.get']);
    for (const name of FOUNDATION_METHODS) {
      const access = api[name].access;
      const env = await t.raw(name, PROBE, token, 'http');
      if (access === 'public' || access === 'session' || stillAllowed.has(name)) {
        expect(env, name).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      } else {
        // An admin role, yet refused: the password has to be changed first.
        expect(env, name).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('變更密碼') } });
      }
    }
    await t.call('auth.changePassword', { currentPassword: 'Initial123', newPassword: 'Fresh2026x' }, token);
    expect((await t.call('users.list', {}, token)).length).toBeGreaterThan(1);
    expect((await t.call('auth.status', {}, token)).session?.user.mustChangePassword).toBe(false);
  });

  it('a password reset by the administrator ends the sessions and asks for a change at the next sign-in', async () => {
    const u = await t.createUser(users.admin.token, 'resetme', 'worker');
    await t.call('users.resetPassword', { id: u.id, newPassword: 'Temp12345' }, users.admin.token);
    expect(await t.raw('settings.get', {}, u.token, 'http')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const s = await t.call('auth.login', { username: 'resetme', password: 'Temp12345' });
    expect(s.user.mustChangePassword).toBe(true);
    expect(await t.raw('teams.list', {}, s.token, 'http')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it("disabling a user ends all of that user's sessions at once; the account cannot sign in until enabled again", async () => {
    const u = await t.createUser(users.admin.token, 'leaving', 'worker');
    const other = await t.call('auth.login', { username: 'leaving', password: USER_PASSWORD });
    expect((await t.raw('settings.get', {}, u.token, 'http')).ok).toBe(true);
    const view = await t.call('users.setDisabled', { id: u.id, disabled: true }, users.admin.token);
    expect(view.disabled).toBe(true);
    for (const token of [u.token, other.token]) {
      expect(await t.raw('settings.get', {}, token, 'http')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      expect(await t.raw('auth.unlock', { password: USER_PASSWORD }, token, 'http')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    expect(await t.raw('auth.login', { username: 'leaving', password: USER_PASSWORD }, null, 'http')).toMatchObject({
      ok: false,
      error: { code: 'ACCOUNT_DISABLED', message: expect.stringContaining('停用') },
    });
    await t.call('users.setDisabled', { id: u.id, disabled: false }, users.admin.token);
    // Enabling again does not revive the old sessions.
    expect(await t.raw('settings.get', {}, u.token, 'http')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect((await t.call('auth.login', { username: 'leaving', password: USER_PASSWORD })).user.id).toBe(u.id);
  });

  it("changing a user's role ends the sessions, so the new role applies from the next sign-in", async () => {
    const u = await t.createUser(users.admin.token, 'promoted', 'worker');
    const before = (await t.call('users.list', {}, users.admin.token)).find((x) => x.id === u.id);
    await t.call('users.update', { id: u.id, version: before?.version ?? 0, displayName: '升任督導', role: 'supervisor', teamId: null }, users.admin.token);
    expect(await t.raw('settings.get', {}, u.token, 'http')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const s = await t.call('auth.login', { username: 'promoted', password: USER_PASSWORD });
    expect(s.user.role).toBe('supervisor');
    expect((await t.raw('teams.list', {}, s.token, 'http')).ok).toBe(true);
  });

  it('an administrator cannot disable or demote their own account', async () => {
    const me = (await t.call('users.list', {}, users.admin.token)).find((x) => x.id === users.admin.id);
    expect(await t.raw('users.setDisabled', { id: users.admin.id, disabled: true }, users.admin.token, 'http')).toMatchObject({
      ok: false,
      error: { code: 'RULE' },
    });
    expect(
      await t.raw('users.update', { id: users.admin.id, version: me?.version ?? 0, displayName: '管理者', role: 'worker', teamId: null }, users.admin.token, 'http'),
    ).toMatchObject({ ok: false, error: { code: 'RULE' } });
    expect((await t.call('auth.status', {}, users.admin.token)).session?.user.role).toBe('admin');
  });

  it('a 社工 calling users.create directly (valid payload) is refused and no user is created', async () => {
    const usersBefore = (await userCount(t));
    const auditBefore = (await auditMaxId(t));
    const env = await t.raw(
      'users.create',
      { username: 'sneaky', displayName: '自己加的', role: 'admin', teamId: null, initialPassword: 'Sneaky12345' },
      users.worker.token,
      'http',
    );
    expect(env).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: '您的角色（社工）沒有權限執行此操作。' } });
    expect((await userCount(t))).toBe(usersBefore);
    expect((await dbRow(t.app, "select count(*) as n from users where username = 'sneaky'"))).toEqual({ n: 0 });
    // Exactly one row: the refusal itself, naming the method and the worker.
    expect((await auditMaxId(t))).toBe(auditBefore + 1);
    expect((await auditRow(t, auditBefore + 1))).toMatchObject({ actor_id: users.worker.id, action: 'denied', entity: 'api', entity_id: 'users.create' });
    // The same goes for the rest of user management.
    for (const name of ['users.setDisabled', 'users.resetPassword', 'users.update', 'teams.create', 'settings.update'] as const) {
      const r = await t.raw(name, {}, users.worker.token, 'http');
      expect(r, name).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('two administrators creating the same username at once: one account, and a RULE error for the other', async () => {
    const input = { username: 'twin', displayName: '同名', role: 'worker' as const, teamId: null, initialPassword: 'Initial123' };
    const [a, b] = await Promise.all([t.raw('users.create', input, users.admin.token, 'http'), t.raw('users.create', input, users.admin.token, 'http')]);
    const results = [a, b].map((e) => (e.ok ? 'ok' : e.error.code)).sort();
    expect(results).toEqual(['RULE', 'ok']);
    expect((await dbRow(t.app, "select count(*) as n from users where username = 'twin'"))).toEqual({ n: 1 });
  });
});
