/**
 * Receipts fit for tax use (issue 11 §9): the 統一編號 checksum, donors' tax IDs stored normalized and
 * shown masked for people, the donor edit's stale-save protection and audit (without the ID), the
 * yearly statement's totals against an independent count, the amount in capital numerals, and
 * download names in 民國.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { displayTaxId, validateDonorTaxId, validateUbn, UBN_CHECKSUM_MESSAGE } from '../../main/contract/tax-id';
import { ntdInWords, toChineseCapital } from '../../renderer/features/foodbank/numerals';
import { receiptHtml, statementHtml } from '../../renderer/features/foodbank/print';
import { reportFileName } from '../../renderer/features/reports/reportFiles';
import { errorOf } from './households-fixture';
import { createFoodBank, type FoodBank } from './foodbank-fixture';

describe('統一編號', () => {
  it('accepts numbers whose weighted digit sum is divisible by 5, and both readings when the 7th digit is 7', () => {
    for (const ok of ['22099131', '04595257', '10458575', '10458574', ' ２２０９９１３１ ']) expect(validateUbn(ok).ok, ok).toBe(true);
    // Hand-computed: 2209913x → 2+4+0+9+9+2+3 = 29, so only x = 1 or 6 makes it divisible by 5.
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((x) => validateUbn(`2209913${x}`).ok)).toEqual([1, 6]);
    expect(validateUbn('22099132')).toEqual({ ok: false, message: UBN_CHECKSUM_MESSAGE });
    expect(validateUbn('2209913')).toMatchObject({ ok: false, message: expect.stringContaining('8位數字') });
    expect(validateUbn('A2099131')).toMatchObject({ ok: false });
  });

  it('checks a donor tax ID by kind: 統一編號 for organisations, 身分證字號 for people; blank is none', () => {
    expect(validateDonorTaxId('organisation', '22099131')).toEqual({ ok: true, id: '22099131' });
    expect(validateDonorTaxId('organisation', 'A123456789').ok).toBe(false);
    expect(validateDonorTaxId('person', 'a123456789')).toEqual({ ok: true, id: 'A123456789' });
    expect(validateDonorTaxId('person', 'A123456788')).toMatchObject({ ok: false, message: expect.stringContaining('檢查碼') });
    expect(validateDonorTaxId('person', '  ')).toEqual({ ok: true, id: null });
    expect(displayTaxId('person', 'A123456789')).toBe('A12****789');
    expect(displayTaxId('organisation', '22099131')).toBe('22099131');
  });
});

describe('capital numerals', () => {
  it('writes amounts as receipts do', () => {
    expect(toChineseCapital(0)).toBe('零');
    expect(toChineseCapital(10)).toBe('壹拾');
    expect(toChineseCapital(1001)).toBe('壹仟零壹');
    expect(toChineseCapital(10500)).toBe('壹萬零伍佰');
    expect(toChineseCapital(20030000)).toBe('貳仟零參萬');
    expect(toChineseCapital(123456789)).toBe('壹億貳仟參佰肆拾伍萬陸仟柒佰捌拾玖');
    expect(ntdInWords(1490.4)).toBe('新臺幣壹仟肆佰玖拾元整');
  });
});

describe('download names', () => {
  it('carry the period in 民國', () => {
    expect(reportFileName('季報', '115年第1季', 'xlsx')).toBe('季報-115年第1季.xlsx');
    expect(reportFileName('匯出', '115/01/01–115/03/31', 'xlsx')).toBe('匯出-115＿01＿01–115＿03＿31.xlsx');
  });
});

describe('donors and their receipts', () => {
  let fb: FoodBank;
  beforeEach(async () => {
    fb = await createFoodBank();
  });
  afterEach(async () => {
    await fb.c.t.close();
  });
  const call = <N extends Parameters<FoodBank['c']['t']['call']>[0]>(m: N, input: Parameters<FoodBank['c']['t']['call']>[1] & object, token?: string) =>
    fb.c.t.call(m, input as never, token ?? fb.clerk);
  const raw = (m: string, input: unknown, token?: string) => fb.c.t.raw(m, input, token ?? fb.clerk);

  it('stores a person\'s ID normalized, shows it masked, keeps it when left out, refuses a stale save and a bad checksum beside the field, audits without the ID', async () => {
    const p = await call('foodbank.saveDonor', { kind: 'person', name: '王愛心', taxId: 'ａ１２３４５６７８９', address: '南投市民族路2號' });
    expect(p.taxId).toBe('A12****789');
    const stored = await fb.c.t.app.ctx.db.selectFrom('fb_donors').select(['tax_id', 'version']).where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ tax_id: 'A123456789', version: 0 });

    const bad = errorOf(await raw('foodbank.saveDonor', { id: p.id, version: p.version, kind: 'person', name: '王愛心', taxId: 'A123456788' }));
    expect(bad.code).toBe('VALIDATION');
    expect(bad.fields).toEqual({ taxId: expect.stringContaining('檢查碼') });

    const edited = await call('foodbank.saveDonor', { id: p.id, version: p.version, kind: 'person', name: '王大愛心', phone: '0912345678', address: '南投市民族路2號' });
    expect(edited).toMatchObject({ name: '王大愛心', taxId: 'A12****789', version: 1 });
    const stale = errorOf(await raw('foodbank.saveDonor', { id: p.id, version: p.version, kind: 'person', name: '舊的名字' }));
    expect(stale.code).toBe('CONFLICT');
    // Turning a person into an organisation needs its 統一編號: the masked ID cannot become one.
    expect(errorOf(await raw('foodbank.saveDonor', { id: p.id, version: 1, kind: 'group', name: '王大愛心' })).fields).toHaveProperty('taxId');

    const audits = await fb.c.t.app.ctx.db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'fb_donor').where('entity_id', '=', String(p.id)).orderBy('id').execute();
    expect(audits.map((a) => a.action)).toEqual(['create', 'update']);
    expect(JSON.parse(audits[1]!.detail ?? '{}')).toEqual({ kind: 'person', changed: ['name', 'phone'] });
    for (const a of audits) expect(a.detail).not.toContain('A123456789');
  });

  it('the yearly statement totals the donor\'s receipts of that year only, as a hand count does; receipt and statement print the tax ID, the center and no Western year', async () => {
    await fb.c.t.call('settings.update', { centerName: '南投縣社會福利服務中心', centerAddress: '南投市中興路100號', idleLockMinutes: 10 }, fb.c.admin);
    const org = await call('foodbank.saveDonor', { id: fb.donor, version: 0, kind: 'company', name: '好鄰居超市', taxId: '22099131', address: '南投市復興路5號' });
    expect(org.taxId).toBe('22099131');
    const give = (on: string, lots: { itemId: number; quantity: number; expiry?: string }[]) => call('foodbank.receive', { kind: 'donation', donorId: fb.donor, locationId: fb.hub, receivedOn: on, lots });
    const a = await give('2026-01-10', [{ itemId: fb.rice, quantity: 3 }, { itemId: fb.noodles, quantity: 7 }]);
    await give('2026-02-14', [{ itemId: fb.milk, quantity: 5, expiry: '2026-03-30' }]);
    await give('2025-12-31', [{ itemId: fb.rice, quantity: 100 }]); // the year before: not in the statement
    // Independent count: 白米 250 元, 麵條 30 元, 牛奶 60 元 a unit (the fixture's prices).
    const expected = 3 * 250 + 7 * 30 + 5 * 60;
    const st = await call('foodbank.donorStatement', { donorId: fb.donor, year: 2026 });
    expect(st.receipts).toHaveLength(2);
    expect(st.totalValue).toBe(expected);
    expect(st.centerAddress).toBe('南投市中興路100號');

    const html = statementHtml(st);
    expect(html).toContain('115 年度捐贈明細');
    expect(html).toContain('22099131');
    expect(html).toContain('南投縣社會福利服務中心');
    expect(html).toContain('南投市中興路100號');
    expect(html).toContain(`新臺幣 ${expected.toLocaleString('zh-TW')} 元整`);
    expect(html).toContain('新臺幣壹仟貳佰陸拾元整');
    expect(html.replace(/<style>[\s\S]*<\/style>/, '')).not.toMatch(/(?<![\d.])20\d\d(?!\d)/);
    const receipt = receiptHtml(await call('foodbank.receipt', { id: a.id }));
    expect(receipt).toContain('統一編號');
    expect(receipt).toContain('115-000001');
    expect(receipt).toContain('印信');
    expect(receipt.replace(/<style>[\s\S]*<\/style>/, '')).not.toMatch(/(?<![\d.])20\d\d(?!\d)/);
  });
});
