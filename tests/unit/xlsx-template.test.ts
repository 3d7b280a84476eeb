import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { Deflate, strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import {
  TemplateFileError,
  TemplateFillError,
  checkMapping,
  diffFilled,
  fillTemplate,
  fingerprintCell,
  fingerprintCells,
  inspectWorkbook,
  type CellFill,
  type TemplateFileErrorCode,
} from '../../main/services/reports/xlsx';

const TEMPLATE_URL = new URL('../../../shared/fixtures/templates/季報-範例.xlsx', import.meta.url);
const template = (): Uint8Array => new Uint8Array(readFileSync(fileURLToPath(TEMPLATE_URL)));

const SHEET = '脆弱家庭服務';
const SHEET_PATH = 'xl/worksheets/sheet1.xml';
const PERIOD = '中華民國115年第1季';

function quarterFills(seed = 0): CellFill[] {
  const fills: CellFill[] = [{ sheet: SHEET, cell: 'A6', value: PERIOD }];
  for (let r = 10; r <= 16; r++) {
    for (const col of 'BCDEFGH') fills.push({ sheet: SHEET, cell: `${col}${r}`, value: seed + r * 100 + col.charCodeAt(0) - 64 });
    fills.push({ sheet: SHEET, cell: `J${r}`, value: 95.5 + (r - 10) / 10 });
  }
  return fills;
}

const FILLED_CELLS = quarterFills().map((f) => f.cell);

function text(files: Record<string, Uint8Array>, name: string): string {
  const b = files[name];
  if (!b) throw new Error(`missing ${name}`);
  return strFromU8(b);
}

/** Replaces each listed `<c>` element by `<c r="X"/>`, so filled and original XML can be compared. */
function normaliseCells(xml: string, cells: readonly string[]): string {
  let out = xml;
  for (const a of cells) {
    const re = new RegExp(`<c r="${a}"(?:[^>]*?/>|[^>]*>[\\s\\S]*?</c>)`);
    expect(re.test(out), `cell ${a} present`).toBe(true);
    out = out.replace(re, `<c r="${a}"/>`);
  }
  return out;
}

function expectFileError(fn: () => unknown, code: TemplateFileErrorCode): TemplateFileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateFileError);
    const err = e as TemplateFileError;
    expect(err.code).toBe(code);
    expect(err.message).toMatch(/[\u4e00-\u9fff]/); // a zh-TW message for the user
    return err;
  }
  throw new Error(`expected TemplateFileError ${code}`);
}

function expectFillError(fn: () => unknown, code: string): TemplateFillError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateFillError);
    expect((e as TemplateFillError).code).toBe(code);
    return e as TemplateFillError;
  }
  throw new Error(`expected TemplateFillError ${code}`);
}

/** Edits parts of the template (unzip, change text, rezip with fflate). */
function patchTemplate(patches: Record<string, (xml: string) => string>): Uint8Array {
  const files = unzipSync(template());
  for (const [name, fn] of Object.entries(patches)) {
    const before = text(files, name);
    const after = fn(before);
    expect(after, `patch of ${name} changes something`).not.toBe(before);
    files[name] = strToU8(after);
  }
  return zipSync(files);
}

// --- tiny package builders ---------------------------------------------------------------------

const CT =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WB =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
  '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WB_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';

function minimalXlsx(sheetXml: string, workbookXml = WB): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8(CT),
    '_rels/.rels': strToU8(ROOT_RELS),
    'xl/workbook.xml': strToU8(workbookXml),
    'xl/_rels/workbook.xml.rels': strToU8(WB_RELS),
    'xl/worksheets/sheet1.xml': strToU8(sheetXml),
  });
}

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

interface RawEntry {
  name: string;
  /** Deflated bytes. */
  data: Uint8Array;
  crc: number;
  /** Declared uncompressed size (may lie). */
  size: number;
}

