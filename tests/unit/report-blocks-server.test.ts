/**
 * Issue 13, the server side of block mapping: the pick lists (reports.dimensionValues) per role,
 * filter values refused at save when they match no value, several filters and values kept
 * through save and load, the template's own data recognised, a mapping on a hidden sheet warned.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axisLabels, matchLabels, planBlock, suggestBlock } from '../../main/contract/report-blocks';
import type { MappingInput, TemplateGridSheet } from '../../main/contract/types-reports';
import { DACHENG, KANGSHOU, NANTOU, PULI, SANMIN, createReportsApp, type ReportsApp } from './reports-fixture';

const TEMPLATE = readFileSync(fileURLToPath(new URL('../../../shared/fixtures/templates/季報-範例.xlsx', import.meta.url)));
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/spreadsheets/', import.meta.url));
const SHEET = '脆弱家庭服務';
const FORM = { name: '脆弱家庭服務季報', formNo: '10930-01-01-2', agency: '○○市政府社會局', deadline: '次季終了後20日內' };

/** The example template with its sheet 實物銀行 hidden. */
function withHiddenSheet(): Buffer {
  const files = unzipSync(new Uint8Array(TEMPLATE));
  const wb = strFromU8(files['xl/workbook.xml'] as Uint8Array);
  files['xl/workbook.xml'] = strToU8(wb.replace('name="實物銀行" state="visible"', 'name="實物銀行" state="hidden"'));
  return Buffer.from(zipSync(files));
}

let r: ReportsApp;
beforeAll(async () => {
  r = await createReportsApp();
});
afterAll(async () => {
  await r?.close();
});

describe('reports.dimensionValues', () => {
  it('lists districts and 村里 by name with the code, current first', async () => {
    await r.db.insertInto('divisions').values({ code: '10008010099', level: 'village', name: '舊里', parent_code: NANTOU, valid_to: '2024-01-01' }).execute();
    const districts = await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'district' });
    expect(districts).toEqual([
      { value: NANTOU, label: '南投市', code: NANTOU, group: '南投縣' },
      { value: PULI, label: '埔里鎮', code: PULI, group: '南投縣' },
    ]);
    const villages = await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'village' });
    expect(villages.map((v) => [v.value, v.label, v.group, v.retired ?? false])).toEqual([
      [SANMIN, '三民里', '南投市', false],
      [KANGSHOU, '康壽里', '南投市', false],
      [DACHENG, '大城里', '埔里鎮', false],
      ['10008010099', '舊里', '南投市', true],
    ]);
  });

  it('lists the closed lists and no months', async () => {
    const facets = await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'dimension' });
    expect(facets.map((f) => f.label)).toEqual(['家庭經濟陷困', '家庭遭逢變故致功能受損', '家庭關係衝突或疏離', '兒少發展不利處境', '家庭成員身心障礙或傷病失能', '個人生活適應困難']);
    expect((await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'method' })).slice(0, 2)).toEqual([
      { value: '電訪家庭', label: '電訪家庭' },
      { value: '面訪家庭', label: '面訪家庭' },
    ]);
    expect(await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'sex' })).toEqual([
      { value: 'M', label: '男' },
      { value: 'F', label: '女' },
      { value: 'X', label: '其他' },
    ]);
    expect((await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'ageBand' }))[0]).toEqual({ value: '0-5', label: '未滿6歲' });
    expect(await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'month' })).toEqual([]);
  });

  it('shows a supervisor only the workers and teams of their teams; refuses workers', async () => {
    const all = await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'worker' });
    expect(all.map((w) => w.label)).toEqual(['王督導', '陳督導', '張社工', '李社工', '黃社工']);
    expect(all.find((w) => w.value === String(r.d.w1))).toEqual({ value: String(r.d.w1), label: '張社工', group: '第一組' });
    const mine = await r.call(r.d.sup1, 'reports.dimensionValues', { dimension: 'worker' });
    expect(mine.map((w) => w.label)).toEqual(['王督導', '張社工', '李社工']);
    expect(await r.call(r.d.sup2, 'reports.dimensionValues', { dimension: 'team' })).toEqual([{ value: String(r.d.team2), label: '第二組' }]);
    expect((await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'team' })).length).toBe(2);
    const refused = await r.raw(r.d.w1, 'reports.dimensionValues', { dimension: 'worker' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('FORBIDDEN');
    const clerk = await r.raw(r.d.clerk, 'reports.dimensionValues', { dimension: 'method' });
    expect(clerk.ok).toBe(false);
    const bad = await r.raw(r.d.admin, 'reports.dimensionValues', { dimension: 'colour' });
    expect(bad.ok).toBe(false);
  });
});

