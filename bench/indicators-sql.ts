/**
 * Every registered indicator against the best single SQL statement we can write for it (issue 13 §8).
 *
 *   npm run bench -- indicators [--dir DIR] [--runs 5] [--period 2026Q3] [--only ID,ID] [--no-stats] [--protection-reports N] [--staff-positions N]
 *   npx tsx bench/indicators-sql.ts ...
 *
 * DIR is a seeded city data folder (`npm run seed:demo -- --scale city --data-dir DIR`; default
 * <tmp>/welfare-desk-bench-city). It is opened as the app opens it (planner statistics gathered, unless
 * --no-stats) and only read, except that --protection-reports N first inserts N protection reports when the
 * folder has none (the demo seeds none, so cases.protectionWithin3m would count 0), and --staff-positions N
 * N staff positions with their fills when it has none (a folder seeded before migration 0024). The quarter is the last full one before the newest service record.
 *
 * For each indicator in the registry (so indicators added later join by themselves) and for the breakdowns
 * and cross-tabs the issue names, the app's compute and the hand-written statement run on the same
 * database in the same run, alternately, `--runs` times after a warm-up; each statement is prepared on every
 * run, as the library's are. It prints the medians, the ratio and both figures, and exits non-zero when a
 * figure differs (every row of a breakdown is compared, not just the total) or an indicator has no statement.
 *
 * The statements are SQLite's (named parameters, julianday and date() where that is the shortest way); a
 * breakdown's statement returns its rows and its total in one statement (UNION ALL, `g` = 1 marks the total),
 * as the app's compute answers both.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { sqliteOf } from '../db/connection';
import { openDataFolder } from '../main/api/data-folder';
import { setQuiet } from '../main/lib/logger';
import { buildCrosstab } from '../main/services/reports/crosstab';
import { bornBy, bounds } from '../main/services/reports/indicators/period';
import { allIndicators, getIndicator } from '../main/services/reports/indicators/registry';
import type { Dim, IndicatorResult } from '../main/services/reports/indicators/types';
import { ACCOUNT_BORN_FROM } from '../main/contract/types-programmes';
import { addDays, addMonths } from '../main/contract/roc-date';
import type { ReportDimension } from '../main/contract/types-reports';

setQuiet(true);

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    dir: { type: 'string' },
    runs: { type: 'string', default: '5' },
    period: { type: 'string' },
    only: { type: 'string' },
    'no-stats': { type: 'boolean', default: false },
    'protection-reports': { type: 'string', default: '0' },
    'staff-positions': { type: 'string', default: '0' },
  },
});
const dataDir = values.dir ?? join(tmpdir(), 'welfare-desk-bench-city');
const RUNS = Math.max(1, Number(values.runs));
const ONLY = values.only ? new Set(values.only.split(',')) : null;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

interface Period {
  from: string;
  to: string;
  label: string;
}

function quarterPeriod(year: number, q: number): Period {
  const m0 = (q - 1) * 3 + 1;
  const last = new Date(Date.UTC(year, m0 + 2, 0)).getUTCDate();
  return { from: `${year}-${String(m0).padStart(2, '0')}-01`, to: `${year}-${String(m0 + 2).padStart(2, '0')}-${last}`, label: `${year}Q${q}` };
}

function choosePeriod(sqlite: BetterSqlite3.Database): Period {
  if (values.period) {
    const m = /^(\d{4})Q([1-4])$/.exec(values.period);
    if (m) return quarterPeriod(Number(m[1]), Number(m[2]));
    const r = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(values.period);
    if (r) return { from: r[1] as string, to: r[2] as string, label: values.period };
    throw new Error(`--period: 2026Q3 or 2026-01-01..2026-06-30, not ${values.period}`);
  }
  const row = sqlite.prepare('select max(occurred_at) as last from service_records').get() as { last: string | null };
  const last = new Date(Date.parse(row.last ?? new Date().toISOString()) + 8 * 3600_000);
  const y = last.getUTCFullYear();
  const q = Math.floor(last.getUTCMonth() / 3) + 1;
  return q === 1 ? quarterPeriod(y - 1, 4) : quarterPeriod(y, q - 1);
}

// ---------------------------------------------------------------------------
// The statements

/** A hand-written statement: a total (`n`, or `num`/`den` for a rate), or breakdown rows k0.. with `g` = 1 on the total row. */
interface Hand {
  sql: string;
  rate?: boolean;
  /** Round sums to 3 decimals, as the food bank's figures are. */
  round3?: boolean;
}

interface Case {
  label: string;
  indicatorId: string;
  breakdown?: Dim[];
  filters?: Record<string, string | string[]>;
  hand: Hand;
}

function ageBandSql(col: string, to: string): string {
  const edges: [number, string][] = [
    [6, '0-5'],
    [12, '6-11'],
    [18, '12-17'],
    [30, '18-29'],
    [45, '30-44'],
    [65, '45-64'],
  ];
  return `case when ${col} is null then 'unknown' ${edges.map(([y, b]) => `when ${col} > '${bornBy(to, y)}' then '${b}'`).join(' ')} else '65+' end`;
}

