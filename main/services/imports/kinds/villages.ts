/**
 * Import kind 'villages' (「村里代碼」): 內政部's 村里 code list, as a new version of the divisions table
 * effective from a date (option 生效日期). Each row is one 村里 with its 縣市 and 鄉鎮市區; counties and towns
 * are derived from the rows and inserted once, parents before children.
 *
 * Classification, per 村里 code (the 11-digit one: town code + 3-digit village code):
 * - known with the same name and town → match without changes; known with another name or town → match
 *   with the changes;
 * - unknown → new. When it looks like the successor of a code that disappears from the list (same 村里 name
 *   up to 村/里, town name differing only by 市/鄉/鎮→區, under a renamed county: 桃園縣 10003 → 桃園市 68000),
 *   or the row names its predecessor in 舊代碼, it is flagged 「視為 10003010001 的新代碼」 and the commit
 *   records the change in division_code_changes (for the village, its town and its county) and ends the old
 *   codes' validity on the effective date;
 * - a row without a county, town or village code is an error naming the missing cell; the same code twice
 *   in the file is a duplicate.
 * Undo is blocked by households placed on a division the batch created.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../../db/schema';
import { formatRocDate } from '../../../contract/roc-date';
import { cellText } from '../cells';
import type { Classification, CommitRow, EffectLog, FieldChange, ImportKind, KindContext, ParsedRow, ParseResult, RecordedEffect, RowOutcome, RowProblem, SourceRow } from '../types';

export interface VillageRow {
  countyCode: string;
  countyName: string;
  townCode: string;
  townName: string;
  /** 11 digits. */
  villageCode: string;
  villageName: string;
  /** The predecessor named in the file (11 digits), if any. */
  oldCode: string | null;
}

const CHUNK = 500;
const PLACEHOLDER = '■';

const FIELDS = [
  { key: 'countyName', label: '縣市名稱', required: true, headers: ['縣市名稱', '縣市', '縣市別', 'COUNTY', 'COUNTYNAME'] },
  { key: 'countyCode', label: '縣市代碼', required: false, headers: ['縣市代碼', '縣市代號', '省市縣市代碼', 'COUNTY_ID', 'COUNTYID', 'COUNTYCODE'], hint: '5 碼；村里代碼為 11 碼時可省略' },
  { key: 'townName', label: '鄉鎮市區名稱', required: true, headers: ['鄉鎮市區名稱', '鄉鎮市區', '鄉鎮', 'TOWN', 'TOWNNAME'] },
  { key: 'townCode', label: '鄉鎮市區代碼', required: false, headers: ['鄉鎮市區代碼', '鄉鎮市區代號', 'TOWN_ID', 'TOWNID', 'TOWNCODE'], hint: '8 碼；村里代碼為 11 碼時可省略' },
  { key: 'villageName', label: '村里名稱', required: true, headers: ['村里名稱', '村里', 'VILLAGE', 'VILLAGENAME'] },
  { key: 'villageCode', label: '村里代碼', required: true, headers: ['村里代碼', '村里代號', 'VILLAGE_ID', 'VILLAGEID', 'VILLAGECODE', 'V_ID'], hint: '3 碼（另有鄉鎮市區代碼）或完整 11 碼' },
  { key: 'oldCode', label: '舊代碼', required: false, headers: ['舊代碼', '舊村里代碼', '原村里代碼', '原代碼'], hint: '改制前的 11 碼村里代碼，填寫時以此建立新舊代碼對照' },
] as const;

const LABEL: Record<string, string> = Object.fromEntries(FIELDS.map((f) => [f.key, f.label]));

/** 生效日期: the day this version of the codes is in use from (ISO; the options step shows it as an ROC date). */
const optionsSchema = z.object({
  effectiveFrom: z.iso
    .date({ error: (iss) => (iss.input === undefined || iss.input === '' ? '請填寫生效日期' : '生效日期須為有效日期') })
    .meta({ title: '生效日期', description: '此版代碼開始使用的日期；被取代的舊代碼自這天起停用' }),
});

/** Digits of a code cell: dashes and spaces removed; a number cell that lost its leading zeros is padded. */
function codeOf(row: SourceRow, field: string, width: number): string {
  const cell = row.cells[field];
  if (!cell) return '';
  let text = cell.text.replace(/[\s-]/g, '');
  if (text === '' && cell.number !== undefined) text = String(cell.number);
  if (cell.number !== undefined && /^\d+$/.test(text) && text.length < width) text = text.padStart(width, '0');
  return text;
}

