import { z } from 'zod';
import { method } from '../define';
import { isIsoDate } from '../roc-date';
import { idSchema, searchTextSchema, versionSchema } from '../schemas';
import {
  CASE_REQUEST_KINDS,
  CASE_SOURCES,
  CASE_STATUSES,
  CASE_TYPES,
  CODE_LISTS,
  RISK_LEVELS,
  type ApprovalRow,
  type CaseDetail,
  type CaseListRow,
  type CaseloadPage,
  type CodeListVersionView,
  type CodeListView,
  type ConcernVisitRow,
  type FollowUpRow,
  type ReopenResult,
  type TeamCaseloadPage,
  type UncontactedRow,
  type VisitCalendar,
} from '../types-cases';
import type { Page } from '../types';
import type { CaseVisitSchedule, ReassessDueRow, VisitDueRow } from '../types-visits';

/** Cases (個案), their code lists (代碼表) and the worklists built on them. */

const STAFF = ['worker', 'supervisor', 'admin'] as const;

/** A calendar date, `YYYY-MM-DD`. */
export const dateSchema = z.string({ error: '請輸入日期' }).refine(isIsoDate, '日期格式應為 YYYY-MM-DD，且須為有效日期');

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
/**
 * A moment with its zone (`2026-03-05T09:30:00+08:00` or `...Z`), stored as UTC
 * ISO-8601 so stored timestamps compare as text.
 */
export const timestampSchema = z
  .string({ error: '請輸入日期時間' })
  .refine((s) => TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s)), '日期時間格式不正確（例：2026-03-05T09:30:00+08:00）')
  .transform((s) => new Date(s).toISOString());

const text = (max: number, label: string) => z.string().trim().max(max, `${label}最多 ${max} 個字`);
const requiredText = (max: number, label: string) => z.string({ error: `請填寫${label}` }).trim().min(1, `請填寫${label}`).max(max, `${label}最多 ${max} 個字`);

const sourceSchema = z.enum(CASE_SOURCES, { error: '案件來源應為 A 至 F' });
const caseTypeSchema = z.enum(CASE_TYPES, { error: '個案類型不正確' });
const riskSchema = z.enum(RISK_LEVELS, { error: '風險等級應為低、中或高' });
const factorsSchema = z
  .array(z.string().trim().min(1).max(20), { error: '脆弱性因子格式不正確' })
  .max(60, '脆弱性因子最多 60 項')
  .refine((a) => new Set(a).size === a.length, '脆弱性因子重複');
const assistantsSchema = z.array(idSchema).max(10, '協力社工最多 10 位').refine((a) => new Set(a).size === a.length, '協力社工重複');
const statusFilterSchema = z.union([z.enum(CASE_STATUSES), z.literal('active'), z.literal('closed'), z.literal('all')], { error: '狀態篩選不正確' });
export const CASELOAD_SORTS = ['received-desc', 'received-asc', 'case-no', 'last-service', 'status', 'risk'] as const;
const sortSchema = z.enum(CASELOAD_SORTS).default('received-desc');
const offsetSchema = z.number().int().min(0).default(0);
const limitSchema = z.number().int().min(1).max(200).default(50);
const searchSchema = searchTextSchema(40).optional();

const referringUnitRule = (v: { source: string; referringUnit?: string | null | undefined }) =>
  v.source !== 'B' || (v.referringUnit ?? '').trim().length > 0;
const referringUnitIssue = { message: '來源為「網絡轉介或政府單位」時請填寫轉介單位', path: ['referringUnit'] };

