import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { writeTransaction } from '../../../db/tx';
import { normalizeInput } from '../../contract/text';
import type { AuditVerifyResult } from '../../contract/types';
import type { Actor } from '../context';
import { auditSealOf } from './seal';
import { afterCommit } from '../call-store';

/**
 * The audit log (稽核紀錄): append-only, each row chained to the one before by
 * SHA-256, with ids allotted without gaps, so an edited, inserted or deleted row
 * shows up in verifyAuditChain. The newest id and hash are also kept in settings
 * so a truncated tail is noticed too.
 *
 * The SHA-256 chain alone can be recomputed by anyone who can write the file.
 * When the handle carries the audit key (seal.ts), each row is also sealed with
 * an HMAC and the head is signed into a checkpoint file outside the database;
 * verification then trusts neither the rows nor the in-database head marker.
 */
export const GENESIS_HASH = '0'.repeat(64);
const HEAD_KEY = 'audit.head';

export type AuditAction =
  | 'login'
  | 'login.failed'
  | 'logout'
  | 'lock'
  | 'unlock'
  | 'unlock.failed'
  | 'setup'
  | 'password.change'
  | 'password.failed'
  | 'view'
  | 'denied'
  | 'create'
  | 'update'
  | 'delete'
  | 'export'
  | 'print'
  | 'import';

export interface AuditInput {
  actor: Pick<Actor, 'userId' | 'displayName'> | null;
  /** Shown when there is no signed-in actor, e.g. the username typed at a failed sign-in. */
  actorLabel?: string;
  action: AuditAction;
  entity: string;
  entityId?: string | number | null;
  detail?: Record<string, unknown> | null;
}

// National IDs and resident certificate numbers must never reach the log, in any form they are typed
// (issue 9 §7). Text is first normalised (NFKC: full-width → half-width; zero-width and control
// characters removed), then any letter + [12ABCD89] + 8 digits is masked, wherever it stands and
// even with separators (spaces, dashes, dots, slashes, underscores) between the characters: once
// those are dropped it is an ID again. Masking too much is the safe side.
const SEP = '[\\s\\-\\u2010-\\u2015\\u2212._/\\\\]*';
const ID_PATTERN = new RegExp(`[A-Za-z]${SEP}[12ABCD89abcd](?:${SEP}\\d){8}`, 'g');
const FORBIDDEN_KEYS = new Set(['password', 'narrative', 'nationalId', 'national_id', 'passwordHash']);

function sanitizeText(value: string): string {
  // Line by line, so a multi-line remark keeps its lines (normalizeInput folds white space).
  const normalised = value.split('\n').map(normalizeInput).join('\n');
  ID_PATTERN.lastIndex = 0;
  // Text with no ID in any form is kept exactly as written (full-width punctuation included).
  if (!ID_PATTERN.test(normalised)) return value;
  ID_PATTERN.lastIndex = 0;
  return normalised.replace(ID_PATTERN, (m) => {
    const id = m.replace(/[^A-Za-z0-9]/g, '');
    return `${id.slice(0, 3)}****${id.slice(7)}`;
  });
}

function sanitize(value: unknown): unknown {
  if (typeof value === 'string') return sanitizeText(value);
  if (Array.isArray(value)) return value.map(sanitize);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[sanitizeText(k)] = FORBIDDEN_KEYS.has(k) ? '[不記錄]' : sanitize(v);
    }
    return out;
  }
  return value;
}

interface HashFields {
  id: number;
  at: string;
  actor_id: number | null;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: string | null;
  prev_hash: string;
}

