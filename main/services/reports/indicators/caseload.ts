/**
 * Caseload indicators (issue 3's records): cases, services, referrals, long-term
 * concern households and care load. Each is declared once; its description says
 * exactly what is counted (the docs and the mapping screen show it).
 *
 * Conventions: a period is Taipei calendar days [from, to]; timestamp columns
 * (received_at, dispatched_at, occurred_at, first_contact_at, history `at`) are
 * compared against the UTC instants those days begin; date columns (opened_on,
 * closed_on, referred_on, start_date, end_date) against the dates. "At period
 * end" means at the end of its last day.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { addDays } from '../../../contract/roc-date';
import { SERVICE_METHODS } from '../../../contract/types-cases';
import type { ConcernFrequency } from '../../../contract/types-households';
import { nextDueAfter } from '../../concerns/service';
import { countIndicator, rateIndicator, type DimImpl, type QueryCtx } from './engine';
import { taipeiDayStartUtc } from './period';
import { careSource, caseSource, concernSource, memberSource, participantSource, referralSource, serviceSource } from './sources';
import type { Dim, Indicator } from './types';

const r = (x: string) => sql.ref(x);

/** A timestamp column within the period's Taipei days. */
export function tsIn(col: string, q: QueryCtx): RawBuilder<SqlBool> {
  return sql<SqlBool>`${r(col)} >= ${q.fromTs} and ${r(col)} < ${q.toTs}`;
}

/** A date column within the period. */
export function dateIn(col: string, q: QueryCtx): RawBuilder<SqlBool> {
  return sql<SqlBool>`${r(col)} >= ${q.period.from} and ${r(col)} <= ${q.period.to}`;
}

/**
 * A case in the caseload at period end: received by then and not closed (結案 / 不開案) by then.
 *
 * Written `not (received_at >= end)` (the same truth value, NULL included) so that SQLite does not walk
 * the received_at index for nearly every case (a recent period's end is after almost every case's
 * receipt) with a table lookup each: it reads the cases not closed by then through the closed_on index
 * instead (city: 320 ms → 130 ms). PostgreSQL folds the NOT away and plans from its statistics.
 */
export function caseOnBooksAtEnd(q: QueryCtx): RawBuilder<SqlBool> {
  return sql<SqlBool>`not (c.received_at >= ${q.toTs}) and (c.closed_on is null or c.closed_on > ${q.period.to})`;
}

/** A long-term concern active at period end. */
export function concernActiveAtEnd(q: QueryCtx, alias = 'l'): RawBuilder<SqlBool> {
  return sql<SqlBool>`${r(`${alias}.start_date`)} <= ${q.period.to} and (${r(`${alias}.end_date`)} is null or ${r(`${alias}.end_date`)} > ${q.period.to})`;
}

/** The case's status at period end, from its status history (the current status when it has none). */
const statusAtEnd: DimImpl = {
  expr: (q) =>
    sql`coalesce((select sh.to_status from case_status_history sh where sh.case_id = c.id and sh.at < ${q.toTs} order by sh.at desc, sh.id desc limit 1), c.status)`,
};

const CASE_DIMS: Dim[] = ['worker', 'team', 'district', 'village', 'caseType', 'dimension', 'householdType'];
const SERVICE_DIMS: Dim[] = ['worker', 'team', 'district', 'village', 'householdType', 'caseType', 'dimension', 'method'];
const HOUSEHOLD_DIMS: Dim[] = ['district', 'village', 'householdType'];

/**
 * First contact at most 24 hours after dispatch, in portable SQL over the stored
 * UTC text (`YYYY-MM-DDTHH:MM:SS.sssZ`): contact before dispatch or on the same
 * UTC day counts; on the next UTC day it counts when its time of day is not
 * later than the dispatch's. "The next day" of each dispatch date in the period
 * comes from a CASE over the period's dates (SQL has no portable date arithmetic).
 */
function within24h(q: QueryCtx): RawBuilder<SqlBool> {
  const days: string[] = [];
  for (let d = addDays(q.fromTs.slice(0, 10), 0); d <= q.toTs.slice(0, 10); d = addDays(d, 1)) days.push(d);
  const nextDay = sql`(case substr(c.dispatched_at, 1, 10) ${sql.join(
    days.map((d) => sql`when ${d} then ${addDays(d, 1)}`),
    sql` `,
  )} end)`;
  return sql<SqlBool>`(c.first_contact_at is not null and (c.first_contact_at <= c.dispatched_at or substr(c.first_contact_at, 1, 10) = substr(c.dispatched_at, 1, 10) or (substr(c.first_contact_at, 1, 10) = ${nextDay} and substr(c.first_contact_at, 12) <= substr(c.dispatched_at, 12))))`;
}

