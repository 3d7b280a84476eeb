import { z } from 'zod';
import { method } from '../define';
import { idSchema, versionSchema } from '../schemas';
import { isIsoDate } from '../roc-date';
import { RELATIVE_PERIODS, REPORT_FREQUENCIES } from '../report-periods';
import type { DimensionValue } from '../report-blocks';
import {
  PERIOD_FORMAT_MESSAGE,
  REPORT_DIMENSIONS,
  parseMonth,
  parsePeriod,
  type CrosstabView,
  type DefinitionSummary,
  type DefinitionView,
  type ExportedFile,
  type GenerateResult,
  type IndicatorView,
  type MappingProblemView,
  type MonthlyRemarkView,
  type MonthlyReportData,
  type PeriodStatusView,
  type SnapshotView,
  type TemplateGrid,
  type TemplateView,
} from '../types-reports';

/**
 * Reports (issue 4). Who may do what:
 * - 管理者: everything (templates, definitions, quarterly generation, submission and unlocking,
 *   monthly report of any team or the whole center, cross-tabulation of the whole center).
 * - 督導: the monthly report of the teams they supervise (and its remark), cross-tabulation limited
 *   to their teams' caseload, the indicator list.
 * - 社工, 實物銀行, 稽核: none of it. A worker's own figures are in the worklists; an ad-hoc
 *   cross-tab over small counts identifies families, so it stays with those who supervise.
 */

const ADMIN = ['admin'] as const;
const SUPERVISION = ['admin', 'supervisor'] as const;

/** 20 MiB of file is 26.7 MiB of base64, plus the JSON around it. */
const FILE_UPLOAD_BYTES = 28 * 1024 * 1024;

const dimensionSchema = z.enum(REPORT_DIMENSIONS, { error: '分類維度不正確' });
const filterValue = z.union([
  z.string().trim().min(1, '篩選值不可空白').max(40, '篩選值最多 40 個字'),
  z.array(z.string().trim().min(1, '篩選值不可空白').max(40, '篩選值最多 40 個字')).min(1, '請至少選擇一個篩選值').max(200),
]);
export const filtersSchema = z.partialRecord(dimensionSchema, filterValue);

/**
 * The period of a definition's report: a month (115-03), quarter (115Q1), half-year (115H1) or
 * year (115) as the definition's frequency says; the service checks it against that frequency
 * (REPORT_PERIOD_FORMAT_MESSAGES) and answers beside the `period` field.
 */
const reportPeriodSchema = z.string({ error: '請輸入報表期別' }).trim().min(1, '請輸入報表期別').max(20, '報表期別格式不正確');
const frequencySchema = z.enum(REPORT_FREQUENCIES, { error: '報送頻率不正確' });
const relativePeriodSchema = z.enum(RELATIVE_PERIODS, { error: '統計期間不正確' });

const monthSchema = z
  .string({ error: '請輸入月份' })
  .trim()
  .max(20)
  .refine((s) => parseMonth(s) !== null, '月份格式不正確，請輸入如 2026-03 或 115-03');

const periodSchema = z
  .union([
    z.string().trim().max(30),
    z.strictObject({ from: z.string().refine(isIsoDate, '日期格式應為 YYYY-MM-DD'), to: z.string().refine(isIsoDate, '日期格式應為 YYYY-MM-DD') }),
  ])
  .refine((p) => parsePeriod(p) !== null, PERIOD_FORMAT_MESSAGE);

const sheetName = z.string({ error: '請輸入工作表名稱' }).trim().min(1, '請輸入工作表名稱').max(31, '工作表名稱最多 31 個字');
const cellAddress = z
  .string({ error: '請輸入儲存格位置' })
  .trim()
  .max(12)
  .regex(/^\$?[A-Za-z]{1,3}\$?[1-9]\d{0,6}$/, '儲存格位置格式不正確（例如 B10）');
const indicatorId = z.string({ error: '請選擇指標' }).trim().min(1, '請選擇指標').max(60);

const mappingSchema = z.strictObject({
  sheet: sheetName,
  cell: cellAddress,
  indicatorId,
  filters: filtersSchema.optional(),
  /** The period the cell counts relative to the report's (issue 13); absent: the whole report period. */
  period: relativePeriodSchema.optional(),
});

const text = (label: string, max: number) => z.string({ error: `請填寫${label}` }).trim().min(1, `請填寫${label}`).max(max, `${label}最多 ${max} 個字`);

const crosstabInput = z.strictObject({
  indicatorId,
  breakdowns: z.array(dimensionSchema).min(1, '請至少選擇一個分類維度').max(3, '最多選擇三個分類維度').refine((a) => new Set(a).size === a.length, '分類維度重複'),
  period: periodSchema,
  filters: filtersSchema.optional(),
  suppressBelow: z.number().int('遮蔽門檻須為整數').min(2, '遮蔽門檻至少為 2').max(20, '遮蔽門檻最多為 20').optional(),
});

const monthlyInput = z.strictObject({ month: monthSchema, teamId: idSchema.optional() });

