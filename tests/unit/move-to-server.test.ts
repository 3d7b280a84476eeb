/**
 * `move-to-server` (issue 10): the `center` demo, seeded into a single-PC folder, moved into an empty
 * PostgreSQL database through the real CLI function. Runs only in the PostgreSQL half of the suite
 * (WELFARE_DESK_TEST_PG: `node scripts/with-postgres.mjs npx vitest run tests/unit/move-to-server.test.ts`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE_NAME } from '../../db/connection';
import { openApp, type App } from '../../main/api/app';
import { openDataFolder } from '../../main/api/data-folder';
import { moveToServer, runMoveToServer } from '../../main/cli/move-to-server';
import { seedDemo } from '../../main/demo/index';
import { SCALES } from '../../main/demo/scale';
import { DEMO_PASSWORD } from '../../main/demo/users';
import { passphraseProtector, readKeysProtection } from '../../main/lib/keystore';
import { setQuiet } from '../../main/lib/logger';
import { createEmptyDatabase, dropDatabase, onPostgres } from '../helpers/pg';

setQuiet(true);

const NOW = new Date('2026-03-05T02:00:00.000Z');
const PASSPHRASE = '搬家測試通行密語';

async function pgCount(url: string, query: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>(query)).rows[0]!.n);
  } finally {
    await c.end();
  }
}
/** Rows in every table of the public schema (0 when there is no table at all). */
async function totalRows(url: string): Promise<{ tables: number; rows: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (await c.query<{ t: string }>("select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'")).rows.map((r) => r.t);
    let rows = 0;
    for (const t of tables) rows += Number((await c.query<{ n: string }>(`select count(*) as n from "${t}"`)).rows[0]!.n);
    return { tables: tables.length, rows };
  } finally {
    await c.end();
  }
}
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function caseloadIds(app: App, username: string): Promise<number[]> {
  const login = await app.dispatcher.dispatch({ method: 'auth.login', payload: { username, password: DEMO_PASSWORD }, token: null, transport: 'test' });
  if (!login.ok) throw new Error(`login ${username}: ${login.error.message}`);
  const token = (login.value as { token: string }).token;
  const ids: number[] = [];
  for (let offset = 0; ; ) {
    const page = await app.dispatcher.dispatch({ method: 'worklists.myCaseload', payload: { status: 'all', offset, limit: 100 }, token, transport: 'test' });
    if (!page.ok) throw new Error(`caseload: ${page.error.message}`);
    const v = page.value as { rows: { id: number }[]; total: number };
    ids.push(...v.rows.map((r) => r.id));
    offset += v.rows.length;
    if (v.rows.length === 0 || offset >= v.total) break;
  }
  return ids.sort((a, b) => a - b);
}

