import { z } from 'zod';
import { method } from '../define';
import type { AuditEntryView, AuditVerifyResult, Page } from '../types';
import { idSchema } from '../schemas';

const empty = z.strictObject({});

export const auditMethods = {
  // --- audit (稽核) -------------------------------------------------------------
  'audit.list': method<Page<AuditEntryView>>()({
    input: z.strictObject({
      action: z.string().max(40).optional(),
      actorId: idSchema.optional(),
      from: z.string().max(30).optional(),
      to: z.string().max(30).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    access: ['auditor', 'admin'],
  }),
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
