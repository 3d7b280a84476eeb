/**
 * Backups and restore through the real dispatcher on a real SQLite file: the administrator backs up,
 * changes data, and restores; the file is unreadable without its key; a restore that fails at any step
 * leaves the live database as it was.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RestoreStep } from '../../main/services/backup/service';
import { openDatabase, sqliteOf } from '../../db/connection';
import { readContainer } from '../../main/services/backup/container';
import { createTestApp, onPostgres, type TestApp } from '../helpers/app';

const PASSPHRASE = '南投市社福中心的長久密語';

let t: TestApp;
let admin: string;
let folder: string;

beforeEach(async () => {
  t = await createTestApp();
  admin = await t.setupAdmin();
  folder = mkdtempSync(join(tmpdir(), 'wd-backups-'));
  await t.call('backup.setFolder', { folder }, admin);
});
afterEach(async () => {
  await t.close();
  rmSync(folder, { recursive: true, force: true });
});

function usernames(): string[] {
  return (sqliteOf(t.app.database).prepare('select username from users order by username').all() as { username: string }[]).map((r) => r.username);
}

async function inspect(name: string, passphrase?: string) {
  return t.raw('backup.inspect', passphrase === undefined ? { name } : { name, passphrase }, admin);
}

// Skipped on PostgreSQL: .wdbak backups copy the SQLite file; on PostgreSQL the server's own backups apply.
describe.skipIf(onPostgres)('an encrypted backup', () => {
  it('holds nothing readable: no SQLite header, no name from the database', async () => {
    await t.call('users.create', { username: 'wang', displayName: '王小明獨特姓名', role: 'worker', teamId: null, initialPassword: 'Initial123' }, admin);
    const made = await t.call('backup.create', {}, admin);
    const bytes = readFileSync(join(folder, made.name));
    expect(made.bytes).toBe(bytes.length);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(bytes.includes(Buffer.from('王小明獨特姓名'))).toBe(false);
    expect(bytes.includes(Buffer.from('wang'))).toBe(false);
    // ...while the backup does hold them, so the checks above can fail: opened with the install key,
    // the container gives a copy that is itself encrypted (SQLCipher, with a key sealed inside the
    // container, never the live database's) and holds the new user.
    const inner = join(folder, 'inner.db');
    const { meta } = readContainer(join(folder, made.name), inner, { kind: 'install', backupKey: t.app.keyRing.backupKey });
    expect(readFileSync(inner).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    const innerKey = Buffer.from(String((meta as { innerKey: string }).innerKey), 'hex');
    expect(innerKey.equals(t.app.keyRing.dbKey)).toBe(false);
    const h = openDatabase(inner, { key: innerKey, readonly: true });
    expect(h.sqlite.prepare("select display_name from users where username = 'wang'").get()).toEqual({ display_name: '王小明獨特姓名' });
    await h.close();
    rmSync(inner);
    // No plain copy is left behind in the data folder.
    expect(readdirSync(t.dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('is listed with its size and time, and the result shows on the status', async () => {
    const made = await t.call('backup.create', {}, admin);
    const list = await t.call('backup.list', {}, admin);
    expect(list).toEqual([{ name: made.name, bytes: made.bytes, madeAt: t.clock.now.toISOString() }]);
    const status = await t.call('backup.status', {}, admin);
    expect(status.last).toMatchObject({ ok: true, file: made.name, bytes: made.bytes });
    expect(status.warning).toBeNull();
  });

  it('refuses to restore after one flipped byte, in zh-TW', async () => {
    const made = await t.call('backup.create', {}, admin);
    const file = join(folder, made.name);
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] as number) ^ 0x01;
    writeFileSync(file, bytes);
    const env = await inspect(made.name);
    expect(env.ok).toBe(false);
    expect(!env.ok && env.error.message).toBe('備份檔已損毀或遭修改，無法還原。請改用其他備份檔。');
  });

  it('refuses a backup cut short', async () => {
    const made = await t.call('backup.create', {}, admin);
    const file = join(folder, made.name);
    writeFileSync(file, readFileSync(file).subarray(0, 4000));
    const env = await inspect(made.name);
    expect(!env.ok && env.error.message).toContain('已損毀');
  });
});

describe.skipIf(onPostgres)('the recovery passphrase', () => {
  it('is stored only as a public key: neither the passphrase nor anything that opens backups', async () => {
    await t.call('backup.setPassphrase', { passphrase: PASSPHRASE, confirm: PASSPHRASE }, admin);
    const row = sqliteOf(t.app.database).prepare("select value from settings where key = 'backup.recovery'").get() as { value: string };
    expect(row.value).not.toContain(PASSPHRASE);
    expect(Object.keys(JSON.parse(row.value)).sort()).toEqual(['N', 'kdf', 'p', 'publicKey', 'r', 'salt', 'setAt', 'setBy']);
    const audit = sqliteOf(t.app.database).prepare('select detail from audit_log').all() as { detail: string | null }[];
    expect(audit.some((a) => a.detail?.includes(PASSPHRASE))).toBe(false);
  });

  it('must be long enough and typed the same twice', async () => {
    const short = await t.raw('backup.setPassphrase', { passphrase: 'short', confirm: 'short' }, admin);
    expect(!short.ok && short.error.fields?.passphrase).toContain('至少 12 個字');
    const mismatch = await t.raw('backup.setPassphrase', { passphrase: PASSPHRASE, confirm: `${PASSPHRASE}x` }, admin);
    expect(!mismatch.ok && mismatch.error.fields?.confirm).toBe('兩次輸入的密語不一致');
  });

  it('opens a backup on another install (a new PC), and a wrong one is refused beside the field', async () => {
    await t.call('backup.setPassphrase', { passphrase: PASSPHRASE, confirm: PASSPHRASE }, admin);
    const made = await t.call('backup.create', {}, admin);
    const other = await createTestApp();
    try {
      const otherAdmin = await other.setupAdmin();
      await other.call('backup.setFolder', { folder }, otherAdmin);
      const noKey = await other.raw('backup.inspect', { name: made.name }, otherAdmin);
      expect(!noKey.ok && noKey.error.fields?.passphrase).toBe('此備份檔不是本機製作的，請輸入製作時設定的備份還原密語。');
      const wrong = await other.raw('backup.inspect', { name: made.name, passphrase: '錯誤的密語錯誤的密語' }, otherAdmin);
      expect(!wrong.ok && wrong.error.fields?.passphrase).toBe('備份還原密語不正確。');
      const check = await other.call('backup.inspect', { name: made.name, passphrase: PASSPHRASE }, otherAdmin);
      expect(check).toMatchObject({ restorable: true, integrityOk: true, madeBy: '管理者' });
      await other.call('backup.restore', { stageId: check.stageId }, otherAdmin);
      // The other PC now holds this center's data: its administrator signs in with this center's password.
      const users = sqliteOf(other.app.database).prepare('select count(*) as n from users').get() as { n: number };
      expect(users.n).toBe(1);
      // The chain was sealed by the first PC's audit key, which never leaves it: checked as a hash
      // chain at inspection, then covered by one row sealed with this PC's key. It verifies here.
      const token = (await other.call('auth.login', { username: 'admin', password: 'Admin12345' })).token as string;
      const verify = await other.call('audit.verify', {}, token);
      expect(verify.problems).toEqual([]);
      const anchor = sqliteOf(other.app.database).prepare("select entity, detail from audit_log where entity = 'audit.chain' order by id desc limit 1").get() as { entity: string; detail: string };
      expect(JSON.parse(anchor.detail)).toMatchObject({ sealed: true });
    } finally {
      await other.close();
    }
  });
});

describe.skipIf(onPostgres)('restore', () => {
  it('shows what the backup holds, then replaces the data, ends every session and is audited', async () => {
    const made = await t.call('backup.create', {}, admin);
    t.clock.advanceMinutes(5);
    await t.call('users.create', { username: 'after', displayName: '備份後新增', role: 'worker', teamId: null, initialPassword: 'Initial123' }, admin);
    expect(usernames()).toEqual(['admin', 'after']);

    const check = await t.call('backup.inspect', { name: made.name }, admin);
    expect(check).toMatchObject({ restorable: true, integrityOk: true, audit: { ok: true }, counts: { users: 1, households: 0, cases: 0 }, madeBy: '管理者', pendingMigrations: 0 });
    expect(check.counts.auditRows).toBeGreaterThan(0);
    expect(check.madeAt).toBe(made.madeAt);

    await t.call('backup.restore', { stageId: check.stageId }, admin);
    expect(usernames()).toEqual(['admin']);
    const after = await t.raw('backup.status', {}, admin);
    expect(!after.ok && after.error.code).toBe('UNAUTHENTICATED');

    const token = (await t.call('auth.login', { username: 'admin', password: 'Admin12345' })).token as string;
    const verify = await t.call('audit.verify', {}, token);
    expect(verify.ok).toBe(true);
    const last = sqliteOf(t.app.database).prepare("select action, entity, entity_id, detail from audit_log order by id desc limit 2").all() as { action: string; entity: string; entity_id: string; detail: string }[];
    expect(last[1]).toMatchObject({ action: 'import', entity: 'backup', entity_id: made.name });
    // The data as it was before the restore is kept as an encrypted backup of its own.
    const rollback = (JSON.parse(last[1]?.detail ?? '{}') as { rollback: string }).rollback;
    expect(readdirSync(folder)).toContain(rollback);
    expect(readdirSync(t.dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a stage id is used once', async () => {
    const made = await t.call('backup.create', {}, admin);
    const check = await t.call('backup.inspect', { name: made.name }, admin);
    await t.call('backup.restore', { stageId: check.stageId }, admin);
    const token = (await t.call('auth.login', { username: 'admin', password: 'Admin12345' })).token as string;
    const again = await t.raw('backup.restore', { stageId: check.stageId }, token);
    expect(!again.ok && again.error.code).toBe('NOT_FOUND');
  });

  it('chooses only files in the backup folder', async () => {
    const env = await inspect('../welfare-desk.db');
    expect(!env.ok && env.error.message).toBe('請從清單中選擇備份檔。');
  });

  const steps: RestoreStep[] = ['decrypt', 'integrity', 'migrations', 'audit', 'rollback-copy', 'migrate', 'swap', 'swap-midway'];
  for (const step of steps) {
    it(`a failure at "${step}" leaves the live database untouched`, async () => {
      const made = await t.call('backup.create', {}, admin);
      await t.call('users.create', { username: 'after', displayName: '備份後新增', role: 'worker', teamId: null, initialPassword: 'Initial123' }, admin);
      const rt = t.app.ctx.backup;
      let reached = false;
      rt.faults = (s) => {
        if (s === step) {
          reached = true;
          throw new Error(`injected failure at ${s}`);
        }
      };
      const inspected = await inspect(made.name);
      let outcome = inspected;
      if (inspected.ok) outcome = await t.raw('backup.restore', { stageId: (inspected.value as { stageId: string }).stageId }, admin);
      expect(reached).toBe(true);
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && outcome.error.message).toMatch(/失敗|錯誤/);
      expect(usernames()).toEqual(['admin', 'after']);
      expect((sqliteOf(t.app.database).pragma('integrity_check') as { integrity_check: string }[])[0]?.integrity_check).toBe('ok');
      rt.faults = undefined;
      expect((await t.call('audit.verify', {}, admin)).ok).toBe(true);
      expect(readdirSync(t.dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  }
});

describe.runIf(onPostgres)('on the center server (PostgreSQL)', () => {
  it('a .wdbak backup answers that the server is backed up with its own tools, and write nothing', async () => {
    const s = await createTestApp();
    try {
      const admin = await s.setupAdmin();
      expect(s.app.database.engine).toBe('postgres');
      const audit = async () => Number((await s.app.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const rowsBefore = await audit();
      const env = await s.raw('backup.create', {}, admin);
      expect(env.ok).toBe(false);
      if (!env.ok) expect(env.error.message).toMatch(/中心伺服器的資料庫請用伺服器的備份指令/);
      expect(await audit()).toBe(rowsBefore);
    } finally {
      await s.close();
    }
  });
});
