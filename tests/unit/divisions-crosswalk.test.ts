/**
 * The division crosswalk (main/services/divisions/crosswalk.ts) on SQLite and, in the PostgreSQL run, on
 * PostgreSQL: the TypeScript mapping and the SQL expression the reports group by agree on every date,
 * follow successive renumberings (A → B → C), map NULL to NULL and unknown codes to themselves; the
 * pickers list the divisions in use on a day; and in the 村里代碼 import an explicit 舊代碼 wins over the
 * name-based guess.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema';
import { currentCode, currentCodes, currentCodeSql } from '../../main/services/divisions/crosswalk';
import { listDivisions } from '../../main/services/divisions/service';
import { villagesKind, type VillageRow } from '../../main/services/imports/kinds/villages';
import type { Classification, KindContext, ParsedRow, RecordedEffect, SourceRow } from '../../main/services/imports/types';
import { createTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
let db: Kysely<Database>;

const division = (code: string, level: 'county' | 'town' | 'village', name: string, parent: string | null, validFrom: string | null = null, validTo: string | null = null) => ({
  code,
  level,
  name,
  parent_code: parent,
  valid_from: validFrom,
  valid_to: validTo,
});

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.ctx.db;
  await db
    .insertInto('divisions')
    .values([
      division('10003', 'county', '桃園縣', null, null, '2014-12-25'),
      division('10003010', 'town', '桃園市', '10003', null, '2014-12-25'),
      division('10003010001', 'village', '文化里', '10003010', null, '2014-12-25'),
      division('10003010002', 'village', '中山里', '10003010', null, '2014-12-25'),
      division('68000', 'county', '桃園市', null, '2014-12-25'),
      division('68000010', 'town', '桃園區', '68000', '2014-12-25', '2030-01-01'),
      division('68000010001', 'village', '文化里', '68000010', '2014-12-25', '2030-01-01'),
      division('68000099', 'town', '新桃園區', '68000', '2030-01-01'),
      division('68000099001', 'village', '新文化里', '68000099', '2030-01-01'),
      division('63000', 'county', '臺北市', null),
    ])
    .execute();
  await db
    .insertInto('division_code_changes')
    .values([
      { old_code: '10003', new_code: '68000', effective_from: '2014-12-25', note: null },
      { old_code: '10003010', new_code: '68000010', effective_from: '2014-12-25', note: null },
      { old_code: '10003010001', new_code: '68000010001', effective_from: '2014-12-25', note: null },
      { old_code: '68000010', new_code: '68000099', effective_from: '2030-01-01', note: null },
      { old_code: '68000010001', new_code: '68000099001', effective_from: '2030-01-01', note: null },
    ])
    .execute();
});
afterAll(async () => {
  await t?.close();
});

const viaSql = async (code: string | null, onDate: string) =>
  (await sql<{ c: string | null }>`select ${currentCodeSql('x.code', onDate)} as c from (select ${code} as code) x`.execute(db)).rows[0]?.c ?? null;

describe('currentCode and currentCodeSql', () => {
  it('agree on every date, following successive changes', async () => {
    const cases: [string, string, string][] = [
      ['10003010001', '2014-12-24', '10003010001'],
      ['10003010001', '2014-12-25', '68000010001'],
      ['10003010001', '2029-12-31', '68000010001'],
      ['10003010001', '2030-01-01', '68000099001'], // two hops
      ['68000010001', '2030-06-30', '68000099001'],
      ['10003010', '2030-01-01', '68000099'],
      ['10003', '2026-05-20', '68000'],
      ['63000', '2026-05-20', '63000'],
      ['99999999999', '2026-05-20', '99999999999'],
    ];
    for (const [code, on, want] of cases) {
      expect(await currentCode(db, code, on), `${code} on ${on}`).toBe(want);
      expect(await viaSql(code, on), `SQL ${code} on ${on}`).toBe(want);
    }
    expect(await viaSql(null, '2026-05-20')).toBeNull();
    const many = await currentCodes(db, ['10003', '10003010', '10003010001', '10003010002'], '2030-01-01');
    expect(Object.fromEntries(many)).toEqual({ '10003': '68000', '10003010': '68000099', '10003010001': '68000099001', '10003010002': '10003010002' });
  });

  it('groups rows under the current code in SQL', async () => {
    const rows = await sql<{ c: string; n: number | string }>`select ${currentCodeSql('x.code', '2026-05-20')} as c, count(*) as n from (select '10003010001' as code union all select '68000010001' union all select '10003010002') x group by c order by c`.execute(db);
    expect(rows.rows.map((r) => [r.c, Number(r.n)])).toEqual([
      ['10003010002', 1],
      ['68000010001', 2],
    ]);
  });
});

describe('listDivisions', () => {
  it('lists the divisions in use on the day', async () => {
    const names = async (parent: string | null, on?: string) => (await listDivisions(db, parent, on)).map((d) => d.code);
    expect(await names(null, '2014-06-01')).toEqual(['10003', '63000']);
    expect(await names(null, '2026-05-20')).toEqual(['63000', '68000']);
    expect(await names('68000', '2026-05-20')).toEqual(['68000010']);
    expect(await names('68000', '2030-01-01')).toEqual(['68000099']);
    // Without a day: the divisions with no end.
    expect(await names('68000')).toEqual(['68000099']);
  });
});

describe('the 村里代碼 import', () => {
  it('takes an explicit 舊代碼 over the name-based guess', async () => {
    const ctx: KindContext = { actor: { id: 1, role: 'admin', teamId: null }, today: '2026-05-20', now: '2026-05-20T02:00:00.000Z', options: villagesKind.options.parse({ effectiveFrom: '2026-06-01' }) };
    // 臺北市 is not renamed, so 68000-style guessing does not apply; 中山里 (10003010002, still without a
    // successor) is named explicitly as the predecessor of a new 臺北市 village.
    await db.insertInto('divisions').values([division('63000010', 'town', '松山區', '63000')]).execute();
    const row = (line: number, villageName: string, villageCode: string, oldCode?: string): SourceRow => ({
      line,
      cells: {
        countyName: { col: 'A', text: '臺北市' },
        townName: { col: 'B', text: '松山區' },
        villageName: { col: 'C', text: villageName },
        villageCode: { col: 'D', text: villageCode },
        ...(oldCode ? { oldCode: { col: 'E', text: oldCode } } : {}),
      },
    });
    const rows = [row(2, '中山里', '63000010001', '10003010002'), row(3, '莊敬里', '63000010002')];
    const parsed: ParsedRow<VillageRow>[] = rows.map((r) => {
      const p = villagesKind.parse(r, ctx);
      if (!p.ok) throw new Error(JSON.stringify(p.problems));
      return { line: r.line, value: p.value };
    });
    const classes = await villagesKind.classify(db, parsed, ctx);
    expect(classes).toEqual([
      { status: 'new', summary: '臺北市松山區中山里（63000010001）', flags: ['視為 10003010002 的新代碼'] },
      { status: 'new', summary: '臺北市松山區莊敬里（63000010002）' },
    ]);
    const effects: RecordedEffect[] = [];
    await db.transaction().execute((trx) =>
      villagesKind.commit(
        trx,
        parsed.map((p, i) => ({ line: p.line, value: p.value, classification: classes[i] as Classification, decision: null })),
        ctx,
        { inserted: (table, key) => effects.push({ table, key, action: 'insert', before: null }), updated: (table, key, before) => effects.push({ table, key, action: 'update', before }) },
        async () => undefined,
      ),
    );
    const change = await db.selectFrom('division_code_changes').selectAll().where('old_code', '=', '10003010002').execute();
    expect(change).toEqual([{ old_code: '10003010002', new_code: '63000010001', effective_from: '2026-06-01', note: '村里代碼改制（依檔案舊代碼欄）', version: 0 }]);
    // The village's town and county (10003010, 10003) already have successors: no second crosswalk row for them.
    expect(await db.selectFrom('division_code_changes').select('old_code').where('effective_from', '=', '2026-06-01').execute()).toEqual([{ old_code: '10003010002' }]);
    expect(await currentCode(db, '10003010002', '2026-06-01')).toBe('63000010001');
    expect(effects.map((e) => `${e.action} ${e.table} ${Object.values(e.key).join('/')}`)).toEqual([
      'insert divisions 63000010001',
      'insert divisions 63000010002',
      'insert division_code_changes 10003010002/2026-06-01',
    ]);
  });
});
