/**
 * Staffing (人力, issue 13 §6): approved positions per funding line, who filled them and when, the
 * month's figures and vacancies. The 管理者 keeps the records; the 督導 reads them. Every write is one
 * transaction (the dispatcher's) with its audit row; the audit names ids, funding lines, titles and
 * dates, never a person's name.
 *
 * Rules kept here: a position's fills do not overlap and lie inside its approval; one person holds
 * one position at a time; cutting a position ends a fill still open on its last approved day.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { ApiParsed } from '../../contract/api';
import { ApiError } from '../../contract/envelope';
import { formatRocDate } from '../../contract/roc-date';
import {
  FUNDING_LINES,
  type FillView,
  type FundingLine,
  type PositionTitle,
  type PositionView,
  type StaffingMonthView,
  type StaffUserOption,
} from '../../contract/types-staffing';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { assertVersion } from '../households/common';
import { approvedOn, fillsByPosition, filledOn, monthEnd, ratePercent, vacantSince, type FillFacts, type PositionFacts } from './counts';

const POSITION_NOT_FOUND = '找不到這個員額。';
const FILL_NOT_FOUND = '找不到這筆進用紀錄。';
const OPEN_END = '9999-12-31';

/** The second gate (the contract's access list is the first): 管理者 writes, 督導 reads. */
export function assertStaffingAccess(actor: Pick<Actor, 'role'>, write: boolean): void {
  if (actor.role === 'admin' || (!write && actor.role === 'supervisor')) return;
  throw new ApiError('FORBIDDEN', write ? '只有管理者可以維護人力資料。' : '您的角色不能檢視人力資料。');
}

type PositionRow = Awaited<ReturnType<typeof positionRow>>;
async function positionRow(db: Kysely<Database>, id: number) {
  const row = await db.selectFrom('staff_positions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', POSITION_NOT_FOUND);
  return row;
}

function toFacts(r: { id: number; funding_line: string; title: string; label: string | null; approved_from: string; approved_to: string | null }): PositionFacts {
  return { id: r.id, fundingLine: r.funding_line as FundingLine, title: r.title as PositionTitle, label: r.label, approvedFrom: r.approved_from, approvedTo: r.approved_to };
}

async function fillViews(db: Kysely<Database>, positionIds: number[] | null): Promise<FillView[]> {
  let q = db
    .selectFrom('staff_fills as f')
    .leftJoin('users as u', 'u.id', 'f.user_id')
    .select(['f.id', 'f.version', 'f.position_id', 'f.user_id', 'f.staff_name', 'f.started_on', 'f.ended_on', 'u.display_name']);
  if (positionIds) {
    if (positionIds.length === 0) return [];
    q = q.where('f.position_id', 'in', positionIds);
  }
  const rows = await q.orderBy('f.position_id').orderBy('f.started_on', 'desc').orderBy('f.id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    positionId: r.position_id,
    userId: r.user_id,
    name: r.display_name ?? r.staff_name ?? '',
    startedOn: r.started_on,
    endedOn: r.ended_on,
  }));
}

/** Every position, by funding line, then title and approval, with its fills (newest first). */
export async function listPositions(db: Kysely<Database>, ids: number[] | null = null): Promise<PositionView[]> {
  let q = db.selectFrom('staff_positions').selectAll();
  if (ids) q = q.where('id', 'in', ids.length ? ids : [0]);
  const rows = await q.orderBy('approved_from').orderBy('id').execute();
  const fills = fillsByPosition(await fillViews(db, ids));
  const order = (line: string) => FUNDING_LINES.indexOf(line as FundingLine);
  return rows
    .sort((a, b) => order(a.funding_line) - order(b.funding_line))
    .map((r) => ({ ...toFacts(r), version: r.version, notes: r.notes, fills: fills.get(r.id) ?? [] }));
}

export async function getPosition(db: Kysely<Database>, id: number): Promise<PositionView> {
  const [p] = await listPositions(db, [id]);
  if (!p) throw new ApiError('NOT_FOUND', POSITION_NOT_FOUND);
  return p;
}