/** Writes a zip by hand so that sizes can be declared freely. */
function rawZip(entries: RawEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = strToU8(e.name);
    const lh = new Uint8Array(30 + name.length);
    const lv = new DataView(lh.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x0800, true);
    lv.setUint16(8, 8, true);
    lv.setUint32(14, e.crc, true);
    lv.setUint32(18, e.data.length, true);
    lv.setUint32(22, e.size, true);
    lv.setUint16(26, name.length, true);
    lh.set(name, 30);
    const ch = new Uint8Array(46 + name.length);
    const cv = new DataView(ch.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint16(10, 8, true);
    cv.setUint32(16, e.crc, true);
    cv.setUint32(20, e.data.length, true);
    cv.setUint32(24, e.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    ch.set(name, 46);
    chunks.push(lh, e.data);
    central.push(ch);
    offset += lh.length + e.data.length;
  }
  const cdSize = central.reduce((a, c) => a + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return concat([...chunks, ...central, end]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, c) => a + c.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}

function deflated(s: string): RawEntry['data'] {
  const parts: Uint8Array[] = [];
  const d = new Deflate({ level: 6 }, (c) => {
    parts.push(c);
  });
  d.push(strToU8(s), true);
  return concat(parts);
}

function rawEntry(name: string, s: string): RawEntry {
  const bytes = strToU8(s);
  return { name, data: deflated(s), crc: crc32(bytes), size: bytes.length };
}

/**
 * A deflate stream of `mib` MiB of zeros, built in milliseconds: one flushed 1 MiB block, the same
 * follow-up block repeated (valid because it only refers back to zeros), then an empty final block.
 */
function zerosDeflate(mib: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const d = new Deflate({ level: 1 }, (c) => {
    parts.push(c);
  });
  const chunk = new Uint8Array(1 << 20);
  d.push(chunk);
  d.flush(true);
  const first = concat(parts.splice(0));
  d.push(chunk);
  d.flush(true);
  const again = concat(parts.splice(0));
  d.push(new Uint8Array(0), true);
  const fin = concat(parts.splice(0));
  return concat([first, ...Array.from({ length: mib - 1 }, () => again), fin]);
}

function packageEntries(sheet: RawEntry): RawEntry[] {
  return [
    rawEntry('[Content_Types].xml', CT),
    rawEntry('_rels/.rels', ROOT_RELS),
    rawEntry('xl/workbook.xml', WB),
    rawEntry('xl/_rels/workbook.xml.rels', WB_RELS),
    sheet,
  ];
}

// ------------------------------------------------------------------------------------------------

describe('inspectWorkbook on the example quarterly template', () => {
  const model = inspectWorkbook(template());

  it('lists the three sheets with their parts', () => {
    expect(model.sheets.map((s) => [s.name, s.index, s.path, s.kind])).toEqual([
      ['脆弱家庭服務', 0, 'xl/worksheets/sheet1.xml', 'worksheet'],
      ['實物銀行', 1, 'xl/worksheets/sheet2.xml', 'worksheet'],
      ['填表說明', 2, 'xl/worksheets/sheet3.xml', 'worksheet'],
    ]);
  });

  it('reads layout: used range, merges, widths, heights, frozen pane', () => {
    const s = model.sheets[0]!;
    expect(s.usedRange).toBe('A1:J22');
    expect(s.dimension).toBe('A1:J22');
    expect(s.merges.map((m) => m.ref)).toEqual(['A5:J5', 'A6:J6', 'G8:I8', 'A8:A9', 'B8:B9', 'C8:C9', 'D8:D9', 'E8:E9', 'F8:F9', 'J8:J9']);
    expect(s.columns).toEqual([
      { min: 1, max: 1, width: 26, hidden: false },
      { min: 2, max: 10, width: 12, hidden: false },
    ]);
    expect(s.rows).toContainEqual({ row: 5, height: 30, hidden: false });
    expect(s.frozenPane).toEqual({ rows: 9, cols: 0, topLeftCell: 'A10' });
    expect(s.defaultRowHeight).toBe(15);
  });

  it('reads the defined name 填報區 and the print names', () => {
    expect(model.definedNames).toContainEqual({ name: '填報區', ref: "'脆弱家庭服務'!$B$10:$J$16", scopeSheet: null, hidden: false });
    expect(model.definedNames.find((n) => n.name === '_xlnm.Print_Area')?.scopeSheet).toBe(SHEET);
  });

  it('reads values, formulas and style hints', () => {
    const cells = new Map(model.sheets[0]!.cells.map((c) => [c.address, c]));
    const title = cells.get('A5')!;
    expect(title.text).toBe('社會福利服務中心脆弱家庭服務概況');
    expect(model.styles[title.styleId]).toMatchObject({ bold: true, horizontal: 'center', fontSize: 18 });
    expect(cells.get('A6')).toMatchObject({ type: 'string', text: '中華民國　　　年第　　季' });
    expect(cells.get('I10')).toMatchObject({ hasFormula: true, formula: 'G10+H10', type: 'empty' });
    expect(cells.get('B10')).toMatchObject({ type: 'empty', hasFormula: false });
    const header = model.styles[cells.get('B8')!.styleId]!;
    expect(header.fillColor).toBe('#EFEFEF');
    expect(header.border).toEqual({ top: true, right: true, bottom: true, left: true });
    expect(header.wrapText).toBe(true);
    expect(model.styles[cells.get('B10')!.styleId]!.numFmt).toBe('#,##0');
    expect(model.sheets[2]!.cells[0]!.text).toMatch(/^一、本表資料期間/);
  });
});

describe('fillTemplate', () => {
  const original = template();
  const filled = fillTemplate(original, quarterFills());
  const before = unzipSync(original);
  const after = unzipSync(filled);

  it('keeps every other zip entry byte-identical, in the same order', () => {
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const name of Object.keys(before)) {
      if (name === SHEET_PATH || name === 'xl/workbook.xml') continue;
      expect(Buffer.from(after[name]!).equals(Buffer.from(before[name]!)), name).toBe(true);
    }
  });

  it('only adds fullCalcOnLoad to workbook.xml', () => {
    const wb = text(before, 'xl/workbook.xml');
    expect(wb).toContain('<calcPr calcId="171027"/>');
    expect(text(after, 'xl/workbook.xml')).toBe(wb.replace('<calcPr calcId="171027"/>', '<calcPr calcId="171027" fullCalcOnLoad="1"/>'));
  });

  it('changes nothing in the sheet XML but the filled cells', () => {
    const a = text(before, SHEET_PATH);
    const b = text(after, SHEET_PATH);
    expect(b).not.toBe(a);
    expect(normaliseCells(b, FILLED_CELLS)).toBe(normaliseCells(a, FILLED_CELLS));
    expect(b).toContain(`<c r="A6" s="3" t="inlineStr"><is><t>${PERIOD}</t></is></c>`);
    expect(b).toContain('<c r="B10" s="11"><v>1002</v></c>');
    expect(b).toContain('<c r="J16" s="18"><v>96.1</v></c>');
    expect(b).toContain('<c r="I10" s="11"><f>G10+H10</f></c>');
  });

  it('is read back by SheetJS with values, formulas, merges and the comment', () => {
    const wb = XLSX.read(filled, { type: 'array', cellFormula: true, sheetStubs: true });
    expect(wb.SheetNames).toEqual(['脆弱家庭服務', '實物銀行', '填表說明']);
    const ws = wb.Sheets[SHEET]!;
    expect(ws['A6']?.v).toBe(PERIOD);
    expect(ws['B10']?.v).toBe(1002);
    expect(ws['H16']?.v).toBe(1608);
    expect(ws['J10']?.v).toBe(95.5);
    for (let r = 10; r <= 16; r++) expect(ws[`I${r}`]?.f).toBe(`G${r}+H${r}`);
    expect(ws['!merges']).toHaveLength(10);
    expect(ws['A8']?.v).toBe('項目別');
    const note = wb.Sheets['填表說明']!['A7'];
    expect(note?.c?.[0]?.t).toContain('本說明頁不需填寫');
    expect(wb.Workbook?.Names?.find((n) => n.Name === '填報區')?.Ref).toBe("'脆弱家庭服務'!$B$10:$J$16");
  });

  it('is read back by ExcelJS with validation, print setup, footer, merges and frozen pane intact', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(filled) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(SHEET)!;
    expect(ws.getCell('A6').value).toBe(PERIOD);
    expect(ws.getCell('C12').value).toBe(1203);
    expect(ws.getCell('I12').value).toMatchObject({ formula: 'G12+H12' });
    expect(ws.getCell('J10').dataValidation).toMatchObject({ type: 'decimal', formulae: [0, 100] });
    expect(ws.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printArea: 'A1:J22',
      printTitlesRow: '8:9',
    });
    expect(ws.headerFooter.oddFooter).toBe('第 &P 頁，共 &N 頁');
    expect(ws.getCell('B8').isMerged).toBe(true);
    expect(ws.getCell('H5').master.address).toBe('A5');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 9 });
    // (ExcelJS does not surface this comment even from the original template, because A7 has no
    // <c> element; SheetJS above reads it, and its parts are byte-identical.)
  });

  it('reads back with our own inspector', () => {
    const s = inspectWorkbook(filled).sheets[0]!;
    const cells = new Map(s.cells.map((c) => [c.address, c]));
    expect(cells.get('A6')).toMatchObject({ type: 'string', value: PERIOD });
    expect(cells.get('D13')).toMatchObject({ type: 'number', value: 1304, text: '1,304' });
    expect(cells.get('J11')).toMatchObject({ type: 'number', value: 95.6, text: '95.6' });
  });

  it('is idempotent: filling the filled file again gives the same bytes', () => {
    expect(Buffer.from(fillTemplate(filled, quarterFills())).equals(Buffer.from(filled))).toBe(true);
  });

  it('clears a value with null, restoring the original cell element', () => {
    const cleared = fillTemplate(filled, [{ sheet: SHEET, cell: 'B10', value: null }]);
    const xml = text(unzipSync(cleared), SHEET_PATH);
    expect(xml).toContain('<c r="B10" s="11"/>');
    expect(xml).toContain('<c r="C10" s="11"><v>1003</v></c>');
  });

  it('writes strings as escaped inline strings, keeping spaces and sharedStrings untouched', () => {
    const tricky = '  <甲&乙> "引號" _x0041_ 石𥕢里\u0001 ';
    const out = fillTemplate(original, [{ sheet: '實物銀行', cell: 'B9', value: tricky }]);
    const files = unzipSync(out);
    expect(Buffer.from(files['xl/sharedStrings.xml']!).equals(Buffer.from(before['xl/sharedStrings.xml']!))).toBe(true);
    const xml = text(files, 'xl/worksheets/sheet2.xml');
    expect(xml).toContain('<t xml:space="preserve">  &lt;甲&amp;乙&gt; "引號" _x005F_x0041_ 石𥕢里_x0001_ </t>');
    const back = inspectWorkbook(out).sheets[1]!.cells.find((c) => c.address === 'B9');
    expect(back?.value).toBe(tricky);
    expect(XLSX.read(out, { type: 'array' }).Sheets['實物銀行']!['B9']?.v).toBe(tricky);
  });

  it('inserts missing cells and rows in order and grows the dimension', () => {
    const out = fillTemplate(original, [
      { sheet: SHEET, cell: 'K10', value: 7 }, // after the last cell of a row (customFormat row: takes its style)
      { sheet: SHEET, cell: 'B7', value: 8 }, // before J7 in an existing row
      { sheet: SHEET, cell: 'A4', value: 'x' }, // row 4 does not exist
      { sheet: SHEET, cell: 'C30', value: 9 }, // after the last row
      { sheet: '填表說明', cell: 'B7', value: 10 }, // row 7 is a self-closing <row/>
    ]);
    const files = unzipSync(out);
    const xml = text(files, SHEET_PATH);
    expect(xml).toContain('<c r="J10" s="12"/><c r="K10" s="9"><v>7</v></c></row>');
    expect(xml).toContain('<row r="7" spans="10:10" x14ac:dyDescent="0.25"><c r="B7"><v>8</v></c><c r="J7" s="4" t="s">');
    expect(xml).toContain('</row><row r="4"><c r="A4" t="inlineStr"><is><t>x</t></is></c></row><row r="5"');
    expect(xml).toContain('<row r="30"><c r="C30"><v>9</v></c></row></sheetData>');
    expect(xml).toContain('<dimension ref="A1:K30"/>');
    expect(text(files, 'xl/worksheets/sheet3.xml')).toContain('<row r="7" spans="1:1" x14ac:dyDescent="0.25"><c r="B7"><v>10</v></c></row>');
    const wb = XLSX.read(out, { type: 'array' });
    const ws = wb.Sheets[SHEET]!;
    expect([ws['K10']?.v, ws['B7']?.v, ws['A4']?.v, ws['C30']?.v]).toEqual([7, 8, 'x', 9]);
    expect(wb.Sheets['填表說明']!['B7']?.v).toBe(10);
  });

  it('gives a new cell the row style of a customFormat row', () => {
    const sheet = SHEET_HEAD + '<sheetData><row r="2" s="3" customFormat="1"><c r="A2"><v>1</v></c></row></sheetData></worksheet>';
    const out = fillTemplate(minimalXlsx(sheet), [{ sheet: 'S', cell: 'C2', value: 5 }]);
    expect(text(unzipSync(out), 'xl/worksheets/sheet1.xml')).toContain('<c r="A2"><v>1</v></c><c r="C2" s="3"><v>5</v></c>');
    expect(text(unzipSync(out), 'xl/workbook.xml')).toContain('</sheets><calcPr fullCalcOnLoad="1"/></workbook>');
  });

  it('keeps namespace prefixes when the sheet uses them', () => {
    const sheet =
      '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
      '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>';
    const out = fillTemplate(minimalXlsx(sheet), [
      { sheet: 'S', cell: 'A1', value: 'a' },
      { sheet: 'S', cell: 'B2', value: 2 },
    ]);
    const xml = text(unzipSync(out), 'xl/worksheets/sheet1.xml');
    expect(xml).toContain('<x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c>');
    expect(xml).toContain('<x:row r="2"><x:c r="B2"><x:v>2</x:v></x:c></x:row></x:sheetData>');
    expect(XLSX.read(out, { type: 'array' }).Sheets['S']!['B2']?.v).toBe(2);
  });

  it('refuses cells inside an array formula range', () => {
    const sheet =
      SHEET_HEAD +
      '<sheetData><row r="1"><c r="A1"><f t="array" ref="A1:A3">{1;2;3}</f><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row></sheetData></worksheet>';
    expectFillError(() => fillTemplate(minimalXlsx(sheet), [{ sheet: 'S', cell: 'A2', value: 5 }]), 'formula-cell');
    expectFillError(() => fillTemplate(minimalXlsx(sheet), [{ sheet: 'S', cell: 'A3', value: 5 }]), 'formula-cell');
    expect(() => fillTemplate(minimalXlsx(sheet), [{ sheet: 'S', cell: 'B2', value: 5 }])).not.toThrow();
  });

  it('refuses a formula cell, a covered merged cell, unknown sheets, bad addresses and bad values', () => {
    expect(expectFillError(() => fillTemplate(original, [{ sheet: SHEET, cell: 'I10', value: 1 }]), 'formula-cell').message).toContain('I10');
    expectFillError(() => fillTemplate(original, [{ sheet: SHEET, cell: 'B6', value: 1 }]), 'merged-cell');
    expectFillError(() => fillTemplate(original, [{ sheet: '不存在', cell: 'A1', value: 1 }]), 'sheet-not-found');
    expectFillError(() => fillTemplate(original, [{ sheet: SHEET, cell: 'XFE1', value: 1 }]), 'invalid-cell');
    expectFillError(() => fillTemplate(original, [{ sheet: SHEET, cell: 'B10', value: Number.NaN }]), 'invalid-value');
    expectFillError(
      () =>
        fillTemplate(original, [
          { sheet: SHEET, cell: 'B10', value: 1 },
          { sheet: SHEET, cell: '$B$10', value: 2 },
        ]),
      'duplicate-fill',
    );
  });
});

