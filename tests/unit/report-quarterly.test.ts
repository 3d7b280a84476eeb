/**
 * The quarterly report end to end through the API: import the example central
 * template, map B10..H16, J10..J16 and A6, generate 115年第1季 on the hand-counted
 * center (reports-fixture.ts), check the filled values against the indicator
 * results and that every other part of the file is untouched; mapping drift is
 * refused; submit → change a record → generate shows the difference; unlocking
 * needs 管理者 and a reason; definitions travel between centers as one file.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput } from '../../main/contract/api';
import type { DefinitionFile, DefinitionView, MappingInput } from '../../main/contract/types-reports';
import { getIndicator } from '../../main/services/reports/indicators';
import { inspectWorkbook } from '../../main/services/reports/xlsx';
import { createTestApp } from '../helpers/app';
import { Q1, createReportsApp, type ReportsApp } from './reports-fixture';

const TEMPLATE_PATH = fileURLToPath(new URL('../../../shared/fixtures/templates/季報-範例.xlsx', import.meta.url));
const template = () => new Uint8Array(readFileSync(TEMPLATE_PATH));
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const SHEET = '脆弱家庭服務';

const COLUMNS: Record<string, Pick<MappingInput, 'indicatorId' | 'filters'>> = {
  B: { indicatorId: 'cases.received' },
  C: { indicatorId: 'cases.opened' },
  D: { indicatorId: 'cases.notOpened' },
  E: { indicatorId: 'cases.closed' },
  F: { indicatorId: 'cases.openAtEnd' },
  G: { indicatorId: 'services.count', filters: { method: '電訪家庭' } },
  H: { indicatorId: 'services.count', filters: { method: '面訪家庭' } },
  J: { indicatorId: 'cases.contact24h' },
};

/** Rows 10 (總計) and 11..16 (面向 1..6). */
function quarterMappings(): MappingInput[] {
  const out: MappingInput[] = [];
  for (let row = 10; row <= 16; row++) {
    for (const [col, m] of Object.entries(COLUMNS)) {
      const filters = { ...(m.filters ?? {}), ...(row > 10 ? { dimension: String(row - 10) } : {}) };
      out.push({ sheet: SHEET, cell: `${col}${row}`, indicatorId: m.indicatorId, filters });
    }
  }
  return out;
}

function definitionInput(templateId: number, extra: Partial<ApiInput<'reports.saveDefinition'>> = {}): ApiInput<'reports.saveDefinition'> {
  return {
    templateId,
    name: '脆弱家庭服務概況季報',
    formNo: '10930-01-01-2',
    agency: '南投縣政府社會及勞動處',
    deadline: '次季終了後20日內編報',
    periodCell: { sheet: SHEET, cell: 'A6' },
    mappings: quarterMappings(),
    ...extra,
  };
}

/** Cell values of a filled workbook's sheet, by address. */
function values(bytes: Uint8Array, sheet = SHEET): Map<string, string | number | boolean | null> {
  const model = inspectWorkbook(bytes);
  const s = model.sheets.find((x) => x.name === sheet);
  if (!s) throw new Error(`no sheet ${sheet}`);
  return new Map(s.cells.filter((c) => c.type !== 'empty').map((c) => [c.address, c.value]));
}

/** Replaces each listed `<c>` element by `<c r="X"/>`, so filled and original sheet XML can be compared. */
function blankCells(xml: string, cells: readonly string[]): string {
  let out = xml;
  for (const a of cells) {
    const re = new RegExp(`<c r="${a}"(?:[^>]*?/>|[^>]*>[\\s\\S]*?</c>)`);
    if (re.test(out)) out = out.replace(re, `<c r="${a}"/>`);
    else throw new Error(`cell ${a} missing`);
  }
  return out;
}

let r: ReportsApp;
let templateId: number;
let definition: DefinitionView;

beforeAll(async () => {
  r = await createReportsApp();
});
afterAll(async () => {
  await r?.close();
});

