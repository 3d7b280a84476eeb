/** Meetings (聯繫會議 / 個案研討) and outreach events (社區宣導), issue 6 §5. */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import type { ApiParsed } from '../../contract/api';
import type { MeetingKind, MeetingView, OutreachView } from '../../contract/types-programmes';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { caseVisible, type Scope } from '../access/scope';

const parseList = (s: string): string[] => {
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

/**
 * Meetings with what the caller may see of them (ARCHITECTURE.md, "What a roster shows"): the
 * case numbers discussed only for cases the caller may open, the rest counted; the decisions only
 * when every case discussed is one the caller may open (they are about those cases).
 */
export async function listMeetings(db: Kysely<Database>, scope: Scope, year?: number, id?: number): Promise<MeetingView[]> {
  let q = db.selectFrom('meetings').selectAll();
  if (year !== undefined) q = q.where('held_on', '>=', `${year}-01-01`).where('held_on', '<=', `${year}-12-31`);
  if (id !== undefined) q = q.where('id', '=', id);
  const rows = await q.orderBy('held_on', 'desc').orderBy('id', 'desc').execute();
  const mentioned = [...new Set(rows.flatMap((r) => parseList(r.cases_discussed)))];
  const visible = new Set(
    mentioned.length === 0 ? [] : (await db.selectFrom('cases').select('case_no').where('case_no', 'in', mentioned).where(caseVisible(scope)).execute()).map((r) => r.case_no),
  );
  return rows.map((r) => {
    const discussed = parseList(r.cases_discussed);
    // Free text that is not a case number the caller may open (another team's case, a family's name) stays hidden.
    const shown = discussed.filter((no) => visible.has(no));
    const hidden = discussed.length - shown.length;
    return { id: r.id, kind: r.kind as MeetingKind, heldOn: r.held_on, title: r.title, units: parseList(r.units), casesDiscussed: shown, casesHidden: hidden, decisions: hidden === 0 ? r.decisions : null };
  });
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