/** 面向 of a factor, through the case's code-list version (the general definition). */
const FACET = `coalesce(i.group_code, i.code, substr(f.code, 1, 1))`;
const FACET_JOIN = (caseCol: string) =>
  `left join case_factors f on f.case_id = ${caseCol} left join cases fc on fc.id = f.case_id left join code_list_items i on i.version_id = fc.code_list_version_id and i.code = f.code`;

/**
 * cases.protectionWithin3m as `x` (case_id, household_id, hit): the 脆弱家庭 cases served in the period, `hit` = a
 * protection report on the household after one of the case's service days and at most 3 calendar months after it
 * (the month clamped to its last day: SQLite's '+3 months' rolls 01-31 over to 05-01, so the smaller of that and
 * the end of the third month).
 */
const protection = (tail: string) => `with x as (select c.id as case_id, c.household_id, exists (select 1 from service_records s join protection_reports pr on pr.household_id = c.household_id
      where s.case_id = c.id and s.occurred_at >= @fromTs and s.occurred_at < @toTs and pr.reported_on > date(s.occurred_at, '+8 hours')
      and pr.reported_on <= min(date(s.occurred_at, '+8 hours', '+3 months'), date(s.occurred_at, '+8 hours', 'start of month', '+4 months', '-1 day'))) as hit
    from cases c where c.case_type = '脆弱家庭' and exists (select 1 from service_records s where s.case_id = c.id and s.occurred_at >= @fromTs and s.occurred_at < @toTs))
  ${tail}`;

/** households.employmentJoint as `x` (household_id, hit). */
function employment(p: Period, tail: string): string {
  const yearBack = addDays(addMonths(p.to, -12), 1);
  const since = yearBack < p.from ? yearBack : p.from;
  return `with x0 as (select s.household_id from service_records s where s.occurred_at >= @fromTs and s.occurred_at < @toTs and s.items like '%"就業協助"%' and s.household_id is not null
      union select r.household_id from referrals r where r.unit_kind = '勞政' and r.referred_on between @f and @t),
    x as (select x0.household_id, exists (select 1 from referrals r where r.household_id = x0.household_id and r.unit_kind = '勞政' and r.referred_on between '${since}' and @t
      and coalesce((select rh.status from referral_status_history rh where rh.referral_id = r.id and rh.at < @toTs order by rh.at desc, rh.id desc limit 1), r.status) in ('受案', '轉介完成')) as hit from x0)
  ${tail}`;
}

/** households.povertyCoverage as `x` (household_id, hit): households with a member 低收/中低收 at period end. */
const poverty = (tail: string) => `with x0 as (select distinct m.household_id from person_income_status pi join household_members m on m.person_id = pi.person_id
      where pi.valid_from <= @t and (pi.valid_to is null or pi.valid_to >= @t) and m.joined_on <= @t and (m.left_on is null or m.left_on > @t)),
    x as (select x0.household_id, (exists (select 1 from service_records s where s.household_id = x0.household_id and s.occurred_at >= @fromTs and s.occurred_at < @toTs)
      or exists (select 1 from fb_handouts fh where fh.household_id = x0.household_id and fh.handed_on between @f and @t)) as hit from x0)
  ${tail}`;

/**
 * Staffing (services/staffing/indicators.ts, from its descriptions): `o` = the observation days (each month's
 * last day, the period's last day for a month it cuts), `a` = positions approved on a day with `filled` = 1 when a
 * fill spans that day.
 */
function staffing(p: Period, tail: string): string {
  const days: string[] = [];
  for (let m = `${p.from.slice(0, 7)}-01`; m <= p.to; m = addMonths(m, 1)) {
    const last = addDays(addMonths(m, 1), -1);
    days.push(last < p.to ? last : p.to);
  }
  return `with o(month, day) as (values ${days.map((d) => `('${d.slice(0, 7)}', '${d}')`).join(', ')}),
    a as (select o.month, o.day, sp.funding_line, exists (select 1 from staff_fills sf where sf.position_id = sp.id and sf.started_on <= o.day and (sf.ended_on is null or sf.ended_on >= o.day)) as filled
      from o join staff_positions sp on sp.approved_from <= o.day and (sp.approved_to is null or sp.approved_to >= o.day))
  ${tail}`;
}

/** A rate's breakdown by the household's type, rows and total in one statement. */
const byHouseholdType = `, y as (select h.household_type as k0, x.hit from x join households h on h.id = x.household_id)
  select 0 as g, k0, sum(hit) as num, count(*) as den from y group by k0 union all select 1, null, sum(hit), count(*) from x`;

