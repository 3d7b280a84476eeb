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
} as const;
