/**
 * Issue 9, item 4: sessions are checked against the database. Two Apps on one data folder stand for the
 * desktop window and the browser host (two processes sharing the file): what an administrator does in
 * one takes effect on the user's next call in the other.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../main/contract/envelope';
import { ADMIN_PASSWORD, createTestApp, USER_PASSWORD, type TestApp } from '../helpers/app';
import { rows as dbRows } from '../helpers/db';

function errorOf(env: Envelope<unknown>): { code: string; message: string } {
  if (env.ok) throw new Error(`expected a refusal, got ${JSON.stringify(env.value)}`);
  return env.error;
}

describe('sessions shared by two processes on one database', () => {
  let a: TestApp;
  let b: TestApp;
  let adminToken: string;
  let userId: number;
  let userToken: string;

  beforeEach(async () => {
    a = await createTestApp();
    adminToken = await a.setupAdmin();
    b = await createTestApp({ dataDir: a.dataDir });
    b.clock.now = a.clock.now;
    const u = await a.call('users.create', { username: 'lin', displayName: '林社工', role: 'supervisor', teamId: null, initialPassword: USER_PASSWORD }, adminToken);
    userId = u.id;
    // The user works in process B (e.g. the browser host).
    userToken = (await b.call('auth.login', { username: 'lin', password: USER_PASSWORD })).token as string;
    await b.call('auth.changePassword', { currentPassword: USER_PASSWORD, newPassword: 'Better12345' }, userToken);
    expect((await b.raw('users.assignable', {}, userToken)).ok).toBe(true);
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  it('disabling the user in A ends the session in B on its next call', async () => {
    await a.call('users.setDisabled', { id: userId, disabled: true }, adminToken);
    expect(errorOf(await b.raw('users.assignable', {}, userToken)).code).toBe('UNAUTHENTICATED');
  });

  it('demoting the user in A takes effect in B at once', async () => {
    const view = (await a.call('users.list', {}, adminToken)).find((u) => u.id === userId);
    await a.call('users.update', { id: userId, displayName: '林社工', role: 'foodbank', teamId: null, version: view?.version ?? 0 }, adminToken);
    const next = await b.raw('users.assignable', {}, userToken);
    expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(errorOf(next).code);
    // Signing in again gives the new role's rights only.
    const again = await b.call('auth.login', { username: 'lin', password: 'Better12345' });
    expect(again.user.role).toBe('foodbank');
    expect(errorOf(await b.raw('users.assignable', {}, again.token)).code).toBe('FORBIDDEN');
  });

  it('resetting the password in A ends the session in B', async () => {
    await a.call('users.resetPassword', { id: userId, newPassword: 'Reset12345' }, adminToken);
    expect(errorOf(await b.raw('users.assignable', {}, userToken)).code).toBe('UNAUTHENTICATED');
  });

  it('wrong passwords at the lock screen in A lock the account and end the session signed in through B', async () => {
    const other = (await a.call('auth.login', { username: 'lin', password: 'Better12345' })).token as string;
    await a.call('auth.lock', {}, other);
    for (let i = 0; i < 5; i++) await a.raw('auth.unlock', { password: `Wrong${i}pass` }, other);
    expect(errorOf(await b.raw('users.assignable', {}, userToken)).code).toBe('UNAUTHENTICATED');
  });

  it('a session locked in one process is locked in the other, and signing out ends it everywhere', async () => {
    await b.call('auth.lock', {}, userToken);
    expect(errorOf(await a.raw('users.assignable', {}, userToken)).code).toBe('SESSION_LOCKED');
    await a.call('auth.unlock', { password: 'Better12345' }, userToken);
    expect((await b.raw('users.assignable', {}, userToken)).ok).toBe(true);
    await a.call('auth.logout', {}, userToken);
    expect(errorOf(await b.raw('users.assignable', {}, userToken)).code).toBe('UNAUTHENTICATED');
  });

  it('a restart keeps people signed in; the database holds only a hash of the token', async () => {
    await b.close();
    b = await createTestApp({ dataDir: a.dataDir });
    b.clock.now = a.clock.now;
    expect((await b.raw('users.assignable', {}, userToken)).ok).toBe(true);
    const dump = JSON.stringify((await dbRows(a.app, 'select * from sessions')));
    expect(dump).not.toContain(userToken);
    expect(dump).not.toContain(adminToken);
  });

  it('the idle lock and the maximum age still hold', async () => {
    b.clock.advanceMinutes(11);
    expect(errorOf(await b.raw('users.assignable', {}, userToken)).code).toBe('SESSION_LOCKED');
    expect((await b.call('auth.unlock', { password: 'Better12345' }, userToken)).locked).toBe(false);
    // Busy all day, a call every 9 minutes: the session still ends 12 hours after sign-in.
    let calls = 0;
    while ((await b.raw('users.assignable', {}, userToken)).ok) {
      b.clock.advanceMinutes(9);
      calls++;
    }
    expect(calls).toBe(Math.ceil((12 * 60 - 11) / 9));
    expect(errorOf(await b.raw('users.assignable', {}, userToken)).code).toBe('UNAUTHENTICATED');
    // The administrator still signs in afterwards.
    expect((await a.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).user.role).toBe('admin');
  });
});
