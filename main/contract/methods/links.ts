import { z } from 'zod';
import { method } from '../define';
import { validateNationalId } from '../national-id';
import { idSchema, versionSchema } from '../schemas';
import { LINK_END_REASONS, LINK_RELATIONS, type EcomapView, type HouseholdLinksView, type LinkCreateResult, type PersonLinkView } from '../types-links';
import { dateSchema } from './households';

/**
 * Linked families: relations between people of different households, and the ecomap (issue 14 §5).
 * The role lists are the first gate; the service then applies services/access/scope.ts: the member's
 * household must be in the caller's scope (社工: own cases, 協力, concerns, own intake; 督導: their
 * teams'; 管理者: all). The other side of a link is named only when its household is in scope too;
 * otherwise it is 另一戶（非本人轄區） and the relation, nothing more. 實物銀行 and 稽核 reach none.
 */
const STAFF = ['worker', 'supervisor', 'admin'] as const;

const relationSchema = z.enum(LINK_RELATIONS, { error: '請選擇關係' });
const noteSchema = z
  .string()
  .max(200, '說明最多 200 個字')
  .transform((s) => (s.trim() === '' ? null : s.trim()))
  .nullable()
  .optional();

const requiredNationalId = z
  .string({ error: '請輸入身分證字號' })
  .max(20, '身分證字號格式不符')
  .transform((v, ctx) => {
    const r = validateNationalId(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: v.trim() === '' ? '請輸入身分證字號' : r.message });
      return z.NEVER;
    }
    return r.id;
  });

/** The other person: one of a household in the caller's scope, or anyone registered, by 身分證字號. */
const targetSchema = z.union([z.strictObject({ personId: idSchema }), z.strictObject({ nationalId: requiredNationalId })], { error: '請選擇對方或輸入身分證字號' });

export const linksMethods = {
  /** Each member of the household (current and past) with their active links. Not audited: the household page's view row covers it. */
  'links.list': method<HouseholdLinksView>()({ input: z.strictObject({ householdId: idSchema }), access: STAFF }),
  /**
   * Links a member (personId) to another person: `relation` is what the other person is to the member.
   * By 身分證字號, a lookup that is rate-limited and audited like every other (keyed hash, never the ID);
   * the answer then names nobody the caller may not see; an ID nobody has answers nationalIdNotFound
   * (not an error, so the lookup stays counted). Refused: the same person, a member of the same household,
   * the same relation already there.
   */
  'links.create': method<LinkCreateResult>()({
    write: true,
    input: z.strictObject({ personId: idSchema, target: targetSchema, relation: relationSchema, note: noteSchema }),
    access: STAFF,
  }),
  /** Changes the relation (seen from fromPersonId, one of the two, in scope) or the note; refused over an older version. */
  'links.update': method<PersonLinkView>()({
    write: true,
    input: z.strictObject({ id: idSchema, version: versionSchema, fromPersonId: idSchema, relation: relationSchema, note: noteSchema }),
    access: STAFF,
  }),
  /** Ends a link (kept for the record, no longer drawn). */
  'links.end': method<{ ended: true }>()({
    write: true,
    input: z.strictObject({ id: idSchema, version: versionSchema, endedOn: dateSchema, reason: z.enum(LINK_END_REASONS, { error: '請選擇結束原因' }) }),
    access: STAFF,
  }),
  /** The household's ecomap: referrals, aid from other units, programmes, linked households. */
  'links.ecomap': method<EcomapView>()({ input: z.strictObject({ householdId: idSchema }), access: STAFF }),
} as const;
