/**
 * Issue 10, "Sessions in the database": the administrator sees every live session and ends one; disabling a
 * user or changing a role ends that user's sessions at once. Two Apps on one data folder stand for two PCs
 * (or two server processes) on one database: what the administrator does in A refuses the next call in B.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../main/contract/envelope';
import type { ActiveSessionView } from '../../main/contract/methods/sessions';
import { ROLES, type Role } from '../../main/contract/roles';
import { hashToken } from '../../main/services/auth/sessions';
import { verifyAuditChain } from '../../main/services/audit/log';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/app';

function errorOf(env: Envelope<unknown>): { code: string; message: string } {
  if (env.ok) throw new Error(`expected a refusal, got ${JSON.stringify(env.value)}`);
  return env.error;
}

/** Signs in as a browser on another PC would: transport http, the PC's address as the source. */
async function signInFrom(t: TestApp, username: string, address: string): Promise<string> {
  const env = await t.raw('auth.login', { username, password: USER_PASSWORD }, null, 'http', address);
  if (!env.ok) throw new Error(`${env.error.code} ${env.error.message}`);
  return (env.value as { token: string }).token;
}

describe('sessions.list and sessions.end across two Apps on one data folder', () => {
  let a: TestApp;
  let b: TestApp;
  let adminToken: string;
  let worker: { id: number; token: string };
  /** The worker's session on the second "PC", over HTTP from 192.168.1.23. */
  let workerOnB: string;

  beforeEach(async () => {
    a = await createTestApp();
    adminToken = await a.setupAdmin();
    worker = await a.createUser(adminToken, 'chen', 'worker');
    b = await createTestApp({ dataDir: a.dataDir });
    b.clock.now = a.clock.now;
    workerOnB = await signInFrom(b, 'chen', '::ffff:192.168.1.23');
    expect((await b.raw('users.assignable', {}, workerOnB)).ok).toBe(true);
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  async function list(token = adminToken): Promise<ActiveSessionView[]> {
    return a.call('sessions.list', {}, token);
  }

  it("lists every live session, other users' too, with who, where and when, and never the token or its hash", async () => {
    const sessions = await list();
    const tokens = [adminToken, worker.token, workerOnB];
    const hashes = tokens.map(hashToken);
    const mine = sessions.filter((s) => s.current);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ username: 'admin', displayName: '管理者', role: 'admin', kind: 'other' });

    const onB = sessions.find((s) => s.username === 'chen' && s.address === '192.168.1.23');
    expect(onB).toMatchObject({
      userId: worker.id,
      displayName: 'chen姓名',
      role: 'worker',
      kind: 'browser',
      locked: false,
      current: false,
      createdAt: a.clock.now.toISOString(),
      expiresAt: new Date(a.clock.now.getTime() + 12 * 3600_000).toISOString(),
    });
    // The worker's sessions through A (createUser signs in twice: the first-time one, then with the new password) too.
    expect(sessions.filter((s) => s.userId === worker.id)).toHaveLength(3);

    // Exactly these fields: nothing that could be used to act as the person.
    for (const s of sessions) {
      expect(Object.keys(s).sort()).toEqual(
        ['address', 'createdAt', 'current', 'displayName', 'expiresAt', 'id', 'kind', 'lastSeenAt', 'locked', 'role', 'userId', 'username'].sort(),
      );
    }
    const dump = JSON.stringify(sessions);
    for (const secret of [...tokens, ...hashes]) expect(dump).not.toContain(secret);
    // The id is the row's own number, not derived from the token.
    const ids = (await a.app.ctx.db.selectFrom('sessions').select(['id', 'token_hash']).execute()).map((r) => r.id);
    expect(sessions.map((s) => s.id).sort()).toEqual(ids.sort());
  });

  it('shows an idle-locked session as locked and leaves out expired ones and disabled users', async () => {
    b.clock.advanceMinutes(11);
    expect(errorOf(await b.raw('users.assignable', {}, workerOnB)).code).toBe('SESSION_LOCKED');
    expect((await list()).find((s) => s.address === '192.168.1.23')?.locked).toBe(true);

    // Past the maximum age: the row may still be in the table, but it is not a live session.
    a.clock.advanceMinutes(12 * 60 + 1);
    b.clock.now = a.clock.now;
    const fresh = (await a.call('auth.login', { username: 'admin', password: 'Admin12345' })).token as string;
    const after = await list(fresh);
    expect(after.map((s) => s.username)).toEqual(['admin']);
    expect(after[0]?.current).toBe(true);
  });

  it('ending a session in A refuses its next call in B; the same user’s other session goes on', async () => {
    const target = (await list()).find((s) => s.address === '192.168.1.23');
    if (!target) throw new Error('no session from 192.168.1.23');
    expect(await a.call('sessions.end', { id: target.id }, adminToken)).toBeNull();

    const next = errorOf(await b.raw('users.assignable', {}, workerOnB));
    expect(next.code).toBe('UNAUTHENTICATED');
    expect(next.message).toMatch(/[\u3400-\u9fff]/);
    // auth.status is public: it answers, with no session.
    const status = await b.raw('auth.status', {}, workerOnB, 'http');
    expect(status.ok && (status.value as { session: unknown }).session).toBeNull();

    // Only that one session ended.
    expect((await a.raw('users.assignable', {}, worker.token)).ok).toBe(true);
    expect((await list()).some((s) => s.id === target.id)).toBe(false);
    // Ending it again: already gone.
    expect(errorOf(await a.raw('sessions.end', { id: target.id }, adminToken)).code).toBe('NOT_FOUND');
    expect(errorOf(await a.raw('sessions.end', { id: 999_999 }, adminToken)).code).toBe('NOT_FOUND');
  });

  it('writes one audit row naming who ended whose session, and the chain still verifies', async () => {
    const target = (await list()).find((s) => s.address === '192.168.1.23');
    if (!target) throw new Error('no session from 192.168.1.23');
    const before = await a.app.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    await a.call('sessions.end', { id: target.id }, adminToken);
    const rows = await a.app.ctx.db.selectFrom('audit_log').selectAll().where('id', '>', Number(before.id)).execute();
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row).toMatchObject({ actor_id: 1, actor_name: '管理者', action: 'logout', entity: 'session', entity_id: String(target.id) });
    const detail: unknown = row?.detail;
    expect(typeof detail === 'string' ? JSON.parse(detail) : detail).toEqual({
      endedByAdmin: true,
      userId: worker.id,
      username: 'chen',
      displayName: 'chen姓名',
      kind: 'browser',
      address: '192.168.1.23',
    });
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(workerOnB);
    expect(dump).not.toContain(hashToken(workerOnB));
    expect((await verifyAuditChain(a.app.ctx.db)).ok).toBe(true);
  });

  it("refuses to end the administrator's own session (登出 does that) and changes nothing", async () => {
    const own = (await list()).find((s) => s.current);
    if (!own) throw new Error('no current session');
    const err = errorOf(await a.raw('sessions.end', { id: own.id }, adminToken));
    expect(err.code).toBe('RULE');
    expect(err.message).toContain('登出');
    expect((await list()).some((s) => s.id === own.id)).toBe(true);
    // Another administrator may end it.
    const second = await a.createUser(adminToken, 'admin2', 'admin');
    await a.call('sessions.end', { id: own.id }, second.token);
    expect(errorOf(await b.raw('sessions.list', {}, adminToken)).code).toBe('UNAUTHENTICATED');
  });

  it('every role but the administrator is FORBIDDEN, and a refused end changes nothing', async () => {
    const target = (await list()).find((s) => s.address === '192.168.1.23');
    if (!target) throw new Error('no session from 192.168.1.23');
    const others = ROLES.filter((r) => r !== 'admin');
    expect(others.length).toBe(4);
    const tokens: Partial<Record<Role, string>> = { worker: worker.token };
    for (const role of others) tokens[role] ??= (await a.createUser(adminToken, `r-${role}`, role)).token;
    for (const role of others) {
      const token = tokens[role] as string;
      expect(errorOf(await b.raw('sessions.list', {}, token)).code, role).toBe('FORBIDDEN');
      expect(errorOf(await b.raw('sessions.end', { id: target.id }, token)).code, role).toBe('FORBIDDEN');
    }
    expect((await b.raw('users.assignable', {}, workerOnB)).ok).toBe(true);
    // Not signed in at all.
    expect(errorOf(await b.raw('sessions.list', {}, null)).code).toBe('UNAUTHENTICATED');
  });
});

