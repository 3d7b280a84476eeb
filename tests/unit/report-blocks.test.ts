import { describe, expect, it } from 'vitest';
import {
  axisLabels,
  copyMappings,
  matchLabels,
  mergeFilters,
  normaliseLabel,
  parseBlockRange,
  planBlock,
  recogniseTemplate,
  upsertMappings,
  type DimensionValue,
} from '../../main/contract/report-blocks';
import { SERVICE_METHODS } from '../../main/contract/types-cases';
import { VULNERABILITY_DIMENSION_LABELS } from '../../main/contract/types-reports';

const FACETS: DimensionValue[] = Object.entries(VULNERABILITY_DIMENSION_LABELS).map(([value, label]) => ({ value, label }));
const METHODS: DimensionValue[] = SERVICE_METHODS.map((m) => ({ value: m, label: m }));

describe('normaliseLabel', () => {
  it('folds width, spaces, line breaks, enumerators, units and punctuation', () => {
    expect(normaliseLabel('公　開　類')).toBe('公開類');
    expect(normaliseLabel('派案後24小時內\n處理比率(%)')).toBe('派案後24小時內處理比率');
    expect(normaliseLabel('物資價值（元）')).toBe('物資價值');
    expect(normaliseLabel('ＡＢ１２')).toBe('ab12');
    expect(normaliseLabel('一、家庭經濟陷困')).toBe('家庭經濟陷困');
    expect(normaliseLabel('(二)家庭關係衝突或疏離')).toBe('家庭關係衝突或疏離');
    expect(normaliseLabel('1.兒少發展不利處境')).toBe('兒少發展不利處境');
    expect(normaliseLabel('「個人」生活、適應困難。')).toBe('個人生活適應困難');
    expect(normaliseLabel('(%)')).toBe('');
    expect(normaliseLabel(null)).toBe('');
  });
});

describe('matchLabels', () => {
  it('matches the example template row labels to the six 面向 and the total', () => {
    const labels = [
      { cell: 'A10', text: '總計' },
      { cell: 'A11', text: '家庭經濟陷困' },
      { cell: 'A12', text: '家庭遭逢變故致功能受損' },
      { cell: 'A13', text: '家庭關係 衝突或疏離' },
      { cell: 'A14', text: '兒少發展不利處境' },
      { cell: 'A15', text: '家庭成員身心障礙或傷病失能' },
      { cell: 'A16', text: '六、個人生活適應困難' },
      { cell: 'A17', text: '其他服務' },
      { cell: 'A18', text: '' },
    ];
    const got = matchLabels(labels, FACETS, 'dimension');
    expect(got.map((g) => [g.status, g.value])).toEqual([
      ['total', null],
      ['matched', '1'],
      ['matched', '2'],
      ['matched', '3'],
      ['matched', '4'],
      ['matched', '5'],
      ['matched', '6'],
      ['unmatched', null],
      ['empty', null],
    ]);
    expect(got[7]?.message).toBe('A17：「其他服務」對不到脆弱面向的任何值，請從清單選擇或略過');
  });

  it('matches by code, by unique containment, and reports ambiguity', () => {
    const villages: DimensionValue[] = [
      { value: '6300500-001', code: '6300500-001', label: '中正里', group: '信義區' },
      { value: '6300600-002', code: '6300600-002', label: '中正里', group: '大安區' },
      { value: '6300600-003', code: '6300600-003', label: '龍泉里', group: '大安區' },
      { value: '6300600-009', code: '6300600-009', label: '龍泉里', group: '大安區', retired: true },
    ];
    const got = matchLabels(
      [
        { cell: 'A1', text: '中正里' },
        { cell: 'A2', text: '大安區中正里' },
        { cell: 'A3', text: '6300500-001' },
        { cell: 'A4', text: '龍泉里' },
        { cell: 'A5', text: '合 計' },
      ],
      villages,
      'village',
    );
    expect(got[0]?.status).toBe('ambiguous');
    expect(got[0]?.candidates.map((c) => c.value)).toEqual(['6300500-001', '6300600-002']);
    expect(got[0]?.message).toContain('信義區中正里（6300500-001）');
    expect([got[1]?.status, got[1]?.value]).toEqual(['matched', '6300600-002']);
    expect([got[2]?.status, got[2]?.value, got[2]?.via]).toEqual(['matched', '6300500-001', 'code']);
    expect([got[3]?.status, got[3]?.value]).toEqual(['matched', '6300600-003']);
    expect(got[4]?.status).toBe('total');
    const methods = matchLabels(
      [
        { cell: 'G9', text: '電訪' },
        { cell: 'H9', text: '面訪' },
      ],
      METHODS,
      'method',
    );
    expect(methods.map((m) => [m.value, m.via])).toEqual([
      ['電訪家庭', 'contains'],
      ['面訪家庭', 'contains'],
    ]);
  });
});

