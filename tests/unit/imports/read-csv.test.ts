/**
 * The reader on files made here: the same CSV in UTF-8, UTF-8 with BOM and Big5 gives the same rows;
 * full-width digits fold; ROC-looking text stays text; quoted fields; and, in xlsx/ods written with
 * SheetJS, merged and two-level headers, title rows, trailing empty rows, hidden sheets and date cells.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import {
  dataRows,
  detectHeaderRow,
  headerColumns,
  readWorkbook,
  sheetRows,
  type ReadResult,
  type SourceBook,
  type SourceGrid,
} from '../../../main/services/imports/read';

/** A Big5 encoder from the decoder: every 2-byte code (lead 0xA1-0xF9, the standard range) decoded once. */
function big5Encoder(): (s: string) => Uint8Array {
  const map = new Map<string, number>();
  const dec = new TextDecoder('big5');
  for (let lead = 0xf9; lead >= 0xa1; lead--) {
    for (const trail of [...range(0x40, 0x7e), ...range(0xa1, 0xfe)]) {
      const ch = dec.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== '\ufffd') map.set(ch, (lead << 8) | trail); // lower codes win (loop runs downwards)
    }
  }
  return (s: string) => {
    const out: number[] = [];
    for (const ch of s) {
      const u = ch.codePointAt(0) ?? 0;
      if (u < 0x80) out.push(u);
      else {
        const code = map.get(ch);
        if (code === undefined) throw new Error(`not in Big5: ${ch}`);
        out.push(code >> 8, code & 0xff);
      }
    }
    return new Uint8Array(out);
  };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

function ok(r: ReadResult): SourceBook {
  if (!r.ok) throw new Error(`expected a book, got ${r.error.code}: ${r.error.message}`);
  return r.book;
}

function firstGrid(book: SourceBook): SourceGrid {
  const s = book.sheets.find((x) => x.rowCount > 0);
  if (!s) throw new Error('no sheet with data');
  return sheetRows(book, s.name);
}

function texts(grid: SourceGrid): string[][] {
  return grid.rows.map((row) => row.map((c) => c.text));
}

const CSV = [
  '南投市115年3月低收入戶名冊,,,,,',
  '製表日期：115/03/05,,,,,',
  '編號,姓名,身分證字號,出生日期,地址,電話',
  '１,王小明,Ａ１２３４５６７８９,115/3/5,"南投市中興路１號, 3樓",049-2222333',
  '2,陳美麗,B223456789,1150305,"南投市""光明""里\n民族路２０號",０９１２３４５６７８',
  '3,林　大同, C123456789 ,民國115年3月5日,南投市三和三路１２號　,',
  ',,,,,',
  '4,黃阿土,D123456789,115.03.05,南投市,',
  ',,,,,',
  ',,,,,',
  '',
].join('\r\n');