describe('refusals', () => {
  it('refuses a CSV, a PDF, random bytes and an empty file', () => {
    expectFileError(() => inspectWorkbook(strToU8('\ufeff編號,姓名,日期\n1,王小明,2026-01-05\n')), 'not-xlsx');
    expectFileError(() => inspectWorkbook(strToU8('%PDF-1.7\n%âãÏÓ\n1 0 obj\n')), 'not-xlsx');
    let x = 12345;
    const random = new Uint8Array(4096).map(() => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      return x >>> 16;
    });
    expectFileError(() => inspectWorkbook(random), 'not-xlsx');
    expectFileError(() => inspectWorkbook(new Uint8Array(0)), 'empty-file');
  });

  it('refuses legacy .xls and encrypted OLE containers with different codes', () => {
    const encrypted = oleWith(['EncryptionInfo', 'EncryptedPackage']);
    const xls = oleWith(['Workbook']);
    expect(expectFileError(() => inspectWorkbook(encrypted), 'encrypted').message).toContain('密碼');
    expect(expectFileError(() => inspectWorkbook(xls), 'legacy-xls').message).toContain('.xlsx');
  });

  it('refuses a zip without a workbook, and a workbook without sheets', () => {
    expectFileError(() => inspectWorkbook(zipSync({ '[Content_Types].xml': strToU8(CT), 'docs/readme.txt': strToU8('hi') })), 'missing-workbook');
    expectFileError(() => inspectWorkbook(zipSync({ 'a.txt': strToU8('hi') })), 'missing-workbook');
    const noSheets = WB.replace(/<sheets>.*<\/sheets>/, '<sheets/>');
    expectFileError(() => inspectWorkbook(minimalXlsx(SHEET_HEAD + '<sheetData/></worksheet>', noSheets)), 'no-sheets');
  });

  it('refuses corrupt zips: truncated, or data that fails its CRC', () => {
    const t = template();
    expectFileError(() => inspectWorkbook(t.slice(0, Math.floor(t.length / 2))), 'corrupt-zip');
    const sheet = rawEntry('xl/worksheets/sheet1.xml', SHEET_HEAD + '<sheetData/></worksheet>');
    expectFileError(() => inspectWorkbook(rawZip(packageEntries({ ...sheet, crc: (sheet.crc + 1) >>> 0 }))), 'corrupt-zip');
  });

  it('refuses malformed XML and DTDs (no entity expansion)', () => {
    expectFileError(() => inspectWorkbook(minimalXlsx(SHEET_HEAD + '<sheetData><row></sheetData></worksheet>')), 'corrupt-xml');
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>';
    expectFileError(() => inspectWorkbook(minimalXlsx(laughs)), 'corrupt-xml');
  });

  it('refuses a zip bomb from its declared size, without inflating it', () => {
    const bomb = zerosDeflate(300);
    const start = Date.now();
    const honest: RawEntry = { name: 'xl/worksheets/sheet1.xml', data: bomb, crc: 0, size: 300 * 1024 * 1024 };
    expectFileError(() => inspectWorkbook(rawZip(packageEntries(honest))), 'too-large');
    // Several 90 MiB parts: each under the per-part limit, together over the total limit.
    const parts = [0, 1, 2].map((i) => ({ name: `xl/media/zeros${i}.bin`, data: bomb, crc: 0, size: 90 * 1024 * 1024 }));
    expectFileError(() => inspectWorkbook(rawZip([...packageEntries(rawEntry('xl/worksheets/sheet1.xml', SHEET_HEAD + '<sheetData/></worksheet>')), ...parts])), 'too-large');
    // A size no deflate stream of this length can reach.
    const impossible: RawEntry = { name: 'xl/worksheets/sheet1.xml', data: deflated('<x/>'), crc: 0, size: 50 * 1024 * 1024 };
    expectFileError(() => inspectWorkbook(rawZip(packageEntries(impossible))), 'zip-bomb');
    expect(Date.now() - start).toBeLessThan(2000);
  });

  it('stops inflating a zip bomb that lies about its size', () => {
    const bomb = zerosDeflate(300);
    const start = Date.now();
    const lying: RawEntry = { name: 'xl/worksheets/sheet1.xml', data: bomb, crc: 0, size: 300 * 1024 };
    expectFileError(() => inspectWorkbook(rawZip(packageEntries(lying))), 'zip-bomb');
    expect(Date.now() - start).toBeLessThan(2000);
  });

  it('refuses a file over 20 MiB before reading it', () => {
    const big = new Uint8Array(21 * 1024 * 1024);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    expectFileError(() => inspectWorkbook(big), 'too-large');
  });

  it('refuses too many cells and absurd dimensions', () => {
    const row = Array.from({ length: 50 }, (_, i) => `<c r="${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}1"><v>1</v></c>`);
    const rows = Array.from({ length: 50 }, (_, r) => `<row r="${r + 1}">${row.join('').replace(/1"/g, `${r + 1}"`)}</row>`).join('');
    const sheet = SHEET_HEAD + `<sheetData>${rows}</sheetData></worksheet>`;
    expect(inspectWorkbook(minimalXlsx(sheet)).sheets[0]!.cells).toHaveLength(2500);
    expectFileError(() => inspectWorkbook(minimalXlsx(sheet), { limits: { maxCells: 2000 } }), 'too-many-cells');
    expectFileError(() => inspectWorkbook(minimalXlsx(SHEET_HEAD + '<dimension ref="A1:XFE5"/><sheetData/></worksheet>')), 'absurd-dimension');
    expectFileError(() => inspectWorkbook(minimalXlsx(SHEET_HEAD + '<sheetData><row r="2000000"><c r="A2000000"><v>1</v></c></row></sheetData></worksheet>')), 'absurd-dimension');
  });

  it('parses hostile-but-valid XML in linear time', () => {
    const manyAttrs = Array.from({ length: 200_000 }, (_, i) => ` a${i}="${i}"`).join('');
    const manyComments = '<!-- x -->'.repeat(200_000);
    const sheet = SHEET_HEAD + `<sheetPr${manyAttrs}/>${manyComments}<sheetData><row r="1"><c r="A1"${manyAttrs}><v>1</v></c></row></sheetData></worksheet>`;
    const start = Date.now();
    const model = inspectWorkbook(minimalXlsx(sheet));
    expect(model.sheets[0]!.cells[0]!.value).toBe(1);
    expect(Date.now() - start).toBeLessThan(3000);
  });
});