describe('templates', () => {
  it('imports the example template (admin): bytes, SHA-256, the inspected grid; the same file twice is stored once', async () => {
    const t = await r.call(r.d.admin, 'reports.importTemplate', { fileName: '季報-範例.xlsx', bytesBase64: b64(template()) });
    templateId = t.id;
    expect(t.sheets.map((s) => s.name)).toEqual(['脆弱家庭服務', '實物銀行', '填表說明']);
    expect(t.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await r.call(r.d.admin, 'reports.importTemplate', { fileName: '再一次.xlsx', bytesBase64: b64(template()) });
    expect(again).toMatchObject({ id: t.id, reused: true });
    const grid = await r.call(r.d.admin, 'reports.templateGrid', { templateId: t.id });
    const a8 = grid.sheets[0]?.cells.find((c) => c.address === 'A8');
    expect(a8?.value).toBe('項目別');
    expect(grid.sheets[0]?.merges.map((m) => m.ref)).toContain('G8:I8');
    expect(grid.definedNames.map((n) => n.name)).toContain('填報區');
  });

  it('refuses a file that is not a template with the zh-TW reason, writing nothing', async () => {
    const before = await r.db.selectFrom('report_templates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const audits = await r.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const [bytes, pattern] of [
      [strToU8('項目別,受理案件數\n總計,5\n'), /CSV|純文字/],
      [new Uint8Array(0), /空的/],
      [template().slice(0, 4000), /損毀|不完整/],
    ] as const) {
      const env = await r.raw(r.d.admin, 'reports.importTemplate', { fileName: 'x.xlsx', bytesBase64: b64(bytes) });
      expect(env.ok).toBe(false);
      if (!env.ok) {
        expect(env.error.code).toBe('VALIDATION');
        expect(env.error.message).toMatch(pattern);
      }
    }
    const bad = await r.raw(r.d.admin, 'reports.importTemplate', { fileName: 'x.xlsx', bytesBase64: '!!!not base64!!!' });
    expect(bad.ok).toBe(false);
    expect((await r.db.selectFrom('report_templates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toBe(before.n);
    // Refused calls write no audit rows of their own (only the API's role checks do).
    expect((await r.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toBe(audits.n);
  });

  it('is for 管理者 only', async () => {
    for (const who of [r.d.sup1, r.d.w1, r.d.clerk]) {
      const env = await r.raw(who, 'reports.importTemplate', { fileName: 'x.xlsx', bytesBase64: b64(template()) });
      expect(env.ok ? 'ok' : env.error.code).toBe('FORBIDDEN');
    }
  });
});

describe('definitions', () => {
  it('saves a definition with fingerprints per mapped cell and labels in zh-TW', async () => {
    definition = await r.call(r.d.admin, 'reports.saveDefinition', definitionInput(templateId));
    expect(definition.mappings).toHaveLength(56);
    const b11 = definition.mappings.find((m) => m.cell === 'B11');
    expect(b11?.label).toBe('受理案件數（脆弱面向＝家庭經濟陷困）');
    expect(b11?.fingerprint).toMatchObject({ rowLabel: '家庭經濟陷困', columnLabel: '受理案件數' });
    expect(definition.mappings.find((m) => m.cell === 'G10')?.fingerprint).toMatchObject({ rowLabel: '總計', columnLabel: '電訪' });
    expect(definition.periodCell).toMatchObject({ sheet: SHEET, cell: 'A6' });
    const audit = await r.db.selectFrom('audit_log').selectAll().where('entity', '=', 'report_definition').execute();
    expect(audit.map((a) => a.action)).toEqual(['create']);
  });

  it('refuses unknown indicators, filters the indicator does not allow, duplicate cells, formula and merged cells', async () => {
    const bad = async (mappings: MappingInput[], pattern: RegExp) => {
      const env = await r.raw(r.d.admin, 'reports.saveDefinition', definitionInput(templateId, { name: '壞的定義', mappings }));
      expect(env.ok).toBe(false);
      if (!env.ok) expect(env.error.message).toMatch(pattern);
    };
    await bad([{ sheet: SHEET, cell: 'B10', indicatorId: 'no.such' }], /沒有「no\.such」/);
    await bad([{ sheet: SHEET, cell: 'B10', indicatorId: 'cases.openAtEnd', filters: { month: '2026-01' } }], /不能依「月份」篩選/);
    await bad([{ sheet: SHEET, cell: 'B10', indicatorId: 'services.count', filters: { method: '飛鴿傳書' } }], /沒有「飛鴿傳書」/);
    await bad(
      [
        { sheet: SHEET, cell: 'B10', indicatorId: 'cases.received' },
        { sheet: SHEET, cell: '$b$10', indicatorId: 'cases.opened' },
      ],
      /B10 對應了不只一次/,
    );
    await bad([{ sheet: SHEET, cell: 'I10', indicatorId: 'cases.received' }], /公式/);
    await bad([{ sheet: SHEET, cell: 'B9', indicatorId: 'cases.received' }], /合併儲存格/);
    await bad([{ sheet: '不存在', cell: 'B10', indicatorId: 'cases.received' }], /找不到工作表「不存在」/);
  });
});

describe('generating 115年第1季', () => {
  let file: Uint8Array;

  it('fills every mapped cell with its indicator figure and the period line into A6', async () => {
    const res = await r.call(r.d.admin, 'reports.generate', { definitionId: definition.id, period: '115Q1' });
    expect(res).toMatchObject({ period: '115Q1', periodLabel: '115年第1季', from: Q1.from, to: Q1.to, locked: null, warnings: [] });
    file = fromB64(res.fileBase64);
    expect(res.fileName).toBe('脆弱家庭服務概況季報_115年第1季.xlsx');
    const v = values(file);
    expect(v.get('A6')).toBe('中華民國115年第1季');
    // Row 10 (總計), counted by hand in reports-fixture.ts / indicators.test.ts.
    expect(['B10', 'C10', 'D10', 'E10', 'F10', 'G10', 'H10', 'J10'].map((c) => v.get(c))).toEqual([5, 3, 1, 1, 3, 4, 4, 60]);
    // 面向 1: received C1; opened C1; open at end C1, C6; 電訪 S1, S6; 面訪 S2; contacted C1 within 24 h.
    expect(['B11', 'C11', 'D11', 'E11', 'F11', 'G11', 'H11', 'J11'].map((c) => v.get(c))).toEqual([1, 1, 0, 0, 2, 2, 1, 100]);
    // 面向 6: C5 received, never dispatched: no rate, so J16 stays empty.
    expect(v.get('B16')).toBe(1);
    expect(v.has('J16')).toBe(false);
    // Every filled value is the indicator's own figure for that cell.
    for (const m of definition.mappings) {
      const ind = getIndicator(m.indicatorId);
      const expected = (await ind?.compute(r.db, { period: Q1, filters: m.filters }))?.total.value ?? null;
      expect({ cell: m.cell, value: v.get(m.cell) ?? null }).toEqual({ cell: m.cell, value: expected });
      expect(res.figures.find((f) => f.cell === m.cell)?.value).toBe(expected);
    }
    expect(res.figures.find((f) => f.cell === 'J10')).toMatchObject({ numerator: 3, denominator: 5, unit: '%' });
  });

  it('leaves every other part of the template as it was', () => {
    const before = unzipSync(template());
    const after = unzipSync(file);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const filled = ['A6', ...definition.mappings.map((m) => m.cell)];
    for (const name of Object.keys(before)) {
      const a = before[name] as Uint8Array;
      const b = after[name] as Uint8Array;
      if (name === 'xl/worksheets/sheet1.xml') {
        // Only the mapped cells differ (J16 had no figure: it is written back empty).
        expect(blankCells(strFromU8(b), filled)).toBe(blankCells(strFromU8(a), filled));
      } else if (name === 'xl/workbook.xml') {
        // Formulas recalculate on open: the one change to the workbook part.
        expect(strFromU8(b).replace(' fullCalcOnLoad="1"', '')).toBe(strFromU8(a).replace(' fullCalcOnLoad="1"', ''));
        expect(strFromU8(b)).toContain('fullCalcOnLoad="1"');
      } else {
        expect(Buffer.compare(Buffer.from(a), Buffer.from(b)), name).toBe(0);
      }
    }
    // The formula column and the other sheets still hold what they held.
    const v = values(file);
    const orig = values(template());
    expect(v.get('A5')).toBe(orig.get('A5'));
    expect(values(file, '實物銀行')).toEqual(values(template(), '實物銀行'));
  });

  it('generates the same bytes again while nothing changed, and is audited as an export', async () => {
    const again = await r.call(r.d.admin, 'reports.generate', { definitionId: definition.id, period: '115年第1季' });
    expect(Buffer.compare(Buffer.from(fromB64(again.fileBase64)), Buffer.from(file))).toBe(0);
    const rows = await r.db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'report').execute();
    expect(rows.length).toBe(2);
    expect(rows.every((a) => a.action === 'export')).toBe(true);
  });

  it('is for 管理者 only', async () => {
    const env = await r.raw(r.d.sup1, 'reports.generate', { definitionId: definition.id, period: '115Q1' });
    expect(env.ok ? 'ok' : env.error.code).toBe('FORBIDDEN');
  });
});

describe('mapping drift', () => {
  /** The template with a row inserted above the 面向 rows: every label from row 11 down moves one row. */
  function shiftedTemplate(): Uint8Array {
    const files = unzipSync(template());
    const xml = strFromU8(files['xl/worksheets/sheet1.xml'] as Uint8Array);
    // Swap the labels of rows 11 and 12 (as if the city reordered the 面向).
    const a11 = /<c r="A11"[^>]*>[\s\S]*?<\/c>/.exec(xml)?.[0] as string;
    const a12 = /<c r="A12"[^>]*>[\s\S]*?<\/c>/.exec(xml)?.[0] as string;
    const swapped = xml.replace(a11, '@@11@@').replace(a12, a11.replace('r="A11"', 'r="A12"')).replace('@@11@@', a12.replace('r="A12"', 'r="A11"'));
    files['xl/worksheets/sheet1.xml'] = strToU8(swapped);
    return zipSync(files);
  }

  it('refuses to move a definition to a template whose rows no longer match, naming each cell', async () => {
    const t2 = await r.call(r.d.admin, 'reports.importTemplate', { fileName: '季報-115修正.xlsx', bytesBase64: b64(shiftedTemplate()) });
    const env = await r.raw(r.d.admin, 'reports.saveDefinition', { ...definitionInput(t2.id), id: definition.id, version: definition.version });
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('RULE');
      expect(env.error.message).toMatch(/儲存格 B11 的列標題由「家庭經濟陷困」變成「家庭遭逢變故致功能受損」，可能已移到 B12/);
      expect((env.error.details?.problems as unknown[]).length).toBe(16); // 8 columns × rows 11 and 12
    }
    const still = await r.call(r.d.admin, 'reports.getDefinition', { id: definition.id });
    expect(still.templateId).toBe(templateId);
  });

  it('saves the switch when the administrator accepts the changes, taking fingerprints from the new file', async () => {
    const t2 = await r.call(r.d.admin, 'reports.importTemplate', { fileName: '季報-115修正.xlsx', bytesBase64: b64(shiftedTemplate()) });
    const copy = await r.call(r.d.admin, 'reports.saveDefinition', definitionInput(templateId, { name: '脆弱家庭季報（試算）' }));
    const moved = await r.call(r.d.admin, 'reports.saveDefinition', { ...definitionInput(t2.id, { name: '脆弱家庭季報（試算）' }), id: copy.id, version: copy.version, acceptTemplateChanges: true });
    expect(moved.templateId).toBe(t2.id);
    expect(moved.version).toBe(copy.version + 1);
    expect(moved.mappings.find((m) => m.cell === 'B11')?.fingerprint.rowLabel).toBe('家庭遭逢變故致功能受損');
    expect(await r.call(r.d.admin, 'reports.checkDefinition', { id: moved.id })).toEqual([]);
    const stale = await r.raw(r.d.admin, 'reports.saveDefinition', { ...definitionInput(t2.id, { name: '脆弱家庭季報（試算）' }), id: copy.id, version: copy.version });
    expect(stale.ok ? 'ok' : stale.error.code).toBe('CONFLICT');
  });

  it('refuses to generate from a template that no longer matches its mapping, producing nothing', async () => {
    // A definition file whose template was swapped by hand (SHA-256 updated to match): the CLI path.
    const exported = await r.call(r.d.admin, 'reports.exportDefinition', { id: definition.id });
    const doc = JSON.parse(exported.text as string) as DefinitionFile;
    const shifted = shiftedTemplate();
    doc.template = { ...doc.template, base64: b64(shifted), size: shifted.byteLength, sha256: (await import('node:crypto')).createHash('sha256').update(shifted).digest('hex') };
    const env = await r.raw(r.d.admin, 'reports.importDefinition', { json: JSON.stringify(doc), name: '漂移的定義' });
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('RULE');
      expect(env.error.message).toMatch(/範本的結構與儲存格對應不符，共 16 處/);
    }
    // And on a stored definition whose template bytes changed under it, generate refuses before filling.
    const tpl = await r.db.insertInto('report_templates').values({ file_name: 'x.xlsx', sha256: 'f'.repeat(64), size: shifted.byteLength, bytes: Buffer.from(shifted), model: '{"sheets":[]}', imported_at: new Date().toISOString(), imported_by: r.d.admin }).returning('id').executeTakeFirstOrThrow();
    const copy = await r.db
      .insertInto('report_definitions')
      .values({ template_id: tpl.id, name: '被換掉範本的定義', form_no: 'x', agency: 'x', deadline: 'x', period_sheet: null, period_cell: null, period_fingerprint: null, created_at: 'x', created_by: r.d.admin, updated_at: 'x', updated_by: r.d.admin, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const maps = await r.db.selectFrom('report_mappings').selectAll().where('definition_id', '=', definition.id).execute();
    await r.db.insertInto('report_mappings').values(maps.map(({ id: _id, ...m }) => ({ ...m, definition_id: copy.id }))).execute();
    const exportsBefore = (await r.db.selectFrom('audit_log').select('id').where('entity', '=', 'report').execute()).length;
    const gen = await r.raw(r.d.admin, 'reports.generate', { definitionId: copy.id, period: '115Q1' });
    expect(gen.ok).toBe(false);
    if (!gen.ok) {
      expect(gen.error.code).toBe('RULE');
      expect(gen.error.message).toMatch(/無法產製報表/);
      expect(gen.error.message).toMatch(/1\. 儲存格 B11 的列標題/);
    }
    expect((await r.db.selectFrom('audit_log').select('id').where('entity', '=', 'report').execute()).length).toBe(exportsBefore);
    const check = await r.call(r.d.admin, 'reports.checkDefinition', { id: copy.id });
    expect(check.filter((p) => p.severity === 'error')).toHaveLength(16);
  });
});

describe('submission, lock, difference, unlock', () => {
  it('submits a snapshot and locks the quarter', async () => {
    const status = await r.call(r.d.admin, 'reports.submit', { definitionId: definition.id, period: '115Q1' });
    expect(status.state).toBe('locked');
    expect(status.submissions).toHaveLength(1);
    const again = await r.raw(r.d.admin, 'reports.submit', { definitionId: definition.id, period: '115Q1' });
    expect(again.ok ? 'ok' : again.error.code).toBe('RULE');
    const snap = await r.call(r.d.admin, 'reports.snapshot', { definitionId: definition.id, period: '115Q1' });
    expect(snap.figures.find((f) => f.cell === 'B10')?.value).toBe(5);
    expect(snap.sha256).toBe(status.submissions[0]?.sha256);
  });

  it('after a record changes, generating the locked quarter shows the cell-by-cell difference', async () => {
    // C4 was received at 2025-12-31 23:30 Taipei; correct it to 2026-01-02 (in 面向 2 and 5).
    await r.db.updateTable('cases').set({ received_at: '2026-01-02T00:30:00.000Z' }).where('id', '=', r.d.cases.C4).execute();
    const res = await r.call(r.d.admin, 'reports.generate', { definitionId: definition.id, period: '115Q1' });
    expect(res.locked).not.toBeNull();
    expect(res.locked?.diff.map((c) => [c.cell, c.before, c.after, c.label])).toEqual([
      ['B10', 5, 6, '受理案件數'],
      ['B12', 0, 1, '受理案件數（脆弱面向＝家庭遭逢變故致功能受損）'],
      ['B15', 0, 1, '受理案件數（脆弱面向＝家庭成員身心障礙或傷病失能）'],
    ]);
  });

  it('unlocking needs 管理者 and a reason; then the quarter can be submitted again', async () => {
    const bySup = await r.raw(r.d.sup1, 'reports.unlock', { definitionId: definition.id, period: '115Q1', reason: '數字更正' });
    expect(bySup.ok ? 'ok' : bySup.error.code).toBe('FORBIDDEN');
    const noReason = await r.raw(r.d.admin, 'reports.unlock', { definitionId: definition.id, period: '115Q1', reason: ' ' });
    expect(noReason.ok ? 'ok' : noReason.error.code).toBe('VALIDATION');
    const unlocked = await r.call(r.d.admin, 'reports.unlock', { definitionId: definition.id, period: '115Q1', reason: '個案收案日期更正' });
    expect(unlocked.state).toBe('unlocked');
    expect(unlocked.submissions[0]).toMatchObject({ unlockReason: '個案收案日期更正', unlockedBy: '林管理' });
    const free = await r.call(r.d.admin, 'reports.generate', { definitionId: definition.id, period: '115Q1' });
    expect(free.locked).toBeNull();
    const resubmitted = await r.call(r.d.admin, 'reports.submit', { definitionId: definition.id, period: '115Q1' });
    expect(resubmitted.state).toBe('locked');
    expect(resubmitted.submissions).toHaveLength(2);
    const notLocked = await r.raw(r.d.admin, 'reports.unlock', { definitionId: definition.id, period: '115Q2', reason: '測試' });
    expect(notLocked.ok ? 'ok' : notLocked.error.code).toBe('RULE');
  });

  it('lists the quarters with their state, and audits every step', async () => {
    r.t.clock.now = new Date('2026-04-10T02:00:00.000Z');
    const list = await r.call(r.d.admin, 'reports.periods', { definitionId: definition.id, count: 4 });
    expect(list.map((p) => [p.period, p.state])).toEqual([
      ['115Q2', 'open'],
      ['115Q1', 'locked'],
      ['114Q4', 'open'],
      ['114Q3', 'open'],
    ]);
    const audit = await r.db.selectFrom('audit_log').select(['action', 'entity']).where('entity', 'in', ['report_submission', 'report']).orderBy('id').execute();
    expect(audit.filter((a) => a.entity === 'report_submission').map((a) => a.action)).toEqual(['create', 'export', 'update', 'create']);
  });
});

describe('definition files between centers', () => {
  it('exports one JSON file and imports it at another center with the same mappings and output', async () => {
    const exported = await r.call(r.d.admin, 'reports.exportDefinition', { id: definition.id });
    const doc = JSON.parse(exported.text as string) as DefinitionFile;
    expect(doc).toMatchObject({ format: 'welfare-desk/report-definition', version: 2, exportedFrom: '南投市社會福利服務中心', form: { formNo: '10930-01-01-2' } });
    expect(doc.template.sha256).toBe((await r.call(r.d.admin, 'reports.getDefinition', { id: definition.id })).templateSha256);
    expect(doc.mappings).toHaveLength(56);

    const other = await createTestApp();
    try {
      const token = await other.setupAdmin();
      const imported = await other.call('reports.importDefinition', { json: exported.text as string, fileName: exported.fileName }, token);
      expect(imported.name).toBe(definition.name);
      expect(imported.mappings.map((m) => [m.sheet, m.cell, m.indicatorId, m.filters])).toEqual(definition.mappings.map((m) => [m.sheet, m.cell, m.indicatorId, m.filters]));
      expect(imported.periodCell?.cell).toBe('A6');
      const gen = await other.call('reports.generate', { definitionId: imported.id, period: '115Q1' }, token);
      const v = values(fromB64(gen.fileBase64));
      expect(v.get('B10')).toBe(0); // an empty center
      expect(v.get('A6')).toBe('中華民國115年第1季');
    } finally {
      await other.close();
    }
    // At the same center the name is taken: refused unless a new one is given.
    const clash = await r.raw(r.d.admin, 'reports.importDefinition', { json: exported.text as string });
    expect(clash.ok ? 'ok' : clash.error.code).toBe('RULE');
    const renamed = await r.call(r.d.admin, 'reports.importDefinition', { json: exported.text as string, name: '脆弱家庭季報（副本）' });
    expect(renamed.templateId).toBe(templateId); // the same template file is not stored twice
  });

  it('refuses a damaged, tampered or foreign file with a zh-TW reason', async () => {
    const exported = await r.call(r.d.admin, 'reports.exportDefinition', { id: definition.id });
    const doc = JSON.parse(exported.text as string) as DefinitionFile;
    const tries: [string, RegExp][] = [
      ['{not json', /不是有效的 JSON/],
      [JSON.stringify({ hello: 1 }), /不是本系統的報表定義檔/],
      [JSON.stringify({ ...doc, version: 9 }), /較新版本/],
      [JSON.stringify({ ...doc, template: { ...doc.template, sha256: '0'.repeat(64) } }), /SHA-256 不符/],
      [JSON.stringify({ ...doc, mappings: [{ ...doc.mappings[0], indicatorId: 'nosuch.figure' }] }), /沒有的指標：nosuch\.figure/],
      [JSON.stringify({ ...doc, mappings: 'x' }), /格式有誤（mappings）/],
    ];
    for (const [json, pattern] of tries) {
      const env = await r.raw(r.d.admin, 'reports.importDefinition', { json, name: '另一份' });
      expect(env.ok).toBe(false);
      if (!env.ok) expect(env.error.message).toMatch(pattern);
    }
  });

  it('lists definitions with their last submitted quarter', async () => {
    const list = await r.call(r.d.admin, 'reports.listDefinitions', {});
    expect(list.find((d) => d.id === definition.id)).toMatchObject({ mappingCount: 56, lastSubmitted: '115Q1', templateFileName: '季報-範例.xlsx' });
  });
});