function totals(p: Period): Record<string, Hand> {
  const onBooks = `c.received_at < @toTs and (c.closed_on is null or c.closed_on > @t)`;
  const active = `l.start_date <= @t and (l.end_date is null or l.end_date > @t)`;
  const sr = `s.occurred_at >= @fromTs and s.occurred_at < @toTs`;
  const income = (person: string) =>
    `exists (select 1 from person_income_status xis where xis.person_id = ${person} and xis.valid_from <= @t and (xis.valid_to is null or xis.valid_to >= @f) and xis.status in ('low', 'mid-low'))`;
  const eligible = `ch.birth_date >= '${ACCOUNT_BORN_FROM}' and ch.birth_date <= @t and (${income('ch.id')}
      or exists (select 1 from household_members xm join household_members xo on xo.household_id = xm.household_id and xo.left_on is null where xm.person_id = ch.id and xm.left_on is null and ${income('xo.person_id')})
      or exists (select 1 from child_placements xc where xc.person_id = ch.id and xc.placed_on <= @t))`;
  const openAcc = `ca.opened_on <= @t and (ca.closed_on is null or ca.closed_on > @t)`;
  const kgOf = (q: string) => `case when i.by_weight = 1 then ${q} else ${q} * i.kg_per_unit end`;
  void p;
  return {
    'cases.received': { sql: 'select count(*) as n from cases where received_at >= @fromTs and received_at < @toTs' },
    'cases.dispatched': { sql: 'select count(*) as n from cases where dispatched_at >= @fromTs and dispatched_at < @toTs' },
    'cases.opened': { sql: 'select count(*) as n from cases where opened_on between @f and @t' },
    'cases.notOpened': { sql: "select count(*) as n from cases where status = '不開案' and closed_on between @f and @t" },
    'cases.shortTerm': { sql: "select count(distinct case_id) as n from case_status_history where action = 'approve-short-term' and at >= @fromTs and at < @toTs" },
    'cases.closed': { sql: "select count(*) as n from cases where status = '已結案' and closed_on between @f and @t" },
    'cases.openAtEnd': { sql: 'select count(*) as n from cases where opened_on <= @t and (closed_on is null or closed_on > @t)' },
    // One pass over the table: nearly every case was received before the end, so no index range helps.
    'cases.caseloadAtEnd': { sql: `select count(*) as n from cases c where +c.received_at < @toTs and (c.closed_on is null or c.closed_on > @t)` },
    'cases.contact24h': {
      sql: 'select sum(first_contact_at is not null and julianday(first_contact_at) - julianday(dispatched_at) <= 1.0) as num, count(*) as den from cases where dispatched_at >= @fromTs and dispatched_at < @toTs',
      rate: true,
    },
    'cases.followUpOverdue': {
      sql: `select count(*) as n from cases c where +c.received_at < @toTs and (c.closed_on is null or c.closed_on > @t) and (select x.next_follow_up from service_records x where x.case_id = c.id and x.occurred_at < @toTs order by x.occurred_at desc, x.id desc limit 1) < @t`,
    },
    'services.count': { sql: `select count(*) as n from service_records s where ${sr}` },
    'services.participants': { sql: `select count(*) as n from service_participants sp join service_records s on s.id = sp.service_id where ${sr}` },
    'services.persons': { sql: `select count(distinct sp.person_id) as n from service_participants sp join service_records s on s.id = sp.service_id where ${sr}` },
    'services.households': { sql: `select count(distinct household_id) as n from service_records s where ${sr}` },
    'services.consultations': { sql: `select count(*) as n from service_records s where ${sr} and s.items like '%"福利諮詢"%'` },
    'referrals.count': { sql: 'select count(*) as n from referrals where referred_on between @f and @t' },
    'concerns.active': { sql: `select count(distinct household_id) as n from long_term_concerns l where ${active}` },
    'concerns.visitedHouseholds': { sql: `select count(distinct household_id) as n from service_records s where concern_id is not null and ${sr}` },
    'concerns.visits': { sql: `select count(*) as n from service_records s where concern_id is not null and ${sr}` },
    'concerns.overdue': {
      // SQLite's date(..., '+1 month') rolls 01-31 over to 03-03 where the app clamps to 02-28: a rare difference.
      sql: `select count(*) as n from long_term_concerns l where ${active} and (case when exists (select 1 from service_records y where y.concern_id = l.id and y.occurred_at >= @toTs)
              then date(coalesce((select date(max(x.occurred_at), '+8 hours') from service_records x where x.concern_id = l.id and x.occurred_at < @toTs), l.start_date),
                        case l.frequency when 'monthly' then '+1 month' when 'bimonthly' then '+2 months' when 'quarterly' then '+3 months' when 'half-yearly' then '+6 months' else '+' || l.interval_days || ' days' end)
              else l.next_due end) < @t`,
    },
    'households.highBurden': {
      sql: `select count(*) as n from care_arrangements ca where ca.high_burden = 1 and (exists (select 1 from cases c where c.household_id = ca.household_id and ${onBooks}) or exists (select 1 from long_term_concerns l where l.household_id = ca.household_id and ${active}))`,
    },
    'persons.inCaseHouseholds': {
      sql: `select count(distinct m.person_id) as n from household_members m where m.joined_on <= @t and (m.left_on is null or m.left_on > @t) and m.household_id in (select c.household_id from cases c where +c.received_at < @toTs and (c.closed_on is null or c.closed_on > @t))`,
    },
    // Outcome indicators (issue 13 §6), written from their descriptions.
    'cases.protectionWithin3m': { sql: protection('select sum(hit) as num, count(*) as den from x'), rate: true },
    'households.employmentJoint': { sql: employment(p, 'select sum(hit) as num, count(*) as den from x'), rate: true },
    'households.povertyCoverage': { sql: poverty('select sum(hit) as num, count(*) as den from x'), rate: true },
    'staffing.approved': { sql: staffing(p, 'select count(*) as n from a where day = @t') },
    'staffing.filled': { sql: staffing(p, 'select coalesce(sum(filled), 0) as n from a where day = @t') },
    'staffing.fillRate': { sql: staffing(p, 'select coalesce(sum(filled), 0) as num, count(*) as den from a'), rate: true },

    'programmes.run': { sql: 'select count(distinct programme_id) as n from programme_sessions where held_on between @f and @t' },
    'programmes.sessions': { sql: 'select count(*) as n from programme_sessions where held_on between @f and @t' },
    'programmes.participants': {
      sql: "select count(distinct pe.person_id) as n from programme_sessions ps join programme_attendance pa on pa.session_id = ps.id join programme_enrolments pe on pe.id = pa.enrolment_id where ps.held_on between @f and @t and pa.status = '出席'",
    },
    'programmes.attendances': {
      sql: "select count(*) as n from programme_sessions ps join programme_attendance pa on pa.session_id = ps.id where ps.held_on between @f and @t and pa.status = '出席'",
    },
    'programmes.completionRate': {
      sql: "select coalesce(sum(status = 'completed'), 0) as num, count(*) as den from programme_enrolments where status in ('completed', 'withdrew') and ended_on between @f and @t",
      rate: true,
    },
    'childAccounts.eligible': { sql: `select count(*) as n from persons ch where ${eligible}` },
    'childAccounts.opened': { sql: `select count(distinct person_id) as n from child_accounts ca where ${openAcc}` },
    'childAccounts.openingRate': {
      sql: `select coalesce(sum(exists (select 1 from child_accounts ca where ca.person_id = ch.id and ${openAcc})), 0) as num, count(*) as den from persons ch where ${eligible}`,
      rate: true,
    },
    'childAccounts.depositRate': {
      sql: `select coalesce(sum(exists (select 1 from child_deposits d where d.account_id = ca.id and d.deposited_on between @f and @t)), 0) as num, count(*) as den from child_accounts ca where ${openAcc}`,
      rate: true,
    },
    'childAccounts.depositAmount': { sql: 'select coalesce(sum(amount), 0) as n from child_deposits where deposited_on between @f and @t' },
    'meetings.network': { sql: "select count(*) as n from meetings where kind = '聯繫會議' and held_on between @f and @t" },
    'meetings.caseConference': { sql: "select count(*) as n from meetings where kind = '個案研討' and held_on between @f and @t" },
    'outreach.events': { sql: 'select count(*) as n from outreach_events where held_on between @f and @t' },
    'outreach.attendees': { sql: 'select coalesce(sum(attendees), 0) as n from outreach_events where held_on between @f and @t' },

    'foodbank.households': { sql: 'select count(distinct household_id) as n from fb_handouts where handed_on between @f and @t' },
    'foodbank.personVisits': { sql: 'select coalesce(sum(household_size), 0) as n from fb_handouts where handed_on between @f and @t' },
    'foodbank.parcels': { sql: 'select count(*) as n from fb_handouts where handed_on between @f and @t' },
    'foodbank.items': {
      sql: 'select coalesce(sum(case when i.by_weight = 0 then hl.quantity else 0 end), 0) as n from fb_handouts h join fb_handout_lines hl on hl.handout_id = h.id join fb_items i on i.id = hl.item_id where h.handed_on between @f and @t',
      round3: true,
    },
    'foodbank.kg': {
      sql: `select coalesce(sum(${kgOf('hl.quantity')}), 0) as n from fb_handouts h join fb_handout_lines hl on hl.handout_id = h.id join fb_items i on i.id = hl.item_id where h.handed_on between @f and @t`,
      round3: true,
    },
    'foodbank.value': {
      sql: 'select coalesce(sum(hl.quantity * i.value), 0) as n from fb_handouts h join fb_handout_lines hl on hl.handout_id = h.id join fb_items i on i.id = hl.item_id where h.handed_on between @f and @t',
      round3: true,
    },
    'foodbank.donations': { sql: "select count(*) as n from fb_receipts where kind = 'donation' and received_on between @f and @t" },
    'foodbank.donationValue': {
      sql: "select coalesce(sum(l.quantity * i.value), 0) as n from fb_receipts rc join fb_lots l on l.receipt_id = rc.id join fb_items i on i.id = l.item_id where rc.kind = 'donation' and rc.received_on between @f and @t",
      round3: true,
    },
    'foodbank.donationKg': {
      sql: `select coalesce(sum(${kgOf('l.quantity')}), 0) as n from fb_receipts rc join fb_lots l on l.receipt_id = rc.id join fb_items i on i.id = l.item_id where rc.kind = 'donation' and rc.received_on between @f and @t`,
      round3: true,
    },
    'foodbank.spoilageKg': {
      sql: `select coalesce(sum(${kgOf('-m.quantity')}), 0) as n from fb_movements m join fb_lots l on l.id = m.lot_id join fb_items i on i.id = l.item_id where m.kind = 'spoilage' and m.on_date between @f and @t`,
      round3: true,
    },
  };
}

