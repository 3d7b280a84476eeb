/**
 * The audit log: the events the foundation records, and the hash chain that makes an edited, deleted or
 * truncated log detectable. Tampering is done the way an attacker holding the database file would: a
 * second, raw connection on the same file (with the database key, since the file is encrypted) that first
 * drops the append-only triggers.
 */
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { applyCipherKey } from '../../db/connection';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashEntry, recordAudit, verifyAuditChain } from '../../main/services/audit/log';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/app';
import { exec as dbExec, rows as dbRows } from '../helpers/db';
import { onPostgres } from '../helpers/pg';

interface AuditRow {
  id: number;
  at: string;
  actor_id: number | null;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

async function rows(t: TestApp): Promise<AuditRow[]> {
  return (await dbRows(t.app, 'select * from audit_log order by id')) as AuditRow[];
}

describe('what the foundation records', () => {
  let t: TestApp;
  let adminToken: string;
  let worker: { id: number; token: string };
  let log: AuditRow[];

  beforeAll(async () => {
    t = await createTestApp();
    adminToken = await t.setupAdmin();
    worker = await t.createUser(adminToken, 'chou', 'worker');
    await t.raw('auth.login', { username: 'chou', password: 'Wrong12345' }, null, 'http');
    await t.call('auth.lock', {}, worker.token);
    await t.call('auth.unlock', { password: USER_PASSWORD }, worker.token);
    await t.call('auth.logout', {}, worker.token);
    const view = (await t.call('users.list', {}, adminToken)).find((u) => u.id === worker.id);
    await t.call('users.update', { id: worker.id, version: view?.version ?? 0, displayName: '周督導', role: 'supervisor', teamId: null }, adminToken);
    await t.call('users.setDisabled', { id: worker.id, disabled: true }, adminToken);
    await t.call('teams.create', { name: '第一組', supervisorId: null }, adminToken);
    log = (await rows(t));
  });
  afterAll(async () => {
    await t?.close();
  });

  const find = (action: string, pred: (r: AuditRow) => boolean = () => true) => log.filter((r) => r.action === action && pred(r));

  it('first-run setup: the center, the administrator account and the sign-in, by the administrator', () => {
    expect(log.slice(0, 3).map((r) => [r.action, r.entity, r.actor_id, r.actor_name])).toEqual([
      ['setup', 'center', 1, '管理者'],
      ['create', 'user', 1, '管理者'],
      ['login', 'user', 1, '管理者'],
    ]);
    expect(JSON.parse(log[0]?.detail ?? 'null')).toEqual({ centerName: '測試中心' });
  });

  it('user creation by the administrator, with the new account as the entity', () => {
    const [created] = find('create', (r) => r.entity === 'user' && r.entity_id === String(worker.id));
    expect(created).toMatchObject({ actor_id: 1, actor_name: '管理者' });
    expect(JSON.parse(created?.detail ?? 'null')).toEqual({ username: 'chou', role: 'worker', teamId: null });
  });

  it('sign-in ok with the user as actor, failed with no actor and the name typed', () => {
    expect(find('login', (r) => r.actor_id === worker.id).length).toBe(2); // first sign-in, then after the password change
    const [failed] = find('login.failed');
    expect(failed).toMatchObject({ actor_id: null, actor_name: 'chou', entity: 'user', entity_id: String(worker.id) });
    expect(JSON.parse(failed?.detail ?? 'null')).toEqual({ attempt: 1, locked: false });
  });

  it('lock, unlock, sign-out and the password change, each by the user', () => {
    for (const action of ['lock', 'unlock', 'logout', 'password.change']) {
      expect(find(action).map((r) => r.actor_id), action).toEqual([worker.id]);
    }
    expect(JSON.parse(find('lock')[0]?.detail ?? 'null')).toEqual({ reason: 'user' });
  });

  it('the role change and the disabling, by the administrator, with before and after', () => {
    const updates = find('update', (r) => r.entity === 'user' && r.entity_id === String(worker.id));
    expect(updates.map((r) => r.actor_id)).toEqual([1, 1]);
    expect(JSON.parse(updates[0]?.detail ?? 'null')).toEqual({
      before: { displayName: 'chou姓名', role: 'worker', teamId: null },
      after: { displayName: '周督導', role: 'supervisor', teamId: null },
    });
    expect(JSON.parse(updates[1]?.detail ?? 'null')).toEqual({ disabled: true });
    expect(find('create', (r) => r.entity === 'team')).toHaveLength(1);
  });

  it('ids run 1..n without gaps, every row is chained to the one before, and verifyAuditChain agrees', async () => {
    expect(log.map((r) => r.id)).toEqual(log.map((_, i) => i + 1));
    expect(log[0]?.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < log.length; i++) expect(log[i]?.prev_hash).toBe(log[i - 1]?.hash);
    for (const r of log) {
      const { hash, ...fields } = r;
      expect(hashEntry(fields)).toBe(hash);
    }
    expect(await verifyAuditChain(t.app.ctx.db)).toEqual({ ok: true, checked: log.length, problems: [] });
    // The auditor sees the same through the API (and the viewing itself is logged afterwards).
    const auditor = await t.createUser(adminToken, 'kao', 'auditor');
    const result = await t.call('audit.verify', {}, auditor.token);
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(log.length);
    const page = await t.call('audit.list', { action: 'login.failed' }, auditor.token);
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({ actorId: null, actorName: 'chou', action: 'login.failed', detail: { attempt: 1, locked: false } });
  });

  it("the app's own connection cannot change or delete audit rows (triggers), through SQL or Kysely", async () => {
    await expect(dbExec(t.app, "update audit_log set detail = '{}' where id = 2")).rejects.toThrow(/append-only/);
    await expect(dbExec(t.app, 'delete from audit_log where id = 2')).rejects.toThrow(/append-only/);
    await expect(dbExec(t.app, 'delete from audit_log')).rejects.toThrow(/append-only/);
    await expect(t.app.ctx.db.updateTable('audit_log').set({ actor_name: 'x' }).where('id', '=', 1).execute()).rejects.toThrow(/append-only/);
    await expect(t.app.ctx.db.deleteFrom('audit_log').where('id', '=', 1).execute()).rejects.toThrow(/append-only/);
    expect((await rows(t)).slice(0, log.length)).toEqual(log);
  });
});

describe('national IDs and sensitive keys never reach the log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('masks national-ID-shaped strings in details and names, and drops passwords and narratives', async () => {
    const adminToken = await t.setupAdmin();
    // Someone types their national ID into the username box.
    await t.raw('auth.login', { username: 'A123456789', password: 'Whatever1' }, null, 'http');
    await t.call('settings.update', { centerName: '中心 F131104093 與 a800000014、AB12345678', idleLockMinutes: 10 }, adminToken);
    await recordAudit(
      t.app.ctx.db,
      {
        actor: null,
        actorLabel: 'B223456781',
        action: 'view',
        entity: 'test',
        detail: { password: 'Secret123', narrative: '家訪內容', nested: { nationalId: 'A123456789', list: ['C123456780'] } },
      },
      t.clock.now,
    );
    const text = JSON.stringify((await rows(t)));
    for (const id of ['A123456789', 'F131104093', 'a800000014', 'AB12345678', 'B223456781', 'C123456780']) expect(text).not.toContain(id);
    for (const masked of ['F13****093', 'a80****014', 'AB1****678', 'B22****781']) expect(text).toContain(masked);
    const last = (await rows(t)).at(-1);
    expect(last?.actor_name).toBe('B22****781');
    expect(JSON.parse(last?.detail ?? 'null')).toEqual({ password: '[不記錄]', narrative: '[不記錄]', nested: { nationalId: '[不記錄]', list: ['C12****780'] } });
    const failed = (await rows(t)).find((r) => r.action === 'login.failed');
    // A name that is no account is kept to its first two characters (services/auth/service.ts).
    expect(failed?.actor_name).toBe('a1…（不存在的帳號）');
    // Masking happens before hashing, so the chain still verifies.
    expect((await verifyAuditChain(t.app.ctx.db)).ok).toBe(true);
  });
});

