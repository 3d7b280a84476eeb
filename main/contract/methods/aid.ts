import { z } from 'zod';
import { method } from '../define';
import { idSchema, versionSchema } from '../schemas';
import {
  AID_CHANGE_REASONS,
  AID_KINDS,
  AID_SOURCE_KINDS,
  AID_WINDOW_MAX_DAYS,
  type AidRecent,
  type AidReport,
  type AidSettings,
  type AidView,
} from '../types-aid';
import { dateSchema } from './households';

/**
 * Aid from other units (issue 14 §4). The role lists are the first gate; the service then applies
 * services/access/scope.ts: a 社工 reaches the households of their cases, concerns or own intake, a 督導
 * their teams', a 管理者 all. The food-bank clerk reaches only aid.recent (the summary of the household
 * being served, as foodbank.eligibility does) and aid.settings; 稽核 none.
 */
const STAFF = ['worker', 'supervisor', 'admin'] as const;
const HAND_OUT = ['foodbank', 'worker', 'supervisor', 'admin'] as const;

const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label}最多 ${max} 個字`)
    .transform((s) => (s.trim() === '' ? null : s.trim()))
    .nullable()
    .optional();

const aidFields = {
  personId: idSchema.nullable().optional(),
  sourceKind: z.enum(AID_SOURCE_KINDS, { error: '請選擇來源類別' }),
  sourceName: z.string({ error: '請輸入來源單位' }).trim().min(1, '請輸入來源單位').max(60, '來源單位最多 60 個字'),
  kind: z.enum(AID_KINDS, { error: '請選擇救助類別' }),
  amount: z.number({ error: '金額必須是數字' }).int('金額請輸入整數（元）').min(0, '金額不可為負').max(10_000_000, '金額最多 1,000 萬元').nullable().optional(),
  items: optionalText(200, '物品'),
  receivedOn: dateSchema,
  note: optionalText(500, '備註'),
};

/** An amount or items: at least one (the message sits beside 金額). */
const needWhat = (v: { amount?: number | null | undefined; items?: string | null | undefined }) => (v.amount !== null && v.amount !== undefined) || (v.items !== null && v.items !== undefined);
const WHAT_MESSAGE = { message: '請填寫金額或物品（至少一項）', path: ['amount'] };

const reasonSchema = z.enum(AID_CHANGE_REASONS, { error: '請選擇原因' });

export const aidMethods = {
  /** The household's aid from other units, newest first. */
  'aid.list': method<AidView[]>()({ input: z.strictObject({ householdId: idSchema }), access: STAFF }),
  'aid.record': method<AidView>()({
    write: true,
    input: z.strictObject({ householdId: idSchema, ...aidFields }).refine(needWhat, WHAT_MESSAGE),
    access: STAFF,
  }),
  /** Corrects a record with a reason; refused over an older version. */
  'aid.update': method<AidView>()({
    write: true,
    input: z.strictObject({ id: idSchema, version: versionSchema, reason: reasonSchema, ...aidFields }).refine(needWhat, WHAT_MESSAGE),
    access: STAFF,
  }),
  'aid.delete': method<{ deleted: true }>()({
    write: true,
    input: z.strictObject({ id: idSchema, version: versionSchema, reason: reasonSchema }),
    access: STAFF,
  }),
  /**
   * What the household received in the last `days` days (default: the setting) from anyone: other
   * units, the center's food bank, the center's 經濟補助 / 實物給付 service records. Dates and
   * contents only, never narratives; the food-bank clerk may ask it for the household being served.
   */
  'aid.recent': method<AidRecent>()({
    input: z.strictObject({
      householdId: idSchema,
      days: z.number().int('天數請輸入整數').min(1, '天數至少 1 天').max(AID_WINDOW_MAX_DAYS, `天數最多 ${AID_WINDOW_MAX_DAYS} 天`).optional(),
    }),
    access: HAND_OUT,
  }),
  /** The coordination report (聯繫會報): by source and by household, for the caller's scope. */
  'aid.report': method<AidReport>()({
    input: z
      .strictObject({ from: dateSchema, to: dateSchema, groupBy: z.enum(['source', 'household'], { error: '請選擇彙整方式' }) })
      .refine((v) => v.from <= v.to, { message: '迄日不能早於起日', path: ['to'] }),
    access: STAFF,
  }),
  'aid.settings': method<AidSettings>()({ input: z.strictObject({}), access: HAND_OUT }),
  'aid.updateSettings': method<AidSettings>()({
    write: true,
    input: z.strictObject({
      windowDays: z.number({ error: '請輸入天數' }).int('天數請輸入整數').min(1, '天數至少 1 天').max(AID_WINDOW_MAX_DAYS, `天數最多 ${AID_WINDOW_MAX_DAYS} 天`),
    }),
    access: ['admin'],
  }),
} as const;
