import { sql } from 'kysely';
import type { HandlerTable } from '../../api/registry';
import { auditOutsideCall } from '../call-hooks';
import { appendAudit, verifyAuditChain } from './log';
import { auditWhere } from './query';
import { resolveTargets, targetKey } from './targets';

export const auditHandlers: HandlerTable<'audit.list' | 'audit.actors' | 'audit.verify' | 'audit.recordPrint' | 'audit.recordExport'> = {
  'audit.list': async (ctx, input) => {
    const { offset, limit, ...filter } = input;
    const db = ctx.app.db;
    const where = await auditWhere(db, filter);
    const unfiltered = Object.values(filter).every((v) => v === undefined);
    // Ids are allotted without gaps from 1 (log.ts, checked by verify), so the unfiltered count is the newest id:
    // counting two million rows took 144 ms at the city scale, the newest id takes none.
    const total = unfiltered
      ? { n: (await db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst())?.id ?? 0 }
      : await where(db.selectFrom('audit_log')).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    // Newest first by time (ids follow time): each filter's index on (…, at) then yields the page in order,
    // where ordering by id sorted every matching row first (1.9 s for an action with 181k rows, city scale).
    const rows = await where(db.selectFrom('audit_log')).selectAll().orderBy('at', 'desc').orderBy('id', 'desc').offset(offset).limit(limit).execute();
    const scope = await ctx.scope();
    const subjectRef = filter.subject ? [{ entity: filter.subject.kind, entityId: String(filter.subject.id) }] : [];
    const names = await resolveTargets(db, scope, [...rows.map((r) => ({ entity: r.entity, entityId: r.entity_id })), ...subjectRef]);
    // Reading the log is itself an event worth keeping, with the question asked.
    await auditOutsideCall(db, { actor: ctx.actor, action: 'view', entity: 'audit_log', detail: { offset, limit, ...filter } }, ctx.app.now());
    return {
      total: Number(total.n),
      subjectName: filter.subject ? (names.get(`${filter.subject.kind}:${filter.subject.id}`) ?? null) : null,
      rows: rows.map((r) => {
        const key = targetKey(r.entity, r.entity_id);
        return {
          id: r.id,
          at: r.at,
          actorId: r.actor_id,
          actorName: r.actor_name,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
          targetName: key ? (names.get(key) ?? null) : null,
        };
      }),
    };
  },
  'audit.actors': async (ctx) => {
    // Everyone who has an account (a filter on someone who never did anything finds nothing, which is an answer too).
    const users = await ctx.app.db.selectFrom('users').select(['id', 'display_name', 'username']).orderBy('id').execute();
    return users.map((u) => ({ id: u.id, name: `${u.display_name}（${u.username}）` }));
  },
  'audit.verify': (ctx) => verifyAuditChain(ctx.app.db),
  'audit.recordPrint': async (ctx, input) => {
    await appendAudit(ctx.trx, { actor: ctx.actor, action: 'print', entity: input.entity, entityId: input.entityId, detail: { what: input.what } }, ctx.app.now());
    return null;
  },
  'audit.recordExport': async (ctx, input) => {
    await appendAudit(
      ctx.trx,
      { actor: ctx.actor, action: 'export', entity: input.entity, detail: { what: input.what, filter: input.filter, rows: input.rowCount, format: 'xlsx' } },
      ctx.app.now(),
    );
    return null;
  },
};