/** The breakdowns the issue names, each one statement returning its rows and its total. */
function breakdowns(p: Period): Case[] {
  const sr = `s.occurred_at >= @fromTs and s.occurred_at < @toTs`;
  const age = ageBandSql('p.birth_date', p.to);
  const members = `m.joined_on <= @t and (m.left_on is null or m.left_on > @t) and m.household_id in (select c.household_id from cases c where +c.received_at < @toTs and (c.closed_on is null or c.closed_on > @t))`;
  return [
    {
      label: 'services.persons by ageBand × sex',
      indicatorId: 'services.persons',
      breakdown: ['ageBand', 'sex'],
      hand: {
        // Distinct persons first, then one persons lookup per person.
        sql: `with x as (select distinct sp.person_id as id from service_participants sp join service_records s on s.id = sp.service_id where ${sr}),
              y as (select ${age} as k0, p.sex as k1 from x join persons p on p.id = x.id)
              select 0 as g, k0, k1, count(*) as n from y group by k0, k1 union all select 1, null, null, count(*) from x`,
      },
    },
    {
      label: 'services.participants by ageBand × sex',
      indicatorId: 'services.participants',
      breakdown: ['ageBand', 'sex'],
      hand: {
        sql: `with x as (select sp.person_id as id, count(*) as n from service_participants sp join service_records s on s.id = sp.service_id where ${sr} group by sp.person_id),
              y as (select ${age} as k0, p.sex as k1, x.n from x join persons p on p.id = x.id)
              select 0 as g, k0, k1, sum(n) as n from y group by k0, k1 union all select 1, null, null, sum(n) from x`,
      },
    },
    {
      label: 'persons.inCaseHouseholds by ageBand × sex',
      indicatorId: 'persons.inCaseHouseholds',
      breakdown: ['ageBand', 'sex'],
      hand: {
        sql: `with x as (select distinct m.person_id as id from household_members m where ${members}),
              y as (select ${age} as k0, p.sex as k1 from x join persons p on p.id = x.id)
              select 0 as g, k0, k1, count(*) as n from y group by k0, k1 union all select 1, null, null, count(*) from x`,
      },
    },
    {
      label: 'services.count by method × 面向',
      indicatorId: 'services.count',
      breakdown: ['method', 'dimension'],
      hand: {
        sql: `with t as (select s.method, s.case_id, count(*) as n from service_records s where ${sr} group by s.method, s.case_id),
              v as (select distinct t.method, t.case_id, t.n, ${FACET} as d from t ${FACET_JOIN('t.case_id')})
              select 0 as g, method as k0, d as k1, sum(n) as n from v group by method, d union all select 1, null, null, sum(n) from t`,
      },
    },
    {
      label: 'cases.received by month × caseType',
      indicatorId: 'cases.received',
      breakdown: ['month', 'caseType'],
      hand: {
        sql: `select 0 as g, substr(datetime(received_at, '+8 hours'), 1, 7) as k0, case_type as k1, count(*) as n from cases where received_at >= @fromTs and received_at < @toTs group by k0, k1
              union all select 1, null, null, count(*) from cases where received_at >= @fromTs and received_at < @toTs`,
      },
    },
    {
      label: 'cases.caseloadAtEnd by caseType',
      indicatorId: 'cases.caseloadAtEnd',
      breakdown: ['caseType'],
      hand: {
        sql: `select 0 as g, case_type as k0, count(*) as n from cases c where +c.received_at < @toTs and (c.closed_on is null or c.closed_on > @t) group by case_type
              union all select 1, null, count(*) from cases c where +c.received_at < @toTs and (c.closed_on is null or c.closed_on > @t)`,
      },
    },
    {
      label: 'cases.protectionWithin3m by householdType',
      indicatorId: 'cases.protectionWithin3m',
      breakdown: ['householdType'],
      hand: { sql: protection(byHouseholdType), rate: true },
    },
    {
      label: 'households.employmentJoint by householdType',
      indicatorId: 'households.employmentJoint',
      breakdown: ['householdType'],
      hand: { sql: employment(p, byHouseholdType), rate: true },
    },
    {
      label: 'households.povertyCoverage by householdType',
      indicatorId: 'households.povertyCoverage',
      breakdown: ['householdType'],
      hand: { sql: poverty(byHouseholdType), rate: true },
    },
    {
      label: 'staffing.filled by fundingLine',
      indicatorId: 'staffing.filled',
      breakdown: ['fundingLine'],
      hand: { sql: staffing(p, "select 0 as g, funding_line as k0, sum(filled) as n from a where day = @t group by funding_line union all select 1, null, coalesce(sum(filled), 0) from a where day = @t") },
    },
    {
      label: 'staffing.fillRate by fundingLine × month',
      indicatorId: 'staffing.fillRate',
      breakdown: ['fundingLine', 'month'],
      hand: {
        sql: staffing(p, 'select 0 as g, funding_line as k0, month as k1, sum(filled) as num, count(*) as den from a group by funding_line, month union all select 1, null, null, coalesce(sum(filled), 0), count(*) from a'),
        rate: true,
      },
    },
    {
      label: 'services.consultations by method',
      indicatorId: 'services.consultations',
      breakdown: ['method'],
      hand: {
        sql: `select 0 as g, s.method as k0, count(*) as n from service_records s where ${sr} and s.items like '%"福利諮詢"%' group by s.method
              union all select 1, null, count(*) from service_records s where ${sr} and s.items like '%"福利諮詢"%'`,
      },
    },
  ];
}

