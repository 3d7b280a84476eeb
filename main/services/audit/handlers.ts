import { sql } from 'kysely';
import type { HandlerTable } from '../../api/registry';
import { auditOutsideCall } from '../call-hooks';
import { appendAudit, verifyAuditChain } from './log';

export const auditHandlers: HandlerTable<'audit.list' | 'audit.verify' | 'audit.recordPrint' | 'audit.recordExport'> = {
  'audit.list': async (ctx, input) => {
    let q = ctx.app.db.selectFrom('audit_log');
    if (input.action) q = q.where('action', '=', input.action);
    if (input.actorId) q = q.where('actor_id', '=', input.actorId);
    if (input.from) q = q.where('at', '>=', input.from);
    if (input.to) q = q.where('at', '<', input.to);
    const total = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy('id', 'desc').offset(input.offset).limit(input.limit).execute();
    // Reading the log is itself an event worth keeping.
    await auditOutsideCall(ctx.app.db, { actor: ctx.actor, action: 'view', entity: 'audit_log', detail: { offset: input.offset, limit: input.limit, action: input.action ?? null } }, ctx.app.now());
    return {
      total: Number(total.n),
      rows: rows.map((r) => ({
        id: r.id,
        at: r.at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      })),
    };
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
