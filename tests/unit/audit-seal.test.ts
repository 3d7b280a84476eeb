/**
 * The audit chain's key. The attacker here has the database key (say, a copied keys… no: a database
 * opened for "support", a decrypted backup, or later the PostgreSQL operator) but not the audit key,
 * which only the app holds. Through a second raw connection they drop the triggers and rewrite the
 * log as they like, recomputing every SHA-256 link and the head marker. Each rewrite is reported.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { applyCipherKey, DB_FILE_NAME, migrateToLatest, openDatabase } from '../../db/connection';
import { openApp } from '../../main/api/app';
import { runVerifyAudit } from '../../main/cli/verify-audit';
import { GENESIS_HASH, hashEntry, recordAudit, verifyAuditChain } from '../../main/services/audit/log';
import { AUDIT_CHECKPOINT_FILE_NAME, AuditSeal } from '../../main/services/audit/seal';
import { createTestApp, testDatabaseFor, type TestApp } from '../helpers/app';
import { row as dbRow, rows as dbRows } from '../helpers/db';
import { onPostgres } from '../helpers/pg';
import pg from 'pg';

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
  mac: string | null;
}

let t: TestApp;
let attacker: BetterSqlite3.Database;

/** Setup (3 rows) and six settings changes: nine sealed rows, a checkpoint, and the attacker's connection. */
async function usedInstall(): Promise<void> {
  t = await createTestApp();
  const token = await t.setupAdmin();
  for (let i = 1; i <= 6; i++) await t.call('settings.update', { centerName: `中心${i}`, idleLockMinutes: 10 + i }, token);
  expect(await verifyAuditChain(t.app.ctx.db)).toEqual({ ok: true, checked: 9, problems: [] });
  attacker = new BetterSqlite3(t.app.dbFile);
  applyCipherKey(attacker, t.app.keyRing.dbKey);
  attacker.exec('drop trigger audit_log_no_update; drop trigger audit_log_no_delete;');
}

afterEach(async () => {
  attacker?.close();
  await t?.close();
});

const rows = (): AuditRow[] => attacker.prepare('select * from audit_log order by id').all() as AuditRow[];

/** What an attacker without the audit key can do: rewrite rows and recompute the SHA-256 chain and the head marker. */
function rewriteChain(edit: (r: AuditRow) => AuditRow, keepMac = true): void {
  let prev = GENESIS_HASH;
  const update = attacker.prepare('update audit_log set at = ?, actor_name = ?, detail = ?, prev_hash = ?, hash = ?, mac = ? where id = ?');
  for (const original of rows()) {
    const r = { ...edit(original), prev_hash: prev };
    const hash = hashEntry(r);
    update.run(r.at, r.actor_name, r.detail, prev, hash, keepMac ? original.mac : null, r.id);
    prev = hash;
  }
  const last = rows().at(-1);
  attacker.prepare("update settings set value = ? where key = 'audit.head'").run(JSON.stringify({ id: last?.id ?? 0, hash: prev }));
}