/** Builds a tiny valid CFB (OLE2) container holding empty streams with these names. */
function oleWith(streams: string[]): Uint8Array {
  const sector = 512;
  const buf = new Uint8Array(sector * 3); // header, FAT sector 0, directory sector 1
  const v = new DataView(buf.buffer);
  buf.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  v.setUint16(0x18, 0x3e, true);
  v.setUint16(0x1a, 3, true);
  v.setUint16(0x1c, 0xfffe, true);
  v.setUint16(0x1e, 9, true);
  v.setUint16(0x20, 6, true);
  v.setUint32(0x2c, 1, true); // one FAT sector
  v.setUint32(0x30, 1, true); // directory starts at sector 1
  v.setUint32(0x38, 4096, true);
  v.setUint32(0x3c, 0xfffffffe, true);
  v.setUint32(0x44, 0xfffffffe, true);
  for (let i = 0; i < 109; i++) v.setUint32(0x4c + i * 4, i === 0 ? 0 : 0xffffffff, true);
  const fat = sector;
  for (let i = 0; i < 128; i++) v.setUint32(fat + i * 4, 0xffffffff, true);
  v.setUint32(fat, 0xfffffffd, true); // sector 0 is a FAT sector
  v.setUint32(fat + 4, 0xfffffffe, true); // directory: one sector
  const names = ['Root Entry', ...streams];
  names.forEach((name, i) => {
    const o = sector * 2 + i * 128;
    for (let k = 0; k < name.length; k++) v.setUint16(o + k * 2, name.charCodeAt(k), true);
    v.setUint16(o + 0x40, (name.length + 1) * 2, true);
    buf[o + 0x42] = i === 0 ? 5 : 2;
    v.setUint32(o + 0x74, 0xfffffffe, true);
  });
  return buf;
}

