/**
 * Test harness: a real App on a temporary SQLite file, called through the real
 * dispatcher exactly as the browser host calls it. No mocks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiInput, ApiOutput, MethodName } from '../../main/contract/api';
import type { Envelope } from '../../main/contract/envelope';
import type { Role } from '../../main/contract/roles';
import { openApp, type App } from '../../main/api/app';
import { setQuiet } from '../../main/lib/logger';
import type { Transport } from '../../main/services/context';

setQuiet(true);

export interface TestApp {
  app: App;
  dataDir: string;
  /** Moves the app's clock (lockouts, idle locks) without sleeping. */
  clock: { now: Date; advanceMinutes(m: number): void };
  raw(method: string, payload: unknown, token?: string | null, transport?: Transport): Promise<Envelope<unknown>>;
  call<N extends MethodName>(method: N, input: ApiInput<N>, token?: string | null): Promise<ApiOutput<N>>;
  /** First-run setup of an administrator `admin` / `Admin12345`; returns its token. */
  setupAdmin(): Promise<string>;
  /** Creates a user as the admin, changes the initial password away, signs in; returns id and token. */
  createUser(adminToken: string, username: string, role: Role, teamId?: number | null): Promise<{ id: number; token: string }>;
  close(): Promise<void>;
}

export const ADMIN_PASSWORD = 'Admin12345';
export const USER_PASSWORD = 'Worker12345';

export async function createTestApp(): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wd-test-'));
  const clock = {
    now: new Date('2026-03-05T02:00:00.000Z'),
    advanceMinutes(m: number) {
      this.now = new Date(this.now.getTime() + m * 60_000);
    },
  };
  const app = await openApp({ dataDir, now: () => clock.now });
  const raw: TestApp['raw'] = (method, payload, token = null, transport = 'test') =>
    app.dispatcher.dispatch({ method, payload, token, transport });
  const call: TestApp['call'] = async (method, input, token = null) => {
    const env = await raw(method, input, token);
    if (!env.ok) throw Object.assign(new Error(`${method}: ${env.error.code} ${env.error.message}`), { body: env.error });
    return env.value as never;
  };
  const t: TestApp = {
    app,
    dataDir,
    clock,
    raw,
    call,
    async setupAdmin() {
      const code = app.ctx.setupGate.issue();
      const s = await call('auth.setup', { setupCode: code, centerName: '測試中心', username: 'admin', displayName: '管理者', password: ADMIN_PASSWORD });
      return s.token as string;
    },
    async createUser(adminToken, username, role, teamId = null) {
      const u = await call('users.create', { username, displayName: `${username}姓名`, role, teamId, initialPassword: 'Initial123' }, adminToken);
      const first = await call('auth.login', { username, password: 'Initial123' });
      await call('auth.changePassword', { currentPassword: 'Initial123', newPassword: USER_PASSWORD }, first.token);
      const s = await call('auth.login', { username, password: USER_PASSWORD });
      return { id: u.id, token: s.token as string };
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
