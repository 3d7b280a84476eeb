/**
 * Who may see what (DOMAIN.md "People who use it", issue 3 §8), in one place:
 * - 社工 (worker): cases where they are 主責 (lead) or 協力 (assistant), and the
 *   households of those; long-term concern households they are responsible for;
 *   households they created themselves.
 * - 督導 (supervisor): everything of the teams they supervise (or belong to).
 * - 管理者 (admin): everything.
 * - 實物銀行 (foodbank): every household and its eligibility, but no case content.
 * - 稽核 (auditor): the audit log only.
 * Services call these before reading or writing; the contract's role lists are
 * only the first gate.
 */
import { sql, type ExpressionBuilder, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import type { Actor } from '../context';

export interface Scope {
  actor: Actor;
  /** Teams whose caseload this actor sees in full (supervisor), empty for others. */
  teamIds: number[];
  all: boolean;
  /** May read case content: narratives, case details, service records. */
  caseContent: boolean;
}

export async function scopeOf(db: Kysely<Database>, actor: Actor): Promise<Scope> {
  switch (actor.role) {
    case 'admin':
      return { actor, teamIds: [], all: true, caseContent: true };
    case 'supervisor': {
      const rows = await db.selectFrom('teams').select('id').where('supervisor_id', '=', actor.userId).execute();
      const ids = new Set(rows.map((r) => r.id));
      if (actor.teamId !== null) ids.add(actor.teamId);
      return { actor, teamIds: [...ids], all: false, caseContent: true };
    }
    case 'worker':
      return { actor, teamIds: [], all: false, caseContent: true };
    case 'foodbank':
      return { actor, teamIds: [], all: false, caseContent: false };
    case 'auditor':
      return { actor, teamIds: [], all: false, caseContent: false };
    default: {
      const never: never = actor.role;
      throw new Error(`unknown role ${String(never)}`);
    }
  }
}

const NOTHING = sql<SqlBool>`1 = 0`;
const EVERYTHING = sql<SqlBool>`1 = 1`;

/** A where-clause for `cases` rows the scope may see. */
export function caseVisible(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> => {
    if (scope.all) return EVERYTHING;
    if (!scope.caseContent) return NOTHING;
    const me = scope.actor.userId;
    const ors: Expression<SqlBool>[] = [
      eb('cases.lead_worker_id', '=', me),
      eb.exists(eb.selectFrom('case_assistants').select('case_assistants.case_id').whereRef('case_assistants.case_id', '=', 'cases.id').where('case_assistants.user_id', '=', me)),
    ];
    if (scope.teamIds.length > 0) ors.push(eb('cases.team_id', 'in', scope.teamIds));
    return eb.or(ors);
  };
}

/** A where-clause for `households` rows the scope may see. */
export function householdVisible(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'households'>): Expression<SqlBool> => {
    if (scope.all || scope.actor.role === 'foodbank') return EVERYTHING;
    if (!scope.caseContent) return NOTHING;
    const me = scope.actor.userId;
    const caseOrs = (c: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> => {
      const ors: Expression<SqlBool>[] = [
        c('cases.lead_worker_id', '=', me),
        c.exists(c.selectFrom('case_assistants').select('case_assistants.case_id').whereRef('case_assistants.case_id', '=', 'cases.id').where('case_assistants.user_id', '=', me)),
      ];
      if (scope.teamIds.length > 0) ors.push(c('cases.team_id', 'in', scope.teamIds));
      return c.or(ors);
    };
    const concernOrs = (l: ExpressionBuilder<Database, 'long_term_concerns'>): Expression<SqlBool> => {
      const ors: Expression<SqlBool>[] = [l('long_term_concerns.worker_id', '=', me)];
      if (scope.teamIds.length > 0) ors.push(l('long_term_concerns.team_id', 'in', scope.teamIds));
      return l.or(ors);
    };
    return eb.or([
      eb('households.created_by', '=', me),
      eb.exists(eb.selectFrom('cases').select('cases.id').whereRef('cases.household_id', '=', 'households.id').where(caseOrs)),
      eb.exists(
        eb.selectFrom('long_term_concerns').select('long_term_concerns.id').whereRef('long_term_concerns.household_id', '=', 'households.id').where(concernOrs),
      ),
    ]);
  };
}

const NOT_VISIBLE = '找不到這筆資料，或您沒有權限檢視（個案只有主責、協力社工與其督導可以查看）。';

/** Throws NOT_FOUND (not FORBIDDEN: existence is itself sensitive) unless the case is visible. */
export async function assertCaseVisible(db: Kysely<Database>, scope: Scope, caseId: number): Promise<void> {
  const row = await db.selectFrom('cases').select('id').where('id', '=', caseId).where(caseVisible(scope)).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', NOT_VISIBLE);
}

export async function assertHouseholdVisible(db: Kysely<Database>, scope: Scope, householdId: number): Promise<void> {
  const row = await db.selectFrom('households').select('id').where('id', '=', householdId).where(householdVisible(scope)).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', NOT_VISIBLE);
}

/** For screens that would show case content (narratives, case details) to a role that may not read it. */
export function assertCaseContent(scope: Scope): void {
  if (!scope.caseContent) throw new ApiError('FORBIDDEN', '您的角色不能檢視個案內容。');
}