describe('mapping fingerprints', () => {
  const original = template();

  it('records the row label, the column label and the style of a mapped cell', () => {
    expect(fingerprintCell(original, SHEET, 'C12')).toEqual({
      sheet: SHEET,
      cell: 'C12',
      rowLabel: '家庭遭逢變故致功能受損',
      rowLabelCell: 'A12',
      columnLabel: '開案數',
      columnLabelCell: 'C8',
      styleId: 14,
    });
    const [h10, a6, j16] = fingerprintCells(original, [
      { sheet: SHEET, cell: 'H10' },
      { sheet: SHEET, cell: 'A6' },
      { sheet: SHEET, cell: 'j16' },
    ]);
    expect(h10).toMatchObject({ rowLabel: '總計', columnLabel: '面訪', columnLabelCell: 'H9' });
    expect(a6).toMatchObject({ rowLabel: null, columnLabel: '社會福利服務中心脆弱家庭服務概況', styleId: 3 });
    expect(j16).toMatchObject({ cell: 'J16', columnLabel: '派案後24小時內處理比率(%)', rowLabel: '個人生活適應困難' });
  });

  const cells = quarterFills().map((f) => ({ sheet: f.sheet, cell: f.cell }));
  const mappings = fingerprintCells(original, cells).map((fp) => ({ sheet: fp.sheet, cell: fp.cell, fingerprint: fp }));

  it('finds no problem on the same template, or on a filled copy', () => {
    expect(checkMapping(original, mappings)).toEqual([]);
    expect(checkMapping(fillTemplate(original, quarterFills()), mappings)).toEqual([]);
  });

  it('reports a renamed sheet', () => {
    const renamed = patchTemplate({ 'xl/workbook.xml': (x) => x.replace('name="脆弱家庭服務"', 'name="脆弱家庭服務(新)"') });
    const problems = checkMapping(renamed, mappings);
    expect(problems).toHaveLength(mappings.length);
    expect(problems[0]).toMatchObject({ code: 'sheet-missing', severity: 'error', message: '工作表「脆弱家庭服務」不存在，是否已改名為「脆弱家庭服務(新)」？', suggestedSheet: '脆弱家庭服務(新)' });
  });

  it('reports shifted row labels and suggests where the cell went', () => {
    // Rows 12 and 13 swap their labels, as if the central template reordered them.
    const shifted = patchTemplate({
      [SHEET_PATH]: (x) => x.replace('<c r="A12" s="13" t="s"><v>23</v>', '<c r="A12" s="13" t="s"><v>X</v>').replace('<c r="A13" s="13" t="s"><v>24</v>', '<c r="A13" s="13" t="s"><v>23</v>').replace('<v>X</v>', '<v>24</v>'),
    });
    const problems = checkMapping(shifted, mappings);
    const c12 = problems.find((p) => p.cell === 'C12');
    expect(c12).toMatchObject({ code: 'row-label-changed', severity: 'error', suggestedCell: 'C13' });
    expect(c12?.message).toContain('儲存格 C12 的列標題由「家庭遭逢變故致功能受損」變成「家庭關係衝突或疏離」');
    expect(problems.filter((p) => p.code === 'row-label-changed')).toHaveLength(16); // B..H and J in two rows
    expect(problems.every((p) => p.cell.endsWith('12') || p.cell.endsWith('13'))).toBe(true);
  });

  it('reports changed column headers, new formulas and style changes', () => {
    const changed = patchTemplate({
      'xl/sharedStrings.xml': (x) => x.replace('<t>開案數</t>', '<t>新開案數</t>'),
      [SHEET_PATH]: (x) => x.replace('<c r="D11" s="14"/>', '<c r="D11" s="14"><f>B11-C11</f></c>').replace('<c r="E14" s="14"/>', '<c r="E14" s="17"/>'),
    });
    const problems = checkMapping(changed, mappings);
    expect(problems.filter((p) => p.code === 'column-label-changed').map((p) => p.cell)).toEqual(['C10', 'C11', 'C12', 'C13', 'C14', 'C15', 'C16']);
    expect(problems.find((p) => p.cell === 'C10')?.message).toContain('儲存格 C10 的欄標題由「開案數」變成「新開案數」');
    expect(problems.find((p) => p.code === 'formula-cell')).toMatchObject({ cell: 'D11', severity: 'error' });
    expect(problems.find((p) => p.code === 'style-changed')).toMatchObject({ cell: 'E14', severity: 'warning' });
  });
});