describe('axisLabels', () => {
  const cell = (address: string, text: string, hasFormula = false) => {
    const p = parseBlockRange(address);
    return { address, row: p?.top ?? 0, col: p?.left ?? 0, text, type: text === '' ? 'empty' : 'string', hasFormula };
  };
  const sheet = {
    cells: [cell('A10', '總計'), cell('A11', '家庭經濟陷困'), cell('B8', '受理案件數'), cell('G8', '服務人次'), cell('G9', '電訪'), cell('H9', '面訪'), cell('I10', '', true)],
    merges: [
      { top: 8, left: 2, bottom: 9, right: 2 },
      { top: 8, left: 7, bottom: 8, right: 9 },
    ],
  };
  it('reads row labels to the left and the nearest column header, through merges', () => {
    expect(axisLabels(sheet, 'B10:H11', 'rows')).toEqual([
      { cell: 'A10', text: '總計' },
      { cell: 'A11', text: '家庭經濟陷困' },
    ]);
    expect(axisLabels(sheet, 'B10:H10', 'cols').map((l) => l.text)).toEqual(['受理案件數', '', '', '', '', '電訪', '面訪']);
    expect(axisLabels(sheet, 'B10:B10', 'cols')[0]?.cell).toBe('B8');
  });
});

describe('planBlock', () => {
  const facetRows = { kind: 'dimension' as const, dimension: 'dimension' as const, values: [null, '1', '2', '3', '4', '5', '6'] };
  it('maps the example table B10:H16 by 面向 × indicators, G/H by method, and skips formulas', () => {
    const plan = planBlock(
      {
        sheet: '脆弱家庭服務',
        range: 'B10:I16',
        rows: facetRows,
        cols: {
          kind: 'indicators',
          indicatorIds: ['cases.received', 'cases.opened', 'cases.notOpened', 'cases.closed', 'cases.openAtEnd', 'services.count', 'services.count', 'services.count'],
          filters: [undefined, undefined, undefined, undefined, undefined, { method: '電訪家庭' }, { method: '面訪家庭' }, { method: ['電訪家庭', '面訪家庭'] }],
        },
      },
      { cells: ['I10', 'I11', 'I12', 'I13', 'I14', 'I15', 'I16'].map((address) => ({ address, hasFormula: true })) },
    );
    expect(plan.mappings).toHaveLength(49);
    expect(plan.problems.map((p) => [p.cell, p.code, p.severity])).toEqual(['I10', 'I11', 'I12', 'I13', 'I14', 'I15', 'I16'].map((c) => [c, 'formula', 'warning']));
    expect(plan.mappings[0]).toEqual({ sheet: '脆弱家庭服務', cell: 'B10', indicatorId: 'cases.received' });
    expect(plan.mappings.find((m) => m.cell === 'G12')).toEqual({ sheet: '脆弱家庭服務', cell: 'G12', indicatorId: 'services.count', filters: { dimension: '2', method: '電訪家庭' } });
    expect(plan.mappings.find((m) => m.cell === 'H16')?.filters).toEqual({ dimension: '6', method: '面訪家庭' });
    expect(plan.mappings.find((m) => m.cell === 'H10')?.filters).toEqual({ method: '面訪家庭' });
  });

  it('skips null indicator columns, applies the block period, refuses what cannot be mapped', () => {
    const plan = planBlock({
      sheet: 'S',
      range: 'B2:C3',
      rows: { kind: 'dimension', dimension: 'method', values: ['電訪家庭', null] },
      cols: { kind: 'indicators', indicatorIds: ['services.count', null], filters: [{ method: ['電訪家庭', '面訪家庭'] }] },
      period: 'month1',
    });
    expect(plan.mappings).toEqual([
      { sheet: 'S', cell: 'B2', indicatorId: 'services.count', filters: { method: '電訪家庭' }, period: 'month1' },
      { sheet: 'S', cell: 'B3', indicatorId: 'services.count', filters: { method: ['電訪家庭', '面訪家庭'] }, period: 'month1' },
    ]);
    const conflict = planBlock({
      sheet: 'S',
      range: 'B2',
      rows: { kind: 'dimension', dimension: 'method', values: ['面談'] },
      cols: { kind: 'indicators', indicatorIds: ['services.count'], filters: [{ method: '電訪家庭' }] },
    });
    expect(conflict.mappings).toEqual([]);
    expect(conflict.problems[0]?.message).toBe('B2：列與欄的「服務方式」篩選沒有共同的值');
    const none = planBlock({
      sheet: 'S',
      range: 'B2:B3',
      rows: { kind: 'dimension', dimension: 'sex', values: ['M', 'F'] },
      cols: { kind: 'periods', periods: ['month1'] },
    });
    expect(none.problems.map((p) => p.code)).toEqual(['noIndicator', 'noIndicator']);
    const withBlockIndicator = planBlock({
      sheet: 'S',
      range: 'B2:C2',
      rows: { kind: 'dimension', dimension: 'sex', values: ['M'] },
      cols: { kind: 'periods', periods: ['month1', 'month2'] },
      indicatorId: 'services.persons',
    });
    expect(withBlockIndicator.mappings.map((m) => [m.cell, m.period, m.filters])).toEqual([
      ['B2', 'month1', { sex: 'M' }],
      ['C2', 'month2', { sex: 'M' }],
    ]);
    expect(planBlock({ sheet: 'S', range: 'B2:B4', rows: facetRows, cols: { kind: 'indicators', indicatorIds: ['x'] } }).problems[0]?.code).toBe('axisLength');
    expect(planBlock({ sheet: 'S', range: 'B0', rows: facetRows, cols: facetRows }).problems[0]?.code).toBe('range');
    const lib = [{ id: 'cases.opened', name: '開案數', breakdowns: ['team' as const] }];
    const refused = planBlock({ sheet: 'S', range: 'B11', rows: { kind: 'dimension', dimension: 'dimension', values: ['1'] }, cols: { kind: 'indicators', indicatorIds: ['cases.opened'] } }, { indicators: lib });
    expect(refused.problems[0]?.message).toBe('B11：指標「開案數」不能依「脆弱面向」篩選');
  });

  it('merges filters by keeping the common values', () => {
    expect(mergeFilters({ method: ['電訪家庭', '面談'] }, { method: ['面談', '其他'], sex: 'F' })).toEqual({ filters: { method: '面談', sex: 'F' }, conflict: null });
  });
});

