/**
 * Pieces the household, person, concern and care services share: the stale-
 * version refusal, who may reach a person, the changed-field list for the audit
 * log, and loading user names.
 */
import { sql, type ExpressionBuilder, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { formatRocDateTime } from '../../contract/roc-date';
import { householdVisible, type Scope } from '../access/scope';

/**
 * Refuses a save made over an older version (issue 3 §9). The message names who saved the newer
 * version and when (ROC, Taipei time), so the user knows whom to ask; the screen keeps their text.
 */
export async function assertVersion(
  db: Kysely<Database>,
  what: string,
  row: { version: number; updated_at: string | null; updated_by: number | null },
  expected: number,
): Promise<void> {
  if (row.version === expected) return;
  const name = row.updated_by === null ? null : ((await userNames(db, [row.updated_by])).get(row.updated_by) ?? null);
  const when = row.updated_at ? formatRocDateTime(row.updated_at) : '稍早';
  throw new ApiError(
    'CONFLICT',
    `這筆${what}已由${name ?? '其他人'}於 ${when} 修改過，您畫面上的是舊版本。請先保留您的修改內容，重新載入最新資料後再儲存。`,
    { details: { updatedBy: name, updatedById: row.updated_by, updatedAt: row.updated_at, currentVersion: row.version } },
  );
}

export async function userNames(db: Kysely<Database>, ids: (number | null | undefined)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((x): x is number => typeof x === 'number'))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/**
 * A where-clause for `persons` the scope may reach: everyone for 管理者 and 實物銀行; otherwise
 * persons the caller registered, and members (now or before) of households the caller sees.
 */
export function personVisible(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'persons'>): Expression<SqlBool> => {
    if (scope.all || scope.actor.role === 'foodbank') return sql<SqlBool>`1 = 1`;
    if (!scope.caseContent) return sql<SqlBool>`1 = 0`;
    return eb.or([
      eb('persons.created_by', '=', scope.actor.userId),
      eb.exists(
        eb
          .selectFrom('household_members')
          .innerJoin('households', 'households.id', 'household_members.household_id')
          .select('household_members.id')
          .whereRef('household_members.person_id', '=', 'persons.id')
          .where((h) => householdVisible(scope)(h as unknown as ExpressionBuilder<Database, 'households'>)),
      ),
    ]);
  };
}

export async function isHouseholdVisible(db: Kysely<Database>, scope: Scope, householdId: number): Promise<boolean> {
  const row = await db.selectFrom('households').select('id').where('id', '=', householdId).where(householdVisible(scope)).executeTakeFirst();
  return row !== undefined;
}

export async function isPersonVisible(db: Kysely<Database>, scope: Scope, personId: number): Promise<boolean> {
  const row = await db.selectFrom('persons').select('id').where('id', '=', personId).where(personVisible(scope)).executeTakeFirst();
  return row !== undefined;
}

/**
 * The second gate behind the contract's role lists: only 社工, 督導 and 管理者 change persons,
 * households, concerns and care load, so a handler wired to the wrong role list still cannot write.
 */
export function assertMayWrite(scope: Scope): void {
  const role = scope.actor.role;
  if (role !== 'worker' && role !== 'supervisor' && role !== 'admin') throw new ApiError('FORBIDDEN', '您的角色不能修改家戶或個人資料。');
}

/** Reads of case content (care load, concerns, timeline, full IDs): not for 實物銀行 or 稽核. */
export function assertMayReadCaseContent(scope: Scope): void {
  if (!scope.caseContent) throw new ApiError('FORBIDDEN', '您的角色不能檢視個案內容。');
}

export const NOT_FOUND_MESSAGE = '找不到這筆資料，或您沒有權限檢視（個案只有主責、協力社工與其督導可以查看）。';

/** Field names whose value differs; the audit log keeps these names only, never the values. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(after)) {
    if (v === undefined) continue;
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(v ?? null)) out.push(k);
  }
  return out;
}

export function bool(n: number | null | undefined): boolean {
  return n === 1;
}