// Tampering with the SQLite file itself (its key in hand); on PostgreSQL the operator's edit is in audit-seal.test.ts.
describe.skipIf(onPostgres)('tampering with the file is detected', () => {
  let t: TestApp;
  let attacker: BetterSqlite3.Database;

  /** A log of a dozen rows: setup (3), then settings changes and views. */
  async function freshLog(): Promise<AuditRow[]> {
    t = await createTestApp();
    const token = await t.setupAdmin();
    for (let i = 1; i <= 6; i++) await t.call('settings.update', { centerName: `中心${i}`, idleLockMinutes: 10 + i }, token);
    await t.call('audit.list', { limit: 5 }, token);
    const log = (await rows(t));
    expect(log).toHaveLength(10);
    expect(await verifyAuditChain(t.app.ctx.db)).toEqual({ ok: true, checked: 10, problems: [] });
    // The attacker has the database key (the file is encrypted) but not the audit key.
    attacker = new BetterSqlite3(t.app.dbFile);
    applyCipherKey(attacker, t.app.keyRing.dbKey);
    attacker.exec('drop trigger audit_log_no_update; drop trigger audit_log_no_delete;');
    return log;
  }
  afterEach(async () => {
    attacker?.close();
    await t?.close();
  });

  it('an edited detail: that row no longer matches its hash', async () => {
    await freshLog();
    attacker.prepare('update audit_log set detail = ? where id = 5').run(JSON.stringify({ before: {}, after: { centerName: '竄改' } }));
    const result = await verifyAuditChain(t.app.ctx.db);
    expect(result).toEqual({ ok: false, checked: 10, problems: [{ id: 5, message: '第 5 筆內容與雜湊值不符（紀錄遭修改）' }] });
  });

  it('an edited actor or time is caught the same way', async () => {
    await freshLog();
    attacker.prepare("update audit_log set actor_name = '別人', at = '2020-01-01T00:00:00.000Z' where id = 3").run();
    expect((await verifyAuditChain(t.app.ctx.db)).problems).toEqual([{ id: 3, message: '第 3 筆內容與雜湊值不符（紀錄遭修改）' }]);
  });

  it('a deleted middle row: a gap, and the next row no longer links', async () => {
    await freshLog();
    attacker.prepare('delete from audit_log where id = 6').run();
    const result = await verifyAuditChain(t.app.ctx.db);
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(9);
    expect(result.problems).toEqual([
      { id: 7, message: '第 6 至 6 筆紀錄遺失（可能遭刪除）' },
      { id: 7, message: '第 7 筆與前一筆的鏈結不符（前一筆可能遭修改或刪除）' },
    ]);
  });

  it('a deleted first row is a gap at the start', async () => {
    await freshLog();
    attacker.prepare('delete from audit_log where id = 1').run();
    const result = await verifyAuditChain(t.app.ctx.db);
    expect(result.problems.map((p) => p.id)).toEqual([2, 2]);
    expect(result.problems[0]?.message).toBe('第 1 至 1 筆紀錄遺失（可能遭刪除）');
  });

  it('a deleted last row (or several): caught by the head marker', async () => {
    await freshLog();
    attacker.prepare('delete from audit_log where id = 10').run();
    const one = await verifyAuditChain(t.app.ctx.db);
    expect(one).toEqual({
      ok: false,
      checked: 9,
      problems: [
        { id: 10, message: '最新紀錄應為第 10 筆，實際只到第 9 筆（尾端紀錄遭刪除或修改）' },
        { id: 10, message: '稽核紀錄只到第 9 筆，少於檢查點記載的第 10 筆（紀錄遭刪除，或資料庫被換成舊版）' },
      ],
    });
    attacker.prepare('delete from audit_log where id >= 8').run();
    expect((await verifyAuditChain(t.app.ctx.db)).problems).toEqual([
      { id: 10, message: '最新紀錄應為第 10 筆，實際只到第 7 筆（尾端紀錄遭刪除或修改）' },
      { id: 10, message: '稽核紀錄只到第 7 筆，少於檢查點記載的第 10 筆（紀錄遭刪除，或資料庫被換成舊版）' },
    ]);
  });

  it('the head marker removed as well as the tail is still noticed', async () => {
    await freshLog();
    attacker.prepare('delete from audit_log where id >= 9').run();
    attacker.prepare("delete from settings where key = 'audit.head'").run();
    expect((await verifyAuditChain(t.app.ctx.db)).problems).toEqual([
      { id: null, message: '找不到稽核鏈的最新紀錄標記' },
      { id: 10, message: '稽核紀錄只到第 8 筆，少於檢查點記載的第 10 筆（紀錄遭刪除，或資料庫被換成舊版）' },
    ]);
  });

  it('an edited row re-hashed without fixing the next link: the next row reports the broken link', async () => {
    const log = await freshLog();
    const row = log[3] as AuditRow; // id 4
    const forged = { ...row, detail: JSON.stringify({ forged: true }) };
    const { hash: _old, ...fields } = forged;
    const newHash = hashEntry(fields);
    attacker.prepare('update audit_log set detail = ?, hash = ? where id = 4').run(forged.detail, newHash);
    const result = await verifyAuditChain(t.app.ctx.db);
    expect(result).toEqual({
      ok: false,
      checked: 10,
      problems: [
        { id: 4, message: '第 4 筆的金鑰驗證碼不符（紀錄遭改寫）' },
        { id: 5, message: '第 5 筆與前一筆的鏈結不符（前一筆可能遭修改或刪除）' },
      ],
    });
  });

  it('a re-hashed last row is caught by the head marker', async () => {
    const log = await freshLog();
    const row = log[9] as AuditRow;
    const { hash: _old, ...fields } = { ...row, actor_name: '別人' };
    attacker.prepare("update audit_log set actor_name = '別人', hash = ? where id = 10").run(hashEntry(fields));
    const result = await verifyAuditChain(t.app.ctx.db);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { id: 10, message: '第 10 筆的金鑰驗證碼不符（紀錄遭改寫）' },
      { id: 10, message: '最新一筆（第 10 筆）與最新紀錄標記不符（紀錄遭修改）' },
      { id: 10, message: '第 10 筆與檢查點記載的內容不符（紀錄遭改寫）' },
    ]);
  });

  it('an inserted row (ids shifted) breaks the chain', async () => {
    const log = await freshLog();
    const first = log[0] as AuditRow;
    attacker.prepare('insert into audit_log (id, at, actor_id, actor_name, action, entity, entity_id, detail, prev_hash, hash) values (?,?,?,?,?,?,?,?,?,?)').run(
      11, first.at, null, '入侵者', 'view', 'x', null, null, 'f'.repeat(64), 'e'.repeat(64),
    );
    const result = await verifyAuditChain(t.app.ctx.db);
    expect(result.ok).toBe(false);
    // A gap, a broken link, a row without the key's seal, a head marker that no longer matches, an unsealed head.
    expect(result.problems.map((p) => p.id)).toEqual([11, 11, 11, 10, 11]);
  });

  it('the auditor sees the same result through audit.verify', async () => {
    await freshLog();
    attacker.prepare("update audit_log set entity = 'x' where id = 2").run();
    const token = (await t.call('auth.login', { username: 'admin', password: 'Admin12345' })).token;
    const result = await t.call('audit.verify', {}, token);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({ id: 2, message: '第 2 筆內容與雜湊值不符（紀錄遭修改）' });
  });
});

