import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import type { ActiveSessionView, SessionKind } from '../../contract/methods/sessions';
import type { Role } from '../../contract/roles';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';

/**
 * The administrator's view of the sessions table (登入中的使用者). Reads never select the token's hash;
 * a session is named by its row id, which says nothing about the token.
 */

export function sessionKind(transport: string): SessionKind {
  if (transport === 'ipc') return 'desktop';
  if (transport === 'http') return 'browser';
  return 'other';
}

/** `http:192.168.1.23` → `192.168.1.23`; `ipc:local` → `local`; an IPv4-mapped IPv6 address loses its prefix. */
export function sessionAddress(transport: string, source: string): string {
  const bare = source.startsWith(`${transport}:`) ? source.slice(transport.length + 1) : source;
  return bare.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

function liveSessions(db: Kysely<Database>, now: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.transport',
      'sessions.source',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.locked',
      'users.id as user_id',
      'users.username',
      'users.display_name',
      'users.role',
    ])
    .where('sessions.expires_at', '>=', now.toISOString())
    .where('users.disabled_at', 'is', null);
}

/** Every session that would be accepted now (unexpired, user not disabled), the most recently used first. */
export async function listActiveSessions(db: Kysely<Database>, now: Date, currentSessionId: number): Promise<ActiveSessionView[]> {
  const rows = await liveSessions(db, now).orderBy('sessions.last_seen_at', 'desc').orderBy('sessions.id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    kind: sessionKind(r.transport),
    address: sessionAddress(r.transport, r.source),
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    locked: Number(r.locked) === 1,
    current: r.id === currentSessionId,
  }));
}

/**
 * Ends another person's session, inside the caller's transaction, with an audit row naming whose session
 * it was; the person's next call, in any process, is UNAUTHENTICATED. The administrator's own session is
 * refused: 登出 ends that one.
 */
export async function endSession(trx: Kysely<Database>, actor: Actor, currentSessionId: number, id: number, now: Date): Promise<void> {
  const row = await liveSessions(trx, now).where('sessions.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', '這個登入已經結束或逾時，請重新整理清單。');
  if (row.id === currentSessionId) throw new ApiError('RULE', '這是您目前的登入，不能在這裡結束；要結束請使用「登出」。');
  await trx.deleteFrom('sessions').where('id', '=', row.id).execute();
  await appendAudit(
    trx,
    {
      actor,
      action: 'logout',
      entity: 'session',
      entityId: row.id,
      detail: {
        endedByAdmin: true,
        userId: row.user_id,
        username: row.username,
        displayName: row.display_name,
        kind: sessionKind(row.transport),
        address: sessionAddress(row.transport, row.source),
      },
    },
    now,
  );
}
