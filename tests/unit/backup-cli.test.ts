/**
 * The CLI's backup and restore, run while the app has the same database open: the restore is seen by
 * the running app's connection, and a wrong passphrase changes nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runBackup, runRestore } from '../../main/cli/backup';
import { sqliteOf } from '../../db/connection';
import { createTestApp, onPostgres, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: string;
let dir: string;
let stderr: string;

beforeEach(async () => {
  t = await createTestApp();
  admin = await t.setupAdmin();
  dir = mkdtempSync(join(tmpdir(), 'wd-cli-'));
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = () => (sqliteOf(t.app.database).prepare('select count(*) as n from users').get() as { n: number }).n;

// Skipped on PostgreSQL: .wdbak backups copy the SQLite file; on PostgreSQL the server's own backups apply.
describe.skipIf(onPostgres)('npm run cli -- backup / restore', () => {
  it('backs up encrypted and restores with --yes while the app is open', async () => {
    const out = join(dir, 'center.wdbak');
    expect(await runBackup(['--out', out, '--data-dir', t.dataDir])).toBe(0);
    expect(readFileSync(out).includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(await runBackup(['--out', out, '--data-dir', t.dataDir])).toBe(1); // never overwrites

    await t.call('users.create', { username: 'later', displayName: '之後', role: 'worker', teamId: null, initialPassword: 'Initial123' }, admin);
    expect(count()).toBe(2);
    expect(await runRestore(['--file', out, '--data-dir', t.dataDir, '--yes'])).toBe(0);
    expect(count()).toBe(1);
    const audit = sqliteOf(t.app.database).prepare("select actor_name from audit_log where action = 'import'").all() as { actor_name: string }[];
    expect(audit[0]?.actor_name).toMatch(/^命令列/);
  });

  it('a wrong passphrase file changes nothing', async () => {
    const phrase = '這是我們中心的備份還原密語';
    await t.call('backup.setPassphrase', { passphrase: phrase, confirm: phrase }, admin);
    const out = join(dir, 'center.wdbak');
    expect(await runBackup(['--out', out, '--data-dir', t.dataDir])).toBe(0);
    await t.call('users.create', { username: 'later', displayName: '之後', role: 'worker', teamId: null, initialPassword: 'Initial123' }, admin);
    const wrong = join(dir, 'wrong.txt');
    writeFileSync(wrong, '不是這個密語不是這個密語\n');
    expect(await runRestore(['--file', out, '--passphrase-file', wrong, '--data-dir', t.dataDir, '--yes'])).toBe(1);
    expect(stderr).toContain('備份還原密語不正確');
    expect(count()).toBe(2);
    const right = join(dir, 'right.txt');
    writeFileSync(right, `${phrase}\n`);
    expect(await runRestore(['--file', out, '--passphrase-file', right, '--data-dir', t.dataDir, '--yes'])).toBe(0);
    expect(count()).toBe(1);
  });
});
