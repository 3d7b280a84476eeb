/**
 * Lookups by national ID (issue 9 §2): the duplicate check, registering or changing a person's ID,
 * and searching by ID. Each one is audited with a keyed hash of the ID (never the ID itself), and a
 * user may try only so many distinct IDs an hour and a day, because an answer of "this ID exists"
 * turns about 1,000 checksum-valid candidates of a masked ID into the full one.
 *
 * Why these limits: a worker doing intake types one ID per person, and the screen re-checks the same
 * ID as the name and birth date are typed (the same ID again costs nothing). A busy intake day is a
 * few households of up to ten people; 20 distinct IDs an hour and 60 a day leave room for that while
 * walking a mask (on average 500 tries) takes weeks and shows in the audit log on the first day.
 * 管理者 (who may open every person and reveal every ID anyway) is audited but not limited.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import type { Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import { auditOutsideCall } from '../call-hooks';
import type { Actor } from '../context';

export const ID_LOOKUPS_PER_HOUR = 20;
export const ID_LOOKUPS_PER_DAY = 60;

export type IdLookupVia = 'checkDuplicates' | 'persons.create' | 'persons.update' | 'search.id' | 'search.idPrefix' | 'links.create';

/** The audit entity of a lookup by ID; the detail holds `via`, the keyed hash and what was found. */
export const ID_LOOKUP_ENTITY = 'national_id_lookup';

// Kept in settings: whoever reads the database file reads the IDs themselves anyway; the key keeps
// them out of the audit log and its exports, where a plain hash of a 10-character ID is reversed in seconds.
const KEY_SETTING = 'identity.lookupKey';

async function lookupKey(trx: Kysely<Database>): Promise<Buffer> {
  const row = await trx.selectFrom('settings').select('value').where('key', '=', KEY_SETTING).executeTakeFirst();
  if (row) return Buffer.from(JSON.parse(row.value) as string, 'base64');
  const key = randomBytes(32);
  await trx
    .insertInto('settings')
    .values({ key: KEY_SETTING, value: JSON.stringify(key.toString('base64')) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const again = await trx.selectFrom('settings').select('value').where('key', '=', KEY_SETTING).executeTakeFirstOrThrow();
  return Buffer.from(JSON.parse(again.value) as string, 'base64');
}

/**
 * HMAC-SHA-256 of the normalised ID (or prefix), shortened: enough to tell lookups apart, not to reverse.
 * Written with the letters a-p (one per hex digit), never digits, so the audit log's ID masking (a letter,
 * then 9 digits) can never take part of it for a national ID and change it.
 */
async function idHash(trx: Kysely<Database>, value: string): Promise<string> {
  const hex = createHmac('sha256', await lookupKey(trx)).update(value).digest('hex').slice(0, 24);
  return hex.replace(/[0-9a-f]/g, (c) => String.fromCharCode(97 + parseInt(c, 16)));
}

export const ID_LOOKUP_LIMIT_MESSAGE = (perWhat: '一小時' | '一天', n: number) =>
  `您在${perWhat}內以身分證字號查詢的人數已達上限（${n} 人），請稍後再試。若確有大量建檔需求，請洽管理者。`;

/**
 * Admits one lookup of `value` (a normalised ID or ID prefix) by the actor, or refuses it (RULE,
 * details.rateLimited) when the actor has tried too many distinct IDs lately. Call inside the write
 * transaction of the lookup; then audit it with auditIdLookup once the answer is known.
 */
export async function admitIdLookup(
  trx: Kysely<Database>,
  scope: Scope,
  value: string,
  via: IdLookupVia,
  opts: { limited: boolean },
  now: Date,
): Promise<string> {
  const hash = await idHash(trx, value);
  const userId = scope.actor.userId;
  if (opts.limited && !scope.all) {
    const distinctSince = async (ms: number) => {
      const since = new Date(now.getTime() - ms).toISOString();
      const repeat = await trx.selectFrom('id_lookups').select('id').where('user_id', '=', userId).where('at', '>', since).where('id_hash', '=', hash).executeTakeFirst();
      if (repeat) return 0; // the same ID again (the screen re-checks as the user types) costs nothing
      const r = await trx
        .selectFrom('id_lookups')
        .select(sql<number>`count(distinct id_hash)`.as('n'))
        .where('user_id', '=', userId)
        .where('at', '>', since)
        .where('via', '!=', 'search.idPrefix')
        .executeTakeFirstOrThrow();
      return Number(r.n) + 1;
    };
    const refuse = (perWhat: '一小時' | '一天', n: number) =>
      new ApiError('RULE', ID_LOOKUP_LIMIT_MESSAGE(perWhat, n), { fields: { nationalId: `查詢次數已達上限，請稍後再試` }, details: { rateLimited: true, limit: n, per: perWhat === '一小時' ? 'hour' : 'day' } });
    if ((await distinctSince(3_600_000)) > ID_LOOKUPS_PER_HOUR) throw refuse('一小時', ID_LOOKUPS_PER_HOUR);
    if ((await distinctSince(86_400_000)) > ID_LOOKUPS_PER_DAY) throw refuse('一天', ID_LOOKUPS_PER_DAY);
  }
  await trx.insertInto('id_lookups').values({ user_id: userId, at: now.toISOString(), id_hash: hash, via }).execute();
  return hash;
}

/** The audit row of one lookup: how, the keyed hash, and what kind of answer it got. */
export async function auditIdLookup(
  trx: Kysely<Database>,
  actor: Actor,
  hash: string,
  via: IdLookupVia,
  found: 'none' | 'inScope' | 'elsewhere' | number,
  now: Date,
): Promise<void> {
  await appendAudit(trx, { actor, action: 'view', entity: ID_LOOKUP_ENTITY, entityId: null, detail: { via, idHash: hash, found } }, now);
}

/** Runs `work`; a lookup it refused for the limit is audited too, after the refused transaction rolled back (services/call-hooks.ts). */
export async function auditingRefusals<T>(db: Kysely<Database>, actor: Actor, via: IdLookupVia, now: Date, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ApiError && err.details?.rateLimited === true) {
      await auditOutsideCall(db, { actor, action: 'denied', entity: ID_LOOKUP_ENTITY, entityId: null, detail: { via, rateLimited: true } }, now, { even: 'failed' });
    }
    throw err;
  }
}
