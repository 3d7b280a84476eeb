/**
 * The 村里代碼 import (kind 'villages') on the real list (../shared/corpus/tw/twgeojson__village-list.csv,
 * 7,855 村里 with 2014 codes, read by the pipeline's reader), on SQLite and, in the PostgreSQL run, on PostgreSQL:
 * - its real-world defects are reported, not swallowed: 76 rows of 金門/連江/澎湖/臺中/高雄 lack codes (each
 *   error names the missing cell; 4 高雄 sea areas lack a 村里 name too), 3 codes appear twice, 40 names carry the ■ placeholder (flagged);
 * - the fix list's names (four outside the BMP: 石𥕢里, 𦰡拔里, 𣐤埔村) replace the placeholders and come back
 *   from the database intact;
 * - a 桃園市 list (68000, generated here from the 2014 桃園縣 rows) is recognised as the successor of 10003:
 *   the crosswalk is written for villages, towns and the county, the old codes end on 103/12/25, pickers list
 *   the new divisions, and a report counts an old household (10003010001) under 68000010001 for a period
 *   after the change, under its own code before it;
 * - undo is blocked once a household sits on a division the batch created.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '../../../db/schema';
import { currentCode, currentCodes } from '../../../main/services/divisions/crosswalk';
import { listDivisions } from '../../../main/services/divisions/service';
import { divisionNames } from '../../../main/services/households/service';
import { importKind } from '../../../main/services/imports/kinds/index';
import type { Classification, KindContext, ParsedRow, RecordedEffect, SourceRow } from '../../../main/services/imports/types';
import { villagesKind, type VillageRow } from '../../../main/services/imports/kinds/villages';
import { detectHeaderRow, headerColumns, dataRows, readWorkbook, sheetRows } from '../../../main/services/imports/read/index';
import { getIndicator } from '../../../main/services/reports/indicators';
import { createTestApp, type TestApp } from '../../helpers/app';

const CORPUS = join(__dirname, '../../../../shared/corpus/tw');
const COLS = 'ABCDEFGHIJK';

/** The CSV's rows (no quoted fields in these files), as the reader would hand them over: line 1 is the header. */
function csvRows(file: string): string[][] {
  return readFileSync(join(CORPUS, file), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((l) => l.split(','));
}

type Fields = Partial<Record<keyof VillageRow, string>>;
const sourceRow = (line: number, f: Fields): SourceRow => ({
  line,
  cells: Object.fromEntries(Object.entries(f).map(([k, v], i) => [k, { col: COLS[i] ?? 'Z', text: (v ?? '').trim() }])),
});

/** village-list.csv: OBJECTID_1,COUNTY,COUNTY_ID,TOWN,TOWN_ID,VILLAGE,VILLAGE_ID,... */
const LIST = csvRows('twgeojson__village-list.csv');
const norm = (h: string) => h.replace(/[\s\p{P}]/gu, '').toUpperCase();

/** The list through the pipeline's reader (main/services/imports/read), mapped by the kind's header hints. */
function listRows(): { rows: SourceRow[]; mapping: Record<string, string> } {
  const read = readWorkbook(new Uint8Array(readFileSync(join(CORPUS, 'twgeojson__village-list.csv'))), 'twgeojson__village-list.csv');
  if (!read.ok) throw new Error(read.error.message);
  const grid = sheetRows(read.book, read.book.sheets[0]!.name);
  const headerRow = detectHeaderRow(grid);
  const columns = headerColumns(grid, headerRow);
  const mapping: Record<string, string> = {};
  for (const f of villagesKind.fields) {
    const hit = columns.find((c) => f.headers.some((h) => norm(h) === norm(c.header)));
    if (hit) mapping[f.key] = hit.col;
  }
  return { rows: [...dataRows(grid, headerRow, columns, mapping)], mapping };
}
const ctxOf = (effectiveFrom: string, actorId: number): KindContext => ({
  actor: { id: actorId, role: 'admin', teamId: null },
  today: '2026-05-20',
  now: '2026-05-20T02:00:00.000Z',
  options: villagesKind.options.parse({ effectiveFrom }),
});

interface Run {
  classes: Classification[];
  effects: RecordedEffect[];
  results: string[];
  classifyMs: number;
  commitMs: number;
}

/** What the pipeline core does with a kind: parse, classify all rows, commit new/match rows in one transaction. */
async function runImport(db: Kysely<Database>, rows: SourceRow[], ctx: KindContext): Promise<Run> {
  const parsed: ParsedRow<VillageRow>[] = [];
  const classes: (Classification | null)[] = [];
  for (const r of rows) {
    const p = villagesKind.parse(r, ctx);
    if (p.ok) {
      parsed.push({ line: r.line, value: p.value });
      classes.push(null);
    } else classes.push({ status: 'error', summary: `第 ${r.line} 列`, problems: p.problems });
  }
  const t0 = performance.now();
  const got = await villagesKind.classify(db, parsed, ctx);
  const classifyMs = performance.now() - t0;
  let k = 0;
  const all = classes.map((c) => c ?? (got[k++] as Classification));
  const commitRows = parsed
    .map((p, i) => ({ line: p.line, value: p.value, classification: got[i] as Classification, decision: null }))
    .filter((r) => r.classification.status === 'new' || r.classification.status === 'match');
  const effects: RecordedEffect[] = [];
  const t1 = performance.now();
  const outcomes = await db.transaction().execute((trx) =>
    villagesKind.commit(
      trx,
      commitRows,
      ctx,
      {
        inserted: (table, key) => effects.push({ table, key, action: 'insert', before: null }),
        updated: (table, key, before) => effects.push({ table, key, action: 'update', before }),
      },
      async () => undefined,
    ),
  );
  return { classes: all, effects, results: outcomes.map((o) => o.result), classifyMs, commitMs: performance.now() - t1 };
}

const countBy = (classes: Classification[]) => classes.reduce<Record<string, number>>((m, c) => ({ ...m, [c.status]: (m[c.status] ?? 0) + 1 }), {});
const problemsOf = (classes: Classification[]) => classes.flatMap((c) => (c.status === 'error' ? c.problems.map((p) => p.message) : []));
const flagsOf = (classes: Classification[]) => classes.flatMap((c) => ('flags' in c && c.flags ? c.flags : []));
const count = async (db: Kysely<Database>, level: string) => Number((await db.selectFrom('divisions').select((eb) => eb.fn.countAll().as('n')).where('level', '=', level as 'village').executeTakeFirstOrThrow()).n);

let t: TestApp;
let db: Kysely<Database>;
let adminId: number;
let adminToken: string;

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.ctx.db;
  adminToken = await t.setupAdmin();
  adminId = (await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await t?.close();
});

