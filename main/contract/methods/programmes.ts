import { z } from 'zod';
import { method } from '../define';
import { isIsoDate } from '../roc-date';
import { idSchema, versionSchema } from '../schemas';
import {
  ATTENDANCE_STATUSES,
  CLOSE_REASONS,
  DEPOSIT_AMOUNTS,
  ENROLMENT_STATUSES,
  MEETING_KINDS,
  PROGRAMME_STATUSES,
  PROGRAMME_TYPES,
  type AccountView,
  type BankImportResult,
  type DepositGridRow,
  type EligibleChild,
  type FollowUpView,
  type HouseholdProgrammes,
  type MeetingView,
  type NoDepositRow,
  type OutreachView,
  type ProgrammeDetail,
  type ProgrammeFigures,
  type ProgrammeRow,
  type SessionDetail,
} from '../types-programmes';

/**
 * Programmes (方案), enrolment, sessions and attendance, child development
 * accounts (兒少教育及發展帳戶), meetings (聯繫會議 / 個案研討) and outreach
 * (社區宣導) - issue 6.
 *
 * Access: 社工, 督導 and 管理者. Programmes, meetings and outreach are the
 * center's shared work, so every staff member reads and writes them; which
 * persons a 社工 may enrol, and which children's accounts they see, follows
 * services/access/scope.ts (households of their cases, concerns or intake).
 * 實物銀行 and 稽核 reach none of these (no case content; the auditor reads the
 * audit log only).
 */
const STAFF = ['worker', 'supervisor', 'admin'] as const;

