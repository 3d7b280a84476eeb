/** Meetings (聯繫會議 / 個案研討) and outreach events (社區宣導), issue 6 §5. */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import type { ApiParsed } from '../../contract/api';
import type { MeetingKind, MeetingView, OutreachView } from '../../contract/types-programmes';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';

const parseList = (s: string): string[] => {
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

export async function listMeetings(db: Kysely<Database>, year?: number, id?: number): Promise<MeetingView[]> {
  let q = db.selectFrom('meetings').selectAll();
  if (year !== undefined) q = q.where('held_on', '>=', `${year}-01-01`).where('held_on', '<=', `${year}-12-31`);
  if (id !== undefined) q = q.where('id', '=', id);
  const rows = await q.orderBy('held_on', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind as MeetingKind, heldOn: r.held_on, title: r.title, units: parseList(r.units), casesDiscussed: parseList(r.cases_discussed), decisions: r.decisions }));
}

export async function createMeeting(trx: Kysely<Database>, actor: Actor, input: ApiParsed<'meetings.create'>, now: Date): Promise<number> {
  if (input.kind === '個案研討' && input.casesDiscussed.length === 0) throw new ApiError('RULE', '個案研討請至少填寫一件討論案件。', { fields: { casesDiscussed: '請填寫討論案件' } });
  const ts = now.toISOString();
  const row = await trx
    .insertInto('meetings')
    .values({
      kind: input.kind,
      held_on: input.heldOn,
      title: input.title,
      units: JSON.stringify(input.units),
      cases_discussed: JSON.stringify(input.casesDiscussed),
      decisions: input.decisions ?? null,
      created_at: ts,
      created_by: actor.userId,
      updated_at: ts,
      updated_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'create', entity: 'meeting', entityId: row.id, detail: { kind: input.kind, heldOn: input.heldOn } }, now);
  return row.id;
}

export async function listOutreach(db: Kysely<Database>, year?: number, id?: number): Promise<OutreachView[]> {
  let q = db.selectFrom('outreach_events').selectAll();
  if (year !== undefined) q = q.where('held_on', '>=', `${year}-01-01`).where('held_on', '<=', `${year}-12-31`);
  if (id !== undefined) q = q.where('id', '=', id);
  const rows = await q.orderBy('held_on', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => ({ id: r.id, heldOn: r.held_on, place: r.place, topic: r.topic, attendees: r.attendees, partner: r.partner }));
}

export async function createOutreach(trx: Kysely<Database>, actor: Actor, input: ApiParsed<'outreach.create'>, now: Date): Promise<number> {
  const ts = now.toISOString();
  const row = await trx
    .insertInto('outreach_events')
    .values({ held_on: input.heldOn, place: input.place, topic: input.topic, attendees: input.attendees, partner: input.partner ?? null, created_at: ts, created_by: actor.userId, updated_at: ts, updated_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'create', entity: 'outreach_event', entityId: row.id, detail: { heldOn: input.heldOn, attendees: input.attendees } }, now);
  return row.id;
}
