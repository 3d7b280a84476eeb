/**
 * Outcome indicators the central forms ask for (issue 13 §6):
 * - cases.protectionWithin3m: 脆弱家庭服務後3個月內被通報保護案件比率 (target < 5.5%), from protection
 *   reports (protection_reports, migration 0025) and service records;
 * - households.employmentJoint: 弱勢求職者與就業服務共同服務比率 (target 80%), from service items
 *   (就業協助) and referrals to 勞政 with their status;
 * - households.povertyCoverage: 低收/中低收入戶服務涵蓋率 (target 80%), from the income-status history
 *   (person_income_status, migration 0019) and service records / food-bank hand-outs.
 *
 * Conventions as in caseload.ts: a period is Taipei calendar days [from, to]; timestamps are UTC ISO
 * text compared against the UTC instants those days begin; dates compared as dates.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { addDays, addMonths } from '../../../contract/roc-date';
import { tsIn } from './caseload';
import { rateIndicator, type QueryCtx } from './engine';
import { taipeiDayStartUtc } from './period';
import { caseSource, householdSource } from './sources';
import type { Dim, Indicator } from './types';

/** Months after a service within which a protection report counts. */
export const PROTECTION_WINDOW_MONTHS = 3;

/**
 * For a service record `s` inside the period: its Taipei calendar date, and that date plus
 * PROTECTION_WINDOW_MONTHS calendar months (addMonths: 1/31 → 4/30), as CASE expressions over the
 * period's days (SQL has no portable date arithmetic; the month arithmetic stays in addMonths).
 */
function serviceDayCases(q: QueryCtx): { day: RawBuilder<unknown>; limit: RawBuilder<unknown> } {
  const days: string[] = [];
  for (let d = q.period.from; d <= q.period.to; d = addDays(d, 1)) days.push(d);
  const last = days[days.length - 1] as string;
  const chain = (value: (d: string) => string) => {
    const whens = days.slice(0, -1).map((d) => sql`when s.occurred_at < ${taipeiDayStartUtc(addDays(d, 1))} then ${value(d)}`);
    return whens.length === 0 ? sql`${value(last)}` : sql`(case ${sql.join(whens, sql` `)} else ${value(last)} end)`;
  };
  return { day: chain((d) => d), limit: chain((d) => addMonths(d, PROTECTION_WINDOW_MONTHS)) };
}