describe('block mapping of the example template, saved', () => {
  let templateId = 0;
  let sheet: TemplateGridSheet;
  beforeAll(async () => {
    templateId = (await r.call(r.d.admin, 'reports.importTemplate', { fileName: '季報-範例.xlsx', bytesBase64: TEMPLATE.toString('base64') })).id;
    const grid = await r.call(r.d.admin, 'reports.templateGrid', { templateId });
    sheet = grid.sheets.find((s) => s.name === SHEET) as TemplateGridSheet;
  });

  it('recognises 表號, 編製機關, the period line and the 編製日期 line on each sheet', async () => {
    const grid = await r.call(r.d.admin, 'reports.templateGrid', { templateId });
    expect(grid.recognised).toEqual([
      {
        sheet: SHEET,
        hidden: false,
        formNo: { labelCell: 'I2', cell: 'J2', value: '10930-01-01-2' },
        agency: { labelCell: 'I1', cell: 'J1', value: '○○市政府社會局' },
        period: { cell: 'A6', text: '中華民國　　　年第　　季', frequency: 'quarter' },
        compiledOn: { cell: 'G19', text: '中華民國　　年　　月　　日編製' },
      },
      {
        sheet: '實物銀行',
        hidden: false,
        formNo: { labelCell: 'E2', cell: 'F2', value: '10930-01-02-2' },
        agency: { labelCell: 'E1', cell: 'F1', value: '○○市政府社會局' },
        period: { cell: 'A6', text: '中華民國　　　年第　　季', frequency: 'quarter' },
        compiledOn: { cell: 'D17', text: '中華民國　　年　　月　　日編製' },
      },
      { sheet: '填表說明', hidden: false, formNo: null, agency: null, period: null, compiledOn: null },
    ]);
  });

  it('plans the whole table in two blocks: exactly the cells and filters expected, and saves them as planned', async () => {
    const indicators = await r.call(r.d.admin, 'reports.indicators', {});
    const facets = await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'dimension' });
    const methods = await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'method' });
    const rowMatch = matchLabels(axisLabels(sheet, 'B10:H16', 'rows'), facets, 'dimension');
    expect(rowMatch.map((m) => [m.cell, m.status, m.value])).toEqual([
      ['A10', 'total', null],
      ['A11', 'matched', '1'],
      ['A12', 'matched', '2'],
      ['A13', 'matched', '3'],
      ['A14', 'matched', '4'],
      ['A15', 'matched', '5'],
      ['A16', 'matched', '6'],
    ]);
    const colLabels = axisLabels(sheet, 'G10:H10', 'cols');
    const methodMatch = matchLabels(colLabels, methods, 'method');
    expect(methodMatch.map((m) => [m.cell, m.value])).toEqual([
      ['G9', '電訪家庭'],
      ['H9', '面訪家庭'],
    ]);
    const rows = { kind: 'dimension' as const, dimension: 'dimension' as const, values: rowMatch.map((m) => m.value) };
    const table = planBlock(
      {
        sheet: SHEET,
        range: 'B10:H16',
        rows,
        cols: {
          kind: 'indicators',
          indicatorIds: ['cases.received', 'cases.opened', 'cases.notOpened', 'cases.closed', 'cases.openAtEnd', 'services.count', 'services.count'],
          filters: [null, null, null, null, null, { method: methodMatch[0]?.value as string }, { method: methodMatch[1]?.value as string }],
        },
      },
      { cells: sheet.cells, indicators },
    );
    const rate = planBlock({ sheet: SHEET, range: 'J10:J16', rows, cols: { kind: 'indicators', indicatorIds: ['cases.contact24h'] } }, { cells: sheet.cells, indicators });
    const across = planBlock(
      { sheet: SHEET, range: 'G10:I10', rows: { kind: 'dimension', dimension: 'dimension', values: [null] }, cols: { kind: 'indicators', indicatorIds: ['services.count', 'services.count', 'services.count'] } },
      { cells: sheet.cells, indicators },
    );
    expect(table.problems).toEqual([]);
    expect(rate.problems).toEqual([]);
    expect(across.problems).toEqual([{ cell: 'I10', code: 'formula', severity: 'warning', message: 'I10：這格是公式，已略過（不填數字）' }]);

    const expected: MappingInput[] = [];
    const cols: [string, string, Record<string, string>][] = [
      ['B', 'cases.received', {}],
      ['C', 'cases.opened', {}],
      ['D', 'cases.notOpened', {}],
      ['E', 'cases.closed', {}],
      ['F', 'cases.openAtEnd', {}],
      ['G', 'services.count', { method: '電訪家庭' }],
      ['H', 'services.count', { method: '面訪家庭' }],
    ];
    for (let row = 10; row <= 16; row++) {
      const facet = row === 10 ? {} : { dimension: String(row - 10) };
      for (const [col, indicatorId, f] of cols) {
        const filters = { ...facet, ...f };
        expected.push({ sheet: SHEET, cell: `${col}${row}`, indicatorId, ...(Object.keys(filters).length ? { filters } : {}) });
      }
    }
    expect(table.mappings).toEqual(expected);
    expect(rate.mappings.map((m) => [m.cell, m.indicatorId, m.filters ?? null])).toEqual([
      ['J10', 'cases.contact24h', null],
      ['J11', 'cases.contact24h', { dimension: '1' }],
      ['J12', 'cases.contact24h', { dimension: '2' }],
      ['J13', 'cases.contact24h', { dimension: '3' }],
      ['J14', 'cases.contact24h', { dimension: '4' }],
      ['J15', 'cases.contact24h', { dimension: '5' }],
      ['J16', 'cases.contact24h', { dimension: '6' }],
    ]);

    const mappings = [...table.mappings, ...rate.mappings];
    const saved = await r.call(r.d.admin, 'reports.saveDefinition', { templateId, ...FORM, periodCell: { sheet: SHEET, cell: 'A6' }, mappings });
    expect(saved.warnings).toBeUndefined();
    const loaded = await r.call(r.d.admin, 'reports.getDefinition', { id: saved.id });
    expect(loaded.mappings.map((m) => ({ sheet: m.sheet, cell: m.cell, indicatorId: m.indicatorId, ...(Object.keys(m.filters).length ? { filters: m.filters } : {}) }))).toEqual(mappings);
    expect(loaded.mappings.find((m) => m.cell === 'H13')?.label).toBe('服務人次（脆弱面向＝家庭關係衝突或疏離；服務方式＝面訪家庭）');
  });

  it('suggests the whole table B10:J16 from its labels: 面向 rows, indicator columns, G/H by method', async () => {
    const indicators = await r.call(r.d.admin, 'reports.indicators', {});
    const dimensions = {
      dimension: await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'dimension' }),
      method: await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'method' }),
      caseType: await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'caseType' }),
      sex: await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'sex' }),
      village: await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'village' }),
    };
    const s = suggestBlock(sheet, 'B10:J16', { indicators, dimensions });
    expect(s?.rows).toEqual({ kind: 'dimension', dimension: 'dimension', values: [null, '1', '2', '3', '4', '5', '6'] });
    expect(s?.cols).toEqual({
      kind: 'indicators',
      indicatorIds: ['cases.received', 'cases.opened', 'cases.notOpened', 'cases.closed', 'cases.openAtEnd', 'services.count', 'services.count', 'services.count', null],
      filters: [null, null, null, null, null, { method: '電訪家庭' }, { method: '面訪家庭' }, null, null],
    });
    // J8 派案後24小時內處理比率 names no indicator: left for the administrator (cases.contact24h is 聯繫比率).
    expect(s?.colMatches[8]?.status).toBe('unmatched');
    const plan = planBlock({ sheet: SHEET, range: 'B10:J16', rows: s?.rows as never, cols: s?.cols as never }, { cells: sheet.cells, indicators });
    expect(plan.mappings).toHaveLength(49);
    expect(plan.problems.map((p) => p.cell)).toEqual(['I10', 'I11', 'I12', 'I13', 'I14', 'I15', 'I16']);
  });

  it('keeps several filters per cell and several values per filter through save and load', async () => {
    const filters = {
      dimension: ['1', '3'],
      method: ['電訪家庭', '面訪家庭'],
      village: [SANMIN, DACHENG],
      worker: String(r.d.w1),
      team: [String(r.d.team1), String(r.d.team2)],
    };
    const mappings = [
      { sheet: SHEET, cell: 'G11', indicatorId: 'services.count', filters },
      { sheet: SHEET, cell: 'B11', indicatorId: 'cases.received', filters: { district: [PULI, NANTOU], caseType: ['脆弱家庭', '急難紓困'] } },
    ];
    const saved = await r.call(r.d.admin, 'reports.saveDefinition', { templateId, ...FORM, name: '多重篩選', mappings });
    const loaded = await r.call(r.d.admin, 'reports.getDefinition', { id: saved.id });
    expect(loaded.mappings[0]?.filters).toEqual(filters);
    // Stored sorted (the canonical form): the same values, whatever order they were picked in.
    expect(loaded.mappings[1]?.filters).toEqual({ caseType: ['急難紓困', '脆弱家庭'], district: [NANTOU, PULI] });
    const again = await r.call(r.d.admin, 'reports.saveDefinition', {
      id: saved.id,
      version: loaded.version,
      templateId,
      ...FORM,
      name: '多重篩選',
      mappings: loaded.mappings.map((m) => ({ sheet: m.sheet, cell: m.cell, indicatorId: m.indicatorId, filters: m.filters })),
    });
    expect(again.mappings.map((m) => m.filters)).toEqual(loaded.mappings.map((m) => m.filters));
  });

  it('refuses a filter value that matches nothing, naming the cell, and writes nothing', async () => {
    const before = (await r.db.selectFrom('report_definitions').select('id').execute()).length;
    const refuse = async (mappings: MappingInput[], message: string) => {
      const env = await r.raw(r.d.admin, 'reports.saveDefinition', { templateId, ...FORM, name: '不存在的值', mappings });
      expect(env.ok).toBe(false);
      if (!env.ok) {
        expect(env.error.code).toBe('VALIDATION');
        expect(env.error.message).toContain(message);
      }
    };
    await refuse([{ sheet: SHEET, cell: 'B12', indicatorId: 'cases.received', filters: { village: '9999' } }], 'B12：村里沒有「9999」這個值，請從清單選擇');
    await refuse([{ sheet: SHEET, cell: 'b13', indicatorId: 'cases.received', filters: { district: [NANTOU, '10008099'] } }], 'B13：鄉鎮市區沒有「10008099」這個值，請從清單選擇');
    await refuse([{ sheet: SHEET, cell: 'C11', indicatorId: 'cases.opened', filters: { worker: '99999' } }], 'C11：社工沒有「99999」這個值，請從清單選擇');
    await refuse([{ sheet: SHEET, cell: 'C11', indicatorId: 'cases.opened', filters: { worker: String(r.d.clerk) } }], `C11：社工沒有「${r.d.clerk}」這個值`);
    await refuse([{ sheet: SHEET, cell: 'C12', indicatorId: 'cases.opened', filters: { team: '777' } }], 'C12：組別沒有「777」這個值');
    // A village that does exist (a district code is no village).
    await refuse([{ sheet: SHEET, cell: 'D11', indicatorId: 'cases.notOpened', filters: { village: NANTOU } }], `D11：村里沒有「${NANTOU}」這個值`);
    expect((await r.db.selectFrom('report_definitions').select('id').execute()).length).toBe(before);
  });
});