function parse(row: SourceRow): ParseResult<VillageRow> {
  const problems: RowProblem[] = [];
  const countyName = cellText(row, 'countyName');
  const townName = cellText(row, 'townName');
  const villageName = cellText(row, 'villageName');
  let countyCode = codeOf(row, 'countyCode', 5);
  let townCode = codeOf(row, 'townCode', 8);
  const village = codeOf(row, 'villageCode', 3);
  const oldRaw = codeOf(row, 'oldCode', 11);

  const bad = (field: string, message: string) => problems.push({ field, message });
  if (countyCode !== '' && !/^\d{5}$/.test(countyCode)) bad('countyCode', `縣市代碼須為 5 碼數字，檔案中是「${countyCode}」`);
  if (townCode !== '' && !/^\d{8}$/.test(townCode)) bad('townCode', `鄉鎮市區代碼須為 8 碼數字，檔案中是「${townCode}」`);
  if (village !== '' && !/^(\d{3}|\d{11})$/.test(village)) bad('villageCode', `村里代碼須為 3 碼或 11 碼數字，檔案中是「${village}」`);
  if (oldRaw !== '' && !/^\d{11}$/.test(oldRaw)) bad('oldCode', `舊代碼須為 11 碼村里代碼，檔案中是「${oldRaw}」`);
  if (problems.length) return { ok: false, problems };

  // A full 11-digit 村里代碼 carries its town (8) and county (5) codes.
  if (village.length === 11) {
    if (townCode === '') townCode = village.slice(0, 8);
    else if (village.slice(0, 8) !== townCode) bad('villageCode', `村里代碼 ${village} 不在鄉鎮市區代碼 ${townCode} 之下`);
  }
  if (townCode !== '') {
    if (countyCode === '') countyCode = townCode.slice(0, 5);
    else if (townCode.slice(0, 5) !== countyCode) bad('townCode', `鄉鎮市區代碼 ${townCode} 不在縣市代碼 ${countyCode} 之下`);
  }
  if (countyCode === '') bad('countyCode', '缺少縣市代碼');
  if (townCode === '') bad('townCode', '缺少鄉鎮市區代碼');
  if (village === '') bad('villageCode', '缺少村里代碼');
  if (countyName === '') bad('countyName', '缺少縣市名稱');
  if (townName === '') bad('townName', '缺少鄉鎮市區名稱');
  if (villageName === '') bad('villageName', '缺少村里名稱');
  if (problems.length) return { ok: false, problems };
  const villageCode = village.length === 11 ? village : `${townCode}${village}`;
  return { ok: true, value: { countyCode, countyName, townCode, townName, villageCode, villageName, oldCode: oldRaw === '' || oldRaw === villageCode ? null : oldRaw } };
}

// ---------------------------------------------------------------------------
// Reading the database in batches

interface DivisionRow {
  code: string;
  level: 'county' | 'town' | 'village';
  name: string;
  parent_code: string | null;
  valid_to: string | null;
  version: number;
}

async function divisionsByCode(db: Kysely<Database>, codes: Iterable<string>): Promise<Map<string, DivisionRow>> {
  const list = [...new Set(codes)];
  const out = new Map<string, DivisionRow>();
  for (let i = 0; i < list.length; i += CHUNK) {
    const rows = await db.selectFrom('divisions').select(['code', 'level', 'name', 'parent_code', 'valid_to', 'version']).where('code', 'in', list.slice(i, i + CHUNK)).execute();
    for (const r of rows) out.set(r.code, { ...r, version: Number(r.version) });
  }
  return out;
}

/** Names compared without their level suffix: 桃園縣 ≈ 桃園市, 中壢市 ≈ 中壢區, 大園鄉 ≈ 大園區, 沙崙村 ≈ 沙崙里; 台 = 臺. */
const base = (name: string, suffixes: RegExp) => name.replace(/台/g, '臺').replace(suffixes, '');
const countyBase = (n: string) => base(n, /[縣市]$/);
const townBase = (n: string) => base(n, /[市鄉鎮區]$/);
const villageBase = (n: string) => base(n, /[村里]$/);

export interface Succession {
  /** new village code → the old village code it replaces. */
  villages: Map<string, { oldCode: string; explicit: boolean }>;
}

/**
 * The predecessors of the file's new codes: an explicit 舊代碼, else a current village in the database whose
 * code is absent from the file, under a county of the same name up to 縣/市 but another code, in a town of
 * the same name up to 市/鄉/鎮/區, with the same name up to 村/里 (exactly one such village).
 */
