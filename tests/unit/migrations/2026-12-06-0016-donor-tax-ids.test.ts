/**
 * Migration 0016 (donor tax IDs): a database at the migration before it, with a donor, migrated to
 * 0016: the donor keeps its fields, has no tax ID and version 0; a tax ID can be stored; down removes
 * both columns again and the donor is still there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-06-0016-donor-tax-ids';

// Plain ADD COLUMNs; on PostgreSQL index.test.ts migrates through it.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const columns = () => (h.sqlite.prepare('pragma table_info(fb_donors)').all() as { name: string }[]).map((c) => c.name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0016-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds tax_id and version to donors, keeping existing donors; down removes them', async () => {
    await migrateToHelper(h.db, before);
    expect(columns()).not.toContain('tax_id');
    h.sqlite.prepare("insert into fb_donors (kind, name, contact, phone, address, created_at) values ('company', '好食公司', '王經理', '049-1234567', '南投市中山路1號', '2026-05-01T00:00:00.000Z')").run();

    expect(await migrateToHelper(h.db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(columns()).toEqual(expect.arrayContaining(['tax_id', 'version']));
    expect(h.sqlite.prepare('select name, address, tax_id, version from fb_donors').get()).toEqual({ name: '好食公司', address: '南投市中山路1號', tax_id: null, version: 0 });
    h.sqlite.prepare("update fb_donors set tax_id = '22099131', version = version + 1").run();
    expect(h.sqlite.prepare('select tax_id, version from fb_donors').get()).toEqual({ tax_id: '22099131', version: 1 });

    expect(await migrateToHelper(h.db, before)).toEqual([`Down ${THIS} Success`]);
    expect(columns()).not.toContain('tax_id');
    expect(columns()).not.toContain('version');
    expect(h.sqlite.prepare('select name from fb_donors').get()).toEqual({ name: '好食公司' });
  });
});
