/**
 * 訪視到期 and 再評估到期 (issue 14 §1): worklists driven by the confirmed assessment level.
 *
 * A case's level is the confirmed level of its latest confirmed assessment (assessments.confirmed_at),
 * else the case's 風險等級. The 訪視頻率 rule of that level (visit_frequency_rules) gives the interval;
 * the next visit is due that many days after the last 家訪／面訪 (VISIT_METHODS), or after the
 * confirmation date when there was none since, or after the opening date when neither exists.
 * 再評估到期 reads the latest confirmed assessment's stored reassess_due (set from the rules on confirmation).
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema';
import { addDays, diffDays } from '../../contract/roc-date';
import type { Page } from '../../contract/types';
import type { CaseStatus, RiskLevel } from '../../contract/types-cases';
import { IN_SERVICE_STATUSES, VISIT_METHODS, type CaseVisitSchedule, type LevelSource, type ReassessDueRow, type VisitDueRow } from '../../contract/types-visits';
import { assertCaseVisible, type Scope } from '../access/scope';
import { headNameOf, refOf, taipeiDate, userRefs } from '../cases/common';
import { casesOfWork, workScope } from './service';

interface Rule {
  visitEveryDays: number;
  reassessEveryDays: number;
}

async function rulesByLevel(db: Kysely<Database>): Promise<Map<string, Rule>> {
  const rows = await db.selectFrom('visit_frequency_rules').select(['level', 'visit_every_days', 'reassess_every_days']).execute();
  return new Map(rows.map((r) => [r.level, { visitEveryDays: Number(r.visit_every_days), reassessEveryDays: Number(r.reassess_every_days) }]));
}

/** The case columns and, per case, its last visit and its latest confirmed assessment (correlated subqueries). */
function scheduleQuery(db: Kysely<Database>) {
  const latest = (col: 'confirmed_level' | 'confirmed_at') =>
    sql<string | null>`(select a.${sql.ref(col)} from assessments a where a.case_id = cases.id and a.confirmed_at is not null order by a.confirmed_at desc, a.id desc limit 1)`;
  return db
    .selectFrom('cases')
    .select([
      'cases.id',
      'cases.case_no',
      'cases.household_id',
      'cases.status',
      'cases.risk_level',
      'cases.lead_worker_id',
      'cases.opened_on',
      'cases.received_at',
      (eb) =>
        eb
          .selectFrom('service_records as sv')
          .select((s) => s.fn.max('sv.occurred_at').as('m'))
          .whereRef('sv.case_id', '=', 'cases.id')
          // Literals, as migration 0033's partial index states them: a bound parameter would not match it.
          .where(sql<SqlBool>`sv.method in (${sql.join(VISIT_METHODS.map((m) => sql.lit(m)))})`)
          .as('last_visit_at'),
      latest('confirmed_level').as('assessed_level'),
      latest('confirmed_at').as('confirmed_at'),
    ]);
}

type ScheduleRow = Awaited<ReturnType<ReturnType<typeof scheduleQuery>['execute']>>[number];

function scheduleOf(r: ScheduleRow, rules: Map<string, Rule>) {
  const level = (r.assessed_level ?? r.risk_level) as RiskLevel | null;
  const levelSource: LevelSource | null = r.assessed_level ? 'assessment' : r.risk_level ? 'case' : null;
  const rule = level ? rules.get(level) : undefined;
  const lastVisitOn = r.last_visit_at ? taipeiDate(r.last_visit_at) : null;
  const confirmedOn = r.confirmed_at ? taipeiDate(r.confirmed_at) : null;
  const baseOn = lastVisitOn ?? confirmedOn ?? r.opened_on ?? taipeiDate(r.received_at);
  const nextVisitOn = rule ? addDays(baseOn, rule.visitEveryDays) : null;
  return { level, levelSource, rule, lastVisitOn, baseOn, nextVisitOn };
}