async function findSuccession(db: Kysely<Database>, rows: readonly VillageRow[], known: Map<string, DivisionRow>): Promise<Succession> {
  const villages: Succession['villages'] = new Map();
  const inFile = new Set(rows.map((r) => r.villageCode));
  for (const r of rows) if (r.oldCode) villages.set(r.villageCode, { oldCode: r.oldCode, explicit: true });
  const fresh = rows.filter((r) => !known.has(r.villageCode));
  const guess = fresh.filter((r) => !r.oldCode);
  if (guess.length === 0) return { villages };
  const old = await db
    .selectFrom('divisions as v')
    .innerJoin('divisions as t', 't.code', 'v.parent_code')
    .innerJoin('divisions as c', 'c.code', 't.parent_code')
    .select(['v.code as code', 'v.name as village', 't.name as town', 'c.name as county', 'c.code as county_code'])
    .where('v.level', '=', 'village')
    .where('v.valid_to', 'is', null)
    .execute();
  const byKey = new Map<string, { code: string; countyCode: string }[]>();
  for (const o of old) {
    if (inFile.has(o.code)) continue;
    const key = `${countyBase(o.county)}|${townBase(o.town)}|${villageBase(o.village)}`;
    const list = byKey.get(key) ?? [];
    list.push({ code: o.code, countyCode: o.county_code });
    byKey.set(key, list);
  }
  const taken = new Set<string>();
  for (const r of guess) {
    const cands = (byKey.get(`${countyBase(r.countyName)}|${townBase(r.townName)}|${villageBase(r.villageName)}`) ?? []).filter((c) => c.countyCode !== r.countyCode);
    if (cands.length === 1 && !taken.has(cands[0]!.code)) {
      taken.add(cands[0]!.code);
      villages.set(r.villageCode, { oldCode: cands[0]!.code, explicit: false });
    }
  }
  return { villages };
}

const summaryOf = (r: VillageRow) => `${r.countyName}${r.townName}${r.villageName}（${r.villageCode}）`;
const placeholderFlag = (r: VillageRow): string[] =>
  [r.countyName, r.townName, r.villageName].some((n) => n.includes(PLACEHOLDER)) ? [`名稱含缺字符號「${PLACEHOLDER}」，請確認正確用字後更正`] : [];

async function classify(db: Kysely<Database>, rows: readonly ParsedRow<VillageRow>[]): Promise<Classification[]> {
  const values = rows.map((r) => r.value);
  const known = await divisionsByCode(db, values.flatMap((v) => [v.villageCode, v.townCode, v.countyCode]));
  const succession = await findSuccession(db, values, known);
  const firstLine = new Map<string, number>();
  const seenParent = new Set<string>();
  return rows.map(({ line, value: r }) => {
    const summary = summaryOf(r);
    const dupOf = firstLine.get(r.villageCode);
    if (dupOf !== undefined) return { status: 'duplicate', summary, ofLine: dupOf };
    firstLine.set(r.villageCode, line);
    const flags = placeholderFlag(r);
    // A town's or county's rename is shown once, on the first row under it.
    const parentChanges: FieldChange[] = [];
    for (const [code, name, label] of [[r.countyCode, r.countyName, '縣市名稱'], [r.townCode, r.townName, '鄉鎮市區名稱']] as const) {
      if (seenParent.has(code)) continue;
      seenParent.add(code);
      const k = known.get(code);
      if (k && k.name !== name) parentChanges.push({ field: label, from: k.name, to: name });
    }
    const k = known.get(r.villageCode);
    if (k) {
      if (k.level !== 'village') return { status: 'error', summary, problems: [{ field: 'villageCode', message: `代碼 ${r.villageCode} 已是${k.level === 'town' ? '鄉鎮市區' : '縣市'}的代碼` }] };
      const changes: FieldChange[] = [...parentChanges];
      if (k.name !== r.villageName) changes.push({ field: '村里名稱', from: k.name, to: r.villageName });
      if (k.parent_code !== r.townCode) changes.push({ field: '鄉鎮市區代碼', from: k.parent_code ?? '', to: r.townCode });
      if (k.valid_to !== null) changes.push({ field: '使用狀態', from: `${formatRocDate(k.valid_to)} 起停用`, to: '使用中' });
      if (r.oldCode) flags.push(`視為 ${r.oldCode} 的新代碼`);
      return { status: 'match', summary, targetId: Number(r.villageCode), changes, ...(flags.length ? { flags } : {}) };
    }
    const s = succession.villages.get(r.villageCode);
    if (s) flags.push(`視為 ${s.oldCode} 的新代碼`);
    return { status: 'new', summary, ...(flags.length ? { flags } : {}) };
  });
}