/**
 * The first date from which a visit is not yet overdue on `to`: a visit on an
 * earlier date has its next one due before `to`. nextDueAfter is monotonic in its
 * date (months clamp to the month's end), so this is a threshold: overdue ⇔ the
 * last visit (or the start) < it. Found by walking back from `to`.
 */
export function overdueThreshold(to: string, frequency: ConcernFrequency, intervalDays: number | null): string {
  let b = to;
  for (let i = 0; i < 800; i++) {
    const prev = addDays(b, -1);
    if (nextDueAfter(prev, frequency, intervalDays) < to) break;
    b = prev;
  }
  return b;
}

/**
 * 逾期未訪長期關懷戶數 at period end, counted in SQL. Without a visit after the
 * period, the stored next due date decides. With one, the due date at the end is
 * what the last visit before the end (or the start date) plus the frequency gave:
 * that is compared against per-frequency threshold dates computed here, so the
 * month arithmetic (not portable SQL) stays in nextDueAfter. Custom intervals get
 * one threshold per distinct interval in use.
 */
function concernsOverdue(): Indicator {
  const meta = {
    id: 'concerns.overdue',
    name: '逾期未訪長期關懷戶數',
    unit: '戶' as const,
    counting: 'households' as const,
    measure: 'stock' as const,
    group: '長期關懷',
    description:
      '期末仍在關懷中的長期關懷戶，其期末當時的下次訪視日早於期末者。期末之後沒有新訪視時，用系統記錄的下次訪視日；之後有新訪視時，以期末以前最後一次訪視（或開始日）加上訪視頻率推算。',
    breakdowns: ['worker', 'team', 'district', 'village', 'householdType', 'concernReason'] as Dim[],
  };
  const FIXED: ConcernFrequency[] = ['monthly', 'bimonthly', 'quarterly', 'half-yearly'];
  const spec = (customDays: number[]) =>
    countIndicator({
      ...meta,
      source: concernSource,
      distinct: 'l.id', // one active concern per household (partial unique index)
      where: (q) => {
        const to = q.period.to;
        const dateCase = (t: (f: ConcernFrequency, n: number | null) => string | RawBuilder<unknown>) => {
          const fixed = FIXED.map((f) => sql`when ${f} then ${t(f, null)}`);
          const custom = customDays.length ? sql`(case l.interval_days ${sql.join(customDays.map((n) => sql`when ${n} then ${t('custom', n)}`), sql` `)} end)` : sql`null`;
          return sql`(case l.frequency ${sql.join(fixed, sql` `)} when ${'custom'} then ${custom} end)`;
        };
        const thresholdDate = dateCase((f, n) => overdueThreshold(to, f, n));
        const thresholdTs = dateCase((f, n) => taipeiDayStartUtc(overdueThreshold(to, f, n)));
        return sql<SqlBool>`${concernActiveAtEnd(q)} and (case when exists (select 1 from service_records y where y.concern_id = l.id and y.occurred_at >= ${q.toTs})
          then coalesce((select max(x.occurred_at) from service_records x where x.concern_id = l.id and x.occurred_at < ${q.toTs}) < ${thresholdTs}, l.start_date < ${thresholdDate})
          else l.next_due < ${to} end)`;
      },
      breakdowns: meta.breakdowns,
    });
  return {
    ...meta,
    async compute(db, input) {
      const rows = await db
        .selectFrom('long_term_concerns')
        .select('interval_days')
        .distinct()
        .where('frequency', '=', 'custom')
        .where('interval_days', 'is not', null)
        .where('interval_days', '>', 0)
        .execute();
      const days = rows.map((r) => Number(r.interval_days)).filter((n) => Number.isInteger(n) && n > 0 && n <= 3660);
      return spec(days).compute(db, input);
    },
  };
}

