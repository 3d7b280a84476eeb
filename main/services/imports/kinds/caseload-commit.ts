/**
 * 個案名冊: writing the planned rows inside the core's transaction, and what blocks an undo.
 *
 * Direct batched inserts rather than the per-record service functions (createPerson / createHousehold /
 * intakeCase each run several queries and an audit row per record: 50,000 rows would take minutes), keeping
 * the same invariants: search terms for every new person and household (main/services/search/terms.ts),
 * one current household per person, one 戶長 per household, case numbers per ROC year without gaps after
 * the largest one (a free number from the file is kept), a status-history row per case, one active case and
 * one active concern per household. The core writes the batch's audit row (counts only). Case assignment
 * notifications are not sent: these are existing cases the workers already carry.
 *
 * Every inserted row (search terms included) and every updated person is recorded in the EffectLog. A known
 * person whose name or phone changes gets the new name's search terms added; the old ones are left (a stale
 * hit in search until the person is next edited) because an undo can only delete what the batch inserted.
 * 低收 / 中低收 goes into person_income_status (from the import day, open-ended, source 匯入) besides the
 * current value in persons.income_status, as households/income-status.ts expects.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../../../db/schema';
import type { CaseStatus } from '../../../contract/types-cases';
import type { IncomeStatus } from '../../../contract/types-households';
import { applyIncomeStatus } from '../../households/income-status';
import { householdTerms, personTerms } from '../../search/terms';
import { nextDueAfter } from '../../concerns/service';
import type { CommitRow, EffectLog, KindContext, RecordedEffect, RowOutcome } from '../types';
import type { CaseloadRow } from './caseload-parse';
import { chunks, defaultStatus, planCaseload, type GroupPlan, type RowPlan } from './caseload-plan';

type Table = keyof Database & string;

/** Multi-row inserts of ≤ `size` rows; ids come back in the order of `values` (ascending ids, allotted in VALUES order). */
async function insertWithIds<T extends 'households' | 'persons' | 'person_income_status' | 'household_members' | 'cases' | 'case_status_history' | 'long_term_concerns'>(
  trx: Kysely<Database>,
  table: T,
  values: Insertable<Database[T]>[],
  effects: EffectLog,
  size = 400,
): Promise<number[]> {
  const ids: number[] = [];
  for (const part of chunks(values, size)) {
    const rows = (await trx
      .insertInto(table as 'persons')
      .values(part as Insertable<Database['persons']>[])
      .returning('id')
      .execute()) as { id: number }[];
    const sorted = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    for (const id of sorted) effects.inserted(table, { id });
    ids.push(...sorted);
  }
  return ids;
}

async function insertPlain<T extends 'case_factors' | 'search_terms'>(trx: Kysely<Database>, table: T, values: Insertable<Database[T]>[], key: (v: Insertable<Database[T]>) => Record<string, string | number>, effects: EffectLog): Promise<void> {
  for (const part of chunks(values, 1000)) {
    await trx.insertInto(table as 'search_terms').values(part as Insertable<Database['search_terms']>[]).execute();
    for (const v of part) effects.inserted(table, key(v));
  }
}

const CHANGED_LABEL: Record<string, string> = { name: '姓名', national_id: '身分證字號', birth_date: '出生日期', sex: '性別', phone: '電話', indigenous: '原住民', new_immigrant: '新住民', disability_level: '身障等級', income_status: '低收／中低收' };