export const reportsMethods = {
  // --- indicator library -------------------------------------------------------
  'reports.indicators': method<IndicatorView[]>()({ input: z.strictObject({}), access: SUPERVISION }),

  // --- templates and definitions (管理者) ----------------------------------------
  'reports.importTemplate': method<TemplateView>()({
    write: true,
    input: z.strictObject({
      fileName: z.string({ error: '請提供檔名' }).trim().min(1, '請提供檔名').max(200, '檔名最多 200 個字'),
      bytesBase64: z.string({ error: '請提供檔案內容' }).max(FILE_UPLOAD_BYTES, '檔案太大'),
    }),
    access: ADMIN,
    maxBytes: FILE_UPLOAD_BYTES,
  }),
  'reports.listTemplates': method<TemplateView[]>()({ input: z.strictObject({}), access: ADMIN }),
  'reports.templateGrid': method<TemplateGrid>()({ input: z.strictObject({ templateId: idSchema }), access: ADMIN }),
  'reports.saveDefinition': method<DefinitionView>()({
    write: true,
    input: z.strictObject({
      /** Absent: a new definition. Present: update, with the version last read. */
      id: idSchema.optional(),
      version: versionSchema.optional(),
      templateId: idSchema,
      name: text('報表名稱', 80),
      formNo: text('表號', 40),
      agency: text('編製機關', 80),
      deadline: text('報送期限', 80),
      periodCell: z.strictObject({ sheet: sheetName, cell: cellAddress }).nullable().optional(),
      /** How often the form is due (issue 13); absent: quarterly (on update: kept as it was). */
      frequency: frequencySchema.optional(),
      /** The template's 編製日期 cell, filled with the generation date (issue 13). */
      compiledCell: z.strictObject({ sheet: sheetName, cell: cellAddress }).nullable().optional(),
      mappings: z.array(mappingSchema).min(1, '請至少對應一個儲存格').max(2000, '對應的儲存格最多 2000 格'),
      /**
       * Switching an existing definition to another template checks the kept mappings against the
       * new file first (drift: a moved row, a renamed sheet) and refuses with the list; true saves
       * anyway, re-taking the fingerprints from the new file (the administrator has checked them).
       */
      acceptTemplateChanges: z.boolean().optional(),
    }),
    access: ADMIN,
    maxBytes: 1024 * 1024,
  }),
  'reports.getDefinition': method<DefinitionView>()({ input: z.strictObject({ id: idSchema }), access: ADMIN }),
  'reports.listDefinitions': method<DefinitionSummary[]>()({ input: z.strictObject({}), access: ADMIN }),
  /** With `period`, also the cells whose fixed month falls outside that period (what generate refuses). */
  'reports.checkDefinition': method<MappingProblemView[]>()({ input: z.strictObject({ id: idSchema, period: reportPeriodSchema.optional() }), access: ADMIN }),
  'reports.exportDefinition': method<ExportedFile>()({ input: z.strictObject({ id: idSchema }), access: ADMIN }),
  'reports.importDefinition': method<DefinitionView>()({
    write: true,
    input: z.strictObject({
      fileName: z.string().trim().max(200).optional(),
      json: z.string({ error: '請提供報表定義檔內容' }).min(2, '報表定義檔是空的').max(FILE_UPLOAD_BYTES, '檔案太大'),
      /** A new name when one of this center's definitions already has the file's. */
      name: text('報表名稱', 80).optional(),
    }),
    access: ADMIN,
    maxBytes: FILE_UPLOAD_BYTES,
  }),

  // --- quarterly generation and submission (管理者) -------------------------------
  'reports.generate': method<GenerateResult>()({
    input: z.strictObject({ definitionId: idSchema, period: reportPeriodSchema }),
    access: ADMIN,
  }),
  'reports.submit': method<PeriodStatusView>()({
    write: true,
    input: z.strictObject({ definitionId: idSchema, period: reportPeriodSchema }),
    access: ADMIN,
  }),
  'reports.unlock': method<PeriodStatusView>()({
    write: true,
    input: z.strictObject({
      definitionId: idSchema,
      period: reportPeriodSchema,
      reason: z.string({ error: '請填寫解鎖原因' }).trim().min(2, '請填寫解鎖原因（至少 2 個字）').max(500, '解鎖原因最多 500 個字'),
    }),
    access: ADMIN,
  }),
  'reports.periods': method<PeriodStatusView[]>()({
    input: z.strictObject({ definitionId: idSchema, count: z.number().int().min(1).max(40).default(8) }),
    access: ADMIN,
  }),
  'reports.snapshot': method<SnapshotView>()({
    input: z.strictObject({ definitionId: idSchema, period: reportPeriodSchema, submissionId: idSchema.optional() }),
    access: ADMIN,
  }),

  // --- monthly report (督導: own teams; 管理者: any) ---------------------------------
  'reports.monthly': method<MonthlyReportData>()({ input: monthlyInput, access: SUPERVISION }),
  'reports.monthlyHtml': method<{ html: string; data: MonthlyReportData }>()({ input: monthlyInput, access: SUPERVISION }),
  /** The print view calls this when the user prints or saves the PDF (audited as 列印). */
  'reports.monthlyPrinted': method<null>()({
    write: true,
    input: z.strictObject({ month: monthSchema, teamId: idSchema.optional(), to: z.enum(['printer', 'pdf']).default('printer') }),
    access: SUPERVISION,
  }),
  'reports.saveMonthlyRemark': method<MonthlyRemarkView>()({
    write: true,
    input: z.strictObject({
      month: monthSchema,
      teamId: idSchema.optional(),
      remark: z.string({ error: '請填寫督導意見' }).trim().max(1000, '督導意見最多 1000 個字'),
      /** The version last read; absent when there was no remark yet. */
      version: versionSchema.optional(),
    }),
    access: SUPERVISION,
  }),

  // --- cross-tabulation (督導: own teams; 管理者: whole center) -----------------------
  'reports.crosstab': method<CrosstabView>()({ input: crosstabInput, access: SUPERVISION }),
  'reports.crosstabXlsx': method<ExportedFile>()({ input: crosstabInput, access: SUPERVISION }),

  // --- pick lists of filter values (issue 13; 督導: the workers and teams of their teams) ------
  'reports.dimensionValues': method<DimensionValue[]>()({ input: z.strictObject({ dimension: dimensionSchema }), access: SUPERVISION }),
} as const;
