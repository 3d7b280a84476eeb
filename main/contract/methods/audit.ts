import { z } from 'zod';
import { method } from '../define';
import type { AuditActorOption, AuditListPage, AuditVerifyResult } from '../types';
import { idSchema, isoDateSchema } from '../schemas';

const empty = z.strictObject({});

const dayRange = { message: '結束日期不能早於開始日期', path: ['to'] };

/** The filters of the audit screen (and of its export). */
const auditFilterShape = {
    action: z.string().max(40).optional(),
    actorId: idSchema.optional(),
    from: isoDateSchema.optional(),
    to: isoDateSchema.optional(),
    entity: z.string().trim().min(1).max(40).regex(/^[a-z_.]+$/, '對象類別格式不正確').optional(),
    entityId: z.string().trim().min(1, '請輸入紀錄編號').max(40).optional(),
    subject: z.strictObject({ kind: z.enum(['person', 'household']), id: idSchema }).optional(),
};
const validRange = (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to;
export const auditFilterSchema = z.strictObject(auditFilterShape).refine(validRange, dayRange);

export const auditMethods = {
  // --- audit (稽核) -------------------------------------------------------------
  /**
   * One page of the log, newest first, filtered on the server. `from`/`to` are Taipei days (both
   * inclusive). `subject` is the 個資法 question "who saw this person / household": every row about
   * the person, and about their household, its cases, service records and concerns while they were
   * a member. Each row carries `targetName` only when the caller may see that record.
   */
  'audit.list': method<AuditListPage>()({
    input: z
      .strictObject({
        ...auditFilterShape,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .refine(validRange, dayRange),
    access: ['auditor', 'admin'],
  }),
  /** Everyone who appears in the log as an actor, for the user filter. */
  'audit.actors': method<AuditActorOption[]>()({ input: empty, access: ['auditor', 'admin'] }),
  'audit.verify': method<AuditVerifyResult>()({ input: empty, access: ['auditor', 'admin'] }),
  /** The renderer reports what it printed (a genogram, a receipt, a sign-in sheet): printing personal data is audited too. */
  'audit.recordPrint': method<null>()({
    write: true,
    input: z.strictObject({
      entity: z.string().trim().min(1).max(40).regex(/^[a-z_.]+$/, '對象名稱格式不正確'),
      entityId: z.union([idSchema, z.string().trim().min(1).max(40)]).nullable(),
      what: z.string().trim().min(1, '請說明列印的內容').max(60),
    }),
    access: ['worker', 'supervisor', 'admin', 'foodbank'],
  }),
  /**
   * The renderer reports a list it is about to export as xlsx (DataTable's 匯出 Excel), before it builds the
   * file: if this row cannot be written, no file is produced. No personal data: the list's name, the filter
   * in words (typed search text is replaced by the screen before it is sent) and the row count.
   */
  'audit.recordExport': method<null>()({
    write: true,
    input: z.strictObject({
      entity: z.string().trim().min(1).max(40).regex(/^[a-z_.]+$/, '對象名稱格式不正確'),
      what: z.string().trim().min(1, '請說明匯出的清單').max(60),
      filter: z.string().trim().max(300),
      rowCount: z.number().int().min(0).max(1_000_000),
    }),
    access: ['worker', 'supervisor', 'admin', 'foodbank', 'auditor'],
  }),
} as const;
