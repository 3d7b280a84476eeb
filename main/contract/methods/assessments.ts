import { z } from 'zod';
import { method } from '../define';
import { idSchema, versionSchema } from '../schemas';
import {
  ASSESSMENT_STAGES,
  FACTOR_KINDS,
  ITEM_TYPES,
  type AnswerValue,
  type AssessmentComparison,
  type AssessmentSummary,
  type AssessmentView,
  type FhirQuestionnaireResponse,
  type InstrumentDefinition,
  type InstrumentItem,
  type InstrumentSummary,
  type InstrumentVersionView,
  type ResponseItem,
  type ScoringRule,
  type VisitFrequencyRule,
} from '../types-assessments';
import { RISK_LEVELS } from '../types-cases';
import { dateSchema } from './households';

/**
 * Assessment instruments, assessments and visit-frequency rules (issue 14 §1).
 *
 * Instruments: every staff member reads them (the form is filled from them); only a 管理者 defines
 * them. Assessments follow the household's access rules (services/access/scope.ts): a 社工 the
 * households in scope, a 督導 their teams', a 管理者 all; out of scope answers the standard not-found.
 */
const STAFF = ['worker', 'supervisor', 'admin'] as const;
const ADMIN = ['admin'] as const;

const riskLevelSchema = z.enum(RISK_LEVELS, { error: '請選擇風險等級' });
const factorSchema = z.enum(FACTOR_KINDS, { error: '因子種類不正確' });
const text = (max: number, label: string) => z.string({ error: `請輸入${label}` }).max(max, `${label}最多 ${max} 個字`);

const answerOptionSchema = z.strictObject({
  code: text(64, '選項代碼'),
  display: text(200, '選項文字'),
  score: z.number({ error: '分數必須是數字' }).finite().optional(),
});

export const instrumentItemSchema: z.ZodType<InstrumentItem> = z.lazy(() =>
  z.strictObject({
    linkId: text(64, '題號'),
    text: text(500, '題目文字'),
    type: z.enum(ITEM_TYPES, { error: '題型不正確' }),
    required: z.boolean().optional(),
    repeats: z.boolean().optional(),
    answerOptions: z.array(answerOptionSchema).max(100, '選項最多 100 個').optional(),
    answerValueSet: text(500, '值集網址').optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    domain: text(64, '面向代碼').optional(),
    factor: factorSchema.optional(),
    weight: z.number({ error: '權重必須是數字' }).finite().optional(),
    help: text(1000, '作業指引').optional(),
    items: z.array(instrumentItemSchema).max(200, '子題最多 200 題').optional(),
  }),
);

const selector = {
  domain: text(64, '面向代碼').optional(),
  factor: factorSchema.optional(),
  linkIds: z.array(text(64, '題號')).max(200).optional(),
};
const scoringRuleSchema: z.ZodType<ScoringRule> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sum'), name: text(64, '分數代碼'), label: text(100, '分數名稱'), ...selector }),
  z.strictObject({
    kind: z.literal('count'),
    name: text(64, '分數代碼'),
    label: text(100, '分數名稱'),
    ...selector,
    atLeast: z.number().finite().optional(),
    codes: z.array(text(64, '選項代碼')).max(100).optional(),
  }),
  z.strictObject({
    kind: z.literal('band'),
    score: text(64, '分數代碼'),
    bands: z.array(z.strictObject({ from: z.number({ error: '起始分數必須是數字' }).finite(), level: riskLevelSchema })).max(10),
  }),
  z.strictObject({ kind: z.literal('floor'), linkId: text(64, '題號'), codes: z.array(text(64, '選項代碼')).max(100), level: riskLevelSchema }),
  z.strictObject({ kind: z.literal('adjust'), score: text(64, '分數代碼'), atLeast: z.number().finite(), steps: z.number().int('調整級數須為整數') }),
]);

export const instrumentDefinitionSchema: z.ZodType<InstrumentDefinition> = z.strictObject({
  url: text(500, '網址').optional(),
  domains: z.array(z.strictObject({ key: text(64, '面向代碼'), label: text(100, '面向名稱') })).max(20, '面向最多 20 個'),
  items: z.array(instrumentItemSchema).max(300, '題目最多 300 題'),
  rules: z.array(scoringRuleSchema).max(100, '計分規則最多 100 條'),
});

const answerValueSchema: z.ZodType<AnswerValue> = z.strictObject({
  boolean: z.boolean().optional(),
  integer: z.number().finite().optional(),
  decimal: z.number().finite().optional(),
  string: z.string().max(4000, '答案最多 4000 個字').optional(),
  date: z.string().max(10).optional(),
  dateTime: z.string().max(40).optional(),
  code: z.string().max(64).optional(),
  personId: idSchema.optional(),
});

export const responseItemSchema: z.ZodType<ResponseItem> = z.lazy(() =>
  z.strictObject({
    linkId: z.string().max(64),
    answers: z.array(answerValueSchema).max(100).optional(),
    items: z.array(responseItemSchema).max(300).optional(),
  }),
);

const noteSchema = z.string().trim().max(500, '說明最多 500 個字').nullable().default(null);

