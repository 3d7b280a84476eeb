import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';

describe('first run and sign-in', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates the administrator with the setup code, then refuses a second setup', async () => {
    const token = await t.setupAdmin();
    const status = await t.call('auth.status', {}, token);
    expect(status.needsSetup).toBe(false);
    expect(status.session?.user.role).toBe('admin');
    const again = await t.raw('auth.setup', { setupCode: '0000-0000', centerName: 'x', username: 'evil', displayName: 'x', password: 'Evil12345' });
    expect(again.ok).toBe(false);
  });

  it('refuses setup over HTTP without the printed code', async () => {
    t.app.ctx.setupGate.issue();
    const env = await t.raw('auth.setup', { setupCode: '1111-1111', centerName: '中心', username: 'admin', displayName: '管理者', password: 'Admin12345' }, null, 'http');
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error.code).toBe('FORBIDDEN');
    expect(await t.app.needsSetup()).toBe(true);
  });
});

describe('colleagues a case can be assigned to', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('any staff member lists active 社工 and 督導 only; the food-bank clerk may not', async () => {
    const admin = await t.setupAdmin();
    const w = await t.createUser(admin, 'chenw', 'worker');
    await t.createUser(admin, 'wangs', 'supervisor');
    const clerk = await t.createUser(admin, 'clerka', 'foodbank');
    const gone = await t.createUser(admin, 'linw', 'worker');
    await t.call('users.setDisabled', { id: gone.id, disabled: true }, admin);

    const list = await t.call('users.assignable', {}, w.token);
    expect(list.map((u) => u.displayName).sort()).toEqual(['chenw姓名', 'wangs姓名'].sort());
    const refused = await t.raw('users.assignable', {}, clerk.token);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('FORBIDDEN');
  });
});