describe('disabling a user or changing a role ends their sessions everywhere at once', () => {
  let a: TestApp;
  let b: TestApp;
  let adminToken: string;
  let user: { id: number; token: string };
  let onB: string;

  beforeEach(async () => {
    a = await createTestApp();
    adminToken = await a.setupAdmin();
    user = await a.createUser(adminToken, 'wang', 'worker');
    b = await createTestApp({ dataDir: a.dataDir });
    b.clock.now = a.clock.now;
    onB = await signInFrom(b, 'wang', '192.168.1.40');
    expect((await b.raw('users.assignable', {}, onB)).ok).toBe(true);
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  async function userSessionRows(): Promise<number> {
    const r = await a.app.ctx.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async function version(): Promise<number> {
    const v = (await a.call('users.list', {}, adminToken)).find((u) => u.id === user.id);
    return v?.version ?? 0;
  }

  it("a disabled user's open session is refused on its next call, on both PCs, and is gone from the list", async () => {
    expect(await userSessionRows()).toBe(3);
    await a.call('users.setDisabled', { id: user.id, disabled: true }, adminToken);
    expect(errorOf(await b.raw('users.assignable', {}, onB)).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await a.raw('users.assignable', {}, user.token)).code).toBe('UNAUTHENTICATED');
    expect(await userSessionRows()).toBe(0);
    expect((await a.call('sessions.list', {}, adminToken)).some((s) => s.userId === user.id)).toBe(false);
    // Enabling again does not bring the old sessions back.
    await a.call('users.setDisabled', { id: user.id, disabled: false }, adminToken);
    expect(errorOf(await b.raw('users.assignable', {}, onB)).code).toBe('UNAUTHENTICATED');
  });

  it('a role change ends the sessions (UNAUTHENTICATED, even where the new role may call the method)', async () => {
    // 社工 → 督導: both may call users.assignable, so only an ended session explains a refusal.
    await a.call('users.update', { id: user.id, version: await version(), displayName: 'wang姓名', role: 'supervisor', teamId: null }, adminToken);
    expect(errorOf(await b.raw('users.assignable', {}, onB)).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await a.raw('users.assignable', {}, user.token)).code).toBe('UNAUTHENTICATED');
    expect(await userSessionRows()).toBe(0);
    const again = await b.call('auth.login', { username: 'wang', password: USER_PASSWORD });
    expect(again.user.role).toBe('supervisor');
  });

  it('a change of display name alone keeps the sessions', async () => {
    await a.call('users.update', { id: user.id, version: await version(), displayName: '王社工', role: 'worker', teamId: null }, adminToken);
    expect((await b.raw('users.assignable', {}, onB)).ok).toBe(true);
    expect(await userSessionRows()).toBe(3);
  });
});