describe('diffFilled', () => {
  const original = template();
  const q1 = fillTemplate(original, quarterFills(0));

  it('finds nothing between identical files', () => {
    expect(diffFilled(q1, q1)).toEqual([]);
  });

  it('lists changed cells with before and after values', () => {
    const fills = quarterFills(0).map((f) => (f.cell === 'C12' ? { ...f, value: 1 } : f.cell === 'A6' ? { ...f, value: '中華民國115年第2季' } : f));
    const again = fillTemplate(original, [...fills, { sheet: '實物銀行', cell: 'B9', value: 42 }]);
    expect(diffFilled(q1, again)).toEqual([
      { sheet: SHEET, cell: 'A6', before: PERIOD, after: '中華民國115年第2季', beforeText: PERIOD, afterText: '中華民國115年第2季' },
      { sheet: SHEET, cell: 'C12', before: 1203, after: 1, beforeText: '1,203', afterText: '1' },
      { sheet: '實物銀行', cell: 'B9', before: null, after: 42, beforeText: '', afterText: '42' },
    ]);
  });

  it('shows the template-to-filled changes', () => {
    const d = diffFilled(original, q1);
    expect(d).toHaveLength(FILLED_CELLS.length);
    expect(d[0]).toMatchObject({ cell: 'A6', before: '中華民國　　　年第　　季', after: PERIOD });
  });
});

