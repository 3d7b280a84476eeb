/**
 * Reading the audit log (稽核紀錄) the way an auditor asks: by Taipei day range, user, action and
 * record, and the 個資法 question "who saw this person". The filters become one WHERE clause that the
 * page, its count and the export share, so what is exported is exactly what the screen lists.
 */
import type { Expression, ExpressionBuilder, Kysely, SelectQueryBuilder, SqlBool } from 'kysely';
import type { Database } from '../../../db/schema';
import { addDays } from '../../contract/roc-date';

export interface AuditFilter {
  action?: string;
  actorId?: number;
  /** Taipei days, both inclusive. */
  from?: string;
  to?: string;
  entity?: string;
  entityId?: string;
  subject?: { kind: 'person' | 'household'; id: number };
}

/** The first instant of a Taipei day, as the UTC ISO text `audit_log.at` holds. */
export function taipeiDayStart(isoDay: string): string {
  return new Date(`${isoDay}T00:00:00+08:00`).toISOString();
}

/** Audit entities written about a household, keyed by the household's id. */
const HOUSEHOLD_ENTITIES = ['household', 'care_load', 'care'] as const;
/** Audit entities of a service record (its id). */
const RECORD_ENTITIES = ['service_record', 'service_record.narrative'] as const;

type AuditEb = ExpressionBuilder<Database, 'audit_log'>;

interface Period {
  /** UTC ISO bounds; null = open. */
  start: string | null;
  end: string | null;
}

interface SubjectPart {
  entities: readonly string[];
  ids: string[];
  period: Period;
  /** Rows outside the period that still are about the person: the household change that added or removed them. */
  orDetailLike?: string[];
}

/**
 * What "everything about this subject" means, as (entity, ids, period) parts. For a person: the person
 * row itself at any time, and, for each household they belonged to, that household's rows, its cases,
 * service records and concerns while they were a member (a view of the household page then showed them).
 * For a household: its own rows, its cases, records and concerns, and the rows of everyone who was ever
 * a member. Loaded first (a person has few memberships), so the log query stays a plain indexed OR.
 */
async function subjectParts(db: Kysely<Database>, subject: NonNullable<AuditFilter['subject']>): Promise<SubjectPart[]> {
  const open: Period = { start: null, end: null };
  const parts: SubjectPart[] = [];
  const households: { id: number; period: Period; person?: number }[] = [];
  if (subject.kind === 'person') {
    parts.push({ entities: ['person'], ids: [String(subject.id)], period: open });
    const memberships = await db
      .selectFrom('household_members')
      .select(['household_id', 'joined_on', 'left_on', 'created_at'])
      .where('person_id', '=', subject.id)
      .execute();
    for (const m of memberships) {
      const joined = taipeiDayStart(m.joined_on);
      households.push({
        id: m.household_id,
        // From whichever came first, the joining day or its entry (a member entered with a later joining
        // day is on the page from then on); whole Taipei days: a 個資法 answer had better list one view
        // too many than one too few.
        period: { start: m.created_at < joined ? m.created_at : joined, end: m.left_on ? taipeiDayStart(addDays(m.left_on, 1)) : null },
        person: subject.id,
      });
    }
  } else {
    households.push({ id: subject.id, period: open });
    const members = await db.selectFrom('household_members').select('person_id').distinct().where('household_id', '=', subject.id).execute();
    if (members.length > 0) parts.push({ entities: ['person'], ids: members.map((m) => String(m.person_id)), period: open });
  }
  for (const h of households) {
    const [cases, records, concerns] = await Promise.all([
      db.selectFrom('cases').select('id').where('household_id', '=', h.id).execute(),
      db.selectFrom('service_records').select('id').where('household_id', '=', h.id).execute(),
      db.selectFrom('long_term_concerns').select('id').where('household_id', '=', h.id).execute(),
    ]);
    const memberChange = h.person === undefined ? undefined : ['memberAdded', 'memberLeft'].flatMap((k) => [`%"${k}":${h.person},%`, `%"${k}":${h.person}}%`]);
    parts.push({ entities: HOUSEHOLD_ENTITIES, ids: [String(h.id)], period: h.period, ...(memberChange ? { orDetailLike: memberChange } : {}) });
    if (cases.length > 0) parts.push({ entities: ['case'], ids: cases.map((r) => String(r.id)), period: h.period });
    if (records.length > 0) parts.push({ entities: RECORD_ENTITIES, ids: records.map((r) => String(r.id)), period: h.period });
    if (concerns.length > 0) parts.push({ entities: ['concern'], ids: concerns.map((r) => String(r.id)), period: h.period });
  }
  return parts;
}

function partExpression(eb: AuditEb, p: SubjectPart): Expression<SqlBool> {
  const ands: Expression<SqlBool>[] = [
    p.entities.length === 1 ? eb('entity', '=', p.entities[0] as string) : eb('entity', 'in', [...p.entities]),
    p.ids.length === 1 ? eb('entity_id', '=', p.ids[0] as string) : eb('entity_id', 'in', p.ids),
  ];
  const when: Expression<SqlBool>[] = [];
  if (p.period.start) when.push(eb('at', '>=', p.period.start));
  if (p.period.end) when.push(eb('at', '<', p.period.end));
  if (when.length > 0 && p.orDetailLike) {
    ands.push(eb.or([eb.and(when), ...p.orDetailLike.map((pattern) => eb('detail', 'like', pattern))]));
  } else {
    ands.push(...when);
  }
  return eb.and(ands);
}

/**
 * Applies the filter to a query on audit_log. Resolves the subject first (one small read per household),
 * so call it once per request and reuse the result for the page, the count and the export.
 */
export async function auditWhere(db: Kysely<Database>, f: AuditFilter): Promise<<QB extends SelectQueryBuilder<Database, 'audit_log', object>>(q: QB) => QB> {
  const parts = f.subject ? await subjectParts(db, f.subject) : null;
  return <QB extends SelectQueryBuilder<Database, 'audit_log', object>>(q0: QB): QB => {
    let q = q0 as SelectQueryBuilder<Database, 'audit_log', object>;
    if (f.action) q = q.where('action', '=', f.action);
    if (f.actorId) q = q.where('actor_id', '=', f.actorId);
    if (f.from) q = q.where('at', '>=', taipeiDayStart(f.from));
    if (f.to) q = q.where('at', '<', taipeiDayStart(addDays(f.to, 1)));
    if (f.entity) q = q.where('entity', '=', f.entity);
    if (f.entityId) q = q.where('entity_id', '=', f.entityId);
    if (parts) q = q.where((eb) => eb.or(parts.map((p) => partExpression(eb, p))));
    return q as QB;
  };
}
