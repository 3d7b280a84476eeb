import { z } from 'zod';
import { method } from '../define';
import { isIsoDate } from '../roc-date';
import { idSchema, searchTextSchema } from '../schemas';
import { validateDonorTaxId } from '../tax-id';
import {
  FB_ALLOWANCE_MODES,
  FB_DONOR_KINDS,
  FB_LOCATION_KINDS,
  FB_RECEIPT_KINDS,
  type FbAlerts,
  type FbAllowanceSettings,
  type FbDonorStatement,
  type FbDonorView,
  type FbEligibilityView,
  type FbFigures,
  type FbHandoutPreview,
  type FbHandoutView,
  type FbHistoryRow,
  type FbItemView,
  type FbLocationView,
  type FbReceiptRow,
  type FbReceiptView,
  type FbStockView,
  type FbStocktakeView,
  type FbTransferView,
} from '../types-foodbank';

/**
 * The food bank (實物銀行, issue 5): catalogue, locations, donors, receiving, transfers, spoilage,
 * stocktakes, hand-outs, alerts and figures.
 *
 * Access: the 實物銀行 clerk does all of it (never case content); 社工 / 督導 / 管理者 may hand out
 * (a worker only to households in their scope); the administrator sets the allowance; 稽核 none.
 */
const CLERK = ['foodbank', 'admin'] as const;
const HAND_OUT = ['foodbank', 'worker', 'supervisor', 'admin'] as const;
const FIGURES = ['foodbank', 'supervisor', 'admin'] as const;