export async function visitsDue(
  db: Kysely<Database>,
  scope: Scope,
  input: { workerId?: number | undefined; offset: number; limit: number },
  today: string,
): Promise<Page<VisitDueRow>> {
  const w = await workScope(db, scope, input.workerId);
  const rules = await rulesByLevel(db);
  const rows = await scheduleQuery(db).where('cases.status', 'in', [...IN_SERVICE_STATUSES]).where(casesOfWork(w)).execute();
  const due = rows
    .map((r) => ({ r, s: scheduleOf(r, rules) }))
    .filter((x): x is typeof x & { s: { nextVisitOn: string; level: RiskLevel; rule: Rule; levelSource: LevelSource } } => x.s.nextVisitOn !== null && x.s.nextVisitOn <= today)
    .sort((a, b) => a.s.nextVisitOn.localeCompare(b.s.nextVisitOn) || a.r.id - b.r.id);
  const page = due.slice(input.offset, input.offset + input.limit);
  const heads = await headNames(db, page.map((x) => x.r.household_id));
  const refs = await userRefs(db, page.map((x) => x.r.lead_worker_id));
  return {
    total: due.length,
    rows: page.map(({ r, s }) => ({
      caseId: r.id,
      caseNo: r.case_no,
      householdId: r.household_id,
      headName: heads.get(r.household_id) ?? null,
      status: r.status as CaseStatus,
      level: s.level,
      levelSource: s.levelSource,
      visitEveryDays: s.rule.visitEveryDays,
      lastVisitOn: s.lastVisitOn,
      baseOn: s.baseOn,
      nextVisitOn: s.nextVisitOn,
      daysOverdue: diffDays(s.nextVisitOn, today),
      lead: refOf(refs, r.lead_worker_id),
    })),
  };
}

async function headNames(db: Kysely<Database>, householdIds: number[]): Promise<Map<number, string | null>> {
  if (householdIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('households')
    .select(['households.id', headNameOf('households.id').as('head_name')])
    .where('households.id', 'in', [...new Set(householdIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.head_name ?? null]));
}

export async function reassessmentsDue(
  db: Kysely<Database>,
  scope: Scope,
  input: { workerId?: number | undefined; offset: number; limit: number },
  today: string,
): Promise<Page<ReassessDueRow>> {
  const w = await workScope(db, scope, input.workerId);
  const rows = await db
    .selectFrom('cases')
    .innerJoin('assessments as a', 'a.case_id', 'cases.id')
    .select([
      'a.id as assessment_id',
      'a.assessed_on',
      'a.confirmed_level',
      'a.reassess_due',
      'a.worker_id',
      'cases.id as case_id',
      'cases.case_no',
      'cases.household_id',
      'cases.status',
    ])
    .where('cases.status', 'in', [...IN_SERVICE_STATUSES])
    .where(casesOfWork(w))
    .where('a.confirmed_at', 'is not', null)
    .where('a.reassess_due', 'is not', null)
    .where('a.reassess_due', '<=', today)
    // Only the latest confirmed assessment of the case counts: a later one replaces the due date.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('assessments as later')
            .select('later.id')
            .whereRef('later.case_id', '=', 'a.case_id')
            .where('later.confirmed_at', 'is not', null)
            .where((eb) => eb.or([eb('later.confirmed_at', '>', eb.ref('a.confirmed_at')), eb.and([eb('later.confirmed_at', '=', eb.ref('a.confirmed_at')), eb('later.id', '>', eb.ref('a.id'))])])),
        ),
      ),
    )
    .orderBy('a.reassess_due')
    .orderBy('a.id')
    .execute();
  const page = rows.slice(input.offset, input.offset + input.limit);
  const heads = await headNames(db, page.map((r) => r.household_id));
  const refs = await userRefs(db, page.map((r) => r.worker_id));
  return {
    total: rows.length,
    rows: page.map((r) => ({
      assessmentId: r.assessment_id,
      caseId: r.case_id,
      caseNo: r.case_no,
      householdId: r.household_id,
      headName: heads.get(r.household_id) ?? null,
      status: r.status as CaseStatus,
      assessedOn: r.assessed_on,
      confirmedLevel: (r.confirmed_level as RiskLevel | null) ?? null,
      reassessDue: r.reassess_due as string,
      daysOverdue: diffDays(r.reassess_due as string, today),
      worker: refOf(refs, r.worker_id),
    })),
  };
}

/** The schedule of one case the caller may see. */
export async function caseVisitSchedule(db: Kysely<Database>, scope: Scope, caseId: number): Promise<CaseVisitSchedule> {
  await assertCaseVisible(db, scope, caseId);
  const rules = await rulesByLevel(db);
  const r = await scheduleQuery(db).where('cases.id', '=', caseId).executeTakeFirstOrThrow();
  const s = scheduleOf(r, rules);
  const inService = (IN_SERVICE_STATUSES as readonly string[]).includes(r.status);
  const latest = await db
    .selectFrom('assessments')
    .select('reassess_due')
    .where('case_id', '=', caseId)
    .where('confirmed_at', 'is not', null)
    .orderBy('confirmed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    caseId,
    level: s.level,
    levelSource: s.levelSource,
    visitEveryDays: s.rule?.visitEveryDays ?? null,
    lastVisitOn: s.lastVisitOn,
    nextVisitOn: inService ? s.nextVisitOn : null,
    reassessDue: inService ? (latest?.reassess_due ?? null) : null,
  };
}
