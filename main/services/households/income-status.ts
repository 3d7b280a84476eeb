/**
 * 低收 / 中低收 status as history (person_income_status, migration 0019). Every write of a person's
 * status goes through `applyIncomeStatus`, which keeps the periods of a person from overlapping;
 * persons.income_status is the current value, kept in step by the caller (updatePerson sets it in
 * the same statement as the other fields; the 公所 list import calls `refreshIncomeCache`).
 *
 * Periods: valid_from and valid_to are ISO dates, both inclusive; valid_to null = open.
 * Setting status S from F to T (T null = open) on a person's history:
 * - the period covering F keeps its part before F (it is ended on F - 1), or is reused in place when
 *   it starts on F; if it already has status S it is only re-ended (T) or left alone;
 * - a period starting after F (newer knowledge) is never overwritten: the new period ends the day
 *   before it, and when that later period has the same status it is extended back to F instead;
 * - S null (the status removed, manual edits only) just ends the covering period on F - 1.
 * The part of an old period after T is not restored: what the status was after T is unknown.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema';
import { addDays, formatRocDate } from '../../contract/roc-date';
import type { IncomeStatus } from '../../contract/types-households';

export const INCOME_STATUS_LABELS: Record<IncomeStatus, string> = { low: '低收入戶', 'mid-low': '中低收入戶' };

export type IncomeSource = '手動' | '匯入';

export interface IncomePeriod {
  id: number;
  status: IncomeStatus;
  validFrom: string;
  validTo: string | null;
}

/** A planned change of one person's periods. `id` < 0 marks a period that does not exist yet. */
export type IncomeStep =
  | { op: 'insert'; period: Omit<IncomePeriod, 'id'> }
  | { op: 'update'; id: number; set: Partial<Omit<IncomePeriod, 'id'>>; before: Partial<Omit<IncomePeriod, 'id'>> }
  | { op: 'delete'; id: number };

export interface IncomePlan {
  steps: IncomeStep[];
  /** The history after the steps, sorted by validFrom (new periods have id -1). */
  after: IncomePeriod[];
  /** The new period had to end before a period it should have taken over (see planIncomeChange). */
  clipped: boolean;
}

const byFrom = (a: IncomePeriod, b: IncomePeriod) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0);

/** The period covering `date`, if any. */
export function periodAt(periods: readonly IncomePeriod[], date: string): IncomePeriod | undefined {
  return periods.find((p) => p.validFrom <= date && (p.validTo === null || p.validTo >= date));
}

/**
 * What setting `status` from `from` to `to` does to `periods` (one person's, non-overlapping). Pure.
 * `overrideUntil` (an import: its day): a period starting after `from` but on or before that day is
 * older news than the list and is taken over by the new period (reused in place, never deleted);
 * one starting later is kept, and the new period ends the day before it. A second period to take
 * over cannot be (a delete is not undoable): the new period ends before it and `clipped` says so.
 */
export function planIncomeChange(periods: readonly IncomePeriod[], status: IncomeStatus | null, from: string, to: string | null, overrideUntil: string = from): IncomePlan {
  if (to !== null && to < from) throw new RangeError('income period ends before it starts');
  const list = periods.map((p) => ({ ...p })).sort(byFrom);
  const steps: IncomeStep[] = [];
  const cover = periodAt(list, from);
  // A later period can be taken over only when the new one is not already placed in the covering one.
  let reusable = status !== null && !(cover && (cover.status === status || cover.validFrom === from));
  let reuse: IncomePeriod | undefined;
  let next: IncomePeriod | undefined;
  let end = to;
  let clipped = false;
  for (const p of list) {
    if (p.validFrom <= from) continue;
    if (end !== null && p.validFrom > end) break;
    if (reusable && p.validFrom <= overrideUntil) {
      reuse = p;
      reusable = false;
      continue;
    }
    next = p;
    end = addDays(p.validFrom, -1);
    clipped = p.validFrom <= overrideUntil;
    break;
  }
  next ??= list.find((p) => p.validFrom > from && p !== reuse && (end === null || p.validFrom > end));
  const update = (p: IncomePeriod, set: Partial<Omit<IncomePeriod, 'id'>>) => {
    const changed = Object.fromEntries(Object.entries(set).filter(([k, v]) => p[k as keyof IncomePeriod] !== v)) as typeof set;
    if (Object.keys(changed).length === 0) return;
    const before: Partial<Omit<IncomePeriod, 'id'>> = {};
    for (const k of Object.keys(changed) as (keyof typeof changed)[]) (before as Record<string, unknown>)[k] = p[k];
    steps.push({ op: 'update', id: p.id, set: changed, before });
    Object.assign(p, changed);
  };
  let placed = false;
  if (cover) {
    if (cover.status === status) {
      update(cover, { validTo: end });
      placed = true;
    } else if (cover.validFrom < from) {
      update(cover, { validTo: addDays(from, -1) });
    } else if (status !== null) {
      update(cover, { status, validTo: end });
      placed = true;
    } else {
      steps.push({ op: 'delete', id: cover.id });
      list.splice(list.indexOf(cover), 1);
    }
  }
  if (!placed && status !== null) {
    if (reuse) {
      update(reuse, { status, validFrom: from, validTo: end });
    } else if (next && next.status === status && end === addDays(next.validFrom, -1)) {
      update(next, { validFrom: from });
      clipped = false;
    } else {
      const period = { status, validFrom: from, validTo: end };
      steps.push({ op: 'insert', period });
      list.push({ id: -1, ...period });
    }
  }
  return { steps, after: list.sort(byFrom), clipped };
}