describe('CSV', () => {
  const encodeBig5 = big5Encoder();
  const utf8 = new TextEncoder().encode(CSV);
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
  const big5 = encodeBig5(CSV);

  it('the Big5 bytes really are not UTF-8', () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(big5)).toThrow();
    expect(new TextDecoder('big5').decode(big5)).toBe(CSV);
  });

  it('UTF-8, UTF-8 with BOM and Big5 give identical rows; the encoding is reported as guessed', () => {
    const a = ok(readWorkbook(utf8, '名冊.csv'));
    const b = ok(readWorkbook(bom, '名冊.csv'));
    const c = ok(readWorkbook(big5, '名冊.csv'));
    expect(a).toMatchObject({ format: 'csv', encoding: 'utf-8', encodingGuessed: true });
    expect(b).toMatchObject({ format: 'csv', encoding: 'utf-8' });
    expect(c).toMatchObject({ format: 'csv', encoding: 'big5', encodingGuessed: true });
    expect(a.sheets).toEqual([{ name: '名冊', hidden: false, rowCount: 8, colCount: 6 }]);
    const ga = firstGrid(a);
    expect(firstGrid(b)).toEqual(ga);
    expect(firstGrid(c)).toEqual(ga);
    // And the rows a kind receives are the same too.
    const rowsOf = (book: SourceBook) => {
      const g = firstGrid(book);
      const h = detectHeaderRow(g);
      return [...dataRows(g, h, headerColumns(g, h), { name: 'B', id: 'C', birth: 'D', address: 'E', phone: 'F' })];
    };
    expect(rowsOf(c)).toEqual(rowsOf(a));
    expect(rowsOf(b)).toEqual(rowsOf(a));
  });

  it("the caller's encoding wins; told, it is not a guess", () => {
    const told = ok(readWorkbook(big5, 'x.csv', { encoding: 'big5' }));
    expect(told).toMatchObject({ encoding: 'big5', encodingGuessed: false });
    expect(texts(firstGrid(told))[2]?.[1]).toBe('姓名');
    // Told UTF-8 for Big5 bytes: we do as told (garbled text, the user can switch back).
    const wrong = ok(readWorkbook(big5, 'x.csv', { encoding: 'utf-8' }));
    expect(wrong).toMatchObject({ encoding: 'utf-8', encodingGuessed: false });
    expect(texts(firstGrid(wrong))[2]?.[1]).not.toBe('姓名');
  });

  it('folds full-width digits, letters and spaces, trims, keeps ROC dates as text, parses quoted fields', () => {
    const g = firstGrid(ok(readWorkbook(utf8, 'x.csv')));
    const t = texts(g);
    expect(t[3]).toEqual(['1', '王小明', 'A123456789', '115/3/5', '南投市中興路1號, 3樓', '049-2222333']);
    expect(t[4]).toEqual(['2', '陳美麗', 'B223456789', '1150305', '南投市"光明"里\n民族路20號', '0912345678']);
    expect(t[5]).toEqual(['3', '林 大同', 'C123456789', '民國115年3月5日', '南投市三和三路12號', '']);
    expect(t[7]).toEqual(['4', '黃阿土', 'D123456789', '115.03.05', '南投市', '']);
    // CSV cells are text only: no number, no date (the kinds decide via cells.ts).
    for (const cell of g.rows.flat()) {
      expect(cell.number).toBeUndefined();
      expect(cell.date).toBeUndefined();
    }
  });

  it('drops trailing empty rows; finds the header under the title rows; data rows skip empty rows', () => {
    const g = firstGrid(ok(readWorkbook(utf8, 'x.csv')));
    expect(g.rows.length).toBe(8);
    expect(detectHeaderRow(g)).toBe(3);
    const cols = headerColumns(g, 3);
    expect(cols.map((c) => `${c.col}:${c.header}`)).toEqual(['A:編號', 'B:姓名', 'C:身分證字號', 'D:出生日期', 'E:地址', 'F:電話']);
    const rows = [...dataRows(g, 3, cols, { name: 'B', birth: 'D' })];
    expect(rows.map((r) => r.line)).toEqual([4, 5, 6, 8]);
    expect(rows[0]).toEqual({ line: 4, cells: { name: { col: 'B', text: '王小明' }, birth: { col: 'D', text: '115/3/5' } } });
  });

  it('reads tab-separated text and UTF-16 "Unicode text" exports', () => {
    const tsv = '姓名\t身分證字號\n王小明\tA123456789\n';
    const a = ok(readWorkbook(new TextEncoder().encode(tsv), 'x.txt'));
    expect(texts(firstGrid(a))).toEqual([
      ['姓名', '身分證字號'],
      ['王小明', 'A123456789'],
    ]);
    const u16 = new Uint8Array(2 + tsv.length * 2);
    u16[0] = 0xff;
    u16[1] = 0xfe;
    for (let i = 0; i < tsv.length; i++) {
      u16[2 + 2 * i] = tsv.charCodeAt(i) & 0xff;
      u16[3 + 2 * i] = tsv.charCodeAt(i) >> 8;
    }
    expect(texts(firstGrid(ok(readWorkbook(u16, 'x.txt'))))).toEqual(texts(firstGrid(a)));
  });

  it('Big5 自造字 (user-defined characters, private use once decoded) come through with a warning that counts them', () => {
    const eudc = [0x81, 0x40]; // the first user-defined code of Big5/CP950
    const pua = new TextDecoder('big5').decode(new Uint8Array(eudc));
    expect(pua.codePointAt(0)).toBeGreaterThanOrEqual(0xe000);
    expect(pua.codePointAt(0)).toBeLessThanOrEqual(0xf8ff);
    const enc = big5Encoder();
    const bytes = new Uint8Array([...enc('姓名,地址\r\n王'), ...eudc, ...enc('明,南投市\r\n')]);
    const b = ok(readWorkbook(bytes, 'x.csv'));
    expect(b).toMatchObject({ encoding: 'big5', encodingGuessed: true });
    expect(texts(firstGrid(b))[1]?.[0]).toBe(`王${pua}明`);
    expect(b.warnings).toHaveLength(1);
    expect(b.warnings?.[0]).toContain('1 個字無法正確顯示');
    // Big5 read as UTF-8 (the caller insisted): replacement characters, counted.
    const wrong = ok(readWorkbook(bytes, 'x.csv', { encoding: 'utf-8' }));
    expect(wrong.warnings?.[0]).toMatch(/^檔案中有 \d+ 個字無法正確顯示/);
    expect(ok(readWorkbook(new TextEncoder().encode(CSV), 'x.csv')).warnings).toBeUndefined();
  });

  it('keeps characters outside the BMP', () => {
    const g = firstGrid(ok(readWorkbook(new TextEncoder().encode('里名\n石𥕢里\n瓦磘里\n'), 'x.csv')));
    expect(texts(g)).toEqual([['里名'], ['石𥕢里'], ['瓦磘里']]);
  });
});

