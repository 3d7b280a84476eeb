import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TemplateGrid } from '../../main/contract/types-reports';
import { inspectWorkbook } from '../../main/services/reports/xlsx/inspect';
import { indicatorViews } from '../../main/services/reports/indicators/registry';
import { axisEntries, fillMappings, matchLabel, matchMonth, planBlock } from '../../renderer/features/reports/blockMapping';
import { STATIC_VALUES } from '../../renderer/features/reports/dimensionValues';
import { SheetIndex, expandToMerges, rangeOf } from '../../renderer/features/reports/gridRange';
import { recogniseForm } from '../../renderer/features/reports/recognise';

const TEMPLATE = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'templates', '季報-範例.xlsx');
const model = inspectWorkbook(new Uint8Array(readFileSync(TEMPLATE)));
const grid = { templateId: 1, fileName: '季報-範例.xlsx', ...model } as unknown as TemplateGrid;
const sheet = grid.sheets.find((s) => s.name === '脆弱家庭服務');
if (!sheet) throw new Error('sheet missing');
const index = new SheetIndex(sheet);
const indicators = indicatorViews();

describe('block mapping of the example template (the screen logic, pure)', () => {
  it('matches 面向 rows, 總計 as no filter, and the indicator columns with 電訪/面訪 as method filters', () => {
    const range = { top: 10, left: 2, bottom: 16, right: 10 };
    const ctx = { index, range, indicators, lists: STATIC_VALUES, months: 3 };
    const rows = axisEntries('rows', 'dimension', { ...ctx, values: STATIC_VALUES.dimension ?? [] });
    expect(rows.map((r) => r.choice)).toEqual([{ kind: 'total' }, ...['1', '2', '3', '4', '5', '6'].map((v) => ({ kind: 'value', value: v }))]);
    const cols = axisEntries('cols', 'indicator', { ...ctx, values: [] });
    const byCol = Object.fromEntries(cols.map((c) => [c.index, c.choice]));
    expect(byCol[2]).toEqual({ kind: 'indicator', indicatorId: 'cases.received', filters: {} });
    expect(byCol[6]).toEqual({ kind: 'indicator', indicatorId: 'cases.openAtEnd', filters: {} });
    expect(byCol[7]).toEqual({ kind: 'indicator', indicatorId: 'services.count', filters: { method: '電訪家庭' } });
    expect(byCol[8]).toEqual({ kind: 'indicator', indicatorId: 'services.count', filters: { method: '面訪家庭' } });
    expect(byCol[9]).toEqual({ kind: 'indicator', indicatorId: 'services.count', filters: {} });
    expect(byCol[10]).toEqual({ kind: 'indicator', indicatorId: 'cases.contact24h', filters: {} });
    const plan = planBlock({ sheet: sheet.name, range, index, rowsKind: 'dimension', colsKind: 'indicator', rows, cols, indicatorId: null, filters: {}, period: 'report', indicators });
    expect(plan.problems).toEqual([]);
    // I10:I16 are the template's own =G+H formulas: left alone, and said so.
    expect(plan.formulaCells).toEqual(['I10', 'I11', 'I12', 'I13', 'I14', 'I15', 'I16']);
    expect(plan.mappings).toHaveLength(7 * 8);
    expect(plan.mappings.find((x) => x.cell === 'H12')).toEqual({ sheet: sheet.name, cell: 'H12', indicatorId: 'services.count', filters: { method: '面訪家庭', dimension: '2' } });
    expect(plan.mappings.find((x) => x.cell === 'B10')).toEqual({ sheet: sheet.name, cell: 'B10', indicatorId: 'cases.received' });
  });

  it('flags unmatched labels and refuses a filter the indicator cannot take', () => {
    expect(matchLabel('不存在的面向', STATIC_VALUES.dimension ?? [], 'dimension', 'A17')).toMatchObject({ kind: 'unmatched', message: expect.stringContaining('A17') });
    const range = { top: 10, left: 2, bottom: 11, right: 2 };
    const rows = axisEntries('rows', 'ageBand', { index, range, indicators, lists: STATIC_VALUES, months: 3, values: STATIC_VALUES.ageBand ?? [] });
    expect(rows[1]?.choice.kind).toBe('unmatched');
    const plan = planBlock({ sheet: sheet.name, range, index, rowsKind: 'ageBand', colsKind: 'same', rows: [{ index: 10, label: '總計', choice: { kind: 'total' } }, { index: 11, label: 'x', choice: { kind: 'value', value: '0-5' } }], cols: [], indicatorId: 'cases.received', filters: {}, period: 'report', indicators });
    expect(plan.problems.join()).toContain('不能依「年齡層」篩選');
  });

  it('months of the period, merges in a selection, copying along a row, the form data', () => {
    expect(matchMonth('4月', 3)).toEqual({ kind: 'month', period: 'month1' });
    expect(matchMonth('第2個月', 3)).toEqual({ kind: 'month', period: 'month2' });
    expect(matchMonth('12月', 6)).toEqual({ kind: 'month', period: 'month6' });
    expect(expandToMerges(sheet, rangeOf({ row: 9, col: 1 }, { row: 9, col: 2 }))).toEqual({ top: 8, left: 1, bottom: 9, right: 2 });
    const copies = fillMappings([{ sheet: sheet.name, cell: 'B11', indicatorId: 'cases.opened', filters: { dimension: '1' } }], sheet.name, { top: 11, left: 2, bottom: 11, right: 4 }, 'right', index);
    expect(copies.map((c) => c.cell)).toEqual(['C11', 'D11']);
    const r = recogniseForm(grid);
    expect(r.formNo?.text).toBe('10930-01-01-2');
    expect(r.agency?.text).toBe('○○市政府社會局');
    expect(r.periodCell).toMatchObject({ sheet: '脆弱家庭服務', cell: 'A6' });
    expect(r.compiledCell).toMatchObject({ sheet: '脆弱家庭服務', cell: 'G19' });
  });
});