/** 「低收入戶（115/03/01 起）」, 「中低收入戶（115/01/01 至 115/06/30）」, 「無」. */
export function describePeriod(p: { status: IncomeStatus; validFrom: string; validTo: string | null } | undefined): string {
  if (!p) return '無';
  const label = INCOME_STATUS_LABELS[p.status];
  return p.validTo === null ? `${label}（${formatRocDate(p.validFrom)} 起）` : `${label}（${formatRocDate(p.validFrom)} 至 ${formatRocDate(p.validTo)}）`;
}

/** The periods of persons, by person, sorted by validFrom. Queried in IN lists of ≤ 500. */
export async function periodsOf(db: Kysely<Database>, personIds: readonly number[]): Promise<Map<number, IncomePeriod[]>> {
  const out = new Map<number, IncomePeriod[]>();
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('person_income_status')
      .select(['id', 'person_id', 'status', 'valid_from', 'valid_to'])
      .where('person_id', 'in', ids.slice(i, i + 500))
      .orderBy('person_id')
      .orderBy('valid_from')
      .execute();
    for (const r of rows) {
      const list = out.get(r.person_id) ?? [];
      list.push({ id: r.id, status: r.status as IncomeStatus, validFrom: r.valid_from, validTo: r.valid_to });
      out.set(r.person_id, list);
    }
  }
  return out;
}

/** Who writes, and where undo-able writes are recorded (the import's EffectLog). */
export interface IncomeWriteContext {
  source: IncomeSource;
  /** ISO timestamp. */
  now: string;
  userId: number | null;
  /** The person's household now (informational, stored on inserted periods). */
  householdId?: number | null;
  effects?: {
    inserted(table: 'person_income_status', key: { id: number }): void;
    updated(table: 'person_income_status', key: { id: number }, before: Record<string, unknown>): void;
  };
}

const COLUMN: Record<keyof Omit<IncomePeriod, 'id'>, 'status' | 'valid_from' | 'valid_to'> = { status: 'status', validFrom: 'valid_from', validTo: 'valid_to' };

/**
 * Writes the plan's steps inside the caller's transaction. Updates bump the period's version and
 * stamp updated_at/by; with `effects`, each insert and update is recorded (with the old values of the
 * columns it changed). A delete with `effects` is refused (an import never removes a status).
 */
