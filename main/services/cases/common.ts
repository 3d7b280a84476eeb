/** Small pieces the case, record and worklist services share. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { formatRocDateTime, todayIso, toRocYear } from '../../contract/roc-date';
import type { UserRef } from '../../contract/types-cases';
import type { Scope } from '../access/scope';

/** The Taipei calendar date of a stored UTC timestamp. */
export function taipeiDate(isoTimestamp: string): string {
  return todayIso(new Date(isoTimestamp));
}

export function rocYearOf(isoTimestamp: string): number {
  return toRocYear(Number(taipeiDate(isoTimestamp).slice(0, 4)));
}

/** `115-000123` */
export function formatCaseNo(rocYear: number, seq: number): string {
  return `${rocYear}-${String(seq).padStart(6, '0')}`;
}

/**
 * A correlated sub-select: the current 戶長's name of the household in
 * `householdColumn` (portable SQL: runs unchanged on PostgreSQL).
 */
export function headNameOf(householdColumn: string) {
  return sql<string | null>`(select hp.name from household_members hm inner join persons hp on hp.id = hm.person_id where hm.household_id = ${sql.ref(householdColumn)} and hm.left_on is null and hm.relation = ${'戶長'} limit 1)`;
}

export interface StaffRow {
  id: number;
  display_name: string;
  role: string;
  team_id: number | null;
  disabled_at: string | null;
}

export async function staffByIds(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, StaffRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name', 'role', 'team_id', 'disabled_at']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function userRefs(db: Kysely<Database>, ids: readonly (number | null)[]): Promise<Map<number, UserRef>> {
  const staff = await staffByIds(db, ids.filter((x): x is number => x !== null));
  return new Map([...staff.values()].map((s) => [s.id, { id: s.id, name: s.display_name }]));
}

export function refOf(map: Map<number, UserRef>, id: number | null): UserRef | null {
  if (id === null) return null;
  return map.get(id) ?? { id, name: '' };
}

/**
 * The refusal for saving over a newer version: names who saved it and when
 * (ROC date-time, Taipei), and carries both in details for the screen.
 */
export async function conflictError(db: Kysely<Database>, what: string, updatedBy: number | null, updatedAt: string): Promise<ApiError> {
  const who = updatedBy !== null ? ((await staffByIds(db, [updatedBy])).get(updatedBy)?.display_name ?? '其他使用者') : '其他使用者';
  return new ApiError(
    'CONFLICT',
    `這筆${what}已由 ${who} 於 ${formatRocDateTime(updatedAt)} 修改過，您看到的不是最新內容。請先保留您的修改，重新載入後再儲存。`,
    { details: { updatedBy: who, updatedById: updatedBy, updatedAt } },
  );
}

/** Workers and supervisors carry cases; the others never do. */
export function assertCanCarryCases(user: StaffRow | undefined, field: string, label: string): asserts user is StaffRow {
  if (!user || user.disabled_at !== null) {
    throw new ApiError('VALIDATION', `所選的${label}不存在或已停用，請重新選擇。`, { fields: { [field]: `${label}不存在或已停用` } });
  }
  if (user.role !== 'worker' && user.role !== 'supervisor') {
    throw new ApiError('RULE', `${label}須為社工或督導（${user.display_name} 不是）。`, { fields: { [field]: `${label}須為社工或督導` } });
  }
}

/** A supervisor may hand cases only to people of the teams they supervise; an administrator to anyone. */
export function assertWithinTeams(scope: Scope, user: StaffRow, field: string, label: string): void {
  if (scope.all) return;
  if (user.team_id === null || !scope.teamIds.includes(user.team_id)) {
    throw new ApiError('RULE', `${label}（${user.display_name}）不在您督導的組別，跨組請以轉案申請辦理。`, { fields: { [field]: '不在您督導的組別' } });
  }
}