export const casesMethods = {
  // --- code lists (代碼表) -----------------------------------------------------
  'codelists.versions': method<CodeListVersionView[]>()({
    input: z.strictObject({ list: z.enum(CODE_LISTS, { error: '代碼表名稱不正確' }) }),
    access: STAFF,
  }),
  /** The version in force on a date (default today), or a given version. */
  'codelists.get': method<CodeListView>()({
    input: z.strictObject({
      list: z.enum(CODE_LISTS, { error: '代碼表名稱不正確' }),
      onDate: dateSchema.optional(),
      versionId: idSchema.optional(),
    }),
    access: STAFF,
  }),
  'codelists.addVersion': method<CodeListView>()({
    write: true,
    input: z.strictObject({
      list: z.enum(CODE_LISTS, { error: '代碼表名稱不正確' }),
      effectiveFrom: dateSchema,
      note: text(200, '說明').optional(),
      items: z
        .array(
          z.strictObject({
            code: z.string().trim().min(1, '請填寫代碼').max(20, '代碼最多 20 個字').regex(/^[0-9A-Za-z-]+$/, '代碼只能使用英數字與連字號'),
            group: z.string().trim().min(1).max(20).nullable(),
            label: requiredText(100, '名稱'),
          }),
        )
        .min(1, '代碼表至少要有一項')
        .max(500, '代碼表最多 500 項'),
    }),
    access: ['admin'],
    maxBytes: 256 * 1024,
  }),

  // --- cases (個案) -------------------------------------------------------------
  'cases.intake': method<CaseDetail>()({
    write: true,
    input: z
      .strictObject({
        householdId: idSchema,
        source: sourceSchema,
        referringUnit: text(80, '轉介單位').nullable().optional(),
        receivedAt: timestampSchema,
        dispatchedAt: timestampSchema.nullable().optional(),
        caseType: caseTypeSchema,
        factors: factorsSchema,
        riskLevel: riskSchema,
        leadWorkerId: idSchema.nullable(),
        assistantIds: assistantsSchema.default([]),
        summary: text(4000, '案情摘要').nullable().optional(),
        fromConcernId: idSchema.optional(),
      })
      .refine(referringUnitRule, referringUnitIssue)
      .refine((v) => !v.dispatchedAt || v.dispatchedAt >= v.receivedAt, { message: '派案時間不能早於收案時間', path: ['dispatchedAt'] }),
    access: STAFF,
  }),
  'cases.get': method<CaseDetail>()({ input: z.strictObject({ id: idSchema }), access: STAFF }),
  /** Every case of a household, newest first (the household page). */
  'cases.listByHousehold': method<CaseListRow[]>()({ input: z.strictObject({ householdId: idSchema }), access: STAFF }),
  'cases.update': method<CaseDetail>()({
    write: true,
    input: z
      .strictObject({
        id: idSchema,
        version: versionSchema,
        source: sourceSchema,
        referringUnit: text(80, '轉介單位').nullable(),
        dispatchedAt: timestampSchema.nullable(),
        caseType: caseTypeSchema,
        factors: factorsSchema,
        riskLevel: riskSchema,
        summary: text(4000, '案情摘要').nullable(),
      })
      .refine(referringUnitRule, referringUnitIssue),
    access: STAFF,
  }),
  /** 派案 / 改派: the supervisor names the lead (主責) and assistants (協力). */
  'cases.assign': method<CaseDetail>()({
    write: true,
    input: z.strictObject({
      id: idSchema,
      version: versionSchema.optional(),
      leadWorkerId: idSchema,
      assistantIds: assistantsSchema.default([]),
      reason: text(500, '說明').optional(),
    }),
    access: ['supervisor', 'admin'],
  }),
  'cases.request': method<CaseDetail>()({
    write: true,
    input: z
      .strictObject({
        caseId: idSchema,
        kind: z.enum(CASE_REQUEST_KINDS, { error: '申請種類不正確' }),
        reason: requiredText(2000, '申請理由'),
        transferTo: idSchema.optional(),
      })
      .refine((v) => (v.kind === 'transfer') === (v.transferTo !== undefined), { message: '轉案申請請選擇接案社工（其他申請不需要）', path: ['transferTo'] }),
    access: STAFF,
  }),
  'cases.decide': method<CaseDetail>()({
    write: true,
    input: z
      .strictObject({ requestId: idSchema, approve: z.boolean({ error: '請選擇核准或退回' }), comment: text(2000, '審查意見').optional() })
      .refine((v) => v.approve || (v.comment ?? '').length > 0, { message: '退回時請填寫退回原因，讓社工知道要修正什麼', path: ['comment'] }),
    access: ['supervisor', 'admin'],
  }),
  /** 撤回: whoever made a pending request takes it back; the case returns to where the request was made. */
  'cases.withdraw': method<CaseDetail>()({
    write: true,
    input: z.strictObject({ requestId: idSchema, reason: text(2000, '撤回原因').optional() }),
    access: ['worker', 'supervisor', 'admin'],
  }),
  /** 再開案: a new episode for the household of a closed case, linked to it. */
  'cases.reopen': method<ReopenResult>()({
    write: true,
    input: z
      .strictObject({
        caseId: idSchema,
        reason: requiredText(2000, '再開案理由'),
        receivedAt: timestampSchema,
        source: sourceSchema,
        referringUnit: text(80, '轉介單位').nullable().optional(),
        caseType: caseTypeSchema,
        riskLevel: riskSchema,
        /** Omitted: the old factors that the code list in force on the new date still has. */
        factors: factorsSchema.optional(),
        leadWorkerId: idSchema.optional(),
        assistantIds: assistantsSchema.optional(),
      })
      .refine(referringUnitRule, referringUnitIssue),
    access: STAFF,
  }),
  'cases.recordFirstContact': method<CaseDetail>()({
    write: true,
    input: z.strictObject({ caseId: idSchema, at: timestampSchema }),
    access: STAFF,
  }),

  // --- worklists (工作清單) -------------------------------------------------------
  'worklists.myCaseload': method<CaseloadPage>()({
    input: z.strictObject({ status: statusFilterSchema.default('active'), search: searchSchema, sort: sortSchema, offset: offsetSchema, limit: limitSchema }),
    access: STAFF,
  }),
  'worklists.teamCaseload': method<TeamCaseloadPage>()({
    input: z.strictObject({
      teamId: idSchema.optional(),
      workerId: idSchema.optional(),
      status: statusFilterSchema.default('active'),
      search: searchSchema,
      sort: sortSchema,
      offset: offsetSchema,
      limit: limitSchema,
    }),
    access: ['supervisor', 'admin'],
  }),
  'worklists.approvals': method<ApprovalRow[]>()({
    input: z.strictObject({ teamId: idSchema.optional() }),
    access: ['supervisor', 'admin'],
  }),
  'worklists.overdueFollowUps': method<Page<FollowUpRow>>()({
    input: z.strictObject({ workerId: idSchema.optional(), offset: offsetSchema, limit: limitSchema }),
    access: STAFF,
  }),
  'worklists.overdueConcernVisits': method<Page<ConcernVisitRow>>()({
    input: z.strictObject({ workerId: idSchema.optional(), offset: offsetSchema, limit: limitSchema }),
    access: STAFF,
  }),
  'worklists.uncontacted24h': method<UncontactedRow[]>()({
    input: z.strictObject({ workerId: idSchema.optional() }),
    access: STAFF,
  }),
  'worklists.visitCalendar': method<VisitCalendar>()({
    input: z.strictObject({ weekStart: dateSchema, workerId: idSchema.optional() }),
    access: STAFF,
  }),
  /** 訪視到期 (issue 14): cases in service whose next visit, by the confirmed level's 訪視頻率, is today or past. */
  'worklists.visitsDue': method<Page<VisitDueRow>>()({
    input: z.strictObject({ workerId: idSchema.optional(), offset: offsetSchema, limit: limitSchema }),
    access: STAFF,
  }),
  /** 再評估到期 (issue 14): the latest confirmed assessment of a case in service whose 再評估日 is today or past. */
  'worklists.reassessmentsDue': method<Page<ReassessDueRow>>()({
    input: z.strictObject({ workerId: idSchema.optional(), offset: offsetSchema, limit: limitSchema }),
    access: STAFF,
  }),
  /** One visible case's 下次訪視日 and 再評估日 (the case screen). */
  'worklists.caseVisitSchedule': method<CaseVisitSchedule>()({
    input: z.strictObject({ caseId: idSchema }),
    access: STAFF,
  }),
} as const;
