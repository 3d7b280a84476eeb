/**
 * Programme, child-account, meeting and outreach indicators (issue 6 §6),
 * registered in services/reports/indicators/registry.ts with one line.
 *
 * Conventions (dates are ISO dates, the period's Taipei days inclusive):
 * - A session is in the period by held_on; attendance by its session's date.
 * - Eligible children in the period: born 2016-01-01 .. period end, and the child
 *   or a current member of its current household held 低收 / 中低收 status on at
 *   least one day of the period (the status history, person_income_status: a status
 *   that began after the period or ended before it does not count), or the child
 *   was in long-term placement by the period end.
 * - Opened accounts at period end: opened_on <= end and not closed by then.
 * - 存款率: opened accounts at period end with a deposit dated in the period.
 * - Team: a programme's is its responsible worker's; accounts, meetings and
 *   outreach belong to the team of whoever recorded them.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema';
import { ACCOUNT_BORN_FROM } from '../../contract/types-programmes';
import type { IncomeStatus } from '../../contract/types-households';
import { column, countIndicator, rateIndicator, rowsIndicator, type Source } from '../reports/indicators/engine';
import { IndicatorInputError, type ComputeInput, type Indicator, type IndicatorResult } from '../reports/indicators/types';

const r = (x: string) => sql.ref(x);
const inPeriod = (col: string, p: { from: string; to: string }) => sql<SqlBool>`${r(col)} >= ${p.from} and ${r(col)} <= ${p.to}`;

const sessionSource: Source = {
  name: 'programme_sessions',
  key: 'ps.id',
  from: (db) => db.selectFrom('programme_sessions as ps').innerJoin('programmes as pg', 'pg.id', 'ps.programme_id'),
  joins: { u: (qb) => qb.leftJoin('users as u', 'u.id', 'pg.worker_id') },
  dims: { worker: column('pg.worker_id', undefined, true), team: column('u.team_id', ['u'], true) },
  team: { needs: ['u'], ref: 'u.team_id' },
};

const attendanceSource: Source = {
  name: 'programme_attendance',
  from: (db) =>
    db
      .selectFrom('programme_attendance as pa')
      .innerJoin('programme_sessions as ps', 'ps.id', 'pa.session_id')
      .innerJoin('programme_enrolments as pe', 'pe.id', 'pa.enrolment_id')
      .innerJoin('programmes as pg', 'pg.id', 'ps.programme_id'),
  joins: { u: (qb) => qb.leftJoin('users as u', 'u.id', 'pg.worker_id') },
  dims: { worker: column('pg.worker_id', undefined, true), team: column('u.team_id', ['u'], true) },
  team: { needs: ['u'], ref: 'u.team_id' },
};

const enrolmentSource: Source = {
  name: 'programme_enrolments',
  key: 'pe.id',
  from: (db) => db.selectFrom('programme_enrolments as pe').innerJoin('programmes as pg', 'pg.id', 'pe.programme_id'),
  joins: { u: (qb) => qb.leftJoin('users as u', 'u.id', 'pg.worker_id') },
  dims: { worker: column('pg.worker_id', undefined, true), team: column('u.team_id', ['u'], true) },
  team: { needs: ['u'], ref: 'u.team_id' },
};

/** Children (persons as ch) with their eligibility and account facts as columns. */
const childSource: Source = {
  name: 'children',
  key: 'ch.id',
  from: (db) => db.selectFrom('persons as ch'),
  joins: {},
  dims: {},
  team: {
    where: (teams) =>
      sql<SqlBool>`ch.id in (select xa.person_id from child_accounts xa inner join users xu on xu.id = xa.created_by where xu.team_id in (${sql.join(teams.map((t) => sql`${t}`))}))`,
  },
};

const accountSource: Source = {
  name: 'child_accounts',
  key: 'ca.id',
  from: (db) => db.selectFrom('child_accounts as ca'),
  joins: { u: (qb) => qb.leftJoin('users as u', 'u.id', 'ca.created_by') },
  dims: { team: column('u.team_id', ['u'], true) },
  team: { needs: ['u'], ref: 'u.team_id' },
};