/** Cross-tabs timed whole (`buildCrosstab`: every figure of the table); the cells are checked against a breakdown's statement when there is one. */
const CROSSTABS: { label: string; indicatorId: string; breakdowns: ReportDimension[]; suppressBelow?: number; check?: string }[] = [
  { label: 'cross-tab services.persons ageBand × sex', indicatorId: 'services.persons', breakdowns: ['ageBand', 'sex'], check: 'services.persons by ageBand × sex' },
  { label: 'cross-tab services.count method × 面向', indicatorId: 'services.count', breakdowns: ['method', 'dimension'], check: 'services.count by method × 面向' },
  { label: 'cross-tab cases.received village × 面向, < 3 hidden', indicatorId: 'cases.received', breakdowns: ['village', 'dimension'], suppressBelow: 3 },
  { label: 'cross-tab persons.inCaseHouseholds ageBand × sex', indicatorId: 'persons.inCaseHouseholds', breakdowns: ['ageBand', 'sex'], check: 'persons.inCaseHouseholds by ageBand × sex' },
  { label: 'cross-tab cases.caseloadAtEnd team × caseStatus', indicatorId: 'cases.caseloadAtEnd', breakdowns: ['team', 'caseStatus'] },
];

// ---------------------------------------------------------------------------
// Running and comparing