export async function commitCaseload(
  trx: Kysely<Database>,
  rows: readonly CommitRow<CaseloadRow>[],
  ctx: KindContext,
  effects: EffectLog,
  progress: (done: number) => Promise<void>,
): Promise<RowOutcome[]> {
  const plan = await planCaseload(trx, rows.map((r) => ({ line: r.line, value: r.value, decision: r.decision })), ctx, 'commit');
  const ts = ctx.now;
  const by = ctx.actor.id;
  const notes = new Map<number, string[]>();
  const note = (line: number, text: string) => notes.set(line, [...(notes.get(line) ?? []), text]);
  const targetOf = new Map<number, number>();
  const written = (r: RowPlan) => r.problems.length === 0;
  let done = 0;

  // 1. Known persons: the changes the file brings.
  const termRows: { term: string; ref: number }[] = [];
  const reindexed: { id: number; terms: string[] }[] = [];
  for (const r of plan.rows) {
    if (!written(r) || !r.target) continue;
    targetOf.set(r.line, r.target.id);
    if (r.changes.length === 0) {
      note(r.line, `比對到個人 #${r.target.id}，資料無變更`);
      continue;
    }
    const set: Record<string, unknown> = {};
    const before: Record<string, unknown> = { version: r.target.version, updated_at: r.target.updated_at, updated_by: r.target.updated_by };
    for (const c of r.changes) {
      set[c.column] = c.after;
      before[c.column] = c.before;
    }
    await trx.updateTable('persons').set({ ...set, version: r.target.version + 1, updated_at: ts, updated_by: by }).where('id', '=', r.target.id).execute();
    effects.updated('persons', { id: r.target.id }, before);
    note(r.line, `更新個人 #${r.target.id}（${r.changes.map((c) => CHANGED_LABEL[c.column] ?? c.column).join('、')}）`);
    if (r.changes.some((c) => c.column === 'name' || c.column === 'phone')) {
      reindexed.push({ id: r.target.id, terms: personTerms({ name: String(set.name ?? r.target.name), phone: (set.phone as string | undefined) ?? r.target.phone }) });
    }
  }
  for (const part of chunks(reindexed)) {
    const have = new Set((await trx.selectFrom('search_terms').select(['term', 'ref']).where('ref', 'in', part.map((p) => p.id)).execute()).map((t) => `${t.ref}\u0000${t.term}`));
    for (const p of part) for (const term of p.terms) if (!have.has(`${p.id}\u0000${term}`)) termRows.push({ term, ref: p.id });
  }

  // 2. New households, one per group that joins none.
  const newHouseholdGroups = plan.groups.filter((g) => g.householdId === null && g.rows.some((r) => written(r) && r.joinAs !== null));
  const householdValues = newHouseholdGroups.map((g) => {
    const h = g.carrier.value.household;
    const a = g.carrier.address;
    return {
      county_code: a?.county_code ?? null,
      town_code: a?.town_code ?? null,
      village_code: a?.village_code ?? null,
      neighborhood: h?.neighborhood ?? null,
      street: h?.street ?? null,
      household_type: h?.householdType ?? null,
      phone: h?.phone ?? null,
      notes: null,
      created_at: ts,
      created_by: by,
      updated_at: ts,
      updated_by: by,
      version: 1,
    };
  });
  const householdIds = await insertWithIds(trx, 'households', householdValues, effects);
  const householdOf = new Map<GroupPlan, number>();
  newHouseholdGroups.forEach((g, i) => {
    const id = householdIds[i] as number;
    householdOf.set(g, id);
    const v = householdValues[i];
    if (v) for (const term of householdTerms({ street: v.street, phone: v.phone })) termRows.push({ term, ref: id });
  });
  for (const g of plan.groups) if (g.householdId !== null) householdOf.set(g, g.householdId);

  // 3. New persons.
  const newPersons = plan.rows.filter((r) => written(r) && !r.target);
  for (const part of chunks(newPersons)) {
    const values = part.map((r) => {
      const p = r.value.person;
      return {
        name: p.name,
        national_id: p.nationalId,
        birth_date: p.birthDate,
        sex: p.sex,
        phone: p.phone,
        indigenous: p.indigenous ? 1 : 0,
        new_immigrant: p.newImmigrant ? 1 : 0,
        disability_level: p.disabilityLevel,
        income_status: p.incomeStatus,
        notes: null,
        created_at: ts,
        created_by: by,
        updated_at: ts,
        updated_by: by,
        version: 1,
      };
    });
    const ids = await insertWithIds(trx, 'persons', values, effects);
    part.forEach((r, i) => {
      const id = ids[i] as number;
      targetOf.set(r.line, id);
      note(r.line, `新增個人 #${id}`);
      for (const term of personTerms({ name: r.value.person.name, phone: r.value.person.phone })) termRows.push({ term, ref: id });
    });
    done += part.length;
    await progress(done);
  }

  // 4. Memberships.
  const memberRows: { r: RowPlan; household: number }[] = [];
  for (const g of plan.groups) {
    const hh = householdOf.get(g);
    if (hh === undefined) continue;
    for (const r of g.rows) {
      if (!written(r)) continue;
      if (r.joinAs !== null) memberRows.push({ r, household: hh });
      if (r === g.carrier) note(r.line, g.householdId === null ? `新增家戶 #${hh}` : `併入家戶 #${hh}`);
    }
  }
  await insertWithIds(
    trx,
    'household_members',
    memberRows.map(({ r, household }) => ({
      household_id: household,
      person_id: targetOf.get(r.line) as number,
      relation: r.joinAs as string,
      joined_on: ctx.today,
      left_on: null,
      left_reason: null,
      created_at: ts,
      created_by: by,
      version: 1,
    })),
    effects,
  );
  for (const { r, household } of memberRows) if (r.target) note(r.line, `加入家戶 #${household}（${r.joinAs}）`);

  // 4b. 低收 / 中低收 as history (households/income-status.ts): from today, open-ended, source 匯入.
  const householdOfPerson = new Map(memberRows.map(({ r, household }) => [targetOf.get(r.line) as number, household]));
  await insertWithIds(
    trx,
    'person_income_status',
    newPersons
      .filter((r) => r.value.person.incomeStatus !== null)
      .map((r) => {
        const personId = targetOf.get(r.line) as number;
        return {
          person_id: personId,
          status: r.value.person.incomeStatus as string,
          valid_from: ctx.today,
          valid_to: null,
          source: '匯入',
          household_id: householdOfPerson.get(personId) ?? null,
          created_at: ts,
          created_by: by,
          updated_at: null,
          updated_by: null,
          version: 1,
        };
      }),
    effects,
  );
  for (const r of plan.rows) {
    const change = written(r) && r.target ? r.changes.find((c) => c.column === 'income_status') : undefined;
    if (!r.target || !change) continue;
    await applyIncomeStatus(trx, r.target.id, change.after as IncomeStatus, ctx.today, null, {
      source: '匯入',
      now: ts,
      userId: by,
      effects: { inserted: (t, k) => effects.inserted(t, k), updated: (t, k, b) => effects.updated(t, k, b) },
    });
  }

  // 5. Cases: the file's number when free, else the next of the received date's ROC year.
  const caseGroups = plan.groups.filter((g) => g.makeCase && householdOf.has(g) && written(g.carrier));
  const receivedAtOf = (g: GroupPlan) => {
    const k = g.carrier.value.kase;
    const day = k?.receivedOn ?? k?.openedOn ?? ctx.today;
    // 09:00 Taipei on the day; today's cases take the current time so nothing lies in the future.
    return day === ctx.today ? ts : `${day}T01:00:00.000Z`;
  };
  const rocYearOfDay = (isoTs: string) => {
    const taipei = new Date(Date.parse(isoTs) + 8 * 3600_000).toISOString().slice(0, 10);
    return Number(taipei.slice(0, 4)) - 1911;
  };
  const kept = caseGroups.filter((g) => g.keepCaseNo).map((g) => g.keepCaseNo as string);
  const years = new Set<number>([...caseGroups.filter((g) => !g.keepCaseNo).map((g) => rocYearOfDay(receivedAtOf(g)))]);
  const nextSeq = new Map<number, number>();
  for (const y of years) {
    const row = await trx.selectFrom('cases').select((eb) => eb.fn.max('seq').as('m')).where('roc_year', '=', y).executeTakeFirst();
    const keptMax = Math.max(0, ...kept.filter((n) => Number(n.split('-')[0]) === y).map((n) => Number(n.split('-')[1])));
    nextSeq.set(y, Math.max(Number(row?.m ?? 0), keptMax) + 1);
  }
  const caseValues = caseGroups.map((g) => {
    const k = g.carrier.value.kase as NonNullable<CaseloadRow['kase']>;
    const receivedAt = receivedAtOf(g);
    let rocYear: number;
    let seq: number;
    if (g.keepCaseNo) {
      rocYear = Number(g.keepCaseNo.split('-')[0]);
      seq = Number(g.keepCaseNo.split('-')[1]);
    } else {
      rocYear = rocYearOfDay(receivedAt);
      seq = nextSeq.get(rocYear) as number;
      nextSeq.set(rocYear, seq + 1);
    }
    const status: CaseStatus = defaultStatus(k);
    const lead = g.carrier.leadWorker;
    const closed = status === '已結案' || status === '不開案';
    return {
      case_no: `${rocYear}-${String(seq).padStart(6, '0')}`,
      roc_year: rocYear,
      seq,
      household_id: householdOf.get(g) as number,
      previous_case_id: null,
      source: k.source ?? 'F',
      referring_unit: null,
      received_at: receivedAt,
      dispatched_at: lead ? receivedAt : null,
      first_contact_at: null,
      case_type: k.caseType ?? '脆弱家庭',
      risk_level: null,
      code_list_version_id: g.carrier.factorVersionId,
      status,
      lead_worker_id: lead?.id ?? null,
      team_id: lead?.team_id ?? null,
      opened_on: k.openedOn ?? (status === '處遇中' || status === '結案審查中' ? (k.receivedOn ?? ctx.today) : null),
      closed_on: closed ? (k.closedOn ?? null) : null,
      close_reason: null,
      summary: null,
      created_at: ts,
      created_by: by,
      updated_at: ts,
      updated_by: by,
      version: 1,
    };
  });
  const caseIds = await insertWithIds(trx, 'cases', caseValues, effects);
  const caseIdOf = new Map<GroupPlan, number>();
  caseGroups.forEach((g, i) => {
    caseIdOf.set(g, caseIds[i] as number);
    note(g.carrier.line, `個案 ${caseValues[i]?.case_no}（${caseValues[i]?.status}）`);
  });
  await insertWithIds(
    trx,
    'case_status_history',
    caseGroups.map((g, i) => ({ case_id: caseIds[i] as number, from_status: null, to_status: caseValues[i]?.status as string, action: 'import', reason: '個案名冊匯入', at: ts, by_user: by })),
    effects,
  );
  const factorRows = caseGroups.flatMap((g, i) => (g.carrier.value.kase?.factors ?? []).map((code) => ({ case_id: caseIds[i] as number, code })));
  await insertPlain(trx, 'case_factors', factorRows, (v) => ({ case_id: v.case_id, code: v.code }), effects);

  // 6. 長期關懷.
  const concernGroups = plan.groups.filter((g) => g.makeConcern && householdOf.has(g) && written(g.carrier) && g.carrier.concernWorker);
  await insertWithIds(
    trx,
    'long_term_concerns',
    concernGroups.map((g) => {
      const c = g.carrier.value.concern as NonNullable<CaseloadRow['concern']>;
      const start = c.startDate ?? ctx.today;
      const frequency = c.frequency ?? 'monthly';
      const w = g.carrier.concernWorker as NonNullable<RowPlan['concernWorker']>;
      note(g.carrier.line, '列為長期關懷戶');
      return {
        household_id: householdOf.get(g) as number,
        reason: c.reason,
        reason_note: null,
        start_date: start,
        frequency,
        interval_days: null,
        worker_id: w.id,
        team_id: w.team_id,
        next_due: nextDueAfter(start, frequency, null),
        last_visit_on: null,
        from_case_id: null,
        end_date: null,
        end_reason: null,
        to_case_id: null,
        created_at: ts,
        created_by: by,
        updated_at: ts,
        updated_by: by,
        version: 1,
      };
    }),
    effects,
  );

  // 7. Search terms (persons and households are findable by the search box at once). In key order: B-tree
  // inserts in order touch each page once instead of at random (bench, 20,000 rows: commit 15 s → 10 s).
  termRows.sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : a.ref - b.ref));
  await insertPlain(trx, 'search_terms', termRows, (v) => ({ term: v.term, ref: v.ref }), effects);
  await progress(rows.length);

  return plan.rows.map((r) => {
    if (!written(r)) return { line: r.line, result: `略過：${r.problems.map((p) => p.message).join('；')}` };
    const id = targetOf.get(r.line);
    return { line: r.line, result: (notes.get(r.line) ?? []).join('、'), ...(id !== undefined ? { targetId: id } : {}) };
  });
}