export async function writeIncomePlan(trx: Kysely<Database>, personId: number, plan: IncomePlan, ctx: IncomeWriteContext): Promise<void> {
  for (const step of plan.steps) {
    if (step.op === 'insert') {
      const row = await trx
        .insertInto('person_income_status')
        .values({
          person_id: personId,
          status: step.period.status,
          valid_from: step.period.validFrom,
          valid_to: step.period.validTo,
          source: ctx.source,
          household_id: ctx.householdId ?? null,
          created_at: ctx.now,
          created_by: ctx.userId,
          updated_at: null,
          updated_by: null,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ctx.effects?.inserted('person_income_status', { id: row.id });
    } else if (step.op === 'update') {
      const cur = await trx.selectFrom('person_income_status').select(['version', 'updated_at', 'updated_by', 'source']).where('id', '=', step.id).executeTakeFirstOrThrow();
      const set: Record<string, unknown> = {};
      const before: Record<string, unknown> = { updated_at: cur.updated_at, updated_by: cur.updated_by, version: cur.version };
      for (const k of Object.keys(step.set) as (keyof typeof step.set)[]) {
        set[COLUMN[k]] = step.set[k];
        before[COLUMN[k]] = step.before[k];
      }
      if (cur.source !== ctx.source) {
        set.source = ctx.source;
        before.source = cur.source;
      }
      await trx
        .updateTable('person_income_status')
        .set({ ...set, updated_at: ctx.now, updated_by: ctx.userId, version: cur.version + 1 })
        .where('id', '=', step.id)
        .execute();
      ctx.effects?.updated('person_income_status', { id: step.id }, before);
    } else {
      if (ctx.effects) throw new Error('an import never deletes an income period');
      await trx.deleteFrom('person_income_status').where('id', '=', step.id).execute();
    }
  }
}

/** Sets a person's status from `from` to `to` (see the header); returns the plan it carried out. */
export async function applyIncomeStatus(
  trx: Kysely<Database>,
  personId: number,
  status: IncomeStatus | null,
  from: string,
  to: string | null,
  ctx: IncomeWriteContext,
): Promise<IncomePlan> {
  const periods = (await periodsOf(trx, [personId])).get(personId) ?? [];
  const plan = planIncomeChange(periods, status, from, to);
  if (plan.steps.length > 0 && ctx.householdId === undefined) {
    const hm = await trx.selectFrom('household_members').select('household_id').where('person_id', '=', personId).where('left_on', 'is', null).executeTakeFirst();
    ctx = { ...ctx, householdId: hm?.household_id ?? null };
  }
  await writeIncomePlan(trx, personId, plan, ctx);
  return plan;
}

/** Each person's status on `date` (persons without one are absent). */
export async function incomeStatusAt(db: Kysely<Database>, personIds: readonly number[], date: string): Promise<Map<number, IncomeStatus>> {
  const out = new Map<number, IncomeStatus>();
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('person_income_status')
      .select(['person_id', 'status'])
      .where('person_id', 'in', ids.slice(i, i + 500))
      .where('valid_from', '<=', date)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', date)]))
      .execute();
    for (const r of rows) out.set(r.person_id, r.status as IncomeStatus);
  }
  return out;
}

/**
 * SQL: the person `personRef` (a column reference such as 'ch.id') held one of `statuses` on `from`,
 * or on any day from `from` to `to` when `to` is given (periods overlapping those days).
 * Reads person_income_status_from_uq (person_id, valid_from).
 */
export function heldIncomeStatusOn(personRef: string, from: string, to: string = from, statuses: readonly IncomeStatus[] = ['low', 'mid-low']): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from person_income_status xis where xis.person_id = ${sql.ref(personRef)} and xis.valid_from <= ${to}
    and (xis.valid_to is null or xis.valid_to >= ${from}) and xis.status in (${sql.join(statuses.map((s) => sql`${s}`))}))`;
}

/**
 * Puts persons.income_status (the current value) in step with the history on `today`; returns the
 * old value when it changed (the caller records the update), else undefined. Bumps the person's
 * version, so a form opened before this write is refused instead of writing the old status back.
 */
export async function refreshIncomeCache(
  trx: Kysely<Database>,
  personId: number,
  today: string,
  ctx: Pick<IncomeWriteContext, 'now' | 'userId'>,
): Promise<{ before: Record<string, unknown> } | undefined> {
  const now = (await incomeStatusAt(trx, [personId], today)).get(personId) ?? null;
  const p = await trx.selectFrom('persons').select(['income_status', 'updated_at', 'updated_by', 'version']).where('id', '=', personId).executeTakeFirstOrThrow();
  if (p.income_status === now) return undefined;
  await trx.updateTable('persons').set({ income_status: now, updated_at: ctx.now, updated_by: ctx.userId, version: p.version + 1 }).where('id', '=', personId).execute();
  return { before: { income_status: p.income_status, updated_at: p.updated_at, updated_by: p.updated_by, version: p.version } };
}