type Row = Record<string, unknown>;

const fmtNum = (v: unknown, round3: boolean): string => {
  if (v === null || v === undefined) return 'null';
  const n = Number(v);
  return round3 ? String(Math.round(n * 1000) / 1000) : String(n);
};

/** The hand statement's figures as `key → value` lines (`*` = the total). */
function handFigures(hand: Hand, rows: Row[], dims: number): Map<string, string> {
  const out = new Map<string, string>();
  const round3 = hand.round3 ?? false;
  for (const r of rows) {
    const total = dims === 0 || Number(r.g) === 1;
    const key = total ? '*' : Array.from({ length: dims }, (_, i) => (r[`k${i}`] === null || r[`k${i}`] === undefined ? '∅' : String(r[`k${i}`]))).join('|');
    out.set(key, hand.rate ? `${Number(r.num ?? 0)}/${Number(r.den ?? 0)}` : fmtNum(r.n ?? 0, round3));
  }
  return out;
}

function appFigures(res: IndicatorResult, rate: boolean, round3: boolean): Map<string, string> {
  const out = new Map<string, string>();
  const fig = (f: { value: number | null; numerator?: number; denominator?: number }) => (rate ? `${f.numerator ?? 0}/${f.denominator ?? 0}` : fmtNum(f.value ?? 0, round3));
  out.set('*', fig(res.total));
  for (const r of res.rows) out.set(res.breakdown.map((d) => r.keys[d] ?? '∅').join('|'), fig(r));
  return out;
}

function differences(app: Map<string, string>, hand: Map<string, string>): string[] {
  const out: string[] = [];
  for (const k of new Set([...app.keys(), ...hand.keys()])) {
    const a = app.get(k);
    const h = hand.get(k);
    // A group the app leaves out is a zero; the statements never return an empty group either.
    if (a !== h && !((a === undefined && (h === '0' || h === '0/0')) || (h === undefined && (a === '0' || a === '0/0')))) out.push(`${k}: app ${a ?? '-'} / SQL ${h ?? '-'}`);
  }
  return out;
}

