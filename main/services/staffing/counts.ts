/**
 * The counting rules of staffing, in one place for the month view and the indicators. Pure.
 *
 * On a day D (a month's last day, or a period's):
 * - a position is approved (核定) when approved_from <= D and (approved_to is null or >= D);
 * - it is filled (進用) when it is approved and one of its fills spans D (started_on <= D and
 *   ended_on null or >= D); the service keeps a position's fills from overlapping, so a filled
 *   position is one person in post;
 * - otherwise it is vacant (出缺), since the day after its last fill ended before D, or since its
 *   approval's first day when nobody ended there yet after it was approved.
 */
import { addDays, daysInMonth } from '../../contract/roc-date';
import type { FundingLine, PositionTitle } from '../../contract/types-staffing';

export interface PositionFacts {
  id: number;
  fundingLine: FundingLine;
  title: PositionTitle;
  label: string | null;
  approvedFrom: string;
  approvedTo: string | null;
}

export interface FillFacts {
  positionId: number;
  startedOn: string;
  endedOn: string | null;
}

export function approvedOn(p: Pick<PositionFacts, 'approvedFrom' | 'approvedTo'>, day: string): boolean {
  return p.approvedFrom <= day && (p.approvedTo === null || p.approvedTo >= day);
}

export function spans(f: Pick<FillFacts, 'startedOn' | 'endedOn'>, day: string): boolean {
  return f.startedOn <= day && (f.endedOn === null || f.endedOn >= day);
}

/** Fills per position id. */
export function fillsByPosition<F extends FillFacts>(fills: readonly F[]): Map<number, F[]> {
  const out = new Map<number, F[]>();
  for (const f of fills) {
    const list = out.get(f.positionId);
    if (list) list.push(f);
    else out.set(f.positionId, [f]);
  }
  return out;
}

export function filledOn(p: PositionFacts, fills: readonly FillFacts[] | undefined, day: string): boolean {
  return approvedOn(p, day) && (fills ?? []).some((f) => spans(f, day));
}

/** The first day of the vacancy of a position vacant on `day` (see the header). */
export function vacantSince(p: PositionFacts, fills: readonly FillFacts[] | undefined, day: string): string {
  let since = p.approvedFrom;
  for (const f of fills ?? []) {
    if (f.endedOn !== null && f.endedOn < day) {
      const next = addDays(f.endedOn, 1);
      if (next > since) since = next;
    }
  }
  return since;
}

/** `2026-03` → `2026-03-31`. */
export function monthEnd(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

/** filled ÷ approved × 100 to one decimal; null when nothing is approved. */
export function ratePercent(filled: number, approved: number): number | null {
  return approved === 0 ? null : Math.round((filled / approved) * 1000) / 10;
}