describe('refusals', () => {
  it('too large, empty, PDF, a sentence saved as .xls, no data at all', () => {
    const big = readWorkbook(new Uint8Array(21 * 1024 * 1024), 'big.xlsx');
    expect(big.ok ? null : big.error.code).toBe('TOO_LARGE');
    expect(big.ok ? '' : big.error.message).toContain('20 MB');
    const empty = readWorkbook(new Uint8Array(0), 'x.csv');
    expect(empty.ok ? null : empty.error.code).toBe('EMPTY');
    const blank = readWorkbook(new TextEncoder().encode(',,,\r\n  ,　,\r\n'), 'x.csv');
    expect(blank.ok ? null : blank.error.code).toBe('EMPTY');
    const pdf = readWorkbook(new TextEncoder().encode('%PDF-1.4\n%âãÏÓ\n1 0 obj'), 'list.xlsx');
    expect(pdf.ok ? null : pdf.error).toMatchObject({ code: 'UNSUPPORTED' });
    expect(pdf.ok ? '' : pdf.error.message).toContain('PDF');
    const binary = readWorkbook(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'photo.xlsx');
    expect(binary.ok ? null : binary.error.code).toBe('UNSUPPORTED');
    const truncated = XLSX.write(book([['姓名'], ['王小明']]), { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const cut = readWorkbook(new Uint8Array(truncated.subarray(0, Math.floor(truncated.length / 2))), 'cut.xlsx');
    expect(cut.ok ? null : cut.error.code).toBe('CORRUPT');
    // A zip bomb: a central directory that claims 600 MB of content is refused before inflating anything.
    const bomb = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'xl/workbook.xml': strToU8('<workbook/>') });
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    for (let i = 0; i + 4 <= bomb.length; i++) {
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 600 * 1024 * 1024, true);
    }
    const boom = readWorkbook(bomb, 'bomb.xlsx');
    expect(boom.ok ? null : boom.error.code).toBe('TOO_LARGE');
    expect(boom.ok ? '' : boom.error.message).toContain('解壓縮後超過 500 MB');
    const docx = readWorkbook(zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w:document/>') }), 'list.xlsx');
    expect(docx.ok ? null : docx.error).toMatchObject({ code: 'UNSUPPORTED' });
    expect(docx.ok ? '' : docx.error.message).toContain('Word');
    const emptyBook = XLSX.write(book([]), { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const e2 = readWorkbook(new Uint8Array(emptyBook), 'empty.xlsx');
    expect(e2.ok ? null : e2.error.code).toBe('EMPTY');
  });
});

function book(aoa: unknown[][], name = 'Sheet1'): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), name);
  return wb;
}