describe('the 村里代碼 kind', () => {
  it('is registered for administrators with its fields and a required 生效日期', () => {
    expect(importKind('villages')).toBe(villagesKind);
    expect(villagesKind.label).toBe('村里代碼');
    expect(villagesKind.roles).toEqual(['admin']);
    expect(villagesKind.fields.map((f) => f.label)).toEqual(['縣市名稱', '縣市代碼', '鄉鎮市區名稱', '鄉鎮市區代碼', '村里名稱', '村里代碼', '舊代碼']);
    // The options step draws its form from the JSON Schema.
    expect(z.toJSONSchema(villagesKind.options)).toMatchObject({ properties: { effectiveFrom: { title: '生效日期', type: 'string', format: 'date' } }, required: ['effectiveFrom'] });
    const missing = villagesKind.options.safeParse({});
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.message).toBe('請填寫生效日期');
    expect(villagesKind.options.safeParse({ effectiveFrom: '2014-02-30' }).error?.issues[0]?.message).toBe('生效日期須為有效日期');
  });

  it('parses 3-digit and 11-digit codes, pads numbers that lost their zeros, and names each missing or wrong cell', () => {
    const ctx = ctxOf('2014-12-25', 1);
    const ok = villagesKind.parse(sourceRow(2, { countyName: '連江縣', townName: '南竿鄉', villageName: '介壽村', villageCode: '09007010-001' }), ctx);
    expect(ok).toEqual({ ok: true, value: { countyCode: '09007', countyName: '連江縣', townCode: '09007010', townName: '南竿鄉', villageCode: '09007010001', villageName: '介壽村', oldCode: null } });
    const padded = villagesKind.parse({ line: 3, cells: { countyName: { col: 'A', text: '連江縣' }, countyCode: { col: 'B', text: '9007', number: 9007 }, townName: { col: 'C', text: '南竿鄉' }, townCode: { col: 'D', text: '9007010', number: 9007010 }, villageName: { col: 'E', text: '介壽村' }, villageCode: { col: 'F', text: '1', number: 1 } } }, ctx);
    expect(padded.ok && padded.value.villageCode).toBe('09007010001');
    const missing = villagesKind.parse(sourceRow(4, { countyName: '金門縣', countyCode: '', townName: '金城鎮', townCode: '', villageName: '東門里', villageCode: '' }), ctx);
    expect(missing).toEqual({
      ok: false,
      problems: [
        { field: 'countyCode', message: '缺少縣市代碼' },
        { field: 'townCode', message: '缺少鄉鎮市區代碼' },
        { field: 'villageCode', message: '缺少村里代碼' },
      ],
    });
    const wrong = villagesKind.parse(sourceRow(5, { countyName: '桃園縣', countyCode: '10003', townName: '中壢市', townCode: '10004020', villageName: '中壢里', villageCode: '00A' }), ctx);
    expect(wrong).toEqual({ ok: false, problems: [{ field: 'villageCode', message: '村里代碼須為 3 碼或 11 碼數字，檔案中是「00A」' }] });
    const nested = villagesKind.parse(sourceRow(6, { countyName: '桃園縣', countyCode: '10003', townName: '中壢市', townCode: '10004020', villageName: '中壢里', villageCode: '001' }), ctx);
    expect(nested).toEqual({ ok: false, problems: [{ field: 'townCode', message: '鄉鎮市區代碼 10004020 不在縣市代碼 10003 之下' }] });
  });
});

