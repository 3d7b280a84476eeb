import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';

/** Where the drafts secret lives (settings table, JSON string): made once, never sent to a client. */
export const DRAFT_SECRET_KEY = 'drafts.secret';

/**
 * The key a user's renderer encrypts its local drafts with (AES-256-GCM, raw, base64): HMAC-SHA256 of the
 * user id under a secret kept in the (encrypted) database. The browser's storage alone therefore reads as
 * nothing, and one user's drafts cannot be opened with another user's key.
 */
export async function draftKeyFor(trx: Kysely<Database>, userId: number): Promise<string> {
  await trx
    .insertInto('settings')
    .values({ key: DRAFT_SECRET_KEY, value: JSON.stringify(randomBytes(32).toString('base64')) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await trx.selectFrom('settings').select('value').where('key', '=', DRAFT_SECRET_KEY).executeTakeFirstOrThrow();
  const secret = Buffer.from(JSON.parse(row.value) as string, 'base64');
  return createHmac('sha256', secret).update(`welfare-desk draft key v1\u0000user:${userId}`).digest('base64');
}
