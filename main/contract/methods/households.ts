import { z } from 'zod';
import { method } from '../define';
import { isIsoDate } from '../roc-date';
import { validateNationalId } from '../national-id';
import { idSchema, searchTextSchema, versionSchema } from '../schemas';
import type { Page } from '../types';
import {
  CARE_NEED_KINDS,
  CONCERN_END_REASONS,
  CONCERN_FREQUENCIES,
  CONCERN_REASONS,
  DISABILITY_LEVELS,
  HOUSEHOLD_TYPES,
  INCOME_STATUSES,
  LTC_SERVICES,
  RELATIONS,
  SEXES,
  type CareLoadView,
  type ConcernListRow,
  type ConcernView,
  type DivisionView,
  type DuplicateCheckResult,
  type HighBurdenRow,
  type HouseholdPage,
  type HouseholdView,
  type PersonView,
  type SearchResult,
  type TimelineEntry,
} from '../types-households';

/**
 * Persons, households, long-term concern households (長期關懷戶), care load,
 * search and administrative divisions (issue 3 §1, §4, §6, §7).
 *
 * Access: the role lists below are the first gate; the services then apply
 * services/access/scope.ts (a 社工 only reaches households of their cases,
 * concerns or own intake). 實物銀行 reads households, members and eligibility,
 * never case content, care load or the timeline. 稽核 reaches none of these.
 */
const STAFF = ['worker', 'supervisor', 'admin'] as const;
const STAFF_AND_FOODBANK = ['worker', 'supervisor', 'admin', 'foodbank'] as const;