/** Fills of a position must lie inside its approval [from, to]. */
function assertFillsInside(fills: FillFacts[], from: string, to: string | null): void {
  const early = fills.find((f) => f.startedOn < from);
  if (early) {
    const msg = `此員額已有 ${formatRocDate(early.startedOn)} 到職的進用紀錄，核定起日不可晚於該日`;
    throw new ApiError('RULE', `${msg}。`, { fields: { approvedFrom: msg } });
  }
  if (to !== null) {
    const late = fills.find((f) => f.startedOn > to);
    if (late) {
      const msg = `此員額已有 ${formatRocDate(late.startedOn)} 到職的進用紀錄，核定迄日不可早於該日`;
      throw new ApiError('RULE', `${msg}。`, { fields: { approvedTo: msg } });
    }
  }
}

export async function createPosition(trx: Kysely<Database>, actor: Actor, input: ApiParsed<'staffing.createPosition'>, now: Date): Promise<number> {
  const ts = now.toISOString();
  const row = await trx
    .insertInto('staff_positions')
    .values({
      funding_line: input.fundingLine,
      title: input.title,
      label: input.label ?? null,
      approved_from: input.approvedFrom,
      approved_to: input.approvedTo ?? null,
      notes: input.notes ?? null,
      created_at: ts,
      created_by: actor.userId,
      updated_at: ts,
      updated_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(
    trx,
    { actor, action: 'create', entity: 'staff_position', entityId: row.id, detail: { fundingLine: input.fundingLine, title: input.title, approvedFrom: input.approvedFrom, approvedTo: input.approvedTo ?? null } },
    now,
  );
  return row.id;
}

async function positionFills(db: Kysely<Database>, positionId: number) {
  return db.selectFrom('staff_fills').selectAll().where('position_id', '=', positionId).orderBy('started_on').execute();
}
const fillFacts = (r: { position_id: number; started_on: string; ended_on: string | null }): FillFacts => ({ positionId: r.position_id, startedOn: r.started_on, endedOn: r.ended_on });

export async function updatePosition(trx: Kysely<Database>, actor: Actor, input: ApiParsed<'staffing.updatePosition'>, now: Date): Promise<void> {
  const p = await positionRow(trx, input.id);
  await assertVersion(trx, '員額', p, input.version);
  const fills = await positionFills(trx, p.id);
  const to = input.approvedTo ?? null;
  assertFillsInside(fills.map(fillFacts), input.approvedFrom, to);
  if (to !== null && fills.some((f) => f.ended_on === null || f.ended_on > to)) {
    const msg = '此員額仍有人在職至核定迄日之後；請用「裁減員額」，或先登錄離職';
    throw new ApiError('RULE', `${msg}。`, { fields: { approvedTo: msg } });
  }
  const fields = { funding_line: input.fundingLine, title: input.title, label: input.label ?? null, approved_from: input.approvedFrom, approved_to: to, notes: input.notes ?? null };
  const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter((k) => p[k] !== fields[k]);
  if (changed.length === 0) return;
  await trx
    .updateTable('staff_positions')
    .set({ ...fields, updated_at: now.toISOString(), updated_by: actor.userId, version: p.version + 1 })
    .where('id', '=', p.id)
    .execute();
  // Notes are free text: the audit row says they changed, not what they say.
  const values = Object.fromEntries(changed.filter((k) => k !== 'notes' && k !== 'label').map((k) => [k, { before: p[k], after: fields[k] }]));
  await appendAudit(trx, { actor, action: 'update', entity: 'staff_position', entityId: p.id, detail: { changed, ...values } }, now);
}

/** Cuts a position: its last approved day; an open fill (or one ending later) ends that day. */
export async function closePosition(trx: Kysely<Database>, actor: Actor, input: ApiParsed<'staffing.closePosition'>, now: Date): Promise<void> {
  const p: PositionRow = await positionRow(trx, input.id);
  await assertVersion(trx, '員額', p, input.version);
  if (input.approvedTo < p.approved_from) {
    const msg = `核定迄日不可早於核定起日（${formatRocDate(p.approved_from)}）`;
    throw new ApiError('RULE', `${msg}。`, { fields: { approvedTo: msg } });
  }
  const fills = await positionFills(trx, p.id);
  assertFillsInside(fills.map(fillFacts), p.approved_from, input.approvedTo);
  const ts = now.toISOString();
  const ended: number[] = [];
  for (const f of fills) {
    if (f.ended_on === null || f.ended_on > input.approvedTo) {
      await trx.updateTable('staff_fills').set({ ended_on: input.approvedTo, updated_at: ts, updated_by: actor.userId, version: f.version + 1 }).where('id', '=', f.id).execute();
      ended.push(f.id);
    }
  }
  await trx.updateTable('staff_positions').set({ approved_to: input.approvedTo, updated_at: ts, updated_by: actor.userId, version: p.version + 1 }).where('id', '=', p.id).execute();
  await appendAudit(
    trx,
    { actor, action: 'update', entity: 'staff_position', entityId: p.id, detail: { changed: ['approved_to'], approved_to: { before: p.approved_to, after: input.approvedTo }, endedFills: ended } },
    now,
  );
}

/** A span [from, to] (to null: open) overlapping another. */
const overlaps = (a: { from: string; to: string | null }, b: { from: string; to: string | null }) => a.from <= (b.to ?? OPEN_END) && b.from <= (a.to ?? OPEN_END);

/** The fill must fit its position, no other fill of it, and no other post of the same user. */
async function assertFillFits(
  db: Kysely<Database>,
  p: PositionRow,
  fill: { id: number | null; userId: number | null; from: string; to: string | null },
  field: 'startedOn' | 'endedOn',
): Promise<void> {
  const fail = (f: string, msg: string) => {
    throw new ApiError('RULE', `${msg}。`, { fields: { [f]: msg } });
  };
  if (fill.from < p.approved_from) fail('startedOn', `到職日不可早於員額核定起日（${formatRocDate(p.approved_from)}）`);
  if (p.approved_to !== null) {
    if (fill.from > p.approved_to) fail('startedOn', `此員額核定至 ${formatRocDate(p.approved_to)}，到職日不可晚於該日`);
    if (fill.to === null || fill.to > p.approved_to) fail('endedOn', `此員額核定至 ${formatRocDate(p.approved_to)}，請填寫不晚於該日的離職日`);
  }
  const span = { from: fill.from, to: fill.to };
  const others = (await positionFills(db, p.id)).filter((f) => f.id !== fill.id);
  const clash = others.find((f) => overlaps(span, { from: f.started_on, to: f.ended_on }));
  if (clash) {
    const when = clash.ended_on ? `${formatRocDate(clash.started_on)}至${formatRocDate(clash.ended_on)}` : `${formatRocDate(clash.started_on)}起`;
    fail(field, `此員額${when}已有人在職，同一員額同一時間只能一人`);
  }
  if (fill.userId !== null) {
    const posts = await db
      .selectFrom('staff_fills')
      .select(['id', 'started_on', 'ended_on'])
      .where('user_id', '=', fill.userId)
      .where('position_id', '!=', p.id)
      .execute();
    if (posts.some((f) => f.id !== fill.id && overlaps(span, { from: f.started_on, to: f.ended_on }))) fail('userId', '這位同仁同一期間已在另一個員額任職');
  }
}

export async function addFill(trx: Kysely<Database>, actor: Actor, input: ApiParsed<'staffing.addFill'>, now: Date): Promise<number> {
  const p = await positionRow(trx, input.positionId);
  const userId = input.userId ?? null;
  if (userId !== null) {
    const u = await trx.selectFrom('users').select(['id', 'disabled_at']).where('id', '=', userId).executeTakeFirst();
    if (!u || u.disabled_at !== null) throw new ApiError('RULE', '找不到這位同仁，或其帳號已停用。', { fields: { userId: '找不到這位同仁，或其帳號已停用' } });
  }
  const to = input.endedOn ?? null;
  await assertFillFits(trx, p, { id: null, userId, from: input.startedOn, to }, 'startedOn');
  const ts = now.toISOString();
  const row = await trx
    .insertInto('staff_fills')
    .values({
      position_id: p.id,
      user_id: userId,
      staff_name: userId === null ? (input.staffName ?? null) : null,
      started_on: input.startedOn,
      ended_on: to,
      created_at: ts,
      created_by: actor.userId,
      updated_at: ts,
      updated_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(
    trx,
    { actor, action: 'create', entity: 'staff_fill', entityId: row.id, detail: { positionId: p.id, userId, startedOn: input.startedOn, endedOn: to } },
    now,
  );
  return row.id;
}

/** Someone leaves: the last day in post. Returns the position's id. */
export async function endFill(trx: Kysely<Database>, actor: Actor, input: ApiParsed<'staffing.endFill'>, now: Date): Promise<number> {
  const f = await trx.selectFrom('staff_fills').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!f) throw new ApiError('NOT_FOUND', FILL_NOT_FOUND);
  await assertVersion(trx, '進用紀錄', f, input.version);
  if (input.endedOn < f.started_on) {
    const msg = `離職日不可早於到職日（${formatRocDate(f.started_on)}）`;
    throw new ApiError('RULE', `${msg}。`, { fields: { endedOn: msg } });
  }
  const p = await positionRow(trx, f.position_id);
  await assertFillFits(trx, p, { id: f.id, userId: f.user_id, from: f.started_on, to: input.endedOn }, 'endedOn');
  if (f.ended_on === input.endedOn) return p.id;
  await trx.updateTable('staff_fills').set({ ended_on: input.endedOn, updated_at: now.toISOString(), updated_by: actor.userId, version: f.version + 1 }).where('id', '=', f.id).execute();
  await appendAudit(trx, { actor, action: 'update', entity: 'staff_fill', entityId: f.id, detail: { positionId: p.id, changed: ['ended_on'], ended_on: { before: f.ended_on, after: input.endedOn } } }, now);
  return p.id;
}

/** Positions and fills that touch [from, to], as facts for counting. */
export async function staffingFacts(db: Kysely<Database>, from: string, to: string): Promise<{ positions: PositionFacts[]; fills: Map<number, FillFacts[]> }> {
  const rows = await db
    .selectFrom('staff_positions')
    .select(['id', 'funding_line', 'title', 'label', 'approved_from', 'approved_to'])
    .where('approved_from', '<=', to)
    .where((eb) => eb.or([eb('approved_to', 'is', null), eb('approved_to', '>=', from)]))
    .orderBy('id')
    .execute();
  const ids = rows.map((r) => r.id);
  const fills = ids.length
    ? await db.selectFrom('staff_fills').select(['position_id', 'started_on', 'ended_on']).where('position_id', 'in', ids).where('started_on', '<=', to).execute()
    : [];
  return { positions: rows.map(toFacts), fills: fillsByPosition(fills.map(fillFacts)) };
}

/** The month's figures per funding line (every line, zeros included) and its vacancies, at its last day. */
export async function monthView(db: Kysely<Database>, month: string): Promise<StaffingMonthView> {
  const asOf = monthEnd(month);
  const { positions, fills } = await staffingFacts(db, asOf, asOf);
  const lines = FUNDING_LINES.map((fundingLine) => {
    const here = positions.filter((p) => p.fundingLine === fundingLine && approvedOn(p, asOf));
    const approved = here.length;
    const filled = here.filter((p) => filledOn(p, fills.get(p.id), asOf)).length;
    return { fundingLine, approved, filled, vacant: approved - filled, rate: ratePercent(filled, approved) };
  });
  const approved = lines.reduce((s, l) => s + l.approved, 0);
  const filled = lines.reduce((s, l) => s + l.filled, 0);
  const vacancies = positions
    .filter((p) => approvedOn(p, asOf) && !filledOn(p, fills.get(p.id), asOf))
    .map((p) => ({ positionId: p.id, fundingLine: p.fundingLine, title: p.title, label: p.label, vacantSince: vacantSince(p, fills.get(p.id), asOf) }))
    .sort((a, b) => (a.vacantSince < b.vacantSince ? -1 : a.vacantSince > b.vacantSince ? 1 : a.positionId - b.positionId));
  return { month, asOf, lines, total: { approved, filled, vacant: approved - filled, rate: ratePercent(filled, approved) }, vacancies };
}

export async function staffUsers(db: Kysely<Database>): Promise<StaffUserOption[]> {
  const rows = await db.selectFrom('users').select(['id', 'display_name', 'role']).where('disabled_at', 'is', null).where('role', 'in', ['worker', 'supervisor', 'admin', 'foodbank']).orderBy('display_name').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name, role: r.role }));
}