const meetingSource: Source = {
  name: 'meetings',
  key: 'mt.id',
  from: (db) => db.selectFrom('meetings as mt'),
  joins: { u: (qb) => qb.leftJoin('users as u', 'u.id', 'mt.created_by') },
  dims: { team: column('u.team_id', ['u'], true) },
  team: { needs: ['u'], ref: 'u.team_id' },
};

const outreachSource: Source = {
  name: 'outreach_events',
  key: 'oe.id',
  from: (db) => db.selectFrom('outreach_events as oe'),
  joins: { u: (qb) => qb.leftJoin('users as u', 'u.id', 'oe.created_by') },
  dims: { team: column('u.team_id', ['u'], true) },
  team: { needs: ['u'], ref: 'u.team_id' },
};

/** Eligible in the period (see the header). */
const INCOME_STATUSES: readonly IncomeStatus[] = ['low', 'mid-low'];

/**
 * Eligible in the period. The three conditions are sets computed once (`ch.id in (...)`), not probed per child:
 * a correlated `exists` per child made the planner read every person (310k at city scale, 1.3 s of the monthly
 * report); with the sets and persons_birth_date_idx (migration 0027) it reads the children born since 2016 only.
 */
const eligibleIn = ({ from, to: end }: { from: string; to: string }) => sql<SqlBool>`ch.birth_date >= ${ACCOUNT_BORN_FROM} and ch.birth_date <= ${end} and (
  ch.id in (select xis.person_id from person_income_status xis where ${incomeHeld('xis', from, end)})
  or ch.id in (select xm.person_id from household_members xm
               inner join household_members xo on xo.household_id = xm.household_id and xo.left_on is null
               inner join person_income_status xis on xis.person_id = xo.person_id and ${incomeHeld('xis', from, end)}
               where xm.left_on is null)
  or ch.id in (select xc.person_id from child_placements xc where xc.placed_on <= ${end}))`;
/** The status row `alias` (person_income_status) is 低收 / 中低收 on at least one day of from..to (heldIncomeStatusOn's rule). */
const incomeHeld = (alias: string, from: string, to: string) =>
  sql<SqlBool>`${r(`${alias}.valid_from`)} <= ${to} and (${r(`${alias}.valid_to`)} is null or ${r(`${alias}.valid_to`)} >= ${from}) and ${r(`${alias}.status`)} in (${sql.join(
    INCOME_STATUSES.map((st) => sql`${st}`),
  )})`;
const openAt = (end: string, alias = 'ca') => sql<SqlBool>`${r(`${alias}.opened_on`)} <= ${end} and (${r(`${alias}.closed_on`)} is null or ${r(`${alias}.closed_on`)} > ${end})`;

/** A sum over the period (NT$, attendees): no breakdowns. */
function sumIndicator(spec: {
  id: string;
  name: string;
  unit: '元' | '人次';
  group: string;
  description: string;
  query: (db: Kysely<Database>, input: ComputeInput) => Promise<number>;
}): Indicator {
  return {
    id: spec.id,
    name: spec.name,
    unit: spec.unit,
    counting: 'occurrences',
    measure: 'flow',
    breakdowns: [],
    description: spec.description,
    group: spec.group,
    async compute(db, input): Promise<IndicatorResult> {
      if ((input.breakdown ?? []).length > 0 || Object.keys(input.filters ?? {}).length > 0) throw new IndicatorInputError(`指標「${spec.name}」不能分類或篩選。`);
      if (input.period.from > input.period.to) throw new IndicatorInputError('期間的起日晚於迄日。');
      const value = input.teams && input.teams.length === 0 ? 0 : await spec.query(db, input);
      return { indicatorId: spec.id, period: input.period, breakdown: [], rows: [], total: { value } };
    },
  };
}

const teamFilter = (teams: readonly number[] | null | undefined, userCol: string) =>
  teams ? sql<SqlBool>`${r(userCol)} in (select id from users where team_id in (${sql.join(teams.map((t) => sql`${t}`))}))` : sql<SqlBool>`1 = 1`;