function write(wb: XLSX.WorkBook, bookType: XLSX.BookType): Uint8Array {
  return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType }) as Buffer);
}

describe('workbooks', () => {
  it('a merged header cell names every column it covers; a two-level header joins group and sub-label', () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['南投市115年3月低收入戶名冊'],
      ['序號', '戶長', '', '地址', '電話', ''],
      ['', '姓名', '身分證字號', '', '市話', '手機'],
      [1, '王小明', 'A123456789', '南投市中興路1號', '049-2222333', '0912345678'],
      [2, '陳美麗', 'B223456789', '南投市民族路20號', '', '0922333444'],
      [],
      [],
    ]);
    ws['!merges'] = [
      XLSX.utils.decode_range('A1:F1'), // title
      XLSX.utils.decode_range('A2:A3'), // 序號, vertical
      XLSX.utils.decode_range('B2:C2'), // 戶長 group
      XLSX.utils.decode_range('D2:D3'), // 地址, vertical
      XLSX.utils.decode_range('E2:F2'), // 電話 group
    ];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '名冊');
    for (const bookType of ['xlsx', 'ods', 'xls'] as const) {
      const b = ok(readWorkbook(write(wb, bookType), `名冊.${bookType}`));
      expect(b.format).toBe(bookType);
      expect(b.sheets).toEqual([{ name: '名冊', hidden: false, rowCount: 5, colCount: 6 }]);
      const g = sheetRows(b, '名冊');
      expect(g.merges).toHaveLength(5);
      expect(detectHeaderRow(g)).toBe(3);
      expect(headerColumns(g, 3).map((c) => c.header)).toEqual(['序號', '戶長 姓名', '戶長 身分證字號', '地址', '電話 市話', '電話 手機']);
      // The upper row as header: the group label names both columns it covers.
      expect(headerColumns(g, 2).map((c) => c.header)).toEqual(['序號', '戶長', '戶長', '地址', '電話', '電話']);
      const rows = [...dataRows(g, 3, headerColumns(g, 3), { no: 'A', name: 'B', id: 'C' })];
      expect(rows).toEqual([
        { line: 4, cells: { no: { col: 'A', text: '1', number: 1 }, name: { col: 'B', text: '王小明' }, id: { col: 'C', text: 'A123456789' } } },
        { line: 5, cells: { no: { col: 'A', text: '2', number: 2 }, name: { col: 'B', text: '陳美麗' }, id: { col: 'C', text: 'B223456789' } } },
      ]);
    }
  });

  it('a household number merged down over its members reaches each member row', () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['戶號', '姓名', '稱謂'],
      ['H001', '王小明', '戶長'],
      ['', '王小華', '子'],
      ['H002', '陳美麗', '戶長'],
    ]);
    ws['!merges'] = [XLSX.utils.decode_range('A2:A3')];
    const g = firstGrid(ok(readWorkbook(writeWs(ws), 'x.xlsx')));
    const rows = [...dataRows(g, 1, headerColumns(g, 1), { household: 'A', name: 'B' })];
    expect(rows.map((r) => [r.line, r.cells.household?.text, r.cells.name?.text])).toEqual([
      [2, 'H001', '王小明'],
      [3, 'H001', '王小華'],
      [4, 'H002', '陳美麗'],
    ]);
    expect(rows[1]?.cells.household?.col).toBe('A');
  });

  it('flags hidden sheets, drops trailing empty rows and columns, skips empty sheets for EMPTY', () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['說明'], ['請勿修改']]), '說明');
    const data = XLSX.utils.aoa_to_sheet([
      ['姓名', '電話', '', ''],
      ['王小明', '049-2222333', '', '   '],
      ['', '', '', ''],
      ['　', '', '', ''],
    ]);
    XLSX.utils.book_append_sheet(wb, data, '資料');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([]), '空白');
    // 1 = hidden, 2 = "very hidden" (only VBA can show it).
    wb.Workbook = { Sheets: [{ name: '說明', Hidden: 1 }, { name: '資料', Hidden: 0 }, { name: '空白', Hidden: 2 }] };
    // SheetJS writes no sheet visibility into ods, so ods is checked for the rest only.
    for (const bookType of ['xlsx', 'xls', 'ods'] as const) {
      const b = ok(readWorkbook(write(wb, bookType), `x.${bookType}`));
      const hidden = bookType !== 'ods';
      expect(b.sheets).toEqual([
        { name: '說明', hidden, rowCount: 2, colCount: 1 },
        { name: '資料', hidden: false, rowCount: 2, colCount: 2 },
        { name: '空白', hidden, rowCount: 0, colCount: 0 },
      ]);
      expect(texts(sheetRows(b, '資料'))).toEqual([
        ['姓名', '電話'],
        ['王小明', '049-2222333'],
      ]);
    }
  });

  it('ods: a table whose style has table:display="false" is hidden (SheetJS does not read it; we do)', () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['說明']]), '說明');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['姓名'], ['王小明']]), '資料');
    const files = unzipSync(write(wb, 'ods'));
    let content = strFromU8(files['content.xml'] ?? new Uint8Array());
    expect(content).toContain('<table:table table:name="說明"');
    content = content
      .replace('<office:automatic-styles>', '<office:automatic-styles><style:style style:name="taHidden" style:family="table"><style:table-properties table:display="false"/></style:style>')
      .replace(/<table:table table:name="說明"( table:style-name="[^"]*")?/, '<table:table table:name="說明" table:style-name="taHidden"');
    expect(content).toContain('table:name="說明" table:style-name="taHidden"');
    const { mimetype, ...rest } = files;
    const ods = zipSync({ mimetype: [mimetype ?? new Uint8Array(), { level: 0 }], ...rest, 'content.xml': strToU8(content) });
    const b = ok(readWorkbook(ods, 'x.ods'));
    expect(b.format).toBe('ods');
    expect(b.sheets.map((x) => [x.name, x.hidden])).toEqual([
      ['說明', true],
      ['資料', false],
    ]);
  });

  it('date cells become ISO dates in the 1900 and 1904 systems; numbers keep their value; formulas their cached value', () => {
    const aoa = [
      ['姓名', '生日', '人數', '日期文字'],
      ['王小明', 46086, 3, '115/3/5'],
      ['陳美麗', 1, 4, '1150305'],
      ['林大同', 61, 5, 'Ｘ'],
    ];
    for (const date1904 of [false, true]) {
      const ws = XLSX.utils.aoa_to_sheet(aoa);
      for (const a of ['B2', 'B3', 'B4']) {
        const cell = ws[a] as XLSX.CellObject;
        cell.z = 'yyyy/mm/dd';
      }
      ws['C5'] = { t: 'n', v: 12, f: 'SUM(C2:C4)' };
      ws['!ref'] = 'A1:D5';
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, ws, 'S');
      wb.Workbook = { WBProps: { date1904 } };
      for (const bookType of ['xlsx', 'xls'] as const) {
        const g = sheetRows(ok(readWorkbook(write(wb, bookType), `x.${bookType}`)), 'S');
        const dates = g.rows.slice(1, 4).map((r) => r[1]?.date);
        expect(dates).toEqual(date1904 ? ['2030-03-06', '1904-01-02', '1904-03-02'] : ['2026-03-05', '1900-01-01', '1900-03-01']);
        expect(g.rows[1]?.[1]?.number).toBe(46086);
        expect(g.rows[1]?.[2]).toEqual({ col: 'C', text: '3', number: 3 });
        expect(g.rows[1]?.[3]).toEqual({ col: 'D', text: '115/3/5' });
        expect(g.rows[3]?.[3]?.text).toBe('X');
        expect(g.rows[4]?.[2]).toMatchObject({ col: 'C', number: 12 });
      }
    }
  });

  it('ods round trip: text, numbers, dates, full-width text', () => {
    const ws = XLSX.utils.aoa_to_sheet(
      [
        ['姓名', '生日', '人數', '地址'],
        ['王小明', new Date(Date.UTC(2026, 2, 5)), 3, '中興路１２號'],
      ],
      { cellDates: true },
    );
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '工作表1');
    const b = ok(readWorkbook(write(wb, 'ods'), 'x.ods'));
    expect(b.format).toBe('ods');
    const g = sheetRows(b, '工作表1');
    expect(g.rows[1]?.[0]).toEqual({ col: 'A', text: '王小明' });
    expect(g.rows[1]?.[1]?.date).toBe('2026-03-05');
    expect(g.rows[1]?.[2]).toEqual({ col: 'C', text: '3', number: 3 });
    expect(g.rows[1]?.[3]).toEqual({ col: 'D', text: '中興路12號' });
  });

  it('reads an HTML table saved as .xls (as some government systems export lists)', () => {
    const html =
      '<html><head><meta charset="utf-8"></head><body><table>' +
      '<tr><td colspan="3">南投市115年3月低收入戶名冊</td></tr>' +
      '<tr><td>姓名</td><td>身分證字號</td><td>地址</td></tr>' +
      '<tr><td>王小明</td><td>A123456789</td><td>南投市中興路１號</td></tr>' +
      '</table></body></html>';
    const b = ok(readWorkbook(new TextEncoder().encode(html), '名冊.xls'));
    expect(b.format).toBe('xls');
    const g = firstGrid(b);
    expect(detectHeaderRow(g)).toBe(2);
    expect(texts(g).slice(1)).toEqual([
      ['姓名', '身分證字號', '地址'],
      ['王小明', 'A123456789', '南投市中興路1號'],
    ]);
  });

  it('reads a Big5 HTML table (declared charset or detected) and SpreadsheetML 2003 saved as .xls', () => {
    const enc = big5Encoder();
    const table = '<table><tr><td>姓名</td><td>地址</td></tr><tr><td>王小明</td><td>南投市中興路１號</td></tr></table>';
    const want = [
      ['姓名', '地址'],
      ['王小明', '南投市中興路1號'],
    ];
    const declared = ok(readWorkbook(enc(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body>${table}</body></html>`), 'x.xls'));
    expect(declared).toMatchObject({ format: 'xls', encoding: 'big5', encodingGuessed: false });
    expect(texts(firstGrid(declared))).toEqual(want);
    const detected = ok(readWorkbook(enc(`<html><body>${table}</body></html>`), 'x.xls'));
    expect(detected).toMatchObject({ format: 'xls', encoding: 'big5', encodingGuessed: true });
    expect(texts(firstGrid(detected))).toEqual(want);
    const xml = ok(readWorkbook(write(book([['姓名', '人數'], ['王小明', 3]]), 'xlml'), 'x.xls'));
    expect(xml.format).toBe('xls');
    expect(firstGrid(xml).rows[1]).toEqual([
      { col: 'A', text: '王小明' },
      { col: 'B', text: '3', number: 3 },
    ]);
  });

  it('the content decides the format, not the name', () => {
    const bytes = write(book([['姓名'], ['王小明']]), 'xlsx');
    expect(ok(readWorkbook(bytes, 'list.csv')).format).toBe('xlsx');
    expect(ok(readWorkbook(new TextEncoder().encode('姓名,電話\n王小明,1\n'), 'list.xls')).format).toBe('csv');
  });
});

function writeWs(ws: XLSX.WorkSheet): Uint8Array {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'S');
  return write(wb, 'xlsx');
}