// ---------------------------------------------------------------------------
// Commit

async function commit(trx: Kysely<Database>, rows: readonly CommitRow<VillageRow>[], ctx: KindContext, effects: EffectLog, progress: (done: number) => Promise<void>): Promise<RowOutcome[]> {
  const effective = String(ctx.options.effectiveFrom);
  const values = rows.map((r) => r.value);
  const known = await divisionsByCode(trx, values.flatMap((v) => [v.villageCode, v.townCode, v.countyCode]));
  const succession = await findSuccession(trx, values, known);

  // Counties and towns, once each (the first row's name), then villages: parents before children.
  const wanted = new Map<string, { level: 'county' | 'town' | 'village'; name: string; parent: string | null }>();
  for (const v of values) {
    if (!wanted.has(v.countyCode)) wanted.set(v.countyCode, { level: 'county', name: v.countyName, parent: null });
    if (!wanted.has(v.townCode)) wanted.set(v.townCode, { level: 'town', name: v.townName, parent: v.countyCode });
    if (!wanted.has(v.villageCode)) wanted.set(v.villageCode, { level: 'village', name: v.villageName, parent: v.townCode });
  }
  let done = 0;
  for (const level of ['county', 'town', 'village'] as const) {
    const inserts: { code: string; level: typeof level; name: string; parent_code: string | null; valid_from: string }[] = [];
    for (const [code, w] of wanted) {
      if (w.level !== level) continue;
      const k = known.get(code);
      if (!k) {
        inserts.push({ code, level, name: w.name, parent_code: w.parent, valid_from: effective });
        continue;
      }
      const set: Record<string, unknown> = {};
      const before: Record<string, unknown> = {};
      if (k.name !== w.name) [set.name, before.name] = [w.name, k.name];
      if (k.parent_code !== w.parent) [set.parent_code, before.parent_code] = [w.parent, k.parent_code];
      if (k.valid_to !== null) [set.valid_to, before.valid_to] = [null, k.valid_to];
      if (Object.keys(set).length === 0) continue;
      before.version = k.version;
      await trx
        .updateTable('divisions')
        .set({ ...set, version: sql`version + 1` })
        .where('code', '=', code)
        .execute();
      effects.updated('divisions', { code }, before);
    }
    for (let i = 0; i < inserts.length; i += CHUNK) {
      const part = inserts.slice(i, i + CHUNK);
      await trx.insertInto('divisions').values(part).execute();
      for (const p of part) effects.inserted('divisions', { code: p.code });
      if (level === 'village') {
        done += part.length;
        await progress(done);
      }
    }
  }

  // The crosswalk: each successor village, and its town and county when those are the same division
  // renumbered (same name up to the level suffix, still in use, absent from the file, no successor yet).
  const changes = new Map<string, { newCode: string; note: string }>();
  // The old villages, their towns, then those towns' counties (two rounds of batched reads).
  const olds = await divisionsByCode(trx, [...succession.villages.values()].map((s) => s.oldCode));
  for (let round = 0; round < 2; round++) {
    const parents = [...olds.values()].map((d) => d.parent_code).filter((c): c is string => c !== null && !olds.has(c));
    for (const [code, d] of await divisionsByCode(trx, parents)) olds.set(code, d);
  }
  const mapped = new Set<string>();
  const parentCodes = [...olds.values()].filter((d) => d.level !== 'village').map((d) => d.code);
  for (let i = 0; i < parentCodes.length; i += CHUNK) {
    for (const r of await trx.selectFrom('division_code_changes').select('old_code').where('old_code', 'in', parentCodes.slice(i, i + CHUNK)).execute()) mapped.add(r.old_code);
  }
  const inFile = new Set(wanted.keys());
  const renumbered = (oldCode: string | null | undefined, newCode: string, same: (a: string, b: string) => boolean): oldCode is string => {
    if (!oldCode || oldCode === newCode || inFile.has(oldCode) || mapped.has(oldCode) || changes.has(oldCode)) return false;
    const o = olds.get(oldCode);
    const n = wanted.get(newCode);
    return !!o && !!n && o.valid_to === null && same(o.name, n.name);
  };
  for (const [newCode, s] of succession.villages) {
    const how = s.explicit ? '依檔案舊代碼欄' : '依名稱比對';
    changes.set(s.oldCode, { newCode, note: `村里代碼改制（${how}）` });
    const oldTown = olds.get(s.oldCode)?.parent_code;
    const newTown = wanted.get(newCode)?.parent ?? newCode.slice(0, 8);
    if (renumbered(oldTown, newTown, (a, b) => townBase(a) === townBase(b))) changes.set(oldTown, { newCode: newTown, note: `鄉鎮市區代碼改制（${how}）` });
    const oldCounty = oldTown ? olds.get(oldTown)?.parent_code : undefined;
    const newCounty = wanted.get(newTown)?.parent ?? newCode.slice(0, 5);
    if (renumbered(oldCounty, newCounty, (a, b) => countyBase(a) === countyBase(b))) changes.set(oldCounty, { newCode: newCounty, note: `縣市代碼改制（${how}）` });
  }
  const list = [...changes].map(([oldCode, c]) => ({ old_code: oldCode, new_code: c.newCode, effective_from: effective, note: c.note }));
  for (let i = 0; i < list.length; i += CHUNK) {
    const inserted = await trx
      .insertInto('division_code_changes')
      .values(list.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['old_code', 'effective_from']).doNothing())
      .returning(['old_code', 'effective_from'])
      .execute();
    for (const r of inserted) effects.inserted('division_code_changes', { old_code: r.old_code, effective_from: r.effective_from });
  }
  // The replaced codes are in use until the day before the effective date.
  const retire = await divisionsByCode(trx, [...changes.keys()].filter((c) => !inFile.has(c)));
  const current = [...retire.values()].filter((d) => d.valid_to === null);
  for (let i = 0; i < current.length; i += CHUNK) {
    const part = current.slice(i, i + CHUNK);
    await trx
      .updateTable('divisions')
      .set({ valid_to: effective, version: sql`version + 1` })
      .where('code', 'in', part.map((d) => d.code))
      .execute();
    for (const d of part) effects.updated('divisions', { code: d.code }, { valid_to: null, version: d.version });
  }

  await progress(rows.length);
  return rows.map(({ line, value: r }) => {
    const k = known.get(r.villageCode);
    const s = succession.villages.get(r.villageCode);
    const replaces = s ? `，取代舊代碼 ${s.oldCode}` : '';
    if (!k) return { line, result: `新增村里 ${r.villageName}（${r.villageCode}）${replaces}` };
    const changed = k.name !== r.villageName || k.parent_code !== r.townCode || k.valid_to !== null;
    return { line, result: changed ? `更新村里 ${r.villageName}（${r.villageCode}）${replaces}` : `村里 ${r.villageName}（${r.villageCode}）無變更${replaces}` };
  });
}