describe('hidden sheets', () => {
  it('shows a hidden sheet as hidden and warns about a mapping on it, saving all the same', async () => {
    const bytes = withHiddenSheet();
    const t = await r.call(r.d.admin, 'reports.importTemplate', { fileName: '季報-隱藏.xlsx', bytesBase64: bytes.toString('base64') });
    expect(t.sheets.map((s) => s.state)).toEqual(['visible', 'hidden', 'visible']);
    const grid = await r.call(r.d.admin, 'reports.templateGrid', { templateId: t.id });
    expect(grid.recognised?.map((x) => [x.sheet, x.hidden])).toEqual([
      [SHEET, false],
      ['實物銀行', true],
      ['填表說明', false],
    ]);
    const saved = await r.call(r.d.admin, 'reports.saveDefinition', {
      templateId: t.id,
      ...FORM,
      name: '隱藏工作表',
      mappings: [
        { sheet: SHEET, cell: 'B10', indicatorId: 'cases.received' },
        { sheet: '實物銀行', cell: 'B9', indicatorId: 'cases.received' },
        { sheet: '實物銀行', cell: 'C9', indicatorId: 'cases.opened' },
      ],
    });
    expect(saved.mappingCount).toBe(3);
    expect(saved.warnings).toEqual([
      {
        sheet: '實物銀行',
        cell: 'B9',
        code: 'hiddenSheet',
        severity: 'warning',
        message: '工作表「實物銀行」在範本中是隱藏的，對應在這張表的 B9、C9 填入後，在 Excel 中看不到；已儲存，請確認這些儲存格是否應填在隱藏的工作表',
        suggestedCell: null,
      },
    ]);
    expect((await r.call(r.d.admin, 'reports.getDefinition', { id: saved.id })).mappings).toHaveLength(3);
  });
});

describe('recognition on spreadsheets that are not Taiwanese central forms', () => {
  it.each(['easyexcel__compatibility-t02.xlsx', 'easyexcel__compatibility-t04.xlsx', 'exceljs__test-issue-880.xlsx'])('%s: nothing recognised that is not there', async (name) => {
    const bytes = readFileSync(`${CORPUS}${name}`);
    const t = await r.call(r.d.admin, 'reports.importTemplate', { fileName: name, bytesBase64: bytes.toString('base64') });
    const grid = await r.call(r.d.admin, 'reports.templateGrid', { templateId: t.id });
    const worksheets = grid.sheets.filter((s) => s.kind === 'worksheet');
    expect(grid.recognised?.map((x) => x.sheet)).toEqual(worksheets.map((s) => s.name));
    for (const x of grid.recognised ?? []) expect([x.formNo, x.agency, x.period, x.compiledOn]).toEqual([null, null, null, null]);
  });
});
