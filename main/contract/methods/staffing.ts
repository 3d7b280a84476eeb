import { z } from 'zod';
import { method } from '../define';
import { isIsoDate } from '../roc-date';
import { idSchema, versionSchema } from '../schemas';
import { FUNDING_LINES, POSITION_TITLES, type PositionView, type StaffingMonthView, type StaffUserOption } from '../types-staffing';

/**
 * Staffing (人力, issue 13 §6): approved positions per funding line and their fills, the month's
 * figures and vacancies.
 *
 * Access: 管理者 keeps the records; 督導 reads them (the center's staffing is theirs to watch);
 * 社工, 實物銀行 and 稽核 reach none of it.
 */
const READERS = ['supervisor', 'admin'] as const;
const ADMIN = ['admin'] as const;

const dateSchema = (label: string) => z.string({ error: `請輸入${label}` }).refine(isIsoDate, `${label}格式不正確，請輸入如 115/3/5`);
const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label}最多 ${max} 個字`)
    .transform((s) => (s.trim() === '' ? null : s.trim()))
    .nullable()
    .optional();
/** A national ID typed where a name belongs is refused: the records never hold one. */
const NATIONAL_ID_LIKE = /[A-Za-z][0-9A-Da-d][0-9]{8}/;

const positionFields = {
  fundingLine: z.enum(FUNDING_LINES, { error: '請選擇經費來源' }),
  title: z.enum(POSITION_TITLES, { error: '請選擇職稱' }),
  label: optionalText(40, '員額說明'),
  approvedFrom: dateSchema('核定起日'),
  approvedTo: dateSchema('核定迄日').nullable().optional(),
  notes: optionalText(500, '備註'),
};
const approvalOrder = { message: '核定迄日不可早於核定起日', path: ['approvedTo'] };

export const staffingMethods = {
  /** Every position (also cut ones) with its fills. */
  'staffing.list': method<PositionView[]>()({ input: z.strictObject({}), access: READERS }),
  'staffing.createPosition': method<PositionView>()({
    write: true,
    input: z.strictObject(positionFields).refine((v) => !v.approvedTo || v.approvedFrom <= v.approvedTo, approvalOrder),
    access: ADMIN,
  }),
  'staffing.updatePosition': method<PositionView>()({
    write: true,
    input: z
      .strictObject({ id: idSchema, version: versionSchema, ...positionFields })
      .refine((v) => !v.approvedTo || v.approvedFrom <= v.approvedTo, approvalOrder),
    access: ADMIN,
  }),
  /** Cuts a position from a day on (its last approved day); a fill still open then ends that day too. */
  'staffing.closePosition': method<PositionView>()({
    write: true,
    input: z.strictObject({ id: idSchema, version: versionSchema, approvedTo: dateSchema('核定迄日') }),
    access: ADMIN,
  }),
  /** Someone takes up a position: a user of the app (userId) or a name typed (staffName). */
  'staffing.addFill': method<PositionView>()({
    write: true,
    input: z
      .strictObject({
        positionId: idSchema,
        userId: idSchema.nullable().optional(),
        staffName: optionalText(40, '姓名').refine((s) => !s || !NATIONAL_ID_LIKE.test(s), '請填寫姓名，不要填身分證字號'),
        startedOn: dateSchema('到職日'),
        endedOn: dateSchema('離職日').nullable().optional(),
      })
      .refine((v) => (v.userId ?? null) !== null || !!v.staffName, { message: '請選擇同仁或填寫姓名', path: ['staffName'] })
      .refine((v) => (v.userId ?? null) === null || !v.staffName, { message: '選擇同仁時不必再填姓名', path: ['staffName'] })
      .refine((v) => !v.endedOn || v.startedOn <= v.endedOn, { message: '離職日不可早於到職日', path: ['endedOn'] }),
    access: ADMIN,
  }),
  /** Someone leaves a position: their last day in post. */
  'staffing.endFill': method<PositionView>()({
    write: true,
    input: z.strictObject({ id: idSchema, version: versionSchema, endedOn: dateSchema('離職日') }),
    access: ADMIN,
  }),
  /** The month's figures per funding line and its vacancies, counted at its last day. */
  'staffing.month': method<StaffingMonthView>()({
    input: z.strictObject({ month: z.string({ error: '請選擇月份' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式不正確') }),
    access: READERS,
  }),
  /** Users an administrator may pick for a fill (active accounts, by name). */
  'staffing.users': method<StaffUserOption[]>()({ input: z.strictObject({}), access: ADMIN }),
};