describe('printing is audited', () => {
  it('audit.recordPrint writes a print row naming what was printed, for staff and the food-bank clerk only', async () => {
    const t = await createTestApp();
    try {
      const admin = await t.setupAdmin();
      const clerk = await t.createUser(admin, 'clerkb', 'foodbank');
      const auditor = await t.createUser(admin, 'auditb', 'auditor');
      await t.call('audit.recordPrint', { entity: 'household', entityId: 12, what: '家系圖' }, admin);
      await t.call('audit.recordPrint', { entity: 'foodbank.receipt', entityId: '115-000001', what: '發放簽收單' }, clerk.token);
      const denied = await t.raw('audit.recordPrint', { entity: 'household', entityId: 12, what: '家系圖' }, auditor.token);
      expect(denied.ok).toBe(false);
      const rows = (await dbRows(t.app, "select entity, entity_id, detail from audit_log where action = 'print' order by id"));
      expect(rows).toEqual([
        { entity: 'household', entity_id: '12', detail: JSON.stringify({ what: '家系圖' }) },
        { entity: 'foodbank.receipt', entity_id: '115-000001', detail: JSON.stringify({ what: '發放簽收單' }) },
      ]);
    } finally {
      await t.close();
    }
  });
});

describe('list exports are audited', () => {
  it('audit.recordExport writes an export row with the list, the filter in words and the row count, for every signed-in role', async () => {
    const t = await createTestApp();
    try {
      const admin = await t.setupAdmin();
      const clerk = await t.createUser(admin, 'clerkx', 'foodbank');
      const auditor = await t.createUser(admin, 'auditx', 'auditor');
      await t.call('audit.recordExport', { entity: 'worklists.my_cases', what: '我的個案', filter: '狀態：開案中，搜尋：（已輸入）', rowCount: 12 }, admin);
      await t.call('audit.recordExport', { entity: 'foodbank.stock', what: '庫存', filter: '', rowCount: 0 }, clerk.token);
      await t.call('audit.recordExport', { entity: 'audit_log', what: '稽核紀錄', filter: '', rowCount: 3 }, auditor.token);
      const bad = await t.raw('audit.recordExport', { entity: 'Worklists/My', what: '我的個案', filter: '', rowCount: -1 }, admin);
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(Object.keys(bad.error.fields ?? {}).sort()).toEqual(['entity', 'rowCount']);
      const rows = await dbRows(t.app, "select actor_name, entity, entity_id, detail from audit_log where action = 'export' order by id");
      expect(rows).toEqual([
        { actor_name: '管理者', entity: 'worklists.my_cases', entity_id: null, detail: JSON.stringify({ what: '我的個案', filter: '狀態：開案中，搜尋：（已輸入）', rows: 12, format: 'xlsx' }) },
        { actor_name: 'clerkx姓名', entity: 'foodbank.stock', entity_id: null, detail: JSON.stringify({ what: '庫存', filter: '', rows: 0, format: 'xlsx' }) },
        { actor_name: 'auditx姓名', entity: 'audit_log', entity_id: null, detail: JSON.stringify({ what: '稽核紀錄', filter: '', rows: 3, format: 'xlsx' }) },
      ]);
    } finally {
      await t.close();
    }
  });
});