export function hashEntry(f: HashFields): string {
  const canonical = JSON.stringify([f.id, f.at, f.actor_id, f.actor_name, f.action, f.entity, f.entity_id, f.detail, f.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Appends inside the caller's transaction, so the change and its audit row commit together. */
export async function appendAudit(trx: Kysely<Database>, entry: AuditInput, now: Date): Promise<number> {
  const last = await trx.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const fields: HashFields = {
    id: (last?.id ?? 0) + 1,
    at: now.toISOString(),
    actor_id: entry.actor?.userId ?? null,
    // The label is whatever was typed at a failed sign-in, which may well be a national ID.
    actor_name: sanitizeText(entry.actor?.displayName ?? entry.actorLabel ?? '(系統)'),
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : sanitizeText(String(entry.entityId)),
    detail: entry.detail ? JSON.stringify(sanitize(entry.detail)) : null,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = hashEntry(fields);
  const seal = auditSealOf(trx);
  await trx
    .insertInto('audit_log')
    .values({ ...fields, hash, mac: seal ? seal.mac(hash) : null })
    .execute();
  // The checkpoint file records committed rows only: written after the dispatcher's commit.
  if (seal) afterCommit(() => seal.scheduleCheckpoint());
  const head = JSON.stringify({ id: fields.id, hash });
  await trx
    .insertInto('settings')
    .values({ key: HEAD_KEY, value: head })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: head }))
    .execute();
  return fields.id;
}

/** Appends in a transaction of its own (sign-in events, views). */
export function recordAudit(db: Kysely<Database>, entry: AuditInput, now: Date): Promise<number> {
  return writeTransaction(db, (trx) => appendAudit(trx, entry, now));
}

/** Walks the whole chain in id order and reports every break it finds, in zh-TW. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerifyResult> {
  const seal = auditSealOf(db);
  await seal?.flush();
  const checkpoint = seal?.readCheckpoint() ?? { state: 'missing' as const };
  const checkpointId = checkpoint.state === 'ok' ? checkpoint.checkpoint.id : null;
  let checkpointRowHash: string | null = null;
  const problems: AuditVerifyResult['problems'] = [];
  let expectedId = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let sealedSeen = false;
  let lastSealed = false;
  const BATCH = 5000;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>=', expectedId)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.id !== expectedId) {
        problems.push({ id: row.id, message: `第 ${expectedId} 至 ${row.id - 1} 筆紀錄遺失（可能遭刪除）` });
      }
      if (row.prev_hash !== prevHash) {
        problems.push({ id: row.id, message: `第 ${row.id} 筆與前一筆的鏈結不符（前一筆可能遭修改或刪除）` });
      }
      const { hash, mac, ...fields } = row;
      if (hashEntry(fields) !== hash) {
        problems.push({ id: row.id, message: `第 ${row.id} 筆內容與雜湊值不符（紀錄遭修改）` });
      }
      if (seal) {
        if (mac !== null) {
          if (!seal.macMatches(seal.mac(hash), mac)) {
            problems.push({ id: row.id, message: `第 ${row.id} 筆的金鑰驗證碼不符（紀錄遭改寫）` });
          }
          sealedSeen = true;
          lastSealed = true;
        } else {
          // Unsealed rows are legitimate only before the first sealed one (written before the key existed).
          if (sealedSeen) problems.push({ id: row.id, message: `第 ${row.id} 筆缺少金鑰驗證碼（不是本系統寫入的紀錄）` });
          lastSealed = false;
        }
      }
      if (row.id === checkpointId) checkpointRowHash = hash;
      prevHash = hash;
      expectedId = row.id + 1;
      checked++;
    }
  }
  const headRow = await db.selectFrom('settings').select('value').where('key', '=', HEAD_KEY).executeTakeFirst();
  if (headRow) {
    const head = JSON.parse(headRow.value) as { id: number; hash: string };
    if (head.id !== expectedId - 1) {
      problems.push({ id: head.id, message: `最新紀錄應為第 ${head.id} 筆，實際只到第 ${expectedId - 1} 筆（尾端紀錄遭刪除或修改）` });
    } else if (head.hash !== prevHash) {
      problems.push({ id: head.id, message: `最新一筆（第 ${head.id} 筆）與最新紀錄標記不符（紀錄遭修改）` });
    }
  } else if (checked > 0) {
    problems.push({ id: null, message: '找不到稽核鏈的最新紀錄標記' });
  }
  if (checked === 0) {
    // An empty log is complete only on a database nobody has used yet.
    const users = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const checkpointSaysMore = checkpoint.state === 'unreadable' || (checkpoint.state === 'ok' && checkpoint.checkpoint.id > 0);
    if (Number(users.n) > 0 || headRow || checkpointSaysMore) {
      problems.push({ id: null, message: '沒有任何稽核紀錄，但資料庫已有使用者或曾有紀錄（紀錄可能遭全部刪除）' });
    }
  }
  if (seal && checked > 0 && !lastSealed) {
    problems.push({ id: expectedId - 1, message: `最新一筆（第 ${expectedId - 1} 筆）沒有金鑰驗證碼（紀錄鏈可能遭整條改寫或截斷）` });
  }
  if (seal && seal.checkpointFile !== null) {
    if (checkpoint.state === 'unreadable') {
      problems.push({ id: null, message: '稽核檢查點檔（audit-checkpoint.json）無法讀取（檔案遭修改或損壞）' });
    } else if (checkpoint.state === 'missing') {
      if (checked > 0 && sealedSeen) problems.push({ id: null, message: '找不到稽核檢查點檔（audit-checkpoint.json），無法確認紀錄未遭截斷' });
    } else {
      const cp = checkpoint.checkpoint;
      if (!seal.checkpointIsGenuine(cp)) {
        problems.push({ id: null, message: '稽核檢查點檔的簽章不符（檔案遭修改）' });
      } else if (cp.id === 0 && cp.hash === GENESIS_HASH) {
        // Signed before anything was sealed: nothing to compare yet.
      } else if (checkpointRowHash === null) {
        problems.push({ id: cp.id, message: `稽核紀錄只到第 ${expectedId - 1} 筆，少於檢查點記載的第 ${cp.id} 筆（紀錄遭刪除，或資料庫被換成舊版）` });
      } else if (checkpointRowHash !== cp.hash) {
        problems.push({ id: cp.id, message: `第 ${cp.id} 筆與檢查點記載的內容不符（紀錄遭改寫）` });
      }
    }
  }
  return { ok: problems.length === 0, checked, problems };
}

/**
 * Seals the chain the first time an install opens its database with the audit key: one
 * row, written with the key, whose link covers every older (SHA-256 only) row. Nothing
 * is re-hashed: the old rows stay exactly as they were written.
 */
export async function sealLegacyChain(db: Kysely<Database>, now: Date): Promise<boolean> {
  if (!auditSealOf(db)) return false;
  return writeTransaction(db, async (trx) => {
    const last = await trx.selectFrom('audit_log').select(['id', 'mac']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (!last || last.mac !== null) return false;
    await appendAudit(trx, { actor: null, action: 'update', entity: 'audit.chain', detail: { sealed: true, unsealedRows: last.id } }, now);
    return true;
  });
}