describe('copyMappings and upsertMappings', () => {
  it('shifts addresses along a row and down a column, leaving out what leaves the sheet', () => {
    const m = [{ sheet: 'S', cell: 'B10', indicatorId: 'cases.opened', filters: { dimension: ['1', '2'] } }];
    expect(copyMappings(m, { cols: 2 })).toEqual([{ sheet: 'S', cell: 'D10', indicatorId: 'cases.opened', filters: { dimension: ['1', '2'] } }]);
    expect(copyMappings(m, { rows: 3 })[0]?.cell).toBe('B13');
    expect(copyMappings(m, { cols: -2 })).toEqual([]);
    expect(copyMappings([{ sheet: 'S', cell: 'Z1', indicatorId: 'x' }], { cols: 1 })[0]?.cell).toBe('AA1');
    const copy = copyMappings(m, { rows: 1 })[0];
    (copy?.filters?.dimension as string[]).push('3');
    expect(m[0]?.filters.dimension).toEqual(['1', '2']);
  });
  it('replaces mapped cells by sheet and cell', () => {
    const a = [
      { sheet: 'S', cell: 'B10', indicatorId: 'x' },
      { sheet: 'S', cell: 'C10', indicatorId: 'y' },
    ];
    expect(upsertMappings(a, [{ sheet: 's', cell: 'b10', indicatorId: 'z' }]).map((m) => m.indicatorId)).toEqual(['y', 'z']);
  });
});

describe('recogniseTemplate', () => {
  const c = (address: string, text: string) => {
    const p = parseBlockRange(address);
    return { address, row: p?.top ?? 0, col: p?.left ?? 0, text, type: 'string', hasFormula: false };
  };
  it('reads a value written in the label cell, below the label, or a blank value cell; half-year and month lines', () => {
    const got = recogniseTemplate([
      {
        name: '表一',
        kind: 'worksheet',
        state: 'veryHidden',
        cells: [c('A1', '表號：10930-02-01-1'), c('D1', '填報機關'), c('D2', '臺中市社會局'), c('A4', '中華民國 115 年 上半年'), c('A20', '編製日期'), c('B20', '115年7月10日')],
        merges: [],
      },
      { name: '表二', kind: 'worksheet', state: 'visible', cells: [c('A1', '表  號'), c('A3', '民國115年3月'), c('F30', '中華民國 年 月 日 編製')], merges: [{ top: 1, left: 1, bottom: 1, right: 2 }] },
      { name: '圖', kind: 'chartsheet', state: 'visible', cells: [], merges: [] },
    ]);
    expect(got).toEqual([
      {
        sheet: '表一',
        hidden: true,
        formNo: { labelCell: 'A1', cell: 'A1', value: '10930-02-01-1' },
        agency: { labelCell: 'D1', cell: 'D2', value: '臺中市社會局' },
        period: { cell: 'A4', text: '中華民國 115 年 上半年', frequency: 'halfYear' },
        compiledOn: { cell: 'B20', text: '115年7月10日' },
      },
      {
        sheet: '表二',
        hidden: false,
        formNo: { labelCell: 'A1', cell: 'C1', value: '' },
        agency: null,
        period: { cell: 'A3', text: '民國115年3月', frequency: 'month' },
        compiledOn: { cell: 'F30', text: '中華民國 年 月 日 編製' },
      },
    ]);
  });
});