export const CASELOAD_INDICATORS: readonly Indicator[] = [
  // --- cases -------------------------------------------------------------------
  countIndicator({
    id: 'cases.received',
    name: '受理案件數',
    unit: '件',
    counting: 'cases',
    measure: 'flow',
    group: '個案',
    description: '收案時間在期間內的個案，每案計 1 件。',
    source: caseSource,
    where: (q) => tsIn('c.received_at', q),
    distinct: 'c.id',
    event: { ref: 'c.received_at', kind: 'timestamp' },
    breakdowns: [...CASE_DIMS, 'month'],
  }),
  countIndicator({
    id: 'cases.dispatched',
    name: '派案案件數',
    unit: '件',
    counting: 'cases',
    measure: 'flow',
    group: '個案',
    description: '派案時間在期間內的個案，每案計 1 件。',
    source: caseSource,
    where: (q) => tsIn('c.dispatched_at', q),
    distinct: 'c.id',
    event: { ref: 'c.dispatched_at', kind: 'timestamp' },
    breakdowns: [...CASE_DIMS, 'month'],
  }),
  countIndicator({
    id: 'cases.opened',
    name: '開案數',
    unit: '件',
    counting: 'cases',
    measure: 'flow',
    group: '個案',
    description: '督導核准開案（狀態進入「處遇中」）日期在期間內的個案。',
    source: caseSource,
    where: (q) => dateIn('c.opened_on', q),
    distinct: 'c.id',
    event: { ref: 'c.opened_on', kind: 'date' },
    breakdowns: [...CASE_DIMS, 'month'],
  }),
  countIndicator({
    id: 'cases.notOpened',
    name: '不開案數',
    unit: '件',
    counting: 'cases',
    measure: 'flow',
    group: '個案',
    description: '狀態為「不開案」且核准日期在期間內的個案。',
    source: caseSource,
    where: (q) => sql<SqlBool>`c.status = ${'不開案'} and ${dateIn('c.closed_on', q)}`,
    distinct: 'c.id',
    event: { ref: 'c.closed_on', kind: 'date' },
    breakdowns: [...CASE_DIMS, 'month'],
  }),
  countIndicator({
    id: 'cases.shortTerm',
    name: '短期服務案數',
    unit: '件',
    counting: 'cases',
    measure: 'flow',
    group: '個案',
    description: '期間內經督導核准改為「短期服務」的個案（依狀態歷程的核准短期服務紀錄），每案計 1 件。',
    source: caseSource,
    where: (q) =>
      sql<SqlBool>`c.id in (select sh.case_id from case_status_history sh where sh.action = ${'approve-short-term'} and sh.at >= ${q.fromTs} and sh.at < ${q.toTs})`,
    distinct: 'c.id',
    breakdowns: CASE_DIMS,
  }),
  countIndicator({
    id: 'cases.closed',
    name: '結案數',
    unit: '件',
    counting: 'cases',
    measure: 'flow',
    group: '個案',
    description: '狀態為「已結案」且核准結案日期在期間內的個案（不含不開案）。',
    source: caseSource,
    where: (q) => sql<SqlBool>`c.status = ${'已結案'} and ${dateIn('c.closed_on', q)}`,
    distinct: 'c.id',
    event: { ref: 'c.closed_on', kind: 'date' },
    breakdowns: [...CASE_DIMS, 'month'],
  }),
  countIndicator({
    id: 'cases.openAtEnd',
    name: '期末服務中案數',
    unit: '件',
    counting: 'cases',
    measure: 'stock',
    group: '個案',
    description: '期末處於開案處遇狀態的個案：開案日在期末以前，且期末時尚未結案（尚無結案日或結案日晚於期末）。',
    source: caseSource,
    where: (q) => sql<SqlBool>`c.opened_on is not null and c.opened_on <= ${q.period.to} and (c.closed_on is null or c.closed_on > ${q.period.to})`,
    distinct: 'c.id',
    breakdowns: CASE_DIMS,
  }),
  countIndicator({
    id: 'cases.caseloadAtEnd',
    name: '期末在案數',
    unit: '件',
    counting: 'cases',
    measure: 'stock',
    group: '個案',
    description: '期末時已收案且尚未結案或不開案的個案（含待分派、評估中、審查中），可依期末當時的個案狀態分類。',
    source: caseSource,
    where: caseOnBooksAtEnd,
    distinct: 'c.id',
    dims: { caseStatus: statusAtEnd },
    breakdowns: [...CASE_DIMS, 'caseStatus'],
  }),
  rateIndicator({
    id: 'cases.contact24h',
    name: '派案後24小時內聯繫比率',
    unit: '%',
    counting: 'rate',
    measure: 'flow',
    group: '個案',
    description: '分母：派案時間在期間內的個案；分子：其中首次聯繫時間（或第一筆服務紀錄）在派案後 24 小時內者。比率 = 分子 ÷ 分母 × 100，取至小數 1 位；無派案時不計算。',
    source: caseSource,
    where: (q) => tsIn('c.dispatched_at', q),
    subject: 'c.id',
    numerator: within24h,
    event: { ref: 'c.dispatched_at', kind: 'timestamp' },
    breakdowns: [...CASE_DIMS, 'month'],
  }),
  countIndicator({
    id: 'cases.followUpOverdue',
    name: '逾期未追蹤個案數',
    unit: '件',
    counting: 'cases',
    measure: 'stock',
    group: '個案',
    description: '期末在案的個案中，期末以前最後一筆服務紀錄所定的下次追蹤日早於期末者。',
    source: caseSource,
    where: (q) =>
      sql<SqlBool>`${caseOnBooksAtEnd(q)} and (select x.next_follow_up from service_records x where x.case_id = c.id and x.occurred_at < ${q.toTs} order by x.occurred_at desc, x.id desc limit 1) < ${q.period.to}`,
    distinct: 'c.id',
    breakdowns: CASE_DIMS,
  }),

  // --- services ------------------------------------------------------------------
  countIndicator({
    id: 'services.count',
    name: '服務人次',
    unit: '人次',
    counting: 'occurrences',
    measure: 'flow',
    group: '服務',
    description: '服務時間在期間內的服務紀錄（含個案與長期關懷戶），每筆紀錄計 1 人次；可依服務方式（電訪家庭、面訪家庭…）分類。',
    source: serviceSource,
    where: (q) => tsIn('s.occurred_at', q),
    key: ['s.id'],
    event: { ref: 's.occurred_at', kind: 'timestamp' },
    breakdowns: [...SERVICE_DIMS, 'month'],
  }),
  countIndicator({
    id: 'services.participants',
    name: '服務參與人次',
    unit: '人次',
    counting: 'occurrences',
    measure: 'flow',
    group: '服務',
    description: '期間內服務紀錄的參與成員，每筆紀錄的每位參與者計 1 人次（同一人多次服務重複計算）。',
    source: participantSource,
    where: (q) => tsIn('s.occurred_at', q),
    key: ['sp.service_id', 'sp.person_id'],
    event: { ref: 's.occurred_at', kind: 'timestamp' },
    breakdowns: [...SERVICE_DIMS, 'ageBand', 'sex', 'month'],
  }),
  countIndicator({
    id: 'services.persons',
    name: '服務人數',
    unit: '人',
    counting: 'people',
    measure: 'flow',
    group: '服務',
    description: '期間內至少參與一筆服務紀錄的人，每人只計 1 次；年齡以期末日計算。',
    source: participantSource,
    where: (q) => tsIn('s.occurred_at', q),
    distinct: 'sp.person_id',
    event: { ref: 's.occurred_at', kind: 'timestamp' },
    breakdowns: [...SERVICE_DIMS, 'ageBand', 'sex', 'month'],
  }),
  countIndicator({
    id: 'services.households',
    name: '服務戶數',
    unit: '戶',
    counting: 'households',
    measure: 'flow',
    group: '服務',
    description: '期間內至少有一筆服務紀錄的家戶，每戶只計 1 次。',
    source: serviceSource,
    where: (q) => tsIn('s.occurred_at', q),
    distinct: 's.household_id',
    event: { ref: 's.occurred_at', kind: 'timestamp' },
    breakdowns: [...SERVICE_DIMS, 'month'],
  }),
  countIndicator({
    id: 'services.consultations',
    name: '福利諮詢人次',
    unit: '人次',
    counting: 'occurrences',
    measure: 'flow',
    group: '服務',
    description: '期間內服務項目包含「福利諮詢」的服務紀錄，每筆計 1 人次。',
    source: serviceSource,
    // The pattern is a literal, the very predicate of the partial index service_records_consultation_idx (migration 0026).
    where: (q) => sql<SqlBool>`${tsIn('s.occurred_at', q)} and s.items like ${sql.lit('%"福利諮詢"%')}`,
    key: ['s.id'],
    event: { ref: 's.occurred_at', kind: 'timestamp' },
    breakdowns: [...SERVICE_DIMS, 'month'],
  }),

  // --- referrals -------------------------------------------------------------------
  countIndicator({
    id: 'referrals.count',
    name: '轉介件數',
    unit: '件',
    counting: 'occurrences',
    measure: 'flow',
    group: '轉介',
    description: '轉介日期在期間內的轉介，每筆計 1 件；可依目前的轉介狀態（轉介等待中、受案、不受案…）分類。',
    source: referralSource,
    where: (q) => dateIn('r.referred_on', q),
    key: ['r.id'],
    event: { ref: 'r.referred_on', kind: 'date' },
    breakdowns: ['worker', 'team', 'district', 'village', 'householdType', 'caseType', 'dimension', 'referralStatus', 'month'],
  }),

  // --- long-term concern households -----------------------------------------------------
  countIndicator({
    id: 'concerns.active',
    name: '期末長期關懷戶數',
    unit: '戶',
    counting: 'households',
    measure: 'stock',
    group: '長期關懷',
    description: '期末時列為長期關懷的家戶（開始日在期末以前，且未結束或結束日晚於期末），每戶計 1 戶。',
    source: concernSource,
    where: (q) => concernActiveAtEnd(q),
    distinct: 'l.household_id',
    breakdowns: ['worker', 'team', 'district', 'village', 'householdType', 'concernReason'],
  }),
  countIndicator({
    id: 'concerns.visitedHouseholds',
    name: '長期關懷受訪戶數',
    unit: '戶',
    counting: 'households',
    measure: 'flow',
    group: '長期關懷',
    description: '期間內有掛在長期關懷戶下的服務紀錄（訪視）的家戶，每戶只計 1 次。',
    source: serviceSource,
    where: (q) => sql<SqlBool>`s.concern_id is not null and ${tsIn('s.occurred_at', q)}`,
    distinct: 's.household_id',
    event: { ref: 's.occurred_at', kind: 'timestamp' },
    breakdowns: ['worker', 'team', 'district', 'village', 'householdType', 'method', 'month'],
  }),
  countIndicator({
    id: 'concerns.visits',
    name: '長期關懷訪視次數',
    unit: '次',
    counting: 'occurrences',
    measure: 'flow',
    group: '長期關懷',
    description: '期間內掛在長期關懷戶下的服務紀錄，每筆計 1 次。',
    source: serviceSource,
    where: (q) => sql<SqlBool>`s.concern_id is not null and ${tsIn('s.occurred_at', q)}`,
    key: ['s.id'],
    event: { ref: 's.occurred_at', kind: 'timestamp' },
    breakdowns: ['worker', 'team', 'district', 'village', 'householdType', 'method', 'month'],
  }),
  concernsOverdue(),

  // --- households and people ------------------------------------------------------------
  countIndicator({
    id: 'households.highBurden',
    name: '高照顧負荷家庭數',
    unit: '戶',
    counting: 'households',
    measure: 'stock',
    group: '家戶',
    description: '標記為高照顧負荷且期末有在案個案或長期關懷的家戶。高照顧負荷為目前的標記，不回溯。',
    source: careSource,
    where: (q) =>
      sql<SqlBool>`ca.high_burden = 1 and (exists (select 1 from cases c where c.household_id = ca.household_id and ${caseOnBooksAtEnd(q)}) or exists (select 1 from long_term_concerns l where l.household_id = ca.household_id and ${concernActiveAtEnd(q)}))`,
    distinct: 'ca.household_id',
    breakdowns: HOUSEHOLD_DIMS,
  }),
  countIndicator({
    id: 'persons.inCaseHouseholds',
    name: '在案家戶人數',
    unit: '人',
    counting: 'people',
    measure: 'stock',
    group: '家戶',
    description: '期末在案個案（已收案、未結案或不開案）之家戶於期末時的成員，每人只計 1 次；年齡以期末日計算。',
    source: memberSource,
    where: (q) =>
      sql<SqlBool>`${caseOnBooksAtEnd(q)} and m.joined_on <= ${q.period.to} and (m.left_on is null or m.left_on > ${q.period.to})`,
    distinct: 'm.person_id',
    breakdowns: [...CASE_DIMS, 'ageBand', 'sex'],
  }),
];

/** For the monthly report: the service methods in their form order. */
export const METHOD_ORDER: readonly string[] = SERVICE_METHODS;