describe('the real village list, then the 桃園市 upgrade', () => {
  it('imports the 2014 list with its defects reported as errors and duplicates, in a few seconds', async () => {
    expect(await count(db, 'village')).toBe(0);
    const { rows, mapping } = listRows();
    expect(mapping).toEqual({ countyName: 'B', countyCode: 'C', townName: 'D', townCode: 'E', villageName: 'F', villageCode: 'G' });
    expect(rows).toHaveLength(7855);
    const run = await runImport(db, rows, ctxOf('2013-01-01', adminId));
    expect(countBy(run.classes)).toEqual({ new: 7776, error: 76, duplicate: 3 });
    const problems = problemsOf(run.classes);
    expect(problems.filter((m) => m === '缺少縣市代碼')).toHaveLength(52); // 金門縣 32, 連江縣 20
    expect(problems.filter((m) => m === '缺少鄉鎮市區代碼')).toHaveLength(53); // + 連江縣 09007 莒光鄉 福正村
    expect(problems.filter((m) => m === '缺少村里代碼')).toHaveLength(76); // + 澎湖 14 islands, 臺中 4, 高雄 5
    expect(problems.filter((m) => m === '缺少村里名稱')).toHaveLength(4); // 高雄市 前鎮區(海) and three other sea areas
    expect(problems).toHaveLength(52 + 53 + 76 + 4);
    // Line 7804 is 連江縣 09007 莒光鄉 福正村: the county code is there, the town's and village's are not.
    expect(rows[7802]?.cells.villageName?.text).toBe('福正村');
    const fuzheng = run.classes[7802] as Extract<Classification, { status: 'error' }>;
    expect(fuzheng.problems.map((p) => `${p.field}:${p.message}`)).toEqual(['townCode:缺少鄉鎮市區代碼', 'villageCode:缺少村里代碼']);
    // 新竹市北區古賢里 (lines 4265, 4266) twice.
    expect(run.classes[4264]).toMatchObject({ status: 'duplicate', ofLine: 4265 });
    expect(flagsOf(run.classes).filter((f) => f.includes('■'))).toHaveLength(40);
    expect(run.classifyMs).toBeLessThan(5000);
    console.log(`villages: classified 7,855 rows in ${Math.round(run.classifyMs)} ms, committed 7,776 in ${Math.round(run.commitMs)} ms`);

    expect(await count(db, 'county')).toBe(20);
    expect(await count(db, 'town')).toBe(358);
    expect(await count(db, 'village')).toBe(7776);
    expect(run.effects.filter((e) => e.action === 'insert')).toHaveLength(20 + 358 + 7776);
    const wenhua = await db.selectFrom('divisions').selectAll().where('code', '=', '10003010001').executeTakeFirstOrThrow();
    expect(wenhua).toMatchObject({ level: 'village', name: '文化里', parent_code: '10003010', valid_from: '2013-01-01', valid_to: null });

    // The same list again: every row matches, nothing changes.
    const again = await runImport(db, rows, ctxOf('2013-01-01', adminId));
    expect(countBy(again.classes)).toEqual({ match: 7776, error: 76, duplicate: 3 });
    expect(again.classes.every((c) => c.status !== 'match' || c.changes.length === 0)).toBe(true);
    expect(again.effects).toEqual([]);
  });

  it('the fix list replaces the ■ placeholders; names outside the BMP come back from the database intact', async () => {
    const fix = csvRows('twgeojson__village-fix.csv');
    expect(fix).toHaveLength(43);
    const byCode = new Map(LIST.slice(1).map((c) => [`${c[4]}-${c[6]}`, c]));
    const rows = fix.map(([code, name], i) => {
      const c = byCode.get(code as string) as string[];
      return sourceRow(i + 1, { countyName: c[1], townName: c[3], villageName: name, villageCode: code });
    });
    const run = await runImport(db, rows, ctxOf('2013-01-01', adminId));
    expect(countBy(run.classes)).toEqual({ match: 43 });
    expect(run.classes[4]).toMatchObject({ status: 'match', targetId: 65000200004, changes: [{ field: '村里名稱', from: '石■里', to: '石𥕢里' }] });
    const stored = await db.selectFrom('divisions').select(['code', 'name']).where('code', 'in', fix.map(([code]) => (code as string).replace('-', ''))).execute();
    const names = new Map(stored.map((s) => [s.code, s.name]));
    for (const [code, name] of fix) expect(names.get((code as string).replace('-', ''))).toBe(name);
    const nonBmp = fix.filter(([, name]) => [...(name as string)].some((ch) => (ch.codePointAt(0) as number) > 0xffff));
    expect(nonBmp.map(([, n]) => n)).toEqual(['石𥕢里', '𦰡拔里', '石𥕢里', '𣐤埔村']);
    for (const [code, name] of nonBmp) {
      const got = names.get((code as string).replace('-', '')) as string;
      expect(Buffer.from(got, 'utf8').equals(Buffer.from(name as string, 'utf8'))).toBe(true);
      expect([...got]).toHaveLength(3);
    }
    expect(run.effects.filter((e) => e.action === 'update')).toHaveLength(43);
  });

  let household: number;

  it('a 桃園市 68000 list is taken as the successor of 桃園縣 10003: crosswalk, validity, pickers', async () => {
    // An old household on 桃園縣桃園市文化里, with a case received in 103年第1季 and one in 115年第1季.
    const team = (await db.insertInto('teams').values({ name: '第一組', supervisor_id: null, created_at: '2014-01-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow()).id;
    const ts = '2014-01-02T00:00:00.000Z';
    household = (
      await db
        .insertInto('households')
        .values({ county_code: '10003', town_code: '10003010', village_code: '10003010001', neighborhood: null, street: '中正路1號', household_type: '單親', phone: null, notes: null, created_at: ts, created_by: adminId, updated_at: ts, updated_by: adminId, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const version = await db.selectFrom('code_list_versions').select('id').where('list', '=', 'vulnerability').orderBy('effective_from').executeTakeFirstOrThrow();
    for (const [seq, received] of [[1, '2014-02-03T02:00:00.000Z'], [2, '2026-01-05T02:00:00.000Z']] as const) {
      await db
        .insertInto('cases')
        .values({ case_no: `103-00000${seq}`, roc_year: 103, seq, household_id: household, previous_case_id: null, source: 'A', referring_unit: null, received_at: received, dispatched_at: null, first_contact_at: null, case_type: '脆弱家庭', risk_level: '中', code_list_version_id: version.id, status: '處遇中', lead_worker_id: adminId, team_id: team, opened_on: null, closed_on: null, close_reason: null, summary: null, created_at: received, created_by: adminId, updated_at: received, updated_by: adminId, version: 1 })
        .execute();
    }
    const byVillage = async (from: string, to: string) =>
      Object.fromEntries((await getIndicator('cases.received')!.compute(db, { period: { from, to }, breakdown: ['village'] })).rows.map((r) => [String(r.keys.village), r.value]));
    expect(await byVillage('2026-01-01', '2026-03-31')).toEqual({ '10003010001': 1 });

    // The new list: 桃園縣 10003 → 桃園市 68000, towns 10003NNN → 68000NNN (市/鄉/鎮 → 區), villages 村 → 里.
    const taoyuan = LIST.slice(1).filter((c) => c[2] === '10003');
    expect(taoyuan).toHaveLength(483);
    const rows = taoyuan.map((c, i) =>
      sourceRow(i + 2, {
        countyName: '桃園市',
        countyCode: '68000',
        townName: (c[3] as string).replace(/[市鄉鎮]$/, '區'),
        townCode: `68000${(c[4] as string).slice(5)}`,
        villageName: (c[5] as string).replace(/村$/, '里'),
        villageCode: c[6],
      }),
    );
    const run = await runImport(db, rows, ctxOf('2014-12-25', adminId));
    expect(countBy(run.classes)).toEqual({ new: 483 });
    const wenhua = taoyuan.findIndex((c) => c[4] === '10003010' && c[6] === '001');
    expect(run.classes[wenhua]).toEqual({ status: 'new', summary: '桃園市桃園區文化里（68000010001）', flags: ['視為 10003010001 的新代碼'] });
    const shalun = taoyuan.findIndex((c) => c[4] === '10003060' && c[6] === '014'); // 大園鄉沙崙村 → 大園區沙崙里
    expect(run.classes[shalun]).toMatchObject({ flags: ['視為 10003060014 的新代碼'] });
    expect(flagsOf(run.classes).filter((f) => /^視為 10003\d{6} 的新代碼$/.test(f))).toHaveLength(483);
    expect(run.results[wenhua]).toBe('新增村里 文化里（68000010001），取代舊代碼 10003010001');

    const changes = await db.selectFrom('division_code_changes').selectAll().orderBy('old_code').execute();
    expect(changes).toHaveLength(483 + 13 + 1);
    expect(changes.find((c) => c.old_code === '10003')).toMatchObject({ new_code: '68000', effective_from: '2014-12-25', note: '縣市代碼改制（依名稱比對）' });
    expect(changes.find((c) => c.old_code === '10003060')).toMatchObject({ new_code: '68000060' });
    expect(changes.find((c) => c.old_code === '10003010001')).toMatchObject({ new_code: '68000010001' });
    expect(await db.selectFrom('divisions').select(['valid_to']).where('code', 'in', ['10003', '10003010', '10003010001']).execute()).toEqual([{ valid_to: '2014-12-25' }, { valid_to: '2014-12-25' }, { valid_to: '2014-12-25' }]);
    expect(run.effects.filter((e) => e.action === 'update')).toHaveLength(483 + 13 + 1);
    expect(run.effects.filter((e) => e.table === 'division_code_changes')).toHaveLength(497);

    // Pickers list the divisions in use on the day; the old household keeps its code (and its name).
    const counties = async (on: string) => (await listDivisions(db, null, on)).map((d) => d.name);
    expect(await counties('2026-05-20')).toContain('桃園市');
    expect(await counties('2026-05-20')).not.toContain('桃園縣');
    expect(await counties('2014-06-01')).toContain('桃園縣');
    expect(await counties('2014-06-01')).not.toContain('桃園市');
    expect((await listDivisions(db, '68000010', '2026-05-20')).find((d) => d.code === '68000010001')?.name).toBe('文化里');
    expect(await listDivisions(db, '10003010', '2026-05-20')).toEqual([]);
    expect(await db.selectFrom('households').select('village_code').where('id', '=', household).executeTakeFirstOrThrow()).toEqual({ village_code: '10003010001' });
    const shown = await divisionNames(db, ['10003', '10003010', '10003010001']);
    expect(['10003', '10003010', '10003010001'].map((c) => shown.get(c))).toEqual(['桃園縣', '桃園市', '文化里']);

    expect(await currentCode(db, '10003010001', '2026-05-20')).toBe('68000010001');
    expect(await currentCode(db, '10003010001', '2014-12-24')).toBe('10003010001');
    expect(Object.fromEntries(await currentCodes(db, ['10003', '10003130', '63000010001'], '2026-05-20'))).toEqual({ '10003': '68000', '10003130': '68000130', '63000010001': '63000010001' });
  });

  it('reports count the old household under the current code once the change is in effect', async () => {
    const byDim = async (dim: 'village' | 'district', from: string, to: string) =>
      Object.fromEntries((await getIndicator('cases.received')!.compute(db, { period: { from, to }, breakdown: [dim] })).rows.map((r) => [String(r.keys[dim]), r.value]));
    expect(await byDim('village', '2026-01-01', '2026-03-31')).toEqual({ '68000010001': 1 });
    expect(await byDim('district', '2026-01-01', '2026-03-31')).toEqual({ '68000010': 1 });
    expect(await byDim('village', '2014-01-01', '2014-03-31')).toEqual({ '10003010001': 1 }); // before 103/12/25
    // A filter on the new district finds the old household's case.
    expect((await getIndicator('cases.received')!.compute(db, { period: { from: '2026-01-01', to: '2026-03-31' }, filters: { district: '68000010' } })).total.value).toBe(1);

    const v = await t.call('reports.crosstab', { indicatorId: 'cases.received', breakdowns: ['district'], period: '115Q1' }, adminToken);
    expect(v.rows.map((r) => [r.keys, r.labels, r.total.value])).toEqual([[['68000010'], ['桃園區'], 1]]);
    const old = await t.call('reports.crosstab', { indicatorId: 'cases.received', breakdowns: ['district'], period: '103Q1' }, adminToken);
    expect(old.rows.map((r) => [r.keys, r.labels, r.total.value])).toEqual([[['10003010'], ['桃園市'], 1]]);
  });

  it('undo is blocked by a household placed on a division the batch created', async () => {
    const created = (await db.selectFrom('division_code_changes').select('new_code').execute()).map((r) => ({ table: 'divisions', key: { code: r.new_code }, action: 'insert' as const, before: null }));
    expect(await villagesKind.undoBlockers(db, created)).toEqual([]);
    await db.updateTable('households').set({ county_code: '68000', town_code: '68000010', village_code: '68000010001' }).where('id', '=', household).execute();
    expect(await villagesKind.undoBlockers(db, created)).toEqual([`家戶 #${household} 位於本批新增的行政區 文化里（68000010001）`]);
  });
});
