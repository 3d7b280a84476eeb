/**
 * Period arithmetic for the indicator queries. Dates are Taipei calendar dates;
 * timestamps are stored as ISO-8601 UTC (`toISOString()`), so a Taipei day
 * [D 00:00, D+1 00:00) is the UTC text range [D-1T16:00:00.000Z, DT16:00:00.000Z)
 * and compares as text on SQLite and PostgreSQL alike.
 */
import { addDays, addMonths } from '../../../contract/roc-date';
import type { Period } from './types';

/** The UTC instant at which the Taipei calendar date `iso` begins. */
export function taipeiDayStartUtc(iso: string): string {
  return `${addDays(iso, -1)}T16:00:00.000Z`;
}

export interface Bounds {
  /** First Taipei day's start, UTC ISO (inclusive). */
  fromTs: string;
  /** The day after the last day, start, UTC ISO (exclusive). */
  toTs: string;
}

export function bounds(p: Period): Bounds {
  return { fromTs: taipeiDayStartUtc(p.from), toTs: taipeiDayStartUtc(addDays(p.to, 1)) };
}

/** The months a period touches: `2026-01`, with their first day and the first day of the next. */
export function monthsOf(p: Period): { key: string; start: string; next: string }[] {
  const out: { key: string; start: string; next: string }[] = [];
  let start = `${p.from.slice(0, 7)}-01`;
  while (start <= p.to) {
    const next = addMonths(start, 1);
    out.push({ key: start.slice(0, 7), start, next });
    start = next;
  }
  return out;
}

/** The date on which someone born then turns `years` old on `on`: born on or before it ⇒ aged ≥ years. */
export function bornBy(on: string, years: number): string {
  return addMonths(on, -12 * years);
}

/** A Taipei calendar date of a stored UTC timestamp. */
export function taipeiDateOf(ts: string): string {
  const ms = Date.parse(ts);
  if (Number.isNaN(ms)) return ts.slice(0, 10);
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}
