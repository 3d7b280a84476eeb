/**
 * Scheduled backups on the app's clock: daily, kept 30 days, the last result and a warning for a
 * failed or overdue backup on the administrator's status. The clock is moved, never waited for.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteOf } from '../../db/connection';
import { createTestApp, onPostgres, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: string;
let folder: string;

beforeEach(async () => {
  t = await createTestApp();
  admin = await t.setupAdmin();
  folder = mkdtempSync(join(tmpdir(), 'wd-sched-'));
  await t.call('backup.setFolder', { folder }, admin);
});
afterEach(async () => {
  await t.close();
  rmSync(folder, { recursive: true, force: true });
});

const tick = () => t.app.backupScheduler.tick();
/** Sessions end after a working day: sign in again after moving the clock by days. */
async function signIn(): Promise<string> {
  return (await t.call('auth.login', { username: 'admin', password: 'Admin12345' })).token as string;
}

// Skipped on PostgreSQL: scheduled .wdbak backups copy the SQLite file; on PostgreSQL the server's own backups apply.
describe.skipIf(onPostgres)('scheduled backups', () => {
  it('make one backup a day and keep 30 days of them', async () => {
    expect(await tick()).toBe(true);
    expect(await tick()).toBe(false); // not due again the same day
    for (let day = 1; day <= 40; day++) {
      t.clock.advanceMinutes(24 * 60);
      expect(await tick()).toBe(true);
    }
    const files = readdirSync(folder).filter((f) => f.endsWith('.wdbak'));
    // Today's and the 30 days before it; the oldest ten are gone.
    expect(files).toHaveLength(31);
    const status = await t.call('backup.status', {}, await signIn());
    expect(status.last).toMatchObject({ ok: true });
    expect(status.warning).toBeNull();
  });

  it('a failed backup is recorded with its reason and shown as a warning', async () => {
    // The chosen folder is gone and a file stands in its place (a stick pulled and something else mounted).
    rmSync(folder, { recursive: true });
    writeFileSync(folder, 'not a folder');
    expect(await tick()).toBe(true);
    const status = await t.call('backup.status', {}, admin);
    expect(status.last).toMatchObject({ ok: false, bytes: null });
    expect(status.warning).toContain('最近一次備份失敗');
    // It tries again after an hour, not on every check.
    expect(await tick()).toBe(false);
    rmSync(folder);
    t.clock.advanceMinutes(61);
    expect(await tick()).toBe(true);
    expect((await t.call('backup.status', {}, await signIn())).warning).toBeNull();
  });

  it('a backup older than a day and a half is overdue', async () => {
    expect((await t.call('backup.status', {}, admin)).warning).toBe('尚未有任何備份。請到「備份與還原」立即備份。');
    await t.call('backup.create', {}, admin);
    t.clock.advanceMinutes(35 * 60);
    expect((await t.call('backup.status', {}, await signIn())).warning).toBeNull();
    t.clock.advanceMinutes(2 * 60);
    expect((await t.call('backup.status', {}, await signIn())).warning).toBe('已超過排定時間仍未備份，請檢查備份資料夾或立即備份。');
  });

  it('a folder that cannot be written is refused beside the field', async () => {
    const env = await t.raw('backup.setFolder', { folder: 'relative/path' }, admin);
    expect(!env.ok && env.error.fields?.folder).toBe('請輸入完整路徑（例如 D:\\備份 或 /srv/備份）。');
    await t.call('backup.create', {}, admin);
    const made = readdirSync(folder)[0] as string;
    const notDir = await t.raw('backup.setFolder', { folder: join(folder, made, 'x') }, admin);
    expect(!notDir.ok && notDir.error.fields?.folder).toBe('無法建立此資料夾，請確認路徑與權限。');
  });

  it('every backup is audited with its file and size, never its contents', async () => {
    await tick();
    const rows = sqliteOf(t.app.database).prepare("select actor_name, entity_id, detail from audit_log where entity = 'backup'").all() as { actor_name: string; entity_id: string; detail: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor_name).toBe('(自動備份)');
    expect(JSON.parse(rows[0]?.detail ?? '{}')).toMatchObject({ reason: 'scheduled' });
    expect(JSON.parse(rows[0]?.detail ?? '{}').bytes).toBeGreaterThan(0);
  });
});