/**
 * --protection-reports N: when the folder has no protection reports, N of them, deterministic: two in three on the
 * household of a 脆弱家庭 case, the rest on any household; reported between 6 months before the period and 3 months
 * after it; sources and kinds as the form offers them. One transaction.
 */
function addProtectionReports(sqlite: BetterSqlite3.Database, p: Period, n: number): void {
  if (!(n > 0)) return;
  if ((sqlite.prepare('select count(*) as n from protection_reports').get() as { n: number }).n > 0) return;
  const vulnerable = (sqlite.prepare("select distinct household_id as id from cases where case_type = '脆弱家庭' order by household_id").all() as { id: number }[]).map((r) => r.id);
  const all = (sqlite.prepare('select id from households order by id').all() as { id: number }[]).map((r) => r.id);
  const sources = ['113保護專線', '學校', '醫療院所', '警政', '社福中心社工', '其他'];
  const kinds = ['兒少保護', '家庭暴力', '成人保護', '性侵害', '其他'];
  const start = addMonths(p.from, -6);
  const days = Math.round((Date.parse(addMonths(p.to, 3)) - Date.parse(start)) / 86_400_000);
  let seed = 13;
  const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const ins = sqlite.prepare('insert into protection_reports (household_id, reported_on, source, kind, created_at, updated_at) values (?, ?, ?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const household = rnd() < 2 / 3 && vulnerable.length ? pick(vulnerable) : pick(all);
      const on = addDays(start, Math.floor(rnd() * days));
      const at = `${on}T02:00:00.000Z`;
      ins.run(household, on, pick(sources), pick(kinds), at, at);
    }
  })();
  process.stdout.write(`inserted ${n} protection reports (${start}..${addDays(start, days - 1)})\n`);
}

/**
 * --staff-positions N: when the folder has no staff positions, N of them, deterministic: most 社安網, approved
 * since two years before the period, a few approved or cut inside it; most filled since then, some left during the
 * period and some refilled a month or two later. One transaction.
 */