const dateSchema = z.string({ error: '請輸入日期' }).refine(isIsoDate, '日期格式應為 YYYY-MM-DD，且須為有效日期');
const text = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label}最多 ${max} 個字`)
    .transform((s) => (s.trim() === '' ? null : s.trim()))
    .nullable()
    .optional();
export const saveDonorInput = z
  .strictObject({
    id: idSchema.optional(),
    version: z.number().int().nonnegative().optional(),
    kind: z.enum(FB_DONOR_KINDS, { error: '請選擇捐贈者類型' }),
    name: z.string({ error: '請輸入捐贈者名稱' }).trim().min(1, '請輸入捐贈者名稱').max(60, '捐贈者名稱最多 60 個字'),
    contact: text(60, '聯絡人'),
    phone: text(30, '電話'),
    address: text(120, '地址'),
    taxId: z.string().max(20, '統一編號或身分證字號最多 20 個字').nullable().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.taxId === undefined || v.taxId === null) return;
    const r = validateDonorTaxId(v.kind === 'person' ? 'person' : 'organisation', v.taxId);
    if (!r.ok) ctx.addIssue({ code: 'custom', path: ['taxId'], message: r.message });
  });

const name = (label: string) => z.string({ error: `請輸入${label}` }).trim().min(1, `請輸入${label}`).max(60, `${label}最多 60 個字`);
/** Positive; whole numbers for unit items are checked by the service, which knows the item. */
export const fbQuantitySchema = z.number({ error: '數量必須是數字' }).positive('數量須大於 0').max(1_000_000, '數量過大');
const lineSchema = z.strictObject({ itemId: idSchema, quantity: fbQuantitySchema, lotId: idSchema.optional() });

export const foodbankMethods = {
  // --- 品項與據點 -------------------------------------------------------------------
  'foodbank.items': method<FbItemView[]>()({ input: z.strictObject({ includeInactive: z.boolean().optional() }), access: HAND_OUT }),
  /** Creates (no id) or updates (id + version) an item. */
  'foodbank.saveItem': method<FbItemView>()({
    write: true,
    input: z.strictObject({
      id: idSchema.optional(),
      version: z.number().int().nonnegative().optional(),
      name: name('品名'),
      category: name('類別'),
      unit: name('單位').max(10, '單位最多 10 個字'),
      byWeight: z.boolean().default(false),
      value: z.number({ error: '單價必須是數字' }).min(0, '單價不可為負').max(1_000_000),
      kgPerUnit: z.number({ error: '每單位公斤數必須是數字' }).min(0, '公斤數不可為負').max(10_000),
      perishable: z.boolean(),
      shelfLifeDays: z.number().int('保存天數須為整數').positive('保存天數須大於 0').max(3650).nullable().optional(),
      minLevel: z.number().min(0, '安全存量不可為負').max(1_000_000).default(0),
      points: z.number().int('點數須為整數').min(0, '點數不可為負').max(1000).default(1),
      active: z.boolean().default(true),
    }).refine((v) => v.id === undefined || v.version !== undefined, { message: '修改品項須附上版本', path: ['version'] }),
    access: CLERK,
  }),
  'foodbank.locations': method<FbLocationView[]>()({ input: z.strictObject({}), access: HAND_OUT }),
  'foodbank.saveLocation': method<FbLocationView>()({
    write: true,
    input: z.strictObject({
      id: idSchema.optional(),
      version: z.number().int().nonnegative().optional(),
      name: name('據點名稱'),
      kind: z.enum(FB_LOCATION_KINDS, { error: '據點類型不正確' }),
      address: text(120, '地址'),
      staff: text(200, '人員'),
      active: z.boolean().default(true),
    }),
    access: CLERK,
  }),

  // --- 捐贈者與收物 -------------------------------------------------------------------
  'foodbank.donors': method<FbDonorView[]>()({ input: z.strictObject({ q: searchTextSchema(60).optional() }), access: CLERK }),
  /**
   * Creates (no id) or updates (id + version) a donor. `taxId`: 統一編號 (company, group) or 身分證字號
   * (person), checked for the kind; on an update, leaving it out keeps the stored one (a person's is
   * only ever shown masked), '' or null clears it.
   */
  'foodbank.saveDonor': method<FbDonorView>()({
    write: true,
    input: saveDonorInput,
    access: CLERK,
  }),
  /** A donor's yearly statement (Gregorian year). */
  'foodbank.donorStatement': method<FbDonorStatement>()({ input: z.strictObject({ donorId: idSchema, year: z.number().int().min(2000).max(2200) }), access: CLERK }),
  /** Donation (donorId required; numbered receipt), purchase (supplier) or food rescue (盛食, by weight); each line becomes a lot. */
  'foodbank.receive': method<FbReceiptView>()({
    write: true,
    input: z.strictObject({
      kind: z.enum(FB_RECEIPT_KINDS, { error: '請選擇收物類別' }),
      donorId: idSchema.nullable().optional(),
      supplier: text(80, '供應商'),
      locationId: idSchema,
      receivedOn: dateSchema,
      note: text(500, '備註'),
      lots: z
        .array(z.strictObject({ itemId: idSchema, quantity: fbQuantitySchema, expiry: dateSchema.nullable().optional() }))
        .min(1, '請至少輸入一個品項')
        .max(100, '一次最多 100 個品項'),
    }),
    access: CLERK,
  }),
  'foodbank.receipt': method<FbReceiptView>()({ input: z.strictObject({ id: idSchema }), access: CLERK }),
  'foodbank.receipts': method<FbReceiptRow[]>()({
    input: z.strictObject({ from: dateSchema.optional(), to: dateSchema.optional(), limit: z.number().int().min(1).max(500).default(100) }),
    access: CLERK,
  }),

  // --- 庫存、調撥、報廢 ----------------------------------------------------------------
  'foodbank.stock': method<FbStockView>()({
    /** totalsOnly: per item and location only (no lot rows), the fast path for dashboards and the bench. */
    input: z.strictObject({ locationId: idSchema.optional(), itemId: idSchema.optional(), totalsOnly: z.boolean().optional() }),
    access: HAND_OUT,
  }),
  'foodbank.sendTransfer': method<FbTransferView>()({
    write: true,
    input: z.strictObject({
      fromLocationId: idSchema,
      toLocationId: idSchema,
      sentOn: dateSchema,
      note: text(500, '備註'),
      lines: z.array(z.strictObject({ lotId: idSchema, quantity: fbQuantitySchema })).min(1, '請至少選擇一批').max(100),
    }),
    access: CLERK,
  }),
  'foodbank.receiveTransfer': method<FbTransferView>()({ input: z.strictObject({ transferId: idSchema, receivedOn: dateSchema }), access: CLERK, write: true }),
  'foodbank.transfers': method<FbTransferView[]>()({ input: z.strictObject({ status: z.enum(['sent', 'received']).optional() }), access: CLERK }),
  'foodbank.spoil': method<{ movementId: number }>()({
    write: true,
    input: z.strictObject({ lotId: idSchema, locationId: idSchema, quantity: fbQuantitySchema, on: dateSchema, reason: z.string().trim().min(1, '請輸入報廢原因').max(200) }),
    access: CLERK,
  }),

  // --- 盤點 ---------------------------------------------------------------------------
  /** Opens a count sheet for a location: one line per lot on hand, expected = the movements' sum now. */
  'foodbank.startStocktake': method<FbStocktakeView>()({ input: z.strictObject({ locationId: idSchema, on: dateSchema }), access: CLERK, write: true }),
  'foodbank.stocktake': method<FbStocktakeView>()({ input: z.strictObject({ id: idSchema }), access: CLERK }),
  'foodbank.stocktakes': method<FbStocktakeView[]>()({ input: z.strictObject({}), access: CLERK }),
  'foodbank.enterCounts': method<FbStocktakeView>()({
    write: true,
    input: z.strictObject({ id: idSchema, counts: z.array(z.strictObject({ lineId: idSchema, counted: z.number().min(0, '盤點數量不可為負').max(1_000_000) })).max(2000) }),
    access: CLERK,
  }),
  /** A second person (not the one who entered the counts) confirms; differences are posted as 盤差 movements. */
  'foodbank.confirmStocktake': method<FbStocktakeView>()({
    input: z.strictObject({
      id: idSchema,
      /** 盤差原因 per line with a difference (required for each such line); stored with the 盤差 movement. */
      reasons: z
        .array(z.strictObject({ lineId: idSchema, reason: z.string().trim().min(1, '請填寫盤差原因').max(200, '盤差原因最多 200 個字') }))
        .max(2000)
        .default([]),
    }),
    access: CLERK,
    write: true,
  }),

  // --- 發放 ---------------------------------------------------------------------------
  'foodbank.eligibility': method<FbEligibilityView>()({ input: z.strictObject({ householdId: idSchema }), access: HAND_OUT }),
  /** The FEFO picks for these lines, or the refusal the hand-out would get. Writes nothing. */
  'foodbank.previewHandout': method<FbHandoutPreview>()({
    input: z.strictObject({ householdId: idSchema, locationId: idSchema, lines: z.array(lineSchema).min(1, '請至少選擇一個品項').max(50) }),
    access: HAND_OUT,
  }),
  /** All lines or none, in one write transaction; refused when over the shelf, the allowance, expired, or ineligible. */
  'foodbank.handout': method<FbHandoutView>()({
    write: true,
    input: z.strictObject({ householdId: idSchema, locationId: idSchema, lines: z.array(lineSchema).min(1, '請至少選擇一個品項').max(50), note: text(500, '備註') }),
    access: HAND_OUT,
  }),
  'foodbank.handoutReceipt': method<FbHandoutView>()({ input: z.strictObject({ id: idSchema }), access: HAND_OUT }),
  /** The household's hand-outs, newest first (for the household page and timeline). */
  'foodbank.householdHistory': method<FbHistoryRow[]>()({ input: z.strictObject({ householdId: idSchema }), access: HAND_OUT }),
  'foodbank.allowance': method<FbAllowanceSettings>()({ input: z.strictObject({}), access: HAND_OUT }),
  'foodbank.setAllowance': method<FbAllowanceSettings>()({
    write: true,
    input: z.strictObject({
      mode: z.enum(FB_ALLOWANCE_MODES, { error: '請選擇點數或件數' }),
      bySize: z.array(z.number().int('額度須為整數').min(0, '額度不可為負').max(10_000)).min(1, '請至少設定一人戶的額度').max(12),
    }),
    access: ['admin'],
  }),

  // --- 提醒與統計 -------------------------------------------------------------------------
  'foodbank.alerts': method<FbAlerts>()({
    input: z.strictObject({ days: z.number().int().min(1).max(365).default(14), months: z.number().int().min(1).max(24).default(2) }),
    access: CLERK,
  }),
  'foodbank.figures': method<FbFigures>()({ input: z.strictObject({ from: dateSchema, to: dateSchema }), access: FIGURES }),
} as const;
