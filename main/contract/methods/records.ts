import { z } from 'zod';
import { method } from '../define';
import { idSchema, versionSchema } from '../schemas';
import {
  REFERRAL_STATUSES,
  REFERRAL_UNIT_KINDS,
  SERVICE_ITEMS,
  SERVICE_METHODS,
  type NarrativeView,
  type ReferralView,
  type ServiceRecordPage,
  type ServiceRecordView,
} from '../types-cases';
import type { RecordHistoryView } from '../types-records';
import { dateSchema, timestampSchema } from './cases';

/** Service records (服務紀錄) and referrals (轉介). */

const STAFF = ['worker', 'supervisor', 'admin'] as const;

const recordFields = {
  occurredAt: timestampSchema,
  method: z.enum(SERVICE_METHODS, { error: '服務方式不正確' }),
  participants: z.array(idSchema).max(30, '參與成員最多 30 位').refine((a) => new Set(a).size === a.length, '參與成員重複'),
  minutes: z.number({ error: '請填寫服務分鐘數' }).int('分鐘數須為整數').min(1, '服務時間至少 1 分鐘').max(1440, '服務時間最多 1440 分鐘'),
  items: z
    .array(z.enum(SERVICE_ITEMS, { error: '服務項目不正確' }))
    .min(1, '請至少選擇一個服務項目')
    .refine((a) => new Set(a).size === a.length, '服務項目重複'),
  nextFollowUp: dateSchema.nullable().optional(),
};

const narrativeSchema = z.string().max(20_000, '服務紀錄內容最多 20,000 字');

const oneOf = (v: { householdId?: number | undefined; caseId?: number | undefined }) => (v.householdId === undefined) !== (v.caseId === undefined);
const oneOfIssue = { message: '請指定家戶或個案其中之一', path: ['householdId'] };

export const recordsMethods = {
  'records.create': method<ServiceRecordView>()({
    write: true,
    input: z
      .strictObject({
        householdId: idSchema,
        caseId: idSchema.optional(),
        concernId: idSchema.optional(),
        ...recordFields,
        narrative: narrativeSchema.default(''),
        referral: z
          .strictObject({
            unitKind: z.enum(REFERRAL_UNIT_KINDS, { error: '轉介單位類別不正確' }),
            unitName: z.string().trim().min(1, '請填寫轉介單位名稱').max(80, '單位名稱最多 80 個字'),
            reason: z.string().trim().min(1, '請填寫轉介原因').max(1000, '轉介原因最多 1000 個字'),
            /** Picked from the resource map (issue 14 §3): must exist and be active; its name and kind are used. */
            resourceId: idSchema.optional(),
          })
          .optional(),
      })
      .refine((v) => v.caseId !== undefined || v.concernId !== undefined, { message: '服務紀錄須掛在個案或長期關懷戶之下', path: ['caseId'] }),
    access: STAFF,
    maxBytes: 128 * 1024,
  }),
  'records.update': method<ServiceRecordView>()({
    write: true,
    input: z.strictObject({
      id: idSchema,
      version: versionSchema,
      ...recordFields,
      /** Omitted: the narrative stays as it is (lists never carry it). */
      narrative: narrativeSchema.optional(),
      /** 修改原因: kept with the earlier state in the record's history. */
      reason: z.string({ error: '請填寫修改原因' }).trim().min(1, '請填寫修改原因').max(500, '修改原因最多 500 個字'),
    }),
    access: STAFF,
    maxBytes: 128 * 1024,
  }),
  /** One record without its narrative (the edit screen). */
  'records.get': method<ServiceRecordView>()({ input: z.strictObject({ id: idSchema }), access: STAFF }),
  /** Newest first, without narratives. */
  'records.list': method<ServiceRecordPage>()({
    input: z
      .strictObject({
        householdId: idSchema.optional(),
        caseId: idSchema.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .refine(oneOf, oneOfIssue),
    access: STAFF,
  }),
  /**
   * Every correction of one record, newest first: who, when, why and the fields before and after. The
   * earlier narratives only for the record's author and the team's 督導; each call is audited.
   */
  'records.history': method<RecordHistoryView>()({ input: z.strictObject({ id: idSchema }), access: STAFF }),
  /** The narrative of one record; every call is written to the audit log (never the text). */
  'records.narrative': method<NarrativeView>()({ input: z.strictObject({ id: idSchema }), access: STAFF }),

  'referrals.updateStatus': method<ReferralView>()({
    write: true,
    input: z.strictObject({
      id: idSchema,
      version: versionSchema.optional(),
      status: z.enum(REFERRAL_STATUSES, { error: '轉介狀態不正確' }),
      note: z.string().trim().max(1000, '說明最多 1000 個字').optional(),
    }),
    access: STAFF,
  }),
  'referrals.list': method<ReferralView[]>()({
    input: z.strictObject({ householdId: idSchema.optional(), caseId: idSchema.optional() }).refine(oneOf, oneOfIssue),
    access: STAFF,
  }),
} as const;