export const dateSchema = z.string({ error: '請輸入日期' }).refine(isIsoDate, '日期格式應為 YYYY-MM-DD，且須為有效日期');
const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label}最多 ${max} 個字`)
    .transform((s) => (s.trim() === '' ? null : s.trim()))
    .nullable()
    .optional();

/** '' means "none"; anything else must be a valid 身分證字號 or 居留證號 (normalised, upper case). */
export const nationalIdInputSchema = z
  .string()
  .max(20, '身分證字號格式不符')
  .transform((v, ctx) => {
    if (v.trim() === '') return null;
    const r = validateNationalId(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.id;
  });

const personNameSchema = z.string({ error: '請輸入姓名' }).trim().min(1, '請輸入姓名').max(60, '姓名最多 60 個字');
const phoneSchema = optionalText(30, '電話');

const personFields = {
  name: personNameSchema,
  nationalId: nationalIdInputSchema.nullable().optional(),
  birthDate: dateSchema.nullable().optional(),
  sex: z.enum(SEXES, { error: '性別不正確' }).nullable().optional(),
  phone: phoneSchema,
  indigenous: z.boolean().optional(),
  newImmigrant: z.boolean().optional(),
  disabilityLevel: z.enum(DISABILITY_LEVELS, { error: '身障等級不正確' }).nullable().optional(),
  incomeStatus: z.enum(INCOME_STATUSES, { error: '福利身分不正確' }).nullable().optional(),
  notes: optionalText(2000, '備註'),
};

/** 內政部 codes: 縣市 5 (e.g. 10008) or 10 digits, 鄉鎮市區 8, 村里 11. */
const divisionCode = z.string().regex(/^\d{5,11}$/, '行政區代碼不正確');
const addressSchema = z.strictObject({
  countyCode: divisionCode.nullable().optional(),
  townCode: divisionCode.nullable().optional(),
  /** Given alone, the town and county are filled in from it. */
  villageCode: divisionCode.nullable().optional(),
  neighborhood: optionalText(10, '鄰'),
  street: optionalText(120, '地址'),
});

const relationSchema = z.enum(RELATIONS, { error: '請選擇與戶長的關係' });

const householdFields = {
  address: addressSchema,
  householdType: z.enum(HOUSEHOLD_TYPES, { error: '家戶類型不正確' }).nullable().optional(),
  phone: phoneSchema,
  notes: optionalText(2000, '備註'),
};

const concernFields = {
  reason: z.enum(CONCERN_REASONS, { error: '請選擇列管原因' }),
  reasonNote: optionalText(500, '原因說明'),
  frequency: z.enum(CONCERN_FREQUENCIES, { error: '請選擇訪視頻率' }),
  /** Required when frequency is custom. */
  intervalDays: z.number().int('間隔天數須為整數').min(7, '間隔至少 7 天').max(730, '間隔最多 730 天').nullable().optional(),
  workerId: idSchema,
};

const careNeedSchema = z.strictObject({
  personId: idSchema,
  kind: z.enum(CARE_NEED_KINDS, { error: '照顧需求類別不正確' }),
  cmsLevel: z.number().int().min(1, '長照需要等級為 1 到 8').max(8, '長照需要等級為 1 到 8').nullable().optional(),
  assessedOn: dateSchema.nullable().optional(),
  note: optionalText(500, '說明'),
});
const ltcServiceSchema = z.strictObject({
  personId: idSchema.nullable().optional(),
  service: z.enum(LTC_SERVICES, { error: '長照服務項目不正確' }),
  provider: optionalText(80, '服務單位'),
  since: dateSchema.nullable().optional(),
  until: dateSchema.nullable().optional(),
});

export const householdsMethods = {
  // --- 行政區 -------------------------------------------------------------------
  /** Counties when parentCode is absent; else the children of that code (towns, then villages). */
  'divisions.list': method<DivisionView[]>()({
    input: z.strictObject({ parentCode: divisionCode.nullable().optional() }),
    access: STAFF_AND_FOODBANK,
  }),

  // --- 個人 -----------------------------------------------------------------------
  'persons.checkDuplicates': method<DuplicateCheckResult>()({
    write: true,
    input: z.strictObject({ name: personNameSchema, birthDate: dateSchema.nullable().optional(), nationalId: nationalIdInputSchema.nullable().optional() }),
    access: STAFF,
  }),
  /** Refused (RULE) when the ID exists (details.existingPersonId) or, unless confirmDuplicate, a same name + birth date exists (details.candidates). */
  'persons.create': method<PersonView>()({
    write: true,
    input: z.strictObject({ ...personFields, confirmDuplicate: z.boolean().optional() }),
    access: STAFF,
  }),
  /** Fields left out stay as they are; null clears. */
  'persons.update': method<PersonView>()({
    write: true,
    input: z.strictObject({
      id: idSchema,
      version: versionSchema,
      ...personFields,
      name: personNameSchema.optional(),
      confirmDuplicate: z.boolean().optional(),
    }),
    access: STAFF,
  }),
  'persons.get': method<PersonView>()({ input: z.strictObject({ id: idSchema }), access: STAFF_AND_FOODBANK }),
  /** The full national ID of one person; writes a 'view' audit entry. */
  'persons.revealId': method<{ personId: number; nationalId: string | null }>()({
    write: true,
    input: z.strictObject({ personId: idSchema }),
    access: STAFF,
  }),

  // --- 家戶 -----------------------------------------------------------------------
  'households.create': method<HouseholdView>()({
    write: true,
    input: z.strictObject({
      ...householdFields,
      /** The 戶長, when already known: joins as 戶長 on joinedOn (default today). */
      head: z
        .union([
          z.strictObject({ personId: idSchema, joinedOn: dateSchema.optional() }),
          /** A new person registered as 戶長 in the same transaction as the household. */
          z.strictObject({ newPerson: z.strictObject({ ...personFields }), confirmDuplicate: z.boolean().optional(), joinedOn: dateSchema.optional() }),
        ])
        .optional(),
    }),
    access: STAFF,
  }),
  'households.update': method<HouseholdView>()({
    write: true,
    input: z.strictObject({
      id: idSchema,
      version: versionSchema,
      address: addressSchema.optional(),
      householdType: householdFields.householdType,
      phone: phoneSchema,
      notes: householdFields.notes,
    }),
    access: STAFF,
  }),
  'households.get': method<HouseholdView>()({ input: z.strictObject({ id: idSchema }), access: STAFF_AND_FOODBANK }),
  /** A person with no current household joins this one. One with a household must be moved instead. The caller must be able to open the person. */
  'households.addMember': method<HouseholdView>()({
    write: true,
    input: z.strictObject({ householdId: idSchema, personId: idSchema, relation: relationSchema, joinedOn: dateSchema }),
    access: STAFF,
  }),
  /** Ends the person's current membership (left on movedOn, with the reason) and starts one in toHouseholdId. */
  'households.moveMember': method<HouseholdView>()({
    write: true,
    input: z.strictObject({
      personId: idSchema,
      toHouseholdId: idSchema,
      relation: relationSchema,
      movedOn: dateSchema,
      reason: z.string().trim().min(1, '請填寫遷移原因').max(200, '原因最多 200 個字'),
    }),
    access: STAFF,
  }),
  /** The person leaves the household (遷出, 死亡...) without joining another. */
  'households.endMembership': method<HouseholdView>()({
    write: true,
    input: z.strictObject({
      membershipId: idSchema,
      leftOn: dateSchema,
      reason: z.string().trim().min(1, '請填寫離開原因').max(200, '原因最多 200 個字'),
    }),
    access: STAFF,
  }),
  /** Corrects a current member's relation to the 戶長 in place; the earlier one stays in the household timeline. */
  'households.updateRelation': method<HouseholdView>()({
    write: true,
    input: z.strictObject({
      membershipId: idSchema,
      version: versionSchema,
      relation: relationSchema,
      reason: z.string().trim().max(200, '原因最多 200 個字').optional(),
    }),
    access: STAFF,
  }),
  /** 家戶頁: everything the caller may see of one household; writes a 'view' audit entry. */
  'households.page': method<HouseholdPage>()({
    input: z.strictObject({ id: idSchema, timelineLimit: z.number().int().min(1).max(200).default(30) }),
    access: STAFF_AND_FOODBANK,
  }),
  /** Further pages of the household timeline, newest first. */
  'households.timeline': method<Page<TimelineEntry>>()({
    input: z.strictObject({ id: idSchema, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(30) }),
    access: STAFF,
  }),

  // --- 長期關懷戶 -------------------------------------------------------------------
  'concerns.designate': method<ConcernView>()({
    write: true,
    input: z.strictObject({
      householdId: idSchema,
      ...concernFields,
      startDate: dateSchema,
      /** First visit due; default startDate + one interval. */
      firstDue: dateSchema.optional(),
      /** The case the household comes from (關懷 after 結案): linked, nothing re-typed. */
      fromCaseId: idSchema.nullable().optional(),
    }),
    access: STAFF,
  }),
  /** Changing the frequency moves the next due date from the last visit (or start) unless nextDue is given. */
  'concerns.update': method<ConcernView>()({
    write: true,
    input: z.strictObject({
      id: idSchema,
      version: versionSchema,
      reason: concernFields.reason.optional(),
      reasonNote: concernFields.reasonNote,
      frequency: concernFields.frequency.optional(),
      intervalDays: concernFields.intervalDays,
      workerId: idSchema.optional(),
      nextDue: dateSchema.optional(),
    }),
    access: STAFF,
  }),
  /** 結束關懷. With 轉為個案 the new case is linked now (toCaseId) or later by the intake (linkConcernToCase). */
  'concerns.end': method<ConcernView>()({
    write: true,
    input: z.strictObject({
      id: idSchema,
      version: versionSchema,
      endDate: dateSchema,
      endReason: z.enum(CONCERN_END_REASONS, { error: '請選擇結束原因' }),
      toCaseId: idSchema.nullable().optional(),
    }),
    access: STAFF,
  }),
  'concerns.get': method<ConcernView>()({ input: z.strictObject({ id: idSchema }), access: STAFF }),
  /** Active concerns by next due date. mine = I am responsible; team = my team's; all = everything I may see. */
  'concerns.list': method<Page<ConcernListRow>>()({
    input: z.strictObject({
      filter: z.enum(['mine', 'team', 'all']).default('mine'),
      overdueOnly: z.boolean().optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    access: STAFF,
  }),

  // --- 照顧負荷 ---------------------------------------------------------------------
  'care.get': method<CareLoadView>()({ input: z.strictObject({ householdId: idSchema }), access: STAFF }),
  /** Replaces the household's whole care load in one transaction. version 0 when none was recorded yet. */
  'care.update': method<CareLoadView>()({
    write: true,
    input: z.strictObject({
      householdId: idSchema,
      version: versionSchema,
      needs: z.array(careNeedSchema).max(30),
      caregiverPersonId: idSchema.nullable(),
      caregiverNote: optionalText(500, '照顧者說明'),
      highBurden: z.boolean(),
      services: z.array(ltcServiceSchema).max(30),
    }),
    access: STAFF,
  }),
  /** 高照顧負荷家庭 the caller may see. */
  'care.highBurdenList': method<Page<HighBurdenRow>>()({
    input: z.strictObject({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }),
    access: STAFF,
  }),

  // --- 搜尋 -----------------------------------------------------------------------
  /** Name (any 2+ characters; 1 character = surname), national ID (4+ characters), phone digits, street or 村里, case number. */
  'search.query': method<SearchResult>()({
    ownTransactions: true,
    input: z.strictObject({ q: searchTextSchema(60), limit: z.number().int().min(1).max(50).default(20) }),
    access: STAFF_AND_FOODBANK,
  }),
} as const;
