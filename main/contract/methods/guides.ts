import { z } from 'zod';
import { method } from '../define';
import { isIsoDate } from '../roc-date';
import { GUIDE_BODY_MAX, GUIDE_KEYS, GUIDE_LINES_MAX, type GuideKey, type GuideSummary, type GuideVersionView } from '../types-guides';

/** Work guides in context (作業指引, issue 14 §2). */

const STAFF = ['worker', 'supervisor', 'admin'] as const;

const keySchema = z.enum(GUIDE_KEYS as readonly [GuideKey, ...GuideKey[]], { error: '作業指引的項目不正確' });
const dateSchema = z.string({ error: '請輸入日期' }).refine(isIsoDate, '日期格式應為 YYYY-MM-DD，且須為有效日期');

export const guidesMethods = {
  /** Every step and service item with its version in effect today. */
  'guides.list': method<GuideSummary[]>()({
    input: z.strictObject({}),
    access: STAFF,
  }),
  /** The version in effect on a day (default today), or null when none is. */
  'guides.get': method<GuideVersionView | null>()({
    input: z.strictObject({ key: keySchema, on: dateSchema.optional() }),
    access: STAFF,
  }),
  /** Every version of one guide, oldest first. */
  'guides.history': method<GuideVersionView[]>()({
    input: z.strictObject({ key: keySchema }),
    access: STAFF,
  }),
  /** A new version (管理者), in effect from a day not before today nor before the newest version's. */
  'guides.save': method<GuideVersionView>()({
    write: true,
    input: z.strictObject({
      key: keySchema,
      body: z
        .string({ error: '請填寫指引內容' })
        .trim()
        .min(1, '請填寫指引內容')
        .max(GUIDE_BODY_MAX, `指引內容最多 ${GUIDE_BODY_MAX} 個字`)
        .refine((s) => s.split(/\r\n?|\n/).length <= GUIDE_LINES_MAX, `指引內容最多 ${GUIDE_LINES_MAX} 行，請精簡`),
      effectiveFrom: z.string({ error: '請填寫生效日' }).refine(isIsoDate, '生效日格式不正確'),
      note: z.string().trim().max(200, '修訂說明最多 200 個字').optional(),
    }),
    access: ['admin'],
    maxBytes: 32 * 1024,
  }),
} as const;