const PROG = '方案';
const ACC = '兒少發展帳戶';
const MEET = '會議與宣導';

export const PROGRAMME_INDICATORS: readonly Indicator[] = [
  countIndicator({
    id: 'programmes.run',
    name: '辦理方案數',
    unit: '件',
    counting: 'occurrences',
    measure: 'flow',
    group: PROG,
    description: '期間內至少辦理一個場次的方案，每個方案計 1 件。',
    source: sessionSource,
    where: (q) => inPeriod('ps.held_on', q.period),
    distinct: 'pg.id',
    breakdowns: ['worker', 'team'],
  }),
  countIndicator({
    id: 'programmes.sessions',
    name: '方案場次數',
    unit: '次',
    counting: 'occurrences',
    measure: 'flow',
    group: PROG,
    description: '期間內辦理的方案場次，每場計 1 次。',
    source: sessionSource,
    where: (q) => inPeriod('ps.held_on', q.period),
    event: { ref: 'ps.held_on', kind: 'date' },
    breakdowns: ['worker', 'team', 'month'],
  }),
  countIndicator({
    id: 'programmes.participants',
    name: '方案參與人數',
    unit: '人',
    counting: 'people',
    measure: 'flow',
    group: PROG,
    description: '期間內至少出席一個方案場次的人，每人只計一次（請假、缺席不計）。',
    source: attendanceSource,
    where: (q) => sql<SqlBool>`${inPeriod('ps.held_on', q.period)} and pa.status = ${'出席'}`,
    distinct: 'pe.person_id',
    breakdowns: ['worker', 'team'],
  }),
  countIndicator({
    id: 'programmes.attendances',
    name: '方案參與人次',
    unit: '人次',
    counting: 'occurrences',
    measure: 'flow',
    group: PROG,
    description: '期間內方案場次的出席紀錄，每人每場計 1 人次（請假、缺席不計）。',
    source: attendanceSource,
    where: (q) => sql<SqlBool>`${inPeriod('ps.held_on', q.period)} and pa.status = ${'出席'}`,
    event: { ref: 'ps.held_on', kind: 'date' },
    breakdowns: ['worker', 'team', 'month'],
  }),
  rowsIndicator({
    id: 'programmes.completionRate',
    name: '方案完成率',
    unit: '%',
    counting: 'rate',
    measure: 'flow',
    group: PROG,
    description: '期間內結束參與的報名中，狀態為「完成」者所占比率；分母為完成與退出者。',
    source: enrolmentSource,
    where: (q) => sql<SqlBool>`pe.status in ('completed', 'withdrew') and ${inPeriod('pe.ended_on', q.period)}`,
    subject: 'pe.id',
    columns: () => ({ st: sql`pe.status` }),
    classify: (row) => ({ include: true, numerator: row.st === 'completed' }),
    breakdowns: ['worker', 'team'],
  }),
  countIndicator({
    id: 'childAccounts.eligible',
    name: '兒少發展帳戶應開戶人數',
    unit: '人',
    counting: 'people',
    measure: 'stock',
    group: ACC,
    description: '期間內符合開戶資格的兒少：2016 年以後出生，且本人或現住家戶成員在期間內至少一日為低收／中低收入戶（依福利身分的起迄期間），或於期末前已長期安置。',
    source: childSource,
    where: (q) => eligibleIn(q.period),
    distinct: 'ch.id',
    breakdowns: [],
  }),
  countIndicator({
    id: 'childAccounts.opened',
    name: '兒少發展帳戶已開戶數',
    unit: '人',
    counting: 'people',
    measure: 'stock',
    group: ACC,
    description: '期末已開戶且未結清的帳戶，每位兒少計 1 人。',
    source: accountSource,
    where: (q) => openAt(q.period.to),
    distinct: 'ca.person_id',
    breakdowns: ['team'],
  }),
  rowsIndicator({
    id: 'childAccounts.openingRate',
    name: '兒少發展帳戶開戶率',
    unit: '%',
    counting: 'rate',
    measure: 'stock',
    group: ACC,
    description: '開戶率 = 期間內符合資格且期末已開戶（未結清）的兒少 ÷ 期間內符合資格的兒少。',
    source: childSource,
    where: (q) => eligibleIn(q.period),
    subject: 'ch.id',
    columns: (q) => ({ opened: sql<number>`case when exists (select 1 from child_accounts ca where ca.person_id = ch.id and ${openAt(q.period.to)}) then 1 else 0 end` }),
    classify: (row) => ({ include: true, numerator: Number(row.opened) === 1 }),
    breakdowns: [],
  }),
  rateIndicator({
    id: 'childAccounts.depositRate',
    name: '兒少發展帳戶存款率',
    unit: '%',
    counting: 'rate',
    measure: 'flow',
    group: ACC,
    description: '存款率 = 期末已開戶（未結清）帳戶中，期間內有存款（存款日期在期間內）者 ÷ 期末已開戶帳戶。',
    source: accountSource,
    where: (q) => openAt(q.period.to),
    subject: 'ca.id',
    // Counted in the database (it used to return every open account to be classified here: 2x the statement).
    numerator: (q) => sql<SqlBool>`exists (select 1 from child_deposits d where d.account_id = ca.id and d.deposited_on >= ${q.period.from} and d.deposited_on <= ${q.period.to})`,
    breakdowns: ['team'],
  }),
  sumIndicator({
    id: 'childAccounts.depositAmount',
    name: '兒少發展帳戶自存金額',
    unit: '元',
    group: ACC,
    description: '期間內（存款日期在期間內）登錄的自存款金額合計（新臺幣元，不含政府相對提撥）。',
    async query(db, input) {
      const row = await db
        .selectFrom('child_deposits as d')
        .select((eb) => eb.fn.sum<number>('d.amount').as('s'))
        .where(inPeriod('d.deposited_on', input.period))
        .where(teamFilter(input.teams, 'd.created_by'))
        .executeTakeFirst();
      return Number(row?.s ?? 0);
    },
  }),
  countIndicator({
    id: 'meetings.network',
    name: '網絡聯繫會議場次',
    unit: '次',
    counting: 'occurrences',
    measure: 'flow',
    group: MEET,
    description: '期間內召開的聯繫會議，每場計 1 次。',
    source: meetingSource,
    where: (q) => sql<SqlBool>`mt.kind = ${'聯繫會議'} and ${inPeriod('mt.held_on', q.period)}`,
    event: { ref: 'mt.held_on', kind: 'date' },
    breakdowns: ['team', 'month'],
  }),
  countIndicator({
    id: 'meetings.caseConference',
    name: '個案研討場次',
    unit: '次',
    counting: 'occurrences',
    measure: 'flow',
    group: MEET,
    description: '期間內召開的個案研討，每場計 1 次。',
    source: meetingSource,
    where: (q) => sql<SqlBool>`mt.kind = ${'個案研討'} and ${inPeriod('mt.held_on', q.period)}`,
    event: { ref: 'mt.held_on', kind: 'date' },
    breakdowns: ['team', 'month'],
  }),
  countIndicator({
    id: 'outreach.events',
    name: '社區宣導場次',
    unit: '次',
    counting: 'occurrences',
    measure: 'flow',
    group: MEET,
    description: '期間內辦理的社區宣導活動，每場計 1 次。',
    source: outreachSource,
    where: (q) => inPeriod('oe.held_on', q.period),
    event: { ref: 'oe.held_on', kind: 'date' },
    breakdowns: ['team', 'month'],
  }),
  sumIndicator({
    id: 'outreach.attendees',
    name: '社區宣導參與人次',
    unit: '人次',
    group: MEET,
    description: '期間內社區宣導活動登錄的參與人數合計（每場各計，跨場不去重）。',
    async query(db, input) {
      const row = await db
        .selectFrom('outreach_events as oe')
        .select((eb) => eb.fn.sum<number>('oe.attendees').as('s'))
        .where(inPeriod('oe.held_on', input.period))
        .where(teamFilter(input.teams, 'oe.created_by'))
        .executeTakeFirst();
      return Number(row?.s ?? 0);
    },
  }),
];