describe('robustness', () => {
  it('never throws anything but TemplateFileError/TemplateFillError on damaged copies of the template', () => {
    const files = unzipSync(template());
    const names = Object.keys(files).filter((n) => n.endsWith('.xml') || n.endsWith('.rels'));
    const alphabet = '<>/="\'&;: abcrtvsf1290\n#x';
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const fills: CellFill[] = [
      { sheet: SHEET, cell: 'B10', value: 1 },
      { sheet: SHEET, cell: 'A6', value: PERIOD },
      { sheet: SHEET, cell: 'Z99', value: 3 },
    ];
    const start = Date.now();
    let refused = 0;
    for (let i = 0; i < 150; i++) {
      let bytes: Uint8Array;
      if (i % 3 === 0) {
        bytes = template();
        for (let j = 0; j <= rnd(8); j++) bytes[rnd(bytes.length)] = rnd(256);
      } else {
        const name = names[rnd(names.length)]!;
        let x = text(files, name);
        for (let j = 0; j <= rnd(4); j++) {
          const p = rnd(x.length);
          const c = alphabet[rnd(alphabet.length)]!;
          const op = rnd(3);
          x = op === 0 ? x.slice(0, p) + x.slice(p + 1 + rnd(20)) : op === 1 ? x.slice(0, p) + c + x.slice(p) : x.slice(0, p) + c + x.slice(p + 1);
        }
        bytes = zipSync({ ...files, [name]: strToU8(x) });
      }
      try {
        inspectWorkbook(bytes);
        inspectWorkbook(fillTemplate(bytes, fills));
      } catch (e) {
        if (!(e instanceof TemplateFileError) && !(e instanceof TemplateFillError)) throw e;
        if (e instanceof TemplateFileError) expect(e.code).not.toBe('unreadable');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(Date.now() - start).toBeLessThan(5000);
  });
});
