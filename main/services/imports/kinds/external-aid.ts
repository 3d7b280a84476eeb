/**
 * 外單位救助名冊 (issue 14 §4): a list from a charity, the 公所 or a school of the aid it gave, brought
 * into external_aid (migration 0031) for the households the center knows.
 *
 * - A person is found by 身分證字號, or else by 姓名 + 出生日期 (exactly one person with both); the aid
 *   goes to the person's current household, with the person named.
 * - A person unknown to the center (or not one of a household now, or two people with the same name
 *   and birth date) is listed for follow-up, never created - as the income-status list does.
 * - The same person, date, unit, kind, amount and items twice in the file: the later rows are
 *   duplicates; already recorded in the center (same household, unit, date, kind, amount, items): a
 *   match with nothing to change, not written again.
 * - Commit inserts the rows (origin 匯入) in the core's one transaction, recorded for undo; undo
 *   deletes them, refused once one of them was corrected or deleted in the app (its version moved).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../../db/schema';
import { maskNationalId } from '../../../contract/national-id';
import { formatRocDate } from '../../../contract/roc-date';
import { AID_KINDS, AID_SOURCE_KINDS, type AidKind, type AidSourceKind } from '../../../contract/types-aid';
import { cellDate, cellInt, cellNationalId, cellText } from '../cells';
import type { Classification, ImportKind, RowOutcome, RowProblem } from '../types';

export interface ExternalAidRow {
  nationalId: string | null;
  name: string;
  birthDate: string | null;
  sourceName: string;
  sourceKind: AidSourceKind;
  kind: AidKind;
  amount: number | null;
  items: string | null;
  receivedOn: string;
}

const OPTIONS = z.object({
  sourceKind: z.enum(AID_SOURCE_KINDS, { error: '請選擇來源類別' }).meta({ title: '來源類別', description: '名冊中各列未填來源類別時採用' }),
  sourceName: z.string().trim().max(60, '來源單位最多 60 個字').optional().meta({ title: '來源單位', description: '名冊沒有「來源單位」欄時採用，例如 ○○慈善會' }),
});

const CHUNK = 500;

/** 類別 text → AidKind: the five labels, and the usual words for them. */
export function aidKindOf(text: string): AidKind | null {
  const t = text.replace(/\s+/g, '');
  if (t === '') return null;
  if ((AID_KINDS as readonly string[]).includes(t)) return t as AidKind;
  if (/代金|禮券|券/.test(t)) return '代金券';
  if (/現金|急難|慰問金|補助金|救助金|獎助學金|金$/.test(t)) return '現金';
  if (/餐|便當|食/.test(t)) return '餐食';
  if (/物資|米|實物|物品|民生/.test(t)) return '物資';
  if (/其他/.test(t)) return '其他';
  return null;
}

function sourceKindOf(text: string): AidSourceKind | null {
  const t = text.replace(/\s+/g, '');
  if (t === '') return null;
  const exact = AID_SOURCE_KINDS.find((k) => k === t);
  if (exact) return exact;
  if (/急難/.test(t)) return '急難救助（公所／民政）';
  if (/慈善|基金會|協會/.test(t)) return '慈善團體';
  if (/公所/.test(t)) return '公所';
  if (/學校|國小|國中|高中/.test(t)) return '學校';
  if (/宮|廟|寺|教會|宗教/.test(t)) return '宗教團體';
  if (/企業|公司/.test(t)) return '企業';
  return null;
}

const sameKey = (hh: number | string, v: ExternalAidRow) => JSON.stringify([hh, v.sourceName, v.receivedOn, v.kind, v.amount, v.items]);

interface Person {
  id: number;
  name: string;
  householdId: number | null;
}

