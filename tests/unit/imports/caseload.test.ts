/**
 * The 個案名冊 import kind against a real database (SQLite, and PostgreSQL through scripts/with-postgres.mjs):
 * parse → classify → commit → undo (the EffectLog replayed backwards, as the core does) → undoBlockers,
 * with SourceRows as the reader hands them over. No mocks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { writeTransaction } from '../../../db/tx';
import { makeNationalId } from '../../../main/contract/national-id';
import { caseloadKind } from '../../../main/services/imports/kinds/caseload';
import { importKind } from '../../../main/services/imports/kinds';
import type { Classification, CommitRow, EffectLog, KindContext, RecordedEffect, RowOutcome, SourceCell, SourceRow } from '../../../main/services/imports/types';
import type { CaseloadRow } from '../../../main/services/imports/kinds/caseload-parse';
import { buildCaseloadFile, CASELOAD_MAPPING, type KnownPerson } from '../../fixtures/imports/caseload-file';
import { createCenter, household, type Center } from '../households-fixture';

const TODAY = '2026-03-05';

function ctxOf(c: Center): KindContext {
  return { actor: { id: c.adminId, role: 'admin', teamId: null }, today: TODAY, now: c.t.clock.now.toISOString(), options: {} };
}

/** A SourceRow from field → text (column letters from the generator's mapping). */
function row(line: number, fields: Record<string, string | { text: string; date?: string }>): SourceRow {
  const cells: Partial<Record<string, SourceCell>> = {};
  for (const [k, v] of Object.entries(fields)) cells[k] = { col: CASELOAD_MAPPING[k] ?? 'Z', ...(typeof v === 'string' ? { text: v } : v) };
  return { line, cells };
}

interface DryRun {
  parsed: { line: number; value: CaseloadRow }[];
  byLine: Map<number, Classification>;
}

async function dryRun(db: Kysely<Database>, rows: SourceRow[], ctx: KindContext): Promise<DryRun> {
  const parsed: { line: number; value: CaseloadRow }[] = [];
  const byLine = new Map<number, Classification>();
  for (const r of rows) {
    const p = caseloadKind.parse(r, ctx);
    if (p.ok) parsed.push({ line: r.line, value: p.value });
    else byLine.set(r.line, { status: 'error', summary: '', problems: p.problems });
  }
  const cls = await caseloadKind.classify(db, parsed, ctx);
  parsed.forEach((p, i) => byLine.set(p.line, cls[i] as Classification));
  return { parsed, byLine };
}

async function commit(db: Kysely<Database>, run: DryRun, ctx: KindContext, decisions: Record<number, string> = {}): Promise<{ effects: RecordedEffect[]; outcomes: RowOutcome[] }> {
  const effects: RecordedEffect[] = [];
  const log: EffectLog = {
    inserted: (table, key) => effects.push({ table, key, action: 'insert', before: null }),
    updated: (table, key, before) => effects.push({ table, key, action: 'update', before }),
  };
  const rows: CommitRow<CaseloadRow>[] = run.parsed
    .map((p) => ({ ...p, classification: run.byLine.get(p.line) as Classification, decision: decisions[p.line] ?? null }))
    .filter((r) => r.classification.status === 'new' || r.classification.status === 'match' || (r.classification.status === 'decide' && r.decision !== null));
  const outcomes = await writeTransaction(db, (trx) => caseloadKind.commit(trx, rows, ctx, log, async () => {}));
  return { effects, outcomes };
}

/** What the core's undo does: the effects backwards, inserts deleted, updates put back. */
async function undo(db: Kysely<Database>, effects: RecordedEffect[]): Promise<void> {
  await writeTransaction(db, async (trx) => {
    for (const e of [...effects].reverse()) {
      if (e.action === 'insert') {
        let q = trx.deleteFrom(e.table as 'persons');
        for (const [k, v] of Object.entries(e.key)) q = q.where(k as 'id', '=', v as number);
        await q.execute();
      } else {
        let q = trx.updateTable(e.table as 'persons').set(e.before as never);
        for (const [k, v] of Object.entries(e.key)) q = q.where(k as 'id', '=', v as number);
        await q.execute();
      }
    }
  });
}

