import type { KeyboardEvent } from 'react';
import { ageOn, formatRocDate, formatRocDateTime, todayIso } from '../../../main/contract/roc-date';
import { RELATIONS, type MemberView, type Relation } from '../../../main/contract/types-households';
import { ApiCallError } from '../../lib/api';
import { INCOME_LABELS, SEX_LABELS } from '../../lib/messages';

/** Age in completed years today, or null without a birth date. */
export function ageOf(birthDate: string | null): number | null {
  if (!birthDate) return null;
  try {
    return ageOn(birthDate, todayIso());
  } catch {
    return null;
  }
}

export function sexLabel(sex: string | null): string {
  return sex ? (SEX_LABELS[sex] ?? sex) : '';
}

export function incomeLabel(status: string | null): string {
  return status ? (INCOME_LABELS[status] ?? status) : '';
}

/** `115/03/05 – 115/09/30`, or `115/03/05 起` while current. */
export function periodText(m: { joinedOn: string; leftOn: string | null }): string {
  return m.leftOn ? `${formatRocDate(m.joinedOn)} – ${formatRocDate(m.leftOn)}` : `${formatRocDate(m.joinedOn)} 起`;
}

const RELATION_ORDER = new Map<Relation, number>(RELATIONS.map((r, i) => [r, i]));

/** Current members first, each group by relation (戶長, 配偶, 子女…), then by birth date. */
export function sortMembers(members: MemberView[]): MemberView[] {
  return [...members].sort(
    (a, b) =>
      Number(a.leftOn !== null) - Number(b.leftOn !== null) ||
      (RELATION_ORDER.get(a.relation) ?? 99) - (RELATION_ORDER.get(b.relation) ?? 99) ||
      (a.birthDate ?? '9999').localeCompare(b.birthDate ?? '9999'),
  );
}

export const relationOptions = RELATIONS.map((r) => ({ value: r, label: r }));

/** The zh-TW message of anything thrown by a call. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Field errors of a refused call, keyed by the last segment of the path (`address.townCode` → also `townCode`). */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiCallError)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(err.fields)) {
    out[k] = v;
    const last = k.split('.').pop();
    if (last && !(last in out)) out[last] = v;
  }
  return out;
}

export function isConflict(err: unknown): boolean {
  return err instanceof ApiCallError && err.code === 'CONFLICT';
}

/** Badge colour of a case status (DOMAIN.md flow). */
export function caseStatusColor(status: string): string {
  switch (status) {
    case '待分派':
      return 'gray';
    case '評估中':
      return 'blue';
    case '開案審查中':
    case '結案審查中':
      return 'orange';
    case '處遇中':
      return 'teal';
    case '短期服務':
      return 'cyan';
    case '不開案':
    case '已結案':
      return 'dark';
    default:
      return 'gray';
  }
}

/** The Taipei calendar day of a stored UTC timestamp, ROC: `115/03/05`. */
export function rocDayOf(timestamp: string | null): string {
  return timestamp ? (formatRocDateTime(timestamp).split(' ')[0] ?? '') : '';
}

/** Roles that work with case content (routes.tsx STAFF_ROLES; kept here to avoid an import cycle). */
export function isStaff(role: string): boolean {
  return role === 'worker' || role === 'supervisor' || role === 'admin';
}

/**
 * On long forms, Enter in a text field (e.g. committing a typed ROC date) must not submit the whole
 * form half-filled; the save button does that.
 */
export function noImplicitSubmit(e: KeyboardEvent<HTMLElement>): void {
  if (e.key === 'Enter' && e.target instanceof HTMLInputElement) e.preventDefault();
}