export const externalAidKind: ImportKind<ExternalAidRow> = {
  name: 'external-aid',
  label: '外單位救助名冊',
  roles: ['admin'],
  fields: [
    { key: 'nationalId', label: '身分證字號', required: false, headers: ['身分證字號', '身分證號', '身分證統一編號', '統一證號', '身分證', '證號', 'ID'], hint: '沒有身分證字號時，以姓名加出生日期比對' },
    { key: 'name', label: '姓名', required: true, headers: ['姓名', '受助人', '受助人姓名', '申請人', '申請人姓名', '名字'] },
    { key: 'birthDate', label: '出生日期', required: false, headers: ['出生日期', '生日', '出生年月日'], hint: '民國或西元日期皆可' },
    { key: 'sourceName', label: '來源單位', required: false, headers: ['來源單位', '救助單位', '單位', '發放單位', '來源', '單位名稱'], hint: '空白時以選項中的來源單位為準' },
    { key: 'sourceKind', label: '來源類別', required: false, headers: ['來源類別', '單位類別', '單位類型'], hint: '空白時以選項中的來源類別為準' },
    { key: 'kind', label: '類別', required: true, headers: ['類別', '救助類別', '項目', '救助項目', '補助類別', '種類'], hint: '現金、物資、餐食、代金券或其他' },
    { key: 'amount', label: '金額', required: false, headers: ['金額', '補助金額', '救助金額', '核發金額', '元'], hint: '新臺幣，整數' },
    { key: 'items', label: '物品', required: false, headers: ['物品', '物資', '品項', '內容', '物資內容'] },
    { key: 'receivedOn', label: '日期', required: true, headers: ['日期', '發放日期', '受助日期', '核發日期', '救助日期'], hint: '民國或西元日期皆可' },
  ],
  options: OPTIONS,

  parse(row, ctx) {
    const problems: RowProblem[] = [];
    const id = cellNationalId(row, 'nationalId');
    if (!id.ok) problems.push(id.problem);
    const name = cellText(row, 'name');
    if (name === '') problems.push({ field: 'name', message: '姓名必填' });
    const birth = cellDate(row, 'birthDate', '出生日期');
    if (!birth.ok) problems.push(birth.problem);
    if (id.ok && id.value === null && birth.ok && birth.value === null) problems.push({ field: 'nationalId', message: '身分證字號或出生日期至少要有一項，才能比對個人' });
    const opts = ctx.options as z.infer<typeof OPTIONS>;
    const sourceName = cellText(row, 'sourceName') || (opts.sourceName ?? '').trim();
    if (sourceName === '') problems.push({ field: 'sourceName', message: '來源單位必填（或在選項中填寫來源單位）' });
    else if (sourceName.length > 60) problems.push({ field: 'sourceName', message: '來源單位最多 60 個字' });
    const sourceKindText = cellText(row, 'sourceKind');
    const sourceKind = sourceKindText === '' ? opts.sourceKind : sourceKindOf(sourceKindText);
    if (sourceKind === null) problems.push({ field: 'sourceKind', message: `來源類別「${sourceKindText}」無法辨識（可填：${AID_SOURCE_KINDS.join('、')}）` });
    const kindText = cellText(row, 'kind');
    const kind = aidKindOf(kindText);
    if (kindText === '') problems.push({ field: 'kind', message: `類別必填（${AID_KINDS.join('、')}）` });
    else if (kind === null) problems.push({ field: 'kind', message: `類別「${kindText}」無法辨識（可填：${AID_KINDS.join('、')}）` });
    const amount = cellInt(row, 'amount', '金額');
    if (!amount.ok) problems.push(amount.problem);
    else if (amount.value !== null && (amount.value < 0 || amount.value > 10_000_000)) problems.push({ field: 'amount', message: '金額須在 0 至 1,000 萬元之間' });
    const items = cellText(row, 'items');
    if (items.length > 200) problems.push({ field: 'items', message: '物品最多 200 個字' });
    if (amount.ok && amount.value === null && items === '') problems.push({ field: 'amount', message: '金額或物品至少要有一項' });
    const on = cellDate(row, 'receivedOn', '日期');
    if (!on.ok) problems.push(on.problem);
    else if (on.value === null) problems.push({ field: 'receivedOn', message: '日期必填' });
    else if (on.value > ctx.today) problems.push({ field: 'receivedOn', message: `日期 ${formatRocDate(on.value)} 晚於今天` });
    if (problems.length > 0) return { ok: false, problems };
    return {
      ok: true,
      value: {
        nationalId: id.ok ? id.value : null,
        name,
        birthDate: birth.ok ? birth.value : null,
        sourceName,
        sourceKind: sourceKind as AidSourceKind,
        kind: kind as AidKind,
        amount: amount.ok ? amount.value : null,
        items: items === '' ? null : items,
        receivedOn: (on.ok && on.value) as string,
      },
    };
  },

  async classify(db, rows) {
    const byId = await personsByNationalId(db, [...new Set(rows.map((r) => r.value.nationalId).filter((x): x is string => x !== null))]);
    const byNameBirth = await personsByNameBirth(
      db,
      rows.filter((r) => r.value.nationalId === null).map((r) => ({ name: r.value.name, birthDate: r.value.birthDate as string })),
    );
    const persons = rows.map((r) => (r.value.nationalId !== null ? { found: byId.get(r.value.nationalId) ?? [] } : { found: byNameBirth.get(`${r.value.name}\u0000${r.value.birthDate}`) ?? [] }));
    const households = [...new Set(persons.flatMap((p) => (p.found.length === 1 && p.found[0]!.householdId !== null ? [p.found[0]!.householdId] : [])))];
    const existing = await existingKeys(db, households);
    const firstLine = new Map<string, number>();
    return rows.map((r, i): Classification => {
      const v = r.value;
      const who = v.nationalId !== null ? `${v.name}（${maskNationalId(v.nationalId)}）` : `${v.name}（${formatRocDate(v.birthDate)} 生）`;
      const what = v.amount !== null ? `${v.kind} ${v.amount.toLocaleString('en-US')} 元` : `${v.kind}${v.items ? `：${v.items}` : ''}`;
      const summary = `${who} ${formatRocDate(v.receivedOn)} ${v.sourceName} ${what}`;
      const found = persons[i]!.found;
      if (found.length === 0) return { status: 'followup', summary, reason: '中心無此人，列入追蹤名單' };
      if (found.length > 1) return { status: 'followup', summary, reason: `中心有 ${found.length} 位同名且同出生日期的個人，請人工確認` };
      const p = found[0]!;
      if (p.householdId === null) return { status: 'followup', summary, reason: '此人目前不屬於任何家戶，請人工確認' };
      const key = sameKey(p.householdId, v);
      const first = firstLine.get(key);
      if (first !== undefined) return { status: 'duplicate', summary, ofLine: first };
      firstLine.set(key, r.line);
      const flags: string[] = [];
      if (v.nationalId !== null && p.name !== v.name) flags.push(`姓名與中心資料不同（中心登錄為「${p.name}」）`);
      if (existing.has(key)) return { status: 'match', summary, targetId: p.householdId, changes: [], flags: [...flags, '中心已有相同的救助紀錄，不重複登錄'] };
      return flags.length > 0 ? { status: 'new', summary, flags } : { status: 'new', summary };
    });
  },

  async commit(trx, rows, ctx, effects, progress) {
    const persons = new Map<string, Person>();
    const ids = [...new Set(rows.map((r) => r.value.nationalId).filter((x): x is string => x !== null))];
    for (const [k, list] of await personsByNationalId(trx, ids)) if (list.length === 1) persons.set(`id\u0000${k}`, list[0]!);
    const nb = rows.filter((r) => r.value.nationalId === null).map((r) => ({ name: r.value.name, birthDate: r.value.birthDate as string }));
    for (const [k, list] of await personsByNameBirth(trx, nb)) if (list.length === 1) persons.set(`nb\u0000${k}`, list[0]!);
    const out: RowOutcome[] = [];
    let done = 0;
    for (const r of rows) {
      done++;
      const v = r.value;
      if (r.classification.status !== 'new') {
        out.push({ line: r.line, result: '略過：中心已有相同的救助紀錄' });
        continue;
      }
      const p = persons.get(v.nationalId !== null ? `id\u0000${v.nationalId}` : `nb\u0000${v.name}\u0000${v.birthDate}`);
      if (!p || p.householdId === null) {
        out.push({ line: r.line, result: '略過：找不到此人或其家戶（資料在試匯入後已變更）' });
        continue;
      }
      const row = await trx
        .insertInto('external_aid')
        .values({
          household_id: p.householdId,
          person_id: p.id,
          source_kind: v.sourceKind,
          source_name: v.sourceName,
          kind: v.kind,
          amount: v.amount,
          items: v.items,
          received_on: v.receivedOn,
          note: null,
          origin: '匯入',
          created_at: ctx.now,
          created_by: ctx.actor.id,
          updated_at: ctx.now,
          updated_by: ctx.actor.id,
          deleted_at: null,
          deleted_by: null,
          delete_reason: null,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      effects.inserted('external_aid', { id: row.id });
      out.push({ line: r.line, result: `新增外單位救助紀錄（家戶 #${p.householdId}）`, targetId: p.householdId });
      if (done % 200 === 0) await progress(done);
    }
    await progress(done);
    return out;
  },

  async undoBlockers() {
    // The core refuses when an inserted row was corrected or deleted since (its version moved); nothing
    // else is built on an aid record.
    return [];
  },
};

async function personsByNationalId(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, Person[]>> {
  const out = new Map<string, Person[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('persons as p')
      .leftJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'p.id').on('hm.left_on', 'is', null))
      .select(['p.id', 'p.name', 'p.national_id', 'hm.household_id'])
      .where('p.national_id', 'in', ids.slice(i, i + CHUNK))
      .orderBy('p.id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.national_id as string) ?? out.set(r.national_id as string, []).get(r.national_id as string)!;
      if (!list.some((x) => x.id === r.id)) list.push({ id: r.id, name: r.name, householdId: r.household_id });
    }
  }
  return out;
}

/** Persons by 姓名 + 出生日期, keyed `name\0birthDate`. */
async function personsByNameBirth(db: Kysely<Database>, wanted: readonly { name: string; birthDate: string }[]): Promise<Map<string, Person[]>> {
  const out = new Map<string, Person[]>();
  const names = [...new Set(wanted.map((w) => w.name))];
  const keys = new Set(wanted.map((w) => `${w.name}\u0000${w.birthDate}`));
  for (let i = 0; i < names.length; i += CHUNK) {
    const rows = await db
      .selectFrom('persons as p')
      .leftJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'p.id').on('hm.left_on', 'is', null))
      .select(['p.id', 'p.name', 'p.birth_date', 'hm.household_id'])
      .where('p.name', 'in', names.slice(i, i + CHUNK))
      .where('p.birth_date', 'is not', null)
      .orderBy('p.id')
      .execute();
    for (const r of rows) {
      const k = `${r.name}\u0000${r.birth_date}`;
      if (!keys.has(k)) continue;
      const list = out.get(k) ?? out.set(k, []).get(k)!;
      if (!list.some((x) => x.id === r.id)) list.push({ id: r.id, name: r.name, householdId: r.household_id });
    }
  }
  return out;
}

/** The live aid records of these households, as sameKey()s. */
async function existingKeys(db: Kysely<Database>, households: readonly number[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < households.length; i += CHUNK) {
    const rows = await db
      .selectFrom('external_aid')
      .select(['household_id', 'source_name', 'received_on', 'kind', 'amount', 'items'])
      .where('household_id', 'in', households.slice(i, i + CHUNK))
      .where('deleted_at', 'is', null)
      .execute();
    for (const r of rows) {
      out.add(sameKey(r.household_id, { sourceName: r.source_name, receivedOn: r.received_on, kind: r.kind as AidKind, amount: r.amount, items: r.items } as ExternalAidRow));
    }
  }
  return out;
}