// --- undo -------------------------------------------------------------------------------------------------------

/** What references the batch's rows from outside the batch: one zh-TW line per record and kind. */
export async function caseloadUndoBlockers(db: Kysely<Database>, effects: readonly RecordedEffect[]): Promise<string[]> {
  const ids = (table: Table) => effects.filter((e) => e.action === 'insert' && e.table === table && typeof e.key.id === 'number').map((e) => e.key.id as number);
  const households = ids('households');
  const persons = ids('persons');
  const cases = ids('cases');
  const own = {
    household_members: new Set(ids('household_members')),
    case_status_history: new Set(ids('case_status_history')),
    cases: new Set(cases),
    long_term_concerns: new Set(ids('long_term_concerns')),
  };
  const caseNo = new Map<number, string>();
  for (const part of chunks(cases)) for (const c of await db.selectFrom('cases').select(['id', 'case_no']).where('id', 'in', part).execute()) caseNo.set(c.id, c.case_no);
  const out: string[] = [];
  const count = (m: Map<number, number>, id: number) => m.set(id, (m.get(id) ?? 0) + 1);
  const report = (m: Map<number, number>, line: (id: number, n: number) => string) => {
    for (const [id, n] of [...m].sort((a, b) => a[0] - b[0])) out.push(line(id, n));
  };

  // Built on the batch's households.
  const hh = {
    records: new Map<number, number>(),
    referrals: new Map<number, number>(),
    handouts: new Map<number, number>(),
    enrolments: new Map<number, number>(),
    members: new Map<number, number>(),
    cases: new Map<number, number>(),
    concerns: new Map<number, number>(),
    care: new Map<number, number>(),
    accounts: new Map<number, number>(),
  };
  for (const part of chunks(households)) {
    for (const r of await db.selectFrom('service_records').select('household_id').where('household_id', 'in', part).execute()) count(hh.records, r.household_id);
    for (const r of await db.selectFrom('referrals').select('household_id').where('household_id', 'in', part).execute()) count(hh.referrals, r.household_id);
    for (const r of await db.selectFrom('fb_handouts').select('household_id').where('household_id', 'in', part).execute()) count(hh.handouts, r.household_id);
    for (const r of await db.selectFrom('programme_enrolments').select('household_id').where('household_id', 'in', part).execute()) if (r.household_id !== null) count(hh.enrolments, r.household_id);
    for (const r of await db.selectFrom('household_members').select(['id', 'household_id']).where('household_id', 'in', part).execute()) if (!own.household_members.has(r.id)) count(hh.members, r.household_id);
    for (const r of await db.selectFrom('household_member_relations').select('household_id').where('household_id', 'in', part).execute()) count(hh.members, r.household_id);
    for (const r of await db.selectFrom('cases').select(['id', 'household_id']).where('household_id', 'in', part).execute()) if (!own.cases.has(r.id)) count(hh.cases, r.household_id);
    for (const r of await db.selectFrom('long_term_concerns').select(['id', 'household_id']).where('household_id', 'in', part).execute()) if (!own.long_term_concerns.has(r.id)) count(hh.concerns, r.household_id);
    for (const t of ['care_needs', 'ltc_services', 'care_arrangements'] as const) {
      for (const r of await db.selectFrom(t).select('household_id').where('household_id', 'in', part).execute()) count(hh.care, r.household_id);
    }
    for (const t of ['child_accounts', 'child_account_followups'] as const) {
      for (const r of await db.selectFrom(t).select('household_id').where('household_id', 'in', part).execute()) if (r.household_id !== null) count(hh.accounts, r.household_id);
    }
  }
  report(hh.records, (id, n) => `家戶 #${id} 已有 ${n} 筆服務紀錄`);
  report(hh.referrals, (id, n) => `家戶 #${id} 已有 ${n} 筆轉介`);
  report(hh.handouts, (id, n) => `家戶 #${id} 已領取實物銀行物資 ${n} 次`);
  report(hh.enrolments, (id, n) => `家戶 #${id} 已有 ${n} 筆方案報名`);
  report(hh.members, (id) => `家戶 #${id} 匯入後成員已有異動`);
  report(hh.cases, (id, n) => `家戶 #${id} 匯入後已另有 ${n} 件個案`);
  report(hh.concerns, (id) => `家戶 #${id} 匯入後已另設長期關懷`);
  report(hh.care, (id) => `家戶 #${id} 已登錄照顧需求或長照服務`);
  report(hh.accounts, (id) => `家戶 #${id} 已有兒少發展帳戶資料`);

  // Built on the batch's cases (some may sit in households the batch did not create).
  const cs = { records: new Map<number, number>(), referrals: new Map<number, number>(), requests: new Map<number, number>(), history: new Map<number, number>(), other: new Map<number, number>() };
  for (const part of chunks(cases)) {
    for (const r of await db.selectFrom('service_records').select('case_id').where('case_id', 'in', part).execute()) if (r.case_id !== null) count(cs.records, r.case_id);
    for (const r of await db.selectFrom('referrals').select('case_id').where('case_id', 'in', part).execute()) if (r.case_id !== null) count(cs.referrals, r.case_id);
    for (const r of await db.selectFrom('case_requests').select('case_id').where('case_id', 'in', part).execute()) count(cs.requests, r.case_id);
    for (const r of await db.selectFrom('case_status_history').select(['id', 'case_id']).where('case_id', 'in', part).execute()) if (!own.case_status_history.has(r.id)) count(cs.history, r.case_id);
    for (const r of await db.selectFrom('case_assistants').select('case_id').where('case_id', 'in', part).execute()) count(cs.other, r.case_id);
    for (const r of await db.selectFrom('cases').select('previous_case_id').where('previous_case_id', 'in', part).execute()) if (r.previous_case_id !== null) count(cs.other, r.previous_case_id);
    for (const r of await db.selectFrom('long_term_concerns').select('from_case_id').where('from_case_id', 'in', part).execute()) if (r.from_case_id !== null) count(cs.other, r.from_case_id);
  }
  const cn = (id: number) => caseNo.get(id) ?? `#${id}`;
  report(cs.records, (id, n) => `個案 ${cn(id)} 已有 ${n} 筆服務紀錄`);
  report(cs.referrals, (id, n) => `個案 ${cn(id)} 已有 ${n} 筆轉介`);
  report(cs.requests, (id, n) => `個案 ${cn(id)} 已有 ${n} 筆審查申請`);
  report(cs.history, (id) => `個案 ${cn(id)} 已變更狀態`);
  report(cs.other, (id) => `個案 ${cn(id)} 匯入後已有其他異動（協力社工、再開案或長期關懷）`);

  // Built on the batch's persons.
  const ownIncome = new Set(ids('person_income_status'));
  const ps = { income: new Map<number, number>(), memberships: new Map<number, number>(), services: new Map<number, number>(), enrolments: new Map<number, number>(), other: new Map<number, number>() };
  for (const part of chunks(persons)) {
    for (const r of await db.selectFrom('household_members').select(['id', 'person_id']).where('person_id', 'in', part).execute()) if (!own.household_members.has(r.id)) count(ps.memberships, r.person_id);
    for (const r of await db.selectFrom('person_income_status').select(['id', 'person_id']).where('person_id', 'in', part).execute()) if (!ownIncome.has(r.id)) count(ps.income, r.person_id);
    for (const r of await db.selectFrom('service_participants').select('person_id').where('person_id', 'in', part).execute()) count(ps.services, r.person_id);
    for (const r of await db.selectFrom('programme_enrolments').select('person_id').where('person_id', 'in', part).execute()) count(ps.enrolments, r.person_id);
    for (const t of ['care_needs', 'ltc_services', 'child_placements', 'child_accounts'] as const) {
      for (const r of await db.selectFrom(t).select('person_id').where('person_id', 'in', part).execute()) if (r.person_id !== null) count(ps.other, r.person_id);
    }
    for (const r of await db.selectFrom('care_arrangements').select('caregiver_person_id').where('caregiver_person_id', 'in', part).execute()) if (r.caregiver_person_id !== null) count(ps.other, r.caregiver_person_id);
  }
  report(ps.memberships, (id) => `個人 #${id} 匯入後已遷移家戶`);
  report(ps.income, (id) => `個人 #${id} 匯入後已有其他低收／中低收身分紀錄`);
  report(ps.services, (id, n) => `個人 #${id} 已出現在 ${n} 筆服務紀錄中`);
  report(ps.enrolments, (id, n) => `個人 #${id} 已有 ${n} 筆方案報名`);
  report(ps.other, (id) => `個人 #${id} 已有照顧、兒少帳戶或安置資料`);
  return [...new Set(out)];
}