describe.skipIf(!onPostgres)('move-to-server: the center demo into an empty PostgreSQL database', () => {
  let root: string;
  let source: string;
  let passFile: string;
  const dbs: string[] = [];
  let target: { name: string; url: string };
  let firstOut = '';
  let firstCode = -1;
  let moveMs = 0;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wd-move-'));
    source = join(root, 'pc');
    passFile = join(root, 'pass.txt');
    writeFileSync(passFile, PASSPHRASE);
    // A single-PC folder protected with a start-up passphrase, seeded as `npm run seed:demo -- --scale center` does.
    const { handle } = await openDataFolder({ dataDir: source, keyProtector: passphraseProtector(PASSPHRASE), now: () => NOW, onSlowQuery: () => undefined });
    try {
      await seedDemo(handle.db, SCALES.center, NOW);
    } finally {
      await handle.close();
    }
    target = await createEmptyDatabase();
    dbs.push(target.name);
    const before = sha(join(source, DB_FILE_NAME));
    const t0 = Date.now();
    firstCode = await runMoveToServer(['--from', source, '--to', target.url, '--server-data-dir', join(root, 'server'), '--passphrase-file', passFile], {
      out: (s) => (firstOut += s),
      err: (s) => (firstOut += s),
    });
    moveMs = Date.now() - t0;
    // The source file is read, never written.
    expect(sha(join(source, DB_FILE_NAME))).toBe(before);
  }, 600_000);

  afterAll(async () => {
    for (const d of dbs) await dropDatabase(d);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('copies every table with equal counts and prints the comparison', async () => {
    expect(firstOut, firstOut).toContain('搬移完成');
    expect(firstCode).toBe(0);
    expect(firstOut).toMatch(/資料表\s+單機筆數\s+伺服器筆數\s+結果/);
    expect(firstOut).not.toContain('不符');
    // The rows of a few tables, counted independently on the target.
    const rowsOf = (t: string) => pgCount(target.url, `select count(*) as n from ${t}`);
    expect(await rowsOf('households')).toBe(SCALES.center.households);
    expect(await rowsOf('cases')).toBeGreaterThan(0);
    expect(await rowsOf('audit_log')).toBeGreaterThan(0);
    console.log(`[move-to-server] center demo: ${moveMs} ms\n${firstOut}`);
  });

  it('gives the server folder the same keys, protected the same way, and the chain verifies there', async () => {
    const server = join(root, 'server');
    expect(readKeysProtection(server)).toBe('passphrase');
    expect(readFileSync(join(server, 'keys.json'), 'utf8')).toBe(readFileSync(join(source, 'keys.json'), 'utf8'));
    expect(existsSync(join(server, 'audit-checkpoint.json'))).toBe(true);
    const app = await openApp({ dataDir: server, keyProtector: passphraseProtector(PASSPHRASE), now: () => NOW, database: { engine: 'postgres', url: target.url } });
    try {
      const v = await app.dispatcher.dispatch({ method: 'auth.login', payload: { username: 'admin', password: DEMO_PASSWORD }, token: null, transport: 'test' });
      expect(v.ok).toBe(true);
      const token = v.ok ? (v.value as { token: string }).token : '';
      const verify = await app.dispatcher.dispatch({ method: 'audit.verify', payload: {}, token, transport: 'test' });
      expect(verify.ok && (verify.value as { ok: boolean }).ok, JSON.stringify(verify)).toBe(true);
      // New ids continue after the copied ones (the identity sequences were moved on).
      const maxAudit = await pgCount(target.url, 'select max(id) as n from audit_log');
      expect(maxAudit).toBeGreaterThan(1);
    } finally {
      await app.close();
    }
  });

  it('a 社工 signs in on the server and sees the caseload she had on her PC', async () => {
    const sqliteApp = await openApp({ dataDir: source, keyProtector: passphraseProtector(PASSPHRASE), now: () => NOW });
    let onPc: number[];
    try {
      onPc = await caseloadIds(sqliteApp, 'sw01');
    } finally {
      await sqliteApp.close();
    }
    expect(onPc.length).toBeGreaterThan(0);
    const app = await openApp({ dataDir: join(root, 'server'), keyProtector: passphraseProtector(PASSPHRASE), now: () => NOW, database: { engine: 'postgres', url: target.url } });
    try {
      expect(await caseloadIds(app, 'sw01')).toEqual(onPc);
    } finally {
      await app.close();
    }
  });

  it('refuses a second run into the now non-empty target and changes nothing', async () => {
    const before = await totalRows(target.url);
    let out = '';
    const code = await runMoveToServer(['--from', source, '--to', target.url, '--server-data-dir', join(root, 'server2'), '--passphrase-file', passFile], {
      out: (s) => (out += s),
      err: (s) => (out += s),
    });
    expect(code).toBe(1);
    expect(out).toContain('目標資料庫不是空的');
    expect(await totalRows(target.url)).toEqual(before);
    expect(existsSync(join(root, 'server2'))).toBe(false);
  });

  it('a failure half-way leaves the target empty and writes no server folder', async () => {
    const empty = await createEmptyDatabase();
    dbs.push(empty.name);
    const seen: string[] = [];
    await expect(
      moveToServer({
        from: join(source, DB_FILE_NAME),
        to: empty.url,
        serverDataDir: join(root, 'server3'),
        passphraseFile: passFile,
        afterTable: (t) => {
          seen.push(t);
          if (seen.length === 10) throw new Error('played failure');
        },
      }),
    ).rejects.toThrow('played failure');
    expect(seen.length).toBe(10);
    // Not even the schema stays: the migrations were part of the rolled-back transaction.
    expect(await totalRows(empty.url)).toEqual({ tables: 0, rows: 0 });
    expect(existsSync(join(root, 'server3'))).toBe(false);
    // And the same database then takes the move.
    const code = await runMoveToServer(['--from', source, '--to', empty.url, '--server-data-dir', join(root, 'server3'), '--passphrase-file', passFile], { out: () => undefined, err: () => undefined });
    expect(code).toBe(0);
  }, 300_000);
});