// The attacker here opens the SQLite file with its key; on PostgreSQL the same attack comes from the database's
// operator, below.
describe.skipIf(onPostgres)('an attacker with the database key but not the audit key', () => {
  it('edits a row and recomputes the whole SHA-256 chain and head marker: the seals no longer match', async () => {
    await usedInstall();
    rewriteChain((r) => (r.id === 5 ? { ...r, detail: JSON.stringify({ after: { centerName: '竄改' } }) } : r));
    const result = await verifyAuditChain(t.app.ctx.db);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({ id: 5, message: '第 5 筆的金鑰驗證碼不符（紀錄遭改寫）' });
    expect(result.problems).toContainEqual({ id: 9, message: '第 9 筆與檢查點記載的內容不符（紀錄遭改寫）' });
    // Rows before the edit are untouched and still verify.
    expect(result.problems.every((p) => p.id === null || p.id >= 5)).toBe(true);
  });

  it('also strips every seal so the chain looks like one from before the key: the unsealed head is reported', async () => {
    await usedInstall();
    rewriteChain((r) => ({ ...r, actor_name: '別人' }), false);
    const result = await verifyAuditChain(t.app.ctx.db);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({ id: 9, message: '最新一筆（第 9 筆）沒有金鑰驗證碼（紀錄鏈可能遭整條改寫或截斷）' });
  });

  it('deletes every row and the head marker: "0 rows" is not complete on a database that has users', async () => {
    await usedInstall();
    attacker.exec("delete from audit_log; delete from settings where key = 'audit.head';");
    const result = await verifyAuditChain(t.app.ctx.db);
    expect(result).toEqual({
      ok: false,
      checked: 0,
      problems: [
        { id: null, message: '沒有任何稽核紀錄，但資料庫已有使用者或曾有紀錄（紀錄可能遭全部刪除）' },
        { id: 9, message: '稽核紀錄只到第 0 筆，少於檢查點記載的第 9 筆（紀錄遭刪除，或資料庫被換成舊版）' },
      ],
    });
  });

  it('drops the triggers, truncates the tail and fixes the head marker: the checkpoint outside the database notices', async () => {
    await usedInstall();
    attacker.prepare('delete from audit_log where id > 6').run();
    const six = rows().at(-1) as AuditRow;
    attacker.prepare("update settings set value = ? where key = 'audit.head'").run(JSON.stringify({ id: six.id, hash: six.hash }));
    const result = await verifyAuditChain(t.app.ctx.db);
    expect(result).toEqual({ ok: false, checked: 6, problems: [{ id: 9, message: '稽核紀錄只到第 6 筆，少於檢查點記載的第 9 筆（紀錄遭刪除，或資料庫被換成舊版）' }] });
  });

  it('forges or deletes the checkpoint file: reported, and the app does not quietly make a new one', async () => {
    await usedInstall();
    const file = join(t.dataDir, AUDIT_CHECKPOINT_FILE_NAME);
    const genuine = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(genuine), id: 3 }));
    expect((await verifyAuditChain(t.app.ctx.db)).problems).toEqual([{ id: null, message: '稽核檢查點檔的簽章不符（檔案遭修改）' }]);
    rmSync(file);
    // Cut the tail too: without the file, the database alone cannot show it, so the missing file is the finding.
    attacker.prepare('delete from audit_log where id > 6').run();
    const six = rows().at(-1) as AuditRow;
    attacker.prepare("update settings set value = ? where key = 'audit.head'").run(JSON.stringify({ id: six.id, hash: six.hash }));
    const token = (await t.call('auth.login', { username: 'admin', password: 'Admin12345' })).token;
    await t.call('settings.update', { centerName: '中心7', idleLockMinutes: 20 }, token);
    expect((await verifyAuditChain(t.app.ctx.db)).problems).toEqual([{ id: null, message: '找不到稽核檢查點檔（audit-checkpoint.json），無法確認紀錄未遭截斷' }]);
  });

  it('the auditor sees it through audit.verify and an administrator through `npm run cli -- verify-audit`', async () => {
    await usedInstall();
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
    try {
      expect(await runVerifyAudit(['--data-dir', t.dataDir])).toBe(0);
      rewriteChain((r) => (r.id === 2 ? { ...r, actor_name: '別人' } : r));
      expect(await runVerifyAudit(['--data-dir', t.dataDir])).toBe(1);
    } finally {
      process.stdout.write = write;
    }
    expect(out[0]).toBe('稽核紀錄鏈完整：共 9 筆。\n');
    expect(out.join('')).toContain('第 2 筆的金鑰驗證碼不符（紀錄遭改寫）');
    const token = (await t.call('auth.login', { username: 'admin', password: 'Admin12345' })).token;
    const viaApi = await t.call('audit.verify', {}, token);
    expect(viaApi.ok).toBe(false);
    expect(viaApi.problems).toContainEqual({ id: 2, message: '第 2 筆的金鑰驗證碼不符（紀錄遭改寫）' });
  });
});

