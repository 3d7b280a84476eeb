import { z } from 'zod';
import { method } from '../define';
import { idSchema, versionSchema } from '../schemas';
import { REFERRAL_UNIT_KINDS } from '../types-cases';
import type { ExportedFile } from '../types-reports';
import {
  RESOURCE_SERVICE_TYPES,
  RESOURCE_TARGET_GROUPS,
  type ReferralFormView,
  type ResourceDistrict,
  type ResourcePage,
  type ResourceStats,
  type ResourceView,
} from '../types-resources';
import { dateSchema } from './cases';

/**
 * The local resource map and referrals to it (issue 14 §3).
 *
 * Access: every staff role reads the map (社工 picks a receiving unit from it); 督導 and 管理者 maintain
 * it. The food bank does not refer and does not see it. The 轉介單 follows the referral's own scope.
 */
const STAFF = ['worker', 'supervisor', 'admin'] as const;
const MAINTAIN = ['supervisor', 'admin'] as const;

const districtCode = z.string().regex(/^\d{8}$/, '行政區代碼不正確');
const optText = (max: number, label: string) => z.string().trim().max(max, `${label}最多 ${max} 個字`).nullable().optional();

const resourceFields = {
  name: z.string({ error: '請填寫單位名稱' }).trim().min(1, '請填寫單位名稱').max(80, '單位名稱最多 80 個字'),
  unitKind: z.enum(REFERRAL_UNIT_KINDS, { error: '請選擇單位類別' }),
  services: z
    .array(z.enum(RESOURCE_SERVICE_TYPES, { error: '服務類型不正確' }))
    .min(1, '請至少選擇一種服務類型')
    .refine((a) => new Set(a).size === a.length, '服務類型重複'),
  targets: z
    .array(z.enum(RESOURCE_TARGET_GROUPS, { error: '服務對象不正確' }))
    .min(1, '請至少選擇一種服務對象')
    .refine((a) => new Set(a).size === a.length, '服務對象重複'),
  /** Empty: every district. */
  districts: z.array(districtCode).max(400, '行政區過多').refine((a) => new Set(a).size === a.length, '行政區重複'),
  contactPerson: optText(40, '聯絡人'),
  phone: z
    .string()
    .trim()
    .max(30, '電話最多 30 個字')
    .regex(/^[0-9#()+\-\s轉分機]*$/, '電話只能有數字、-、()、# 或「轉」')
    .nullable()
    .optional(),
  address: optText(120, '地址'),
  email: z.string().trim().max(120, '電子郵件最多 120 個字').email('電子郵件格式不正確').or(z.literal('')).nullable().optional(),
  capacity: optText(80, '服務量能'),
  waitDays: z.number({ error: '等候天數須為數字' }).int('等候天數須為整數').min(0, '等候天數不可為負數').max(999, '等候天數最多 999 天').nullable().optional(),
  notes: optText(1000, '備註'),
};

const periodFields = {
  from: dateSchema.optional(),
  to: dateSchema.optional(),
};
const periodOk = (v: { from?: string | undefined; to?: string | undefined }) => v.from === undefined || v.to === undefined || v.from <= v.to;
const periodIssue = { message: '起日不可晚於迄日', path: ['to'] };

export const resourcesMethods = {
  /** The map, filtered: by service type (need), target group, district (a resource with no district serves all), free text; paged. */
  'resources.search': method<ResourcePage>()({
    input: z
      .strictObject({
        service: z.enum(RESOURCE_SERVICE_TYPES, { error: '服務類型不正確' }).optional(),
        target: z.enum(RESOURCE_TARGET_GROUPS, { error: '服務對象不正確' }).optional(),
        district: districtCode.optional(),
        text: z.string().trim().max(40, '關鍵字最多 40 個字').optional(),
        includeArchived: z.boolean().default(false),
        ...periodFields,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .refine(periodOk, periodIssue),
    access: STAFF,
  }),
  'resources.get': method<ResourceView>()({ input: z.strictObject({ id: idSchema }), access: STAFF }),
  /** Town-level districts in use (the pick list of 服務行政區). */
  'resources.districts': method<ResourceDistrict[]>()({ input: z.strictObject({}), access: STAFF }),
  'resources.create': method<ResourceView>()({ write: true, input: z.strictObject(resourceFields), access: MAINTAIN }),
  'resources.update': method<ResourceView>()({ write: true, input: z.strictObject({ id: idSchema, version: versionSchema, ...resourceFields }), access: MAINTAIN }),
  /** 停用 (active false) or 恢復 (true); archived resources stay on the referrals that named them. */
  'resources.archive': method<ResourceView>()({
    write: true,
    input: z.strictObject({ id: idSchema, version: versionSchema, active: z.boolean().default(false) }),
    access: MAINTAIN,
  }),
  /** Per resource: referrals sent, accepted (受案), completed (轉介完成), failed or refused, in a period (referred_on). */
  'resources.stats': method<ResourceStats>()({
    input: z.strictObject({ resourceIds: z.array(idSchema).max(200).optional(), ...periodFields }).refine(periodOk, periodIssue),
    access: STAFF,
  }),
  /** The 轉介單 of one referral (audited as a view); the standard not-found outside the caller's scope. */
  'referrals.form': method<ReferralFormView>()({ input: z.strictObject({ referralId: idSchema }), access: STAFF }),
  /** The 轉介單 as an .xlsx download (audited as an export: who, which referral; never personal data). */
  'referrals.exportForm': method<ExportedFile>()({ input: z.strictObject({ referralId: idSchema }), access: STAFF }),
} as const;