/** The case has a service record in the period. */
function servedInPeriod(q: QueryCtx): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from service_records s where s.case_id = c.id and ${tsIn('s.occurred_at', q)})`;
}

/** A protection report on the case's household after a service of the period and at most 3 months after it. */
function reportedWithinWindow(q: QueryCtx): RawBuilder<SqlBool> {
  const { day, limit } = serviceDayCases(q);
  return sql<SqlBool>`exists (select 1 from service_records s inner join protection_reports pr on pr.household_id = c.household_id where s.case_id = c.id and ${tsIn('s.occurred_at', q)} and pr.reported_on > ${day} and pr.reported_on <= ${limit})`;
}

/** The start of the look-back for a 勞政 referral: 12 months before the period's end, or the period's start when earlier. */
function referralSince(q: QueryCtx): string {
  const yearBack = addDays(addMonths(q.period.to, -12), 1);
  return yearBack < q.period.from ? yearBack : q.period.from;
}

/** A referral's status at the end of the period: the last status recorded by then, else its current one. */
const referralStatusAtEnd = (q: QueryCtx) =>
  sql`coalesce((select rh.status from referral_status_history rh where rh.referral_id = r.id and rh.at < ${q.toTs} order by rh.at desc, rh.id desc limit 1), r.status)`;

const EMPLOYMENT_ITEM = '就業協助';
const LABOUR = '勞政';
const JOINT_STATUSES = ['受案', '轉介完成'] as const;

const CASE_DIMS: Dim[] = ['worker', 'team', 'district', 'village', 'dimension', 'householdType'];
const HOUSEHOLD_DIMS: Dim[] = ['district', 'village', 'householdType'];

export const OUTCOME_INDICATORS: readonly Indicator[] = [
  rateIndicator({
    id: 'cases.protectionWithin3m',
    name: '脆弱家庭服務後3個月內被通報保護案件比率',
    unit: '%',
    counting: 'rate',
    measure: 'flow',
    group: '個案',
    description:
      '分母：期間內有服務紀錄的脆弱家庭個案，每案計 1 件。分子：其中該案家戶在期間內任一次服務之後 3 個月內有保護通報者：服務日 < 通報日 ≤ 服務日加 3 個月（依曆月計，當月無該日時取月底，例如 1 月 31 日服務算到 4 月 30 日）；服務當天的通報與服務前的通報不算。通報日可在期末之後，所以之後登錄的通報會改變已過期間的數字。同一戶通報多次、同一案服務多次，都只計 1 件。比率 = 分子 ÷ 分母 × 100，取至小數 1 位；目標低於 5.5%。',
    source: caseSource,
    where: (q) => sql<SqlBool>`c.case_type = ${'脆弱家庭'} and ${servedInPeriod(q)}`,
    subject: 'c.id',
    numerator: reportedWithinWindow,
    breakdowns: CASE_DIMS,
  }),
  rateIndicator({
    id: 'households.employmentJoint',
    name: '弱勢求職者與就業服務共同服務比率',
    unit: '%',
    counting: 'rate',
    measure: 'flow',
    group: '家戶',
    description:
      '以家戶計。分母：期間內有服務項目含「就業協助」的服務紀錄，或有轉介日在期間內、轉介單位為「勞政」之轉介的家戶（弱勢求職家戶），每戶計 1 戶。分子：其中有轉介給「勞政」、轉介日在期末前 12 個月內（或期間內），且期末時轉介狀態為「受案」或「轉介完成」者（與就業服務單位共同服務）。比率 = 分子 ÷ 分母 × 100，取至小數 1 位；目標 80%。',
    source: householdSource,
    where: (q) =>
      sql<SqlBool>`(exists (select 1 from service_records s where s.household_id = h.id and ${tsIn('s.occurred_at', q)} and s.items like ${`%"${EMPLOYMENT_ITEM}"%`}) or exists (select 1 from referrals r where r.household_id = h.id and r.unit_kind = ${LABOUR} and r.referred_on >= ${q.period.from} and r.referred_on <= ${q.period.to}))`,
    subject: 'h.id',
    numerator: (q) =>
      sql<SqlBool>`exists (select 1 from referrals r where r.household_id = h.id and r.unit_kind = ${LABOUR} and r.referred_on >= ${referralSince(q)} and r.referred_on <= ${q.period.to} and ${referralStatusAtEnd(q)} in (${sql.join(JOINT_STATUSES.map((s) => sql`${s}`))}))`,
    breakdowns: HOUSEHOLD_DIMS,
  }),
  rateIndicator({
    id: 'households.povertyCoverage',
    name: '低收/中低收入戶服務涵蓋率',
    unit: '%',
    counting: 'rate',
    measure: 'flow',
    group: '家戶',
    description:
      '分母：系統中期末當日有成員具低收入戶或中低收入戶身分（依福利身分歷程）的家戶，每戶計 1 戶；可依期末的鄉鎮市區、村里分類。分子：其中期間內曾由中心服務者：有服務紀錄（個案服務或長期關懷訪視），或有實物銀行發放。比率 = 分子 ÷ 分母 × 100，取至小數 1 位；目標 80%。',
    source: householdSource,
    where: (q) =>
      // A semi-join from the statuses valid at the end (a few thousand) to their households, instead of probing
      // every household's members (city demo, 100,000 households: 0.83 s → 73 ms on SQLite); the same households.
      sql<SqlBool>`h.id in (select m.household_id from person_income_status pi inner join household_members m on m.person_id = pi.person_id where pi.valid_from <= ${q.period.to} and (pi.valid_to is null or pi.valid_to >= ${q.period.to}) and m.joined_on <= ${q.period.to} and (m.left_on is null or m.left_on > ${q.period.to}))`,
    subject: 'h.id',
    numerator: (q) =>
      sql<SqlBool>`(exists (select 1 from service_records s where s.household_id = h.id and ${tsIn('s.occurred_at', q)}) or exists (select 1 from fb_handouts fh where fh.household_id = h.id and fh.handed_on >= ${q.period.from} and fh.handed_on <= ${q.period.to}))`,
    breakdowns: HOUSEHOLD_DIMS,
  }),
];