function addStaffing(sqlite: BetterSqlite3.Database, p: Period, n: number): void {
  if (!(n > 0)) return;
  if ((sqlite.prepare('select count(*) as n from staff_positions').get() as { n: number }).n > 0) return;
  let seed = 24;
  const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const inPeriod = () => addDays(p.from, Math.floor(rnd() * 90));
  const ts = `${addMonths(p.from, -24)}T00:00:00.000Z`;
  const pos = sqlite.prepare("insert into staff_positions (funding_line, title, label, approved_from, approved_to, notes, created_at, updated_at) values (?, '社工員', null, ?, ?, null, ?, ?)");
  const fill = sqlite.prepare('insert into staff_fills (position_id, user_id, staff_name, started_on, ended_on, created_at, updated_at) values (?, null, ?, ?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const r = rnd();
      const line = r < 0.7 ? 'ssn' : r < 0.85 ? 'local' : r < 0.95 ? 'lottery' : 'other';
      const from = rnd() < 0.1 ? inPeriod() : addMonths(p.from, -24);
      const to = rnd() < 0.05 ? inPeriod() : null;
      const id = Number(pos.run(line, from, to, ts, ts).lastInsertRowid);
      const f = rnd();
      if (f < 0.1) continue;
      if (f < 0.25) {
        const left = inPeriod();
        fill.run(id, `職員${i}`, from, left, ts, ts);
        if (rnd() < 0.5) fill.run(id, `職員${i}b`, addDays(left, 30 + Math.floor(rnd() * 30)), null, ts, ts);
      } else fill.run(id, `職員${i}`, from, null, ts, ts);
    }
  })();
  process.stdout.write(`inserted ${n} staff positions\n`);
}

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function main(): Promise<number> {
  const { handle } = await openDataFolder({ dataDir, maintainStatistics: !values['no-stats'], onSlowQuery: () => {} });
  const h = handle;
  const sqlite = sqliteOf(h);
  try {
    const p = choosePeriod(sqlite);
    const { fromTs, toTs } = bounds(p);
    const params = { fromTs, toTs, f: p.from, t: p.to };
    addProtectionReports(sqlite, p, Number(values['protection-reports']));
    addStaffing(sqlite, p, Number(values['staff-positions']));
    const count = (t: string) => (sqlite.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n.toLocaleString('en');
    process.stdout.write(
      `database ${dataDir}: ${count('households')} households, ${count('persons')} persons, ${count('cases')} cases, ${count('service_records')} service records, ${count('service_participants')} participants\n` +
        `period ${p.label} (${p.from}..${p.to}), ${RUNS} runs each (median), statistics ${values['no-stats'] ? 'as stored (not gathered)' : 'gathered as the app does'}\n\n`,
    );
    const hands = totals(p);
    const cases: Case[] = [];
    const missing: string[] = [];
    for (const ind of allIndicators()) {
      const hand = hands[ind.id];
      if (!hand) missing.push(ind.id);
      else cases.push({ label: ind.id, indicatorId: ind.id, hand });
    }
    cases.push(...breakdowns(p));
    const selected = cases.filter((c) => !ONLY || ONLY.has(c.indicatorId) || ONLY.has(c.label));

    const failures: string[] = [];
    const handByLabel = new Map<string, Map<string, string>>();
    const w = Math.max(...selected.map((c) => c.label.length), 30);
    process.stdout.write(`${'indicator'.padEnd(w)}     app ms     SQL ms   ratio   figure (app = SQL)\n`);
    const ratios: number[] = [];
    for (const c of selected) {
      const ind = getIndicator(c.indicatorId);
      if (!ind) {
        failures.push(`${c.label}: not in the registry`);
        continue;
      }
      const input = { period: { from: p.from, to: p.to }, ...(c.breakdown ? { breakdown: c.breakdown } : {}), ...(c.filters ? { filters: c.filters } : {}) };
      const runApp = () => ind.compute(h.db, input);
      const runHand = () => sqlite.prepare(c.hand.sql).all(params) as Row[];
      let appRes = await runApp();
      let handRows = runHand();
      const app: number[] = [];
      const raw: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        if (i % 2 === 0) {
          const a = await time(runApp);
          const b = await time(runHand);
          app.push(a.ms);
          raw.push(b.ms);
          appRes = a.value;
          handRows = b.value;
        } else {
          const b = await time(runHand);
          const a = await time(runApp);
          app.push(a.ms);
          raw.push(b.ms);
        }
      }
      const rate = ind.counting === 'rate';
      const hf = handFigures(c.hand, handRows, c.breakdown?.length ?? 0);
      const af = appFigures(appRes, rate, c.hand.round3 ?? false);
      if (!c.breakdown) for (const k of [...af.keys()]) if (k !== '*') af.delete(k);
      handByLabel.set(c.label, hf);
      const diff = differences(af, hf);
      const ratio = median(app) / Math.max(median(raw), 0.01);
      ratios.push(ratio);
      const figure = `${af.get('*')}${c.breakdown ? ` (+${af.size - 1} rows)` : ''}`;
      const flag = diff.length ? `   DIFFERS: ${diff.slice(0, 4).join('; ')}${diff.length > 4 ? ` (+${diff.length - 4})` : ''}` : '';
      const slow = ratio > 1.5 && median(app) - median(raw) > 1 ? '  > 1.5x' : '';
      process.stdout.write(`${c.label.padEnd(w)} ${median(app).toFixed(1).padStart(10)} ${median(raw).toFixed(1).padStart(10)} ${ratio.toFixed(2).padStart(7)}   ${figure}${slow}${flag}\n`);
      if (diff.length) failures.push(`${c.label}: ${diff.join('; ')}`);
    }
    if (ratios.length) {
      process.stdout.write(`\nworst ratio ${Math.max(...ratios).toFixed(2)}x, median ${median(ratios).toFixed(2)}x (target ≤ 1.5x; a ratio over sub-millisecond figures is Kysely's fixed ~0.1 ms)\n\n`);
    }

    for (const x of CROSSTABS.filter((c) => !ONLY || ONLY.has(c.indicatorId) || ONLY.has(c.label))) {
      const input = { indicatorId: x.indicatorId, breakdowns: x.breakdowns, period: { from: p.from, to: p.to }, ...(x.suppressBelow ? { suppressBelow: x.suppressBelow } : {}) };
      const run = () => buildCrosstab(h.db, input, null);
      let view = await run();
      const xs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = await time(run);
        xs.push(t.ms);
        view = t.value;
      }
      let note = `${view.rows.length} × ${view.columns.length} cells, total ${view.grandTotal.display}`;
      const hf = x.check ? handByLabel.get(x.check) : undefined;
      if (hf) {
        const got = new Map<string, string>([['*', String(view.grandTotal.value ?? 0)]]);
        for (const r of view.rows) view.columns.forEach((col, i) => got.set([...r.keys, col.key].map((k) => k ?? '∅').join('|'), String(r.cells[i]?.value ?? 0)));
        const diff = differences(got, hf);
        if (diff.length) {
          failures.push(`${x.label}: ${diff.join('; ')}`);
          note += `   DIFFERS: ${diff.slice(0, 4).join('; ')}`;
        } else note += ', every cell = SQL';
      }
      process.stdout.write(`${x.label.padEnd(w)} ${median(xs).toFixed(1).padStart(10)} ms   ${note}${median(xs) >= 1000 ? '   ≥ 1 s' : ''}\n`);
    }

    if (missing.length) {
      process.stdout.write(`\nNO STATEMENT for ${missing.length} registered indicator(s): ${missing.join(', ')} (add them to bench/indicators-sql.ts)\n`);
    }
    if (failures.length) {
      process.stderr.write(`\nFIGURES DIFFER (${failures.length}):\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
      return 1;
    }
    return missing.length ? 1 : 0;
  } finally {
    await h.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