// ---------------------------------------------------------------------------
// Undo

async function undoBlockers(db: Kysely<Database>, effects: readonly RecordedEffect[]): Promise<string[]> {
  const created = effects.filter((e) => e.action === 'insert' && e.table === 'divisions').map((e) => String(e.key.code));
  if (created.length === 0) return [];
  const createdSet = new Set(created);
  const out: string[] = [];
  const households = new Map<number, string>();
  const children: string[] = [];
  for (let i = 0; i < created.length; i += CHUNK) {
    const part = created.slice(i, i + CHUNK);
    const hh = await db
      .selectFrom('households')
      .select(['id', 'village_code', 'town_code', 'county_code'])
      .where((eb) => eb.or([eb('village_code', 'in', part), eb('town_code', 'in', part), eb('county_code', 'in', part)]))
      .orderBy('id')
      .limit(50)
      .execute();
    for (const h of hh) households.set(h.id, [h.village_code, h.town_code, h.county_code].find((c) => c !== null && createdSet.has(c)) ?? '');
    const kids = await db.selectFrom('divisions').select('code').where('parent_code', 'in', part).execute();
    for (const k of kids) if (!createdSet.has(k.code)) children.push(k.code);
  }
  if (households.size > 0) {
    const names = await divisionsByCode(db, households.values());
    for (const [id, code] of [...households].slice(0, 10)) out.push(`家戶 #${id} 位於本批新增的行政區 ${names.get(code)?.name ?? ''}（${code}）`);
    if (households.size > 10) out.push(`另有其他家戶位於本批新增的行政區`);
  }
  if (children.length > 0) out.push(`本批新增的行政區之下已有其他批次加入的行政區：${children.slice(0, 5).join('、')}${children.length > 5 ? ' 等' : ''}`);
  return out;
}

export const villagesKind: ImportKind<VillageRow> = {
  name: 'villages',
  label: '村里代碼',
  roles: ['admin'],
  fields: FIELDS,
  options: optionsSchema,
  parse: (row) => parse(row),
  classify: (db, rows) => classify(db, rows),
  commit,
  undoBlockers,
};

/** For messages that name a field (tests, the result report). */
export const villageFieldLabel = (key: string): string => LABEL[key] ?? key;