const TABLES = ['persons', 'households', 'household_members', 'cases', 'case_status_history', 'case_factors', 'long_term_concerns', 'search_terms', 'person_income_status'] as const;
async function counts(db: Kysely<Database>): Promise<Record<(typeof TABLES)[number], number>> {
  const out = {} as Record<(typeof TABLES)[number], number>;
  for (const t of TABLES) out[t] = Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return out;
}

describe('caseload import (個案名冊)', () => {
  let c: Center;
  let db: Kysely<Database>;
  beforeEach(async () => {
    c = await createCenter();
    db = c.t.app.ctx.db;
  });
  afterEach(async () => c.t.close());

  it('is registered as 個案名冊 for administrators, with 姓名 required', () => {
    const k = importKind('caseload');
    expect(k?.label).toBe('個案名冊');
    expect(k?.roles).toEqual(['admin']);
    expect(k?.fields.filter((f) => f.required).map((f) => f.key)).toEqual(['name']);
  });

  it('parse: every ROC date form, codes and labels; each bad cell is an error on its own field', () => {
    const ctx = ctxOf(c);
    const ok = caseloadKind.parse(
      row(2, { name: '王檜楓', nationalId: 'a123456789', birthDate: '民國65年3月5日', sex: '女', relation: '妻', receivedOn: '1150105', caseStatus: '處遇中', leadWorker: 'sw1', openedOn: '115.01.10', caseSource: '主動發掘' }),
      ctx,
    );
    expect(ok).toMatchObject({ ok: true, value: { relation: '配偶', person: { nationalId: 'A123456789', birthDate: '1976-03-05', sex: 'F' }, kase: { receivedOn: '2026-01-05', openedOn: '2026-01-10', source: 'C', status: '處遇中' } } });
    expect(caseloadKind.parse(row(3, { name: '王檜楓', birthDate: { text: '1976/3/5', date: '1976-03-05' } }), ctx)).toMatchObject({ ok: true, value: { person: { birthDate: '1976-03-05' } } });
    const bad = caseloadKind.parse(row(4, { name: '', nationalId: 'A123456788', birthDate: '116/1/1', sex: '未知', caseStatus: '暫停', caseNo: 'X1' }), ctx);
    expect(bad.ok).toBe(false);
    const fields = bad.ok ? [] : bad.problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'nationalId', 'birthDate', 'sex', 'caseStatus', 'caseNo']));
    expect(bad.ok ? '' : bad.problems.find((p) => p.field === 'birthDate')?.message).toContain('不能晚於今天');
  });

  it('a generated file: new, known by ID (match, never duplicated), duplicates in the file, errors with their field; commit creates exactly the rest; undo removes it all', async () => {
    // Five people already known: two in a household, three on their own.
    const known: KnownPerson[] = [];
    for (let i = 0; i < 5; i++) {
      const p = { name: `周瑾${'甲乙丙丁戊'[i]}`, nationalId: makeNationalId('Q', '1', String(7_000_000 + i)), birthDate: `1970-0${i + 1}-15` };
      known.push(p);
      if (i < 2) await household(c, c.admin, { name: p.name, nationalId: p.nationalId, birthDate: p.birthDate, phone: '0911-000-000' });
      else await c.t.call('persons.create', { name: p.name, nationalId: p.nationalId, birthDate: p.birthDate }, c.admin);
    }
    const file = buildCaseloadFile({ households: 60, errors: 10, known, duplicates: 3, workers: ['sw1', 'sw2姓名', 'sw3'], today: TODAY, seed: 7 });
    expect(file.counts).toMatchObject({ error: 10, match: 5, duplicate: 3 });
    const ctx = ctxOf(c);
    const before = await counts(db);
    const run = await dryRun(db, file.rows, ctx);
    for (const e of file.expected) {
      const got = run.byLine.get(e.line) as Classification;
      expect({ line: e.line, status: got.status }).toEqual({ line: e.line, status: e.status });
      if (e.status === 'duplicate' && got.status === 'duplicate') expect(got.ofLine).toBe(e.ofLine);
      if (e.status === 'error' && got.status === 'error') expect(got.problems.map((p) => p.field)).toContain(e.field);
    }
    const run2 = await dryRun(db, file.rows, ctx);
    expect([...run2.byLine.values()].map((x) => x.status)).toEqual([...run.byLine.values()].map((x) => x.status)); // read-only
    expect(await counts(db)).toEqual(before);

    const { effects, outcomes } = await commit(db, run, ctx);
    const after = await counts(db);
    expect(after.persons - before.persons).toBe(file.counts.new);
    // Known people in a household join it (2 of them); the others get a household of their own.
    expect(after.households - before.households).toBe(file.counts.households - 2);
    expect(after.cases - before.cases).toBe(file.counts.cases);
    expect(after.case_status_history - before.case_status_history).toBe(file.counts.cases);
    expect(outcomes.filter((o) => o.result.startsWith('新增個人'))).toHaveLength(file.counts.new);
    // Never duplicated: each known ID is still one person.
    for (const p of known) expect(await db.selectFrom('persons').select('id').where('national_id', '=', p.nationalId).execute()).toHaveLength(1);
    // Every person has a current household; one 戶長 per household.
    const homeless = await db.selectFrom('persons').leftJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'persons.id').on('hm.left_on', 'is', null)).select('persons.id').where('hm.id', 'is', null).execute();
    expect(homeless).toEqual([]);
    const heads = await db.selectFrom('household_members').select(['household_id', (eb) => eb.fn.countAll().as('n')]).where('relation', '=', '戶長').where('left_on', 'is', null).groupBy('household_id').execute();
    expect(heads.every((h) => Number(h.n) === 1)).toBe(true);
    // Case numbers: kept from the file when free, the others allotted after the year's largest.
    const kept = file.rows.filter((r, i) => r.cells.caseNo && file.expected[i]?.status === 'new').map((r) => r.cells.caseNo?.text);
    for (const no of kept) expect(await db.selectFrom('cases').select('id').where('case_no', '=', no as string).executeTakeFirst()).toBeDefined();
    const statuses = await db.selectFrom('cases').select(['status', 'lead_worker_id', 'closed_on', 'opened_on']).execute();
    expect(statuses.filter((s) => s.status === '待分派').every((s) => s.lead_worker_id === null)).toBe(true);
    expect(statuses.filter((s) => s.status === '已結案').every((s) => s.closed_on !== null)).toBe(true);

    // Findable through the search box as soon as committed.
    const someone = file.rows.find((r, i) => file.expected[i]?.status === 'new')?.cells.name?.text as string;
    const hits = await c.t.call('search.query', { q: someone }, c.admin);
    expect(hits.hits.some((h) => JSON.stringify(h).includes(someone))).toBe(true);

    // Nothing built on it yet: no blockers; the undo puts every table back.
    expect(await caseloadKind.undoBlockers(db, effects)).toEqual([]);
    await undo(db, effects);
    expect(await counts(db)).toEqual(before);
    const gone = await c.t.call('search.query', { q: someone }, c.admin);
    expect(gone.hits.some((h) => JSON.stringify(h).includes(someone))).toBe(false);
  });

  it('a known person: changes listed and written (income status as history), undone to the old values', async () => {
    const id = makeNationalId('R', '2', '1234567');
    const hh = await household(c, c.admin, { name: '林翊萱', nationalId: id, birthDate: '1980-01-01', phone: '0911-111-111' });
    const ctx = ctxOf(c);
    const rows = [
      row(2, { householdKey: 'A1', relation: '戶長', name: '林翊萱', nationalId: id, phone: '0922-222-222', incomeStatus: '低收', caseStatus: '處遇中', leadWorker: 'sw1', receivedOn: '115/1/2', openedOn: '115/1/3' }),
      row(3, { householdKey: 'A1', relation: '子女', name: '林甯', birthDate: '105/5/5' }),
    ];
    const run = await dryRun(db, rows, ctx);
    const m = run.byLine.get(2);
    expect(m).toMatchObject({ status: 'match', targetId: hh.members[0]?.personId });
    expect(m?.status === 'match' ? m.changes : []).toEqual([
      { field: '電話', from: '0911-111-111', to: '0922-222-222' },
      { field: '低收／中低收', from: '（空白）', to: '低收入戶' },
    ]);
    expect(run.byLine.get(3)).toMatchObject({ status: 'new' });
    const personBefore = await db.selectFrom('persons').selectAll().where('national_id', '=', id).executeTakeFirstOrThrow();
    const before = await counts(db);
    const { effects, outcomes } = await commit(db, run, ctx);
    expect(outcomes[0]?.result).toContain('更新個人');
    // The child joins the known person's household; no new household.
    const members = await db.selectFrom('household_members').select(['person_id', 'relation']).where('household_id', '=', hh.id).where('left_on', 'is', null).execute();
    expect(members.map((x) => x.relation).sort()).toEqual(['子女', '戶長']);
    expect((await counts(db)).households).toBe(before.households);
    const k = await db.selectFrom('cases').selectAll().where('household_id', '=', hh.id).executeTakeFirstOrThrow();
    expect(k).toMatchObject({ status: '處遇中', opened_on: '2026-01-03', lead_worker_id: c.w1.id, team_id: c.team1 });
    expect(await db.selectFrom('person_income_status').select(['status', 'valid_from', 'source']).where('person_id', '=', personBefore.id).execute()).toEqual([{ status: 'low', valid_from: TODAY, source: '匯入' }]);
    const p = await db.selectFrom('persons').selectAll().where('id', '=', personBefore.id).executeTakeFirstOrThrow();
    expect(p).toMatchObject({ phone: '0922-222-222', income_status: 'low', version: personBefore.version + 1 });
    expect((await c.t.call('search.query', { q: '0922222222' }, c.admin)).hits.length).toBeGreaterThan(0);

    // Something built on the batch blocks the undo, named in zh-TW.
    await db.insertInto('case_requests').values({ case_id: k.id, kind: 'close', reason: '測試', transfer_to: null, requested_by: c.w1.id, requested_at: ctx.now, state: 'pending', decided_by: null, decided_at: null, decision_comment: null, from_status: '處遇中' }).execute();
    expect(await caseloadKind.undoBlockers(db, effects)).toEqual([`個案 ${k.case_no} 已有 1 筆審查申請`]);
    await db.deleteFrom('case_requests').execute();
    await undo(db, effects);
    expect(await db.selectFrom('persons').selectAll().where('id', '=', personBefore.id).executeTakeFirstOrThrow()).toEqual(personBefore);
    expect(await counts(db)).toEqual(before);
  });

  it('same name and birth date without an ID match: decide; 視為同一人 updates that person, 建立新的個人 creates one', async () => {
    const hh = await household(c, c.admin, { name: '陳璿', birthDate: '1950-02-02' });
    const ctx = ctxOf(c);
    const rows = [row(2, { name: '陳璿', birthDate: '39/2/2', phone: '0933-333-333' }), row(3, { name: '陳璿', birthDate: '39/2/2', nationalId: makeNationalId('S', '1', '7654321') })];
    const run = await dryRun(db, rows, ctx);
    const d = run.byLine.get(2);
    expect(d).toMatchObject({ status: 'decide', options: [{ value: `same:${hh.members[0]?.personId}` }, { value: 'new', label: '建立新的個人' }] });
    // Line 3 is the same name + birth date too (no household key: not an in-file duplicate).
    expect(run.byLine.get(3)?.status).toBe('decide');
    const before = await counts(db);
    // Undecided rows are skipped.
    await commit(db, run, ctx);
    expect((await counts(db)).persons).toBe(before.persons);
    const { outcomes } = await commit(db, run, ctx, { 2: `same:${hh.members[0]?.personId}`, 3: 'new' });
    expect(outcomes.map((o) => o.result)).toEqual([`更新個人 #${hh.members[0]?.personId}（電話）、併入家戶 #${hh.id}`, expect.stringMatching(/^新增個人 #\d+、新增家戶 #\d+$/)]);
    expect((await counts(db)).persons).toBe(before.persons + 1);
    // Chosen as the same person, a row with an ID fills the known person's missing ID (the one with another ID is not offered).
    const id = makeNationalId('S', '1', '1112223');
    const again = await dryRun(db, [row(2, { name: '陳璿', birthDate: '1950/2/2', nationalId: id })], ctx);
    expect(again.byLine.get(2)).toMatchObject({ status: 'decide', options: [{ value: `same:${hh.members[0]?.personId}` }, { value: 'new' }] });
    const filled = await commit(db, again, ctx, { 2: `same:${hh.members[0]?.personId}` });
    expect(filled.outcomes[0]?.result).toBe(`更新個人 #${hh.members[0]?.personId}（身分證字號）、併入家戶 #${hh.id}`);
    expect((await db.selectFrom('persons').select('national_id').where('id', '=', hh.members[0]?.personId as number).executeTakeFirstOrThrow()).national_id).toBe(id);
  });

  it('errors that need the database: unknown worker, unknown village, a worker who is not a 社工, factor codes, two 戶長, a person in another household', async () => {
    const id1 = makeNationalId('T', '1', '1111111');
    const id2 = makeNationalId('T', '2', '2222222');
    await household(c, c.admin, { name: '甲檜', nationalId: id1 });
    await household(c, c.admin, { name: '乙檜', nationalId: id2 });
    const ctx = ctxOf(c);
    const rows = [
      row(2, { name: '丙檜', caseStatus: '處遇中', leadWorker: 'nobody' }),
      row(3, { name: '丁檜', village: '不存在里' }),
      row(4, { name: '戊檜', caseStatus: '評估中', leadWorker: 'sup1' }),
      row(5, { name: '己檜', caseStatus: '評估中', leadWorker: 'sw1', receivedOn: '115/1/1', factors: '1-01、9-99' }),
      row(6, { householdKey: 'K', relation: '戶長', name: '庚檜' }),
      row(7, { householdKey: 'K', relation: '戶長', name: '辛檜' }),
      row(8, { householdKey: 'M', relation: '戶長', name: '甲檜', nationalId: id1 }),
      row(9, { householdKey: 'M', relation: '配偶', name: '乙檜', nationalId: id2 }),
      row(10, { name: '壬檜', county: '南投縣', town: '南投市', village: '中興里', street: '中山路1號', caseStatus: '處遇中', leadWorker: 'sw1姓名', openedOn: '115/2/1', receivedOn: '115/1/20', factors: '1-01' }),
    ];
    const run = await dryRun(db, rows, ctx);
    const err = (line: number) => {
      const x = run.byLine.get(line);
      return x?.status === 'error' ? x.problems.map((p) => `${p.field}:${p.message}`) : x?.status;
    };
    expect(err(2)).toEqual(['leadWorker:找不到主責社工「nobody」（請填帳號或姓名）']);
    expect(err(3)).toEqual(['village:找不到村里「不存在里」']);
    expect(err(4)).toEqual(['leadWorker:主責社工須為社工（「sup1」不是）']);
    expect(err(5)).toEqual([expect.stringContaining('factors:脆弱性因子 9-99 不在收案日 115/01/01')]);
    expect(err(6)).toBe('new');
    expect(err(7)).toEqual(['relation:同一戶號已有戶長（第 6 列）']);
    expect(err(8)).toBe('match');
    expect(err(9)).toEqual([expect.stringMatching(/^nationalId:此人目前屬於家戶 #\d+，與同戶號其他成員的家戶 #\d+ 不同/)]);
    expect(run.byLine.get(10)).toMatchObject({ status: 'new', flags: ['新增家戶', '建立個案（給新案號）'] });
    const { outcomes } = await commit(db, run, ctx);
    const made = await db.selectFrom('households').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(made).toMatchObject({ county_code: '10008', village_code: expect.stringMatching(/^10008010/), street: '中山路1號' });
    expect(outcomes.at(-1)?.result).toMatch(/^新增個人 #\d+、新增家戶 #\d+、個案 115-000001（處遇中）$/);
  });

  it('batches its reads: a 2,000-row dry run runs a bounded number of queries', async () => {
    const file = buildCaseloadFile({ households: 800, today: TODAY, seed: 3 });
    let queries = 0;
    const counted = db.withPlugin({ transformQuery: (a) => ((queries += 1), a.node), transformResult: async (a) => a.result });
    const run = await dryRun(counted, file.rows, ctxOf(c));
    expect([...run.byLine.values()].every((x) => x.status === 'new')).toBe(true);
    expect(file.rows.length).toBeGreaterThan(1500);
    expect(queries).toBeLessThan(30);
  });
});