describe('the key travels with the database handle', () => {
  it('two apps in one process each seal with their own folder\'s audit key, not a process-wide one', async () => {
    const a = await createTestApp();
    const b = await createTestApp();
    try {
      await a.setupAdmin();
      await b.setupAdmin();
      expect(a.app.keyRing.auditKey.equals(b.app.keyRing.auditKey)).toBe(false);
      for (const [own, other] of [[a, b], [b, a]] as const) {
        const mine = new AuditSeal(own.app.keyRing.auditKey, null);
        const theirs = new AuditSeal(other.app.keyRing.auditKey, null);
        const sealed = (await dbRows(own.app, 'select hash, mac from audit_log')) as { hash: string; mac: string }[];
        expect(sealed.length).toBeGreaterThan(0);
        for (const r of sealed) {
          expect(r.mac).toBe(mine.mac(r.hash));
          expect(r.mac).not.toBe(theirs.mac(r.hash));
        }
        expect((await verifyAuditChain(own.app.ctx.db)).ok).toBe(true);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('an install from before the key', () => {
  it('is sealed once at upgrade by one row that covers the old rows; rewriting an old row is then detected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-seal-legacy-'));
    try {
      // The old app: plain file, SHA-256 chain only.
      const old = openDatabase(join(dir, DB_FILE_NAME), { onSlowQuery: () => undefined });
      await migrateToLatest(old.db);
      const at = new Date('2026-03-05T02:00:00.000Z');
      for (let i = 0; i < 4; i++) await recordAudit(old.db, { actor: null, actorLabel: '舊系統', action: 'view', entity: 'test', entityId: i }, at);
      await old.close();

      const app = await openApp({ dataDir: dir, now: () => at });
      const sealRow = (await dbRow(app, 'select id, entity, detail, mac from audit_log order by id desc limit 1')) as AuditRow;
      expect(sealRow).toMatchObject({ id: 5, entity: 'audit.chain' });
      expect(JSON.parse(sealRow.detail ?? 'null')).toEqual({ sealed: true, unsealedRows: 4 });
      expect(sealRow.mac).toMatch(/^[0-9a-f]{64}$/);
      expect(await verifyAuditChain(app.ctx.db)).toEqual({ ok: true, checked: 5, problems: [] });
      await app.close();

      const again = await openApp({ dataDir: dir, now: () => at });
      expect(await verifyAuditChain(again.ctx.db)).toEqual({ ok: true, checked: 5, problems: [] }); // sealed once only
      attacker = new BetterSqlite3(again.dbFile);
      applyCipherKey(attacker, again.keyRing.dbKey);
      attacker.exec('drop trigger audit_log_no_update;');
      // Rewrite old row 2 and recompute the old chain up to the seal row, whose own seal cannot be recomputed.
      rewriteChain((r) => (r.id === 2 ? { ...r, actor_name: '改寫' } : r));
      const result = await verifyAuditChain(again.ctx.db);
      expect(result.ok).toBe(false);
      expect(result.problems).toContainEqual({ id: 5, message: '第 5 筆的金鑰驗證碼不符（紀錄遭改寫）' });
      attacker.close();
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a brand-new install with no user yet and no rows verifies as empty, not as tampered', async () => {
    t = await createTestApp();
    expect(await verifyAuditChain(t.app.ctx.db)).toEqual({ ok: true, checked: 0, problems: [] });
  });
});

describe.runIf(onPostgres)("the PostgreSQL server's operator: every table, but not the app server's audit key", () => {
  it('disables the triggers, edits a row and recomputes the whole SHA-256 chain and head marker: the seals no longer match', async () => {
    t = await createTestApp();
    const token = await t.setupAdmin();
    for (let i = 1; i <= 6; i++) await t.call('settings.update', { centerName: `中心${i}`, idleLockMinutes: 10 + i }, token);
    expect(await verifyAuditChain(t.app.ctx.db)).toEqual({ ok: true, checked: 9, problems: [] });
    const { database } = await testDatabaseFor(t.dataDir);
    const operator = new pg.Client({ connectionString: database?.url });
    await operator.connect();
    try {
      await operator.query('alter table audit_log disable trigger user');
      const all = (await operator.query<AuditRow>('select * from audit_log order by id')).rows;
      let prev = GENESIS_HASH;
      for (const original of all) {
        const r = { ...original, id: Number(original.id), prev_hash: prev, ...(Number(original.id) === 5 ? { detail: JSON.stringify({ after: { centerName: '竄改' } }) } : {}) };
        const hash = hashEntry(r);
        await operator.query('update audit_log set detail = $1, prev_hash = $2, hash = $3 where id = $4', [r.detail, prev, hash, r.id]);
        prev = hash;
      }
      await operator.query("update settings set value = $1 where key = 'audit.head'", [JSON.stringify({ id: all.at(-1)?.id ?? 0, hash: prev })]);
      await operator.query('alter table audit_log enable trigger user');
    } finally {
      await operator.end();
    }
    const result = await verifyAuditChain(t.app.ctx.db);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({ id: 5, message: '第 5 筆的金鑰驗證碼不符（紀錄遭改寫）' });
    expect(result.problems.every((p) => p.id === null || p.id >= 5)).toBe(true);
  });
});