const dateSchema = z.string({ error: '請輸入日期' }).refine(isIsoDate, '日期格式應為 YYYY-MM-DD，且須為有效日期');
const text = (max: number, label: string) => z.string({ error: `請填寫${label}` }).trim().min(1, `請填寫${label}`).max(max, `${label}最多 ${max} 個字`);
const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label}最多 ${max} 個字`)
    .transform((s) => (s.trim() === '' ? null : s.trim()))
    .nullable()
    .optional();
const count = (label: string) => z.number({ error: `${label}須為數字` }).int(`${label}須為整數`).min(0, `${label}不可為負數`).max(100_000, `${label}過大`).nullable().optional();
const periodSchema = z
  .strictObject({ from: dateSchema, to: dateSchema })
  .refine((p) => p.from <= p.to, { message: '期間的起日晚於迄日', path: ['to'] });

const programmeFields = {
  name: text(100, '方案名稱'),
  type: z.enum(PROGRAMME_TYPES, { error: '方案類別不正確' }),
  startsOn: dateSchema,
  endsOn: dateSchema,
  funder: optionalText(100, '經費來源'),
  partner: optionalText(100, '委辦單位'),
  targetPeople: count('目標人數'),
  targetSessions: count('目標場次'),
  workerId: idSchema.nullable().optional(),
  status: z.enum(PROGRAMME_STATUSES, { error: '方案狀態不正確' }),
  notes: optionalText(2000, '備註'),
};
const periodOrder = { message: '方案結束日不可早於開始日', path: ['endsOn'] };

export const programmesMethods = {
  'programmes.list': method<ProgrammeRow[]>()({
    input: z.strictObject({ status: z.enum(PROGRAMME_STATUSES).optional(), type: z.enum(PROGRAMME_TYPES).optional(), year: z.number().int().min(2000).max(2100).optional() }),
    access: STAFF,
  }),
  'programmes.get': method<ProgrammeDetail>()({ input: z.strictObject({ id: idSchema }), access: STAFF }),
  'programmes.create': method<ProgrammeDetail>()({
    write: true,
    input: z.strictObject(programmeFields).refine((v) => v.startsOn <= v.endsOn, periodOrder),
    access: STAFF,
  }),
  'programmes.update': method<ProgrammeDetail>()({
    write: true,
    input: z.strictObject({ id: idSchema, version: versionSchema, ...programmeFields }).refine((v) => v.startsOn <= v.endsOn, periodOrder),
    access: STAFF,
  }),
  /** Enrols persons, or every current member of a household; already enrolled persons are skipped. */
  'programmes.enrol': method<ProgrammeDetail>()({
    write: true,
    input: z
      .strictObject({
        programmeId: idSchema,
        personIds: z.array(idSchema).max(200, '一次最多 200 人').optional(),
        householdId: idSchema.optional(),
        enrolledOn: dateSchema,
      })
      .refine((v) => (v.personIds?.length ?? 0) > 0 || v.householdId !== undefined, { message: '請選擇要報名的人員或家戶', path: ['householdId'] }),
    access: STAFF,
  }),
  'programmes.updateEnrolment': method<ProgrammeDetail>()({
    write: true,
    input: z.strictObject({
      id: idSchema,
      version: versionSchema,
      status: z.enum(ENROLMENT_STATUSES, { error: '參與狀態不正確' }),
      endedOn: dateSchema.nullable().optional(),
      outcome: optionalText(1000, '成果'),
    }),
    access: STAFF,
  }),
  'programmes.addSession': method<ProgrammeDetail>()({
    write: true,
    input: z.strictObject({
      programmeId: idSchema,
      heldOn: dateSchema,
      place: text(100, '地點'),
      topic: text(200, '主題'),
      hours: z.number({ error: '時數須為數字' }).positive('時數須大於 0').max(24, '時數最多 24 小時'),
      facilitator: optionalText(60, '帶領者'),
    }),
    access: STAFF,
  }),
  'programmes.session': method<SessionDetail>()({ input: z.strictObject({ id: idSchema }), access: STAFF }),
  /** Attendance for a whole session at once: one entry per enrolled person. */
  'programmes.setAttendance': method<SessionDetail>()({
    write: true,
    input: z.strictObject({
      sessionId: idSchema,
      entries: z
        .array(z.strictObject({ enrolmentId: idSchema, status: z.enum(ATTENDANCE_STATUSES, { error: '出席狀態應為出席、請假或缺席' }) }))
        .min(1, '請至少填寫一位的出席狀態')
        .max(500, '一次最多 500 位')
        .refine((a) => new Set(a.map((e) => e.enrolmentId)).size === a.length, '同一人重複填寫'),
    }),
    access: STAFF,
    maxBytes: 128 * 1024,
  }),
  /** The A4 sign-in sheet of a session, as a complete HTML page (the print is written to the audit log). */
  'programmes.signInSheet': method<{ html: string }>()({ input: z.strictObject({ sessionId: idSchema }), access: STAFF, write: true }),
  /** Programmes, accounts and open follow-ups of one household, for the household page. */
  'programmes.forHousehold': method<HouseholdProgrammes>()({ input: z.strictObject({ householdId: idSchema }), access: STAFF }),
  /** The figures for a period, computed by the registered indicators. */
  'programmes.figures': method<ProgrammeFigures>()({ input: periodSchema, access: STAFF }),

  'childAccounts.eligible': method<EligibleChild[]>()({ input: z.strictObject({ asOf: dateSchema.optional() }), access: STAFF }),
  'childAccounts.setPlacement': method<EligibleChild[]>()({
    write: true,
    input: z.strictObject({ personId: idSchema, placed: z.boolean(), placedOn: dateSchema.optional() }),
    access: STAFF,
  }),
  /**
   * Corrects a child's long-term placement (長期安置): its date, or removes it (entered by mistake or
   * ended) with a reason. The earlier values stay in programme_edits (issue 11).
   */
  'childAccounts.updatePlacement': method<EligibleChild[]>()({
    write: true,
    input: z
      .strictObject({
        personId: idSchema,
        version: versionSchema,
        placed: z.boolean(),
        placedOn: dateSchema.optional(),
        reason: optionalText(200, '原因'),
      })
      .refine((v) => !v.placed || v.placedOn !== undefined, { message: '請輸入安置日期', path: ['placedOn'] })
      .refine((v) => v.placed || (v.reason ?? null) !== null, { message: '請填寫取消安置的原因', path: ['reason'] }),
    access: STAFF,
  }),
  /** Closes (結清) an account on a date, for a reason from the list; no deposit after it (issue 11). */
  'childAccounts.close': method<AccountView>()({
    write: true,
    input: z.strictObject({
      id: idSchema,
      version: versionSchema,
      closedOn: dateSchema,
      reason: z.enum(CLOSE_REASONS, { error: '請選擇結清原因' }),
    }),
    access: STAFF,
  }),
  /** Undoes a mistaken closing: 督導 and 管理者 only, with a reason (the closing stays in the history). */
  'childAccounts.reopen': method<AccountView>()({
    write: true,
    input: z.strictObject({ id: idSchema, version: versionSchema, reason: text(200, '重新開啟的原因') }),
    access: ['supervisor', 'admin'],
  }),
  'childAccounts.open': method<AccountView>()({
    write: true,
    input: z.strictObject({
      personId: idSchema,
      openedOn: dateSchema,
      monthlyAmount: z.union(DEPOSIT_AMOUNTS.map((a) => z.literal(a)) as [z.ZodLiteral<500>, z.ZodLiteral<1000>, z.ZodLiteral<1250>], {
        error: '每月自存金額應為 500、1,000 或 1,250 元',
      }),
      accountNo: optionalText(40, '帳號'),
    }),
    access: STAFF,
  }),
  'childAccounts.get': method<AccountView>()({ input: z.strictObject({ id: idSchema }), access: STAFF }),
  'childAccounts.deposits': method<DepositGridRow[]>()({ input: z.strictObject({ year: z.number().int().min(2016).max(2100) }), access: STAFF }),
  'childAccounts.recordDeposit': method<AccountView>()({
    write: true,
    input: z.strictObject({
      accountId: idSchema,
      depositedOn: dateSchema,
      amount: z.number({ error: '存款金額須為數字' }).int('存款金額須為整數'),
    }),
    access: STAFF,
  }),
  'childAccounts.noDeposit': method<NoDepositRow[]>()({ input: z.strictObject({}), access: STAFF }),
  /** Turns a no-deposit alert into a follow-up on the child's household (once per open alert). */
  'childAccounts.createFollowUp': method<FollowUpView>()({ input: z.strictObject({ accountId: idSchema }), access: STAFF, write: true }),

  /**
   * A bank's deposit spreadsheet (.xlsx, base64): `dryRun` checks it and returns the headers, the
   * mapping in use and each row's problem; otherwise all rows are written, or none.
   */
  'childAccounts.importBank': method<BankImportResult>()({
    write: true,
    input: z.strictObject({
      fileBase64: z.string().min(1, '請選擇檔案').max(4_000_000, '檔案過大（上限約 3 MB）'),
      mapping: z
        .strictObject({ accountNo: z.string().trim().min(1, '請選擇帳號欄'), date: z.string().trim().min(1, '請選擇日期欄'), amount: z.string().trim().min(1, '請選擇金額欄') })
        .optional(),
      dryRun: z.boolean(),
    }),
    access: STAFF,
    maxBytes: 4_200_000,
  }),

  'meetings.list': method<MeetingView[]>()({ input: z.strictObject({ year: z.number().int().min(2000).max(2100).optional() }), access: STAFF }),
  'meetings.create': method<MeetingView>()({
    write: true,
    input: z.strictObject({
      kind: z.enum(MEETING_KINDS, { error: '會議類別應為聯繫會議或個案研討' }),
      heldOn: dateSchema,
      title: text(200, '會議名稱'),
      units: z.array(z.string().trim().min(1).max(80, '單位名稱最多 80 個字')).max(50, '出席單位最多 50 個'),
      casesDiscussed: z.array(z.string().trim().min(1).max(20, '案號最多 20 個字')).max(50, '討論案件最多 50 件'),
      decisions: optionalText(5000, '決議'),
    }),
    access: STAFF,
  }),
  'outreach.list': method<OutreachView[]>()({ input: z.strictObject({ year: z.number().int().min(2000).max(2100).optional() }), access: STAFF }),
  'outreach.create': method<OutreachView>()({
    write: true,
    input: z.strictObject({
      heldOn: dateSchema,
      place: text(100, '地點'),
      topic: text(200, '主題'),
      attendees: z.number({ error: '參與人數須為數字' }).int('參與人數須為整數').min(0, '參與人數不可為負數').max(100_000, '參與人數過大'),
      partner: optionalText(100, '合作單位'),
    }),
    access: STAFF,
  }),
} as const;
