import { z } from 'zod';
import { method } from '../define';
import { idSchema, versionSchema } from '../schemas';
import { PROTECTION_DELETE_REASONS, PROTECTION_KINDS, PROTECTION_SOURCES, type ProtectionReportView } from '../types-outcomes';
import { dateSchema } from './households';

/**
 * Protection reports (保護通報) on a household (issue 13 §6). The role lists are the first gate; the
 * service then applies services/access/scope.ts: a 社工 reaches the households of their cases,
 * concerns or own intake, a 督導 their teams', a 管理者 all. 實物銀行 and 稽核 reach none.
 */
const STAFF = ['worker', 'supervisor', 'admin'] as const;

const reportFields = {
  reportedOn: dateSchema,
  source: z.enum(PROTECTION_SOURCES, { error: '請選擇通報來源' }),
  kind: z.enum(PROTECTION_KINDS, { error: '請選擇通報類型' }),
  /** The household's persons concerned (optional). */
  personIds: z.array(idSchema).max(20, '最多選 20 位').default([]),
};

export const outcomesMethods = {
  /** The household's protection reports, newest first. */
  'protection.list': method<ProtectionReportView[]>()({ input: z.strictObject({ householdId: idSchema }), access: STAFF }),
  'protection.record': method<ProtectionReportView>()({
    write: true,
    input: z.strictObject({ householdId: idSchema, ...reportFields }),
    access: STAFF,
  }),
  /** Corrects what was typed (date, source, kind, persons); refused over an older version. */
  'protection.correct': method<ProtectionReportView>()({
    write: true,
    input: z.strictObject({ id: idSchema, version: versionSchema, ...reportFields }),
    access: STAFF,
  }),
  'protection.delete': method<{ deleted: true }>()({
    write: true,
    input: z.strictObject({ id: idSchema, version: versionSchema, reason: z.enum(PROTECTION_DELETE_REASONS, { error: '請選擇刪除原因' }) }),
    access: STAFF,
  }),
} as const;