/** A FHIR Questionnaire-shaped object (R4): the instrument version as the central level would read it. */
export interface FhirQuestionnaire {
  resourceType: 'Questionnaire';
  id: string;
  url: string;
  version: string;
  name: string;
  title: string;
  status: 'active' | 'retired';
  effectivePeriod: { start: string; end?: string };
  item: FhirQuestionnaireItem[];
}
export interface FhirQuestionnaireItem {
  linkId: string;
  text: string;
  type: string;
  required?: boolean;
  repeats?: boolean;
  answerValueSet?: string;
  answerOption?: { valueCoding: { code: string; display: string }; extension?: { url: string; valueDecimal: number }[] }[];
  extension?: { url: string; valueString?: string; valueCode?: string; valueDecimal?: number }[];
  item?: FhirQuestionnaireItem[];
}

export const assessmentsMethods = {
  /** Every instrument with its versions (the one in effect today first in `current`). */
  'instruments.list': method<InstrumentSummary[]>()({ input: z.strictObject({}).default({}), access: STAFF }),
  /** One version by id, or the version of an instrument in effect on a day. */
  'instruments.version': method<InstrumentVersionView>()({
    input: z.union([z.strictObject({ id: idSchema }), z.strictObject({ instrumentId: idSchema, on: dateSchema })]),
    access: STAFF,
  }),
  'instruments.create': method<InstrumentSummary>()({
    write: true,
    input: z.strictObject({
      code: z.string({ error: '請輸入代碼' }).trim().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, '代碼只能用小寫英文字母、數字與連字號（2 到 40 字）'),
      name: z.string({ error: '請輸入名稱' }).trim().min(1, '請輸入名稱').max(60, '名稱最多 60 個字'),
      description: z.string().trim().max(500, '說明最多 500 個字').nullable().default(null),
      definition: instrumentDefinitionSchema,
      effectiveFrom: dateSchema,
      note: noteSchema,
    }),
    access: ADMIN,
    maxBytes: 512 * 1024,
  }),
  /** A new version from effectiveFrom; the previous open one ends the day before. */
  'instruments.saveVersion': method<InstrumentSummary>()({
    write: true,
    input: z.strictObject({ instrumentId: idSchema, definition: instrumentDefinitionSchema, effectiveFrom: dateSchema, note: noteSchema }),
    access: ADMIN,
    maxBytes: 512 * 1024,
  }),
  /** Archived instruments are no longer offered for new assessments; `archived: false` restores. */
  'instruments.archive': method<InstrumentSummary>()({
    write: true,
    input: z.strictObject({ id: idSchema, archived: z.boolean().default(true) }),
    access: ADMIN,
  }),
  'instruments.exportQuestionnaire': method<FhirQuestionnaire>()({ input: z.strictObject({ versionId: idSchema }), access: STAFF }),

  /** Creates a draft (householdId ...) or updates one (id + version); answers are scored on save. */
  'assessments.save': method<AssessmentView>()({
    write: true,
    input: z.union([
      z.strictObject({ id: idSchema, version: versionSchema, assessedOn: dateSchema.optional(), stage: z.enum(ASSESSMENT_STAGES).optional(), answers: z.array(responseItemSchema).max(300) }),
      z.strictObject({
        householdId: idSchema,
        caseId: idSchema.nullable().optional(),
        concernId: idSchema.nullable().optional(),
        instrumentId: idSchema,
        stage: z.enum(ASSESSMENT_STAGES, { error: '請選擇評估時機' }),
        assessedOn: dateSchema,
        answers: z.array(responseItemSchema).max(300),
      }),
    ]),
    access: STAFF,
    maxBytes: 512 * 1024,
  }),
  /** Confirms the level (a reason when it differs from the suggestion); sets the case's risk level. */
  'assessments.confirm': method<AssessmentView>()({
    write: true,
    input: z.strictObject({
      id: idSchema,
      version: versionSchema,
      level: riskLevelSchema,
      overrideReason: z.string().trim().max(500, '理由最多 500 個字').nullable().optional(),
    }),
    access: STAFF,
  }),
  /** Deletes a draft (never a confirmed assessment). */
  'assessments.delete': method<{ deleted: true }>()({ write: true, input: z.strictObject({ id: idSchema, version: versionSchema }), access: STAFF }),
  'assessments.list': method<AssessmentSummary[]>()({
    input: z.union([z.strictObject({ householdId: idSchema }), z.strictObject({ caseId: idSchema })]),
    access: STAFF,
  }),
  'assessments.get': method<AssessmentView>()({ input: z.strictObject({ id: idSchema }), access: STAFF }),
  'assessments.compare': method<AssessmentComparison>()({ input: z.strictObject({ earlierId: idSchema, laterId: idSchema }), access: STAFF }),
  'assessments.exportFhir': method<FhirQuestionnaireResponse>()({ input: z.strictObject({ id: idSchema }), access: STAFF }),

  'visitRules.list': method<VisitFrequencyRule[]>()({ input: z.strictObject({}).default({}), access: STAFF }),
  'visitRules.save': method<VisitFrequencyRule[]>()({
    write: true,
    input: z.strictObject({
      rules: z
        .array(
          z.strictObject({
            level: riskLevelSchema,
            visitEveryDays: z.number({ error: '請輸入天數' }).int('天數須為整數').min(1, '至少 1 天').max(730, '最多 730 天'),
            reassessEveryDays: z.number({ error: '請輸入天數' }).int('天數須為整數').min(1, '至少 1 天').max(1095, '最多 1095 天'),
          }),
        )
        .length(3, '請設定高、中、低三個等級')
        .refine((r) => new Set(r.map((x) => x.level)).size === 3, '高、中、低各設定一次'),
    }),
    access: ADMIN,
  }),
} as const;
