/**
 * The center server's backups (main/cli/server-backup.ts), PostgreSQL run only: pg_dump streamed into
 * the encrypted container, never a plain dump on disk, and restored into an empty database with the
 * audit chain verifying there.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../main/api/app';
import { runServerBackup, runServerRestore } from '../../main/cli/server-backup';
import { verifyAuditChain } from '../../main/services/audit/log';
import { createTestApp, testDatabaseFor, type TestApp } from '../helpers/app';
import { row } from '../helpers/db';
import { createEmptyDatabase, dropDatabase, onPostgres } from '../helpers/pg';

describe.runIf(onPostgres)('the center server backup (pg_dump, sealed)', () => {
  let t: TestApp;
  let dir: string;
  let configFile: string;
  let restored: { name: string; url: string } | null = null;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.setupAdmin();
    await t.createUser(admin, 'worker-mark', 'worker');
    dir = mkdtempSync(join(tmpdir(), 'wd-srvbak-'));
    const { database } = await testDatabaseFor(t.dataDir);
    configFile = join(dir, 'server.json');
    writeFileSync(configFile, JSON.stringify({ listen: '127.0.0.1', publicNames: ['127.0.0.1'], dataDir: t.dataDir, database }));
  }, 120_000);
  afterAll(async () => {
    await t.close();
    if (restored) await dropDatabase(restored.name);
    rmSync(dir, { recursive: true, force: true });
  });

  it('seals the dump as it streams, restores it into an empty database, and the audit chain verifies there', async () => {
    const out = join(dir, 'center.wdbak');
    expect(await runServerBackup(['--config', configFile, '--out', out])).toBe(0);
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 8).toString('ascii')).toBe('WDBACKUP');
    // A custom-format dump starts with PGDMP and holds the user names in the clear; the container does not.
    expect(bytes.includes(Buffer.from('PGDMP'))).toBe(false);
    expect(bytes.includes(Buffer.from('worker-mark'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['center.wdbak', 'server.json']);

    restored = await createEmptyDatabase();
    expect(await runServerRestore(['--config', configFile, '--file', out, '--to', restored.url])).toBe(0);
    const app = await openApp({ dataDir: t.dataDir, database: { engine: 'postgres', url: restored.url } });
    try {
      const users = await row<{ n: number }>(app, "select count(*) as n from users where username = 'worker-mark'");
      expect(Number(users?.n)).toBe(1);
      expect((await verifyAuditChain(app.ctx.db)).ok).toBe(true);
    } finally {
      await app.close();
    }
  }, 180_000);

  it('refuses a container whose bytes were changed, and restores nothing', async () => {
    const out = join(dir, 'center.wdbak');
    const bad = join(dir, 'changed.wdbak');
    const bytes = readFileSync(out);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 40) ^ 0x01, bytes.length - 40);
    writeFileSync(bad, bytes);
    const target = await createEmptyDatabase();
    try {
      expect(await runServerRestore(['--config', configFile, '--file', bad, '--to', target.url])).toBe(1);
      const app = await openApp({ dataDir: mkdtempSync(join(tmpdir(), 'wd-srvbak-empty-')), database: { engine: 'postgres', url: target.url } });
      try {
        const users = await row<{ n: number }>(app, 'select count(*) as n from users');
        expect(Number(users?.n)).toBe(0);
      } finally {
        await app.close();
      }
    } finally {
      await dropDatabase(target.name);
    }
  }, 180_000);
});
