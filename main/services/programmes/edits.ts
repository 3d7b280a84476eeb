/**
 * Corrections of typed records (issue 11 §1): the previous values of a programme, an enrolment, a
 * child's placement or an account's closing, kept in programme_edits. The audit row of an edit names
 * the fields and their from / to values only where those are not case content (an outcome's text is
 * kept here, never in the audit log).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { Actor } from '../context';

export type EditEntity = 'programme' | 'enrolment' | 'placement' | 'account';

/** The fields whose value differs, as { field: { from, to } }. */
export function changes<T extends Record<string, unknown>>(before: T, after: T): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of Object.keys(after)) if (before[k] !== after[k]) out[k] = { from: before[k] ?? null, to: after[k] ?? null };
  return out;
}

export async function recordEdit(
  trx: Kysely<Database>,
  actor: Actor,
  e: { entity: EditEntity; entityId: number; action: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null; reason?: string | null },
  now: Date,
): Promise<void> {
  await trx
    .insertInto('programme_edits')
    .values({
      entity: e.entity,
      entity_id: e.entityId,
      action: e.action,
      before: e.before === null ? null : JSON.stringify(e.before),
      after: e.after === null ? null : JSON.stringify(e.after),
      reason: e.reason ?? null,
      changed_at: now.toISOString(),
      changed_by: actor.userId,
    })
    .execute();
}

export async function editsOf(db: Kysely<Database>, entity: EditEntity, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('programme_edits as e')
    .leftJoin('users as u', 'u.id', 'e.changed_by')
    .select(['e.entity_id', 'e.action', 'e.before', 'e.after', 'e.reason', 'e.changed_at', 'u.display_name'])
    .where('e.entity', '=', entity)
    .where('e.entity_id', 'in', ids)
    .orderBy('e.id', 'desc')
    .execute();
}
