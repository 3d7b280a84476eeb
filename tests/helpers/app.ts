/**
 * Test harness: a real App on a temporary SQLite file, or in the PostgreSQL run
 * (WELFARE_DESK_TEST_PG, see tests/helpers/pg.ts) on a database of its own, called
 * through the real dispatcher exactly as the browser host calls it. No mocks.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { ApiInput, ApiOutput, MethodName } from '../../main/contract/api';
import type { Envelope } from '../../main/contract/envelope';
import type { Role } from '../../main/contract/roles';
import { openApp, type App } from '../../main/api/app';
import { setQuiet } from '../../main/lib/logger';
import { hashToken, SESSION_MAX_AGE_MS } from '../../main/services/auth/sessions';
import type { Transport } from '../../main/services/context';
import { createTestDatabase, dropDatabase, onPostgres } from './pg';

export { onPostgres } from './pg';

setQuiet(true);

export interface TestApp {
  app: App;
  dataDir: string;
  /** Moves the app's clock (lockouts, idle locks) without sleeping. */
  clock: { now: Date; advanceMinutes(m: number): void };
  /** `source` is the caller's address as the transport saw it (the HTTP host's remote address). */
  raw(method: string, payload: unknown, token?: string | null, transport?: Transport, source?: string): Promise<Envelope<unknown>>;
  call<N extends MethodName>(method: N, input: ApiInput<N>, token?: string | null): Promise<ApiOutput<N>>;
  /** First-run setup of an administrator `admin` / `Admin12345`; returns its token. */
  setupAdmin(): Promise<string>;
  /** Creates a user as the admin, changes the initial password away, signs in; returns id and token. */
  createUser(adminToken: string, username: string, role: Role, teamId?: number | null): Promise<{ id: number; token: string }>;
  close(): Promise<void>;
}

/**
 * Opens a session for a user straight in the database, as sign-in would, for fixtures that are not about
 * signing in (and must stay synchronous). Returns the token.
 */
export async function openSession(app: App, userId: number, now: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const ts = now.toISOString();
  await app.database.db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: userId, transport: 'test', source: 'test:fixture', created_at: ts, last_seen_at: ts, expires_at: new Date(now.getTime() + SESSION_MAX_AGE_MS).toISOString(), locked: 0 })
    .execute();
  return token;
}

/** Sets the idle-lock minutes beyond what the settings screen allows (tests that jump months). */
export async function setIdleLockMinutes(app: App, minutes: number): Promise<void> {
  const value = JSON.stringify(minutes);
  await app.database.db
    .insertInto('settings')
    .values({ key: 'session.idleLockMinutes', value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** The PostgreSQL database of each data folder in this test file (a second App on the folder shares it). */
const pgDatabases = new Map<string, { name: string; url: string }>();

/** Options for openApp that put the app on the test run's engine: its own PostgreSQL database in the PostgreSQL run. */
export async function testDatabaseFor(dataDir: string): Promise<{ database?: { engine: 'postgres'; url: string } }> {
  if (!onPostgres) return {};
  let d = pgDatabases.get(dataDir);
  if (!d) {
    d = await createTestDatabase(inject('pgTemplate'));
    pgDatabases.set(dataDir, d);
  }
  return { database: { engine: 'postgres', url: d.url } };
}

/** Drops the PostgreSQL database of a data folder (nothing on SQLite: the folder holds the file). */
export async function dropTestDatabase(dataDir: string): Promise<void> {
  const d = pgDatabases.get(dataDir);
  if (!d) return;
  pgDatabases.delete(dataDir);
  await dropDatabase(d.name);
}

export const ADMIN_PASSWORD = 'Admin12345';
export const USER_PASSWORD = 'Worker12345';

/**
 * `dataDir`: open a second App on another App's folder, as the desktop window and the
 * browser host do (two "processes" on one database). Closing it leaves the folder.
 */
export async function createTestApp(opts: { dataDir?: string } = {}): Promise<TestApp> {
  const shared = opts.dataDir !== undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'wd-test-'));
  const clock = {
    now: new Date('2026-03-05T02:00:00.000Z'),
    advanceMinutes(m: number) {
      this.now = new Date(this.now.getTime() + m * 60_000);
    },
  };
  const app = await openApp({ dataDir, now: () => clock.now, ...(await testDatabaseFor(dataDir)) });
  const raw: TestApp['raw'] = (method, payload, token = null, transport = 'test', source) =>
    app.dispatcher.dispatch({ method, payload, token, transport, ...(source === undefined ? {} : { source }) });
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
      if (!shared) {
        rmSync(dataDir, { recursive: true, force: true });
        await dropTestDatabase(dataDir);
      }
    },
  };
  return t;
}
