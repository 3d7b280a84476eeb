/**
 * The migration list itself: frozen names in date order, each with its own test file, and a fresh
 * database migrates through all of them.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { openPostgres } from '../../../db/postgres';
import { createEmptyDatabase, dropDatabase, onPostgres } from '../../helpers/pg';

const NAMES = Object.keys(MIGRATIONS);

describe('db/migrations/index.ts', () => {
  it('lists migrations named YYYY-MM-DD-NNNN-name, in order, numbered without gaps', () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(2);
    for (const name of NAMES) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}-\d{4}-[a-z0-9-]+$/);
    expect([...NAMES].sort()).toEqual(NAMES);
    expect(NAMES.map((n) => Number(n.slice(11, 15)))).toEqual(NAMES.map((_, i) => i + 1));
    for (const m of Object.values(MIGRATIONS)) expect(typeof m.up).toBe('function');
  });

  it.each(NAMES)('%s has its own test file', (name) => {
    expect(existsSync(join(__dirname, `${name}.test.ts`)), `tests/unit/migrations/${name}.test.ts`).toBe(true);
  });

  it.runIf(onPostgres)('a fresh PostgreSQL database migrates through all of them in their PostgreSQL forms, and a second run applies nothing', async () => {
    const { name, url } = await createEmptyDatabase();
    const h = openPostgres(url);
    try {
      expect(await migrateToLatest(h.db)).toEqual(NAMES);
      expect(await migrateToLatest(h.db)).toEqual([]);
      const cols = await sql<{ table_name: string; column_name: string; data_type: string; is_identity: string; identity_generation: string | null }>`
        select table_name, column_name, data_type, is_identity, identity_generation from information_schema.columns
        where table_schema = current_schema() and table_name not like 'kysely_%'`.execute(h.db);
      const col = (t: string, c: string) => cols.rows.find((r) => r.table_name === t && r.column_name === c);
      // autoIncrement → identity by default; real → double precision; blob → bytea; the audit id stays explicit.
      expect(col('cases', 'id')).toMatchObject({ data_type: 'integer', is_identity: 'YES', identity_generation: 'BY DEFAULT' });
      expect(col('fb_movements', 'quantity')?.data_type).toBe('double precision');
      expect(col('report_templates', 'bytes')?.data_type).toBe('bytea');
      expect(col('audit_log', 'id')).toMatchObject({ data_type: 'integer', is_identity: 'NO' });
      expect(cols.rows.filter((r) => r.data_type === 'real' || r.data_type === 'bigint')).toEqual([]);
      const triggers = await sql<{ tgname: string }>`select tgname from pg_trigger where not tgisinternal order by tgname`.execute(h.db);
      expect(triggers.rows.map((r) => r.tgname)).toEqual([
        'audit_log_no_delete',
        'audit_log_no_update',
        'fb_movements_balance',
        'fb_movements_no_delete',
        'fb_movements_no_update',
        'service_records_latest_delete', // 0027: the newest record per case and household
        'service_records_latest_insert',
        'service_records_latest_update',
      ]);
      const partial = await sql<{ indexname: string }>`select indexname from pg_indexes where schemaname = current_schema() and indexdef like '% WHERE %' order by indexname`.execute(h.db);
      expect(partial.rows.length).toBe(16); // 0033 service_records_case_visit_idx; 0032 person_links_active_uq; 0026 added service_records_consultation_idx; 0012 added service_records_concern_visit_idx; 0013 notifications_user_unread_idx, notifications_daily_uq; 0019 person_income_status_open_uq
      // The append-only trigger holds: PL/pgSQL's twin of SQLite's raise(abort, ...).
      await sql`insert into audit_log (id, at, actor_name, action, entity, prev_hash, hash) values (1, 'x', 'x', 'x', 'x', 'x', 'x')`.execute(h.db);
      await expect(sql`update audit_log set hash = 'y'`.execute(h.db)).rejects.toThrow('audit_log is append-only');
      await expect(sql`delete from audit_log`.execute(h.db)).rejects.toThrow('audit_log is append-only');
      // SQLite's round(real, n), which the services and the fb_balances trigger use, exists on PostgreSQL too.
      expect((await sql<{ r: number }>`select round(cast(2.0005 as double precision), 3) as r`.execute(h.db)).rows[0]?.r).toBe(2.001);
    } finally {
      await h.close();
      await dropDatabase(name);
    }
  });

  it('a fresh database migrates through all of them, and a second run applies nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-mig-all-'));
    try {
      const h = openDatabase(join(dir, 'test.db'));
      expect(await migrateToLatest(h.db)).toEqual(NAMES);
      expect(await migrateToLatest(h.db)).toEqual([]);
      expect(h.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(h.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(h.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(h.sqlite.pragma('foreign_key_check')).toEqual([]);
      await h.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
