/**
 * fillTemplate: writes values into mapped cells by editing the sheet XML in place.
 *
 * The sheet part is tokenized once (see xml.ts), recording exact offsets of `<sheetData>`, each
 * targeted `<row>` and its `<c>` elements. Each change is a splice [start, end) -> text on the original
 * string; everything between splices is copied verbatim. Only the targeted `<c>` elements (and, when
 * a cell or row does not exist yet, an insertion point) change; workbook.xml only gets
 * `fullCalcOnLoad="1"` on `<calcPr>`. All other zip entries are copied with their original
 * compressed bytes.
 */
import { encodeCell, makeRange, parseCellRef, parseRange, inGrid, rangeContains, type CellRange } from './cellref';
import { TemplateFillError, fileErrors } from './errors';
import { guard } from './inspect';
import type { TemplateLimits } from './limits';
import { encodePart, openPackage, withXml, type SheetRef } from './package';
import { similarSheetName } from './problems';
import { TOK_CLOSE, TOK_END, TOK_OPEN, XmlScanner, encodeOoxmlText, prefixOf, type XmlAttr } from './xml';
import { rewriteZip } from './zip';

export type FillValue = number | string | null;

export interface CellFill {
  /** Sheet name as shown on the tab. */
  sheet: string;
  /** A1 address (`B10`; `$B$10` and lower case accepted). */
  cell: string;
  /** Number -> numeric cell; string -> inline string; null -> clear the value (style kept). */
  value: FillValue;
}

export interface FillOptions {
  limits?: Partial<TemplateLimits>;
}

/** Longest text Excel accepts in one cell. */
const MAX_CELL_TEXT = 32_767;

interface Target {
  row: number;
  col: number;
  address: string;
  value: FillValue;
}

interface CellScan {
  col: number;
  name: string;
  start: number;
  end: number;
  attrs: XmlAttr[];
  hasFormula: boolean;
  extLst: string | null;
}

interface RowScan {
  r: number;
  name: string;
  start: number;
  openEnd: number;
  selfClosing: boolean;
  closeStart: number;
  style: string | null;
  customFormat: boolean;
  cells: CellScan[];
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

export function findSheet(sheets: readonly SheetRef[], name: string): SheetRef | undefined {
  return sheets.find((s) => s.name === name) ?? (() => {
    const lower = name.toLowerCase();
    const matches = sheets.filter((s) => s.name.toLowerCase() === lower);
    return matches.length === 1 ? matches[0] : undefined;
  })();
}

/** `sheets`: the template's, to ask whether a similarly named one is the same sheet renamed. */
export function sheetNotFound(name: string, sheets: readonly SheetRef[] = []): TemplateFillError {
  const renamed = similarSheetName(name, sheets.filter((s) => s.kind === 'worksheet').map((s) => s.name));
  if (renamed) return new TemplateFillError('sheet-not-found', `範本中找不到工作表「${name}」，是否已改名為「${renamed}」？請修正儲存格對應。`, name);
  return new TemplateFillError('sheet-not-found', `範本中找不到工作表「${name}」，請檢查儲存格對應設定或重新匯入範本。`, name);
}

function numberText(n: number): string {
  if (Object.is(n, -0)) return '0';
  return String(n).replace('e', 'E');
}

function needsPreserve(s: string): boolean {
  return /^\s|\s$|[\n\t]|\s\s/.test(s);
}

function valueXml(prefix: string, value: FillValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return `<${prefix}v>${numberText(value)}</${prefix}v>`;
  const space = needsPreserve(value) ? ' xml:space="preserve"' : '';
  return `<${prefix}is><${prefix}t${space}>${encodeOoxmlText(value)}</${prefix}t></${prefix}is>`;
}

function typeAttr(value: FillValue): string {
  return typeof value === 'string' ? ' t="inlineStr"' : '';
}

const DROPPED_CELL_ATTRS = new Set(['t', 'cm', 'vm']);

function rewriteCell(src: string, cell: CellScan, value: FillValue): string {
  const prefix = prefixOf(cell.name);
  let open = `<${cell.name}`;
  for (const a of cell.attrs) {
    if (DROPPED_CELL_ATTRS.has(a.name)) continue;
    open += ' ' + src.slice(a.start, a.end);
  }
  open += typeAttr(value);
  const children = valueXml(prefix, value) + (cell.extLst ?? '');
  return children === '' ? `${open}/>` : `${open}>${children}</${cell.name}>`;
}

function newCell(prefix: string, address: string, style: string | null, value: FillValue): string {
  const s = style !== null && style !== '0' ? ` s="${style}"` : '';
  return `<${prefix}c r="${address}"${s}${typeAttr(value)}>${valueXml(prefix, value)}</${prefix}c>`;
}

function validateValue(f: CellFill, address: string): void {
  const v = f.value;
  if (v === null) return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) {
      throw new TemplateFillError('invalid-value', `儲存格 ${address} 的數值無效（${String(v)}），請檢查指標計算結果。`, f.sheet, address);
    }
    return;
  }
  if (typeof v === 'string') {
    if (v.length > MAX_CELL_TEXT) {
      throw new TemplateFillError('invalid-value', `儲存格 ${address} 的文字太長（${v.length} 字，Excel 上限 ${MAX_CELL_TEXT} 字）。`, f.sheet, address);
    }
    return;
  }
  throw new TemplateFillError('invalid-value', `儲存格 ${address} 只能填入數字、文字或空白。`, f.sheet, address);
}

/** Edits one sheet's XML. Exported for tests. */
export function editSheetXml(xml: string, targets: readonly Target[], sheetName: string, part: string): string {
  const byRow = new Map<number, Target[]>();
  for (const t of targets) {
    const list = byRow.get(t.row);
    if (list) list.push(t);
    else byRow.set(t.row, [t]);
  }

  const sc = new XmlScanner(xml);
  let sheetData: { name: string; openEnd: number; selfClosing: boolean; closeStart: number } | null = null;
  let dimension: { valueStart: number; valueEnd: number; ref: string } | null = null;
  const colStyles: Array<{ min: number; max: number; style: string }> = [];
  const merges: CellRange[] = [];
  const rowStarts: Array<{ r: number; start: number }> = [];
  const rows = new Map<number, RowScan>();
  const arrayFormulas: CellRange[] = [];
  const noteArrayFormula = (): void => {
    if (sc.attr('t') !== 'array') return;
    const ref = sc.attr('ref');
    const rg = ref !== null ? parseRange(ref.trim()) : null;
    if (rg && (rg.top !== rg.bottom || rg.left !== rg.right)) arrayFormulas.push(rg);
  };

  withXml(part, () => {
    let prevRow = 0;
    for (let t = sc.next(); t !== TOK_END; t = sc.next()) {
      if (t === TOK_OPEN) {
        const l = sc.local;
        if (l === 'sheetData' && sheetData === null) {
          sheetData = { name: sc.name, openEnd: sc.end, selfClosing: sc.selfClosing, closeStart: -1 };
          if (sc.selfClosing) continue;
          // Scan rows.
          for (let u = sc.next(); u !== TOK_END; u = sc.next()) {
            if (u === TOK_CLOSE && sc.local === 'sheetData') {
              sheetData.closeStart = sc.start;
              break;
            }
            if (u !== TOK_OPEN) continue;
            const rowTag = sc.local;
            if (rowTag !== 'row') {
              sc.skipElement();
              continue;
            }
            const rAttr = sc.attr('r');
            const r = rAttr !== null && /^\d+$/.test(rAttr.trim()) ? Number(rAttr.trim()) : prevRow + 1;
            prevRow = r;
            rowStarts.push({ r, start: sc.start });
            const wanted = byRow.has(r) && !rows.has(r);
            if (!wanted) {
              // Skip the row, noting array-formula ranges (their other cells hold only cached values).
              if (sc.selfClosing) continue;
              const depth = sc.depth - 1;
              while (sc.depth > depth) {
                const w = sc.next();
                if (w === TOK_END) break;
                if (w === TOK_OPEN && sc.local === 'f') noteArrayFormula();
              }
              continue;
            }
            const cf = sc.attr('customFormat');
            const row: RowScan = {
              r,
              name: sc.name,
              start: sc.start,
              openEnd: sc.end,
              selfClosing: sc.selfClosing,
              closeStart: sc.selfClosing ? sc.end : -1,
              style: sc.attr('s'),
              customFormat: cf === '1' || cf === 'true',
              cells: [],
            };
            rows.set(r, row);
            if (sc.selfClosing) continue;
            let lastCol = 0;
            let cell: CellScan | null = null;
            for (let v = sc.next(); v !== TOK_END; v = sc.next()) {
              if (v === TOK_CLOSE && sc.local === 'row') {
                row.closeStart = sc.start;
                break;
              }
              if (v === TOK_OPEN) {
                if (sc.local === 'c' && cell === null) {
                  const ra = sc.attr('r');
                  const p = ra !== null ? parseCellRef(ra.trim()) : null;
                  const col = p ? p.col : lastCol + 1;
                  lastCol = col;
                  cell = { col, name: sc.name, start: sc.start, end: sc.end, attrs: sc.attrs(), hasFormula: false, extLst: null };
                  if (sc.selfClosing) {
                    row.cells.push(cell);
                    cell = null;
                  }
                } else if (cell !== null && sc.local === 'f') {
                  cell.hasFormula = true;
                  noteArrayFormula();
                  sc.skipElement();
                } else if (cell !== null && sc.local === 'extLst') {
                  const extStart = sc.start;
                  sc.skipElement();
                  cell.extLst = xml.slice(extStart, sc.end);
                } else {
                  sc.skipElement();
                }
              } else if (v === TOK_CLOSE && sc.local === 'c' && cell !== null) {
                cell.end = sc.end;
                row.cells.push(cell);
                cell = null;
              }
            }
          }
        } else if (l === 'dimension' && dimension === null) {
          const a = sc.attrs().find((x) => x.name === 'ref');
          if (a) dimension = { valueStart: a.valueStart, valueEnd: a.valueEnd, ref: a.value };
        } else if (l === 'col') {
          const min = Number(sc.attr('min'));
          const max = Number(sc.attr('max'));
          const style = sc.attr('style');
          if (style !== null && Number.isFinite(min) && Number.isFinite(max)) colStyles.push({ min, max, style });
        } else if (l === 'mergeCell') {
          const ref = sc.attr('ref');
          const rg = ref !== null ? parseRange(ref.trim()) : null;
          if (rg) merges.push(rg);
        }
      }
    }
  });

  const sd = sheetData as { name: string; openEnd: number; selfClosing: boolean; closeStart: number } | null;
  if (sd === null) throw fileErrors.corruptXml(part, 'worksheet without <sheetData>');
  const prefix = prefixOf(sd.name);

  // Refuse targets hidden under a merge (only the top-left cell of a merged area shows a value).
  for (const t of targets) {
    const m = merges.find((rg) => rangeContains(rg, t.row, t.col));
    if (m && (m.top !== t.row || m.left !== t.col)) {
      throw new TemplateFillError(
        'merged-cell',
        `工作表「${sheetName}」的儲存格 ${t.address} 位於合併儲存格 ${m.ref} 之中，只有左上角的 ${encodeCell(m.top, m.left)} 能顯示數值。請修正儲存格對應。`,
        sheetName,
        t.address,
      );
    }
  }

  // Refuse targets inside an array formula's (or dynamic array's spill) range.
  for (const t of targets) {
    const a = arrayFormulas.find((rg) => rangeContains(rg, t.row, t.col));
    if (a) {
      throw new TemplateFillError(
        'formula-cell',
        `工作表「${sheetName}」的儲存格 ${t.address} 位於陣列公式 ${a.ref} 的範圍內，不能填入數值。請修正儲存格對應。`,
        sheetName,
        t.address,
      );
    }
  }

  const colStyle = (col: number): string | null => {
    for (const c of colStyles) if (col >= c.min && col <= c.max) return c.style;
    return null;
  };

  const edits: Edit[] = [];
  const rowInserts = new Map<number, Array<{ r: number; text: string }>>();
  let sdSelfClosingRows: Array<{ r: number; text: string }> | null = null;
  let grow: { top: number; left: number; bottom: number; right: number } | null = null;
  const extend = (r: number, c: number): void => {
    if (!grow) grow = { top: r, left: c, bottom: r, right: c };
    else {
      grow.top = Math.min(grow.top, r);
      grow.left = Math.min(grow.left, c);
      grow.bottom = Math.max(grow.bottom, r);
      grow.right = Math.max(grow.right, c);
    }
  };

  for (const [r, list] of byRow) {
    list.sort((a, b) => a.col - b.col);
    const row = rows.get(r);
    if (row) {
      const inserts = new Map<number, string[]>();
      const selfClosingCells: string[] = [];
      for (const t of list) {
        const existing = row.cells.find((c) => c.col === t.col);
        if (existing) {
          if (existing.hasFormula) {
            throw new TemplateFillError(
              'formula-cell',
              `工作表「${sheetName}」的儲存格 ${t.address} 是公式，不能填入數值，否則會破壞範本的計算。請修正儲存格對應，改對應到公式引用的儲存格。`,
              sheetName,
              t.address,
            );
          }
          edits.push({ start: existing.start, end: existing.end, text: rewriteCell(xml, existing, t.value) });
          if (t.value !== null) extend(t.row, t.col);
          continue;
        }
        if (t.value === null) continue;
        extend(t.row, t.col);
        const style = row.customFormat && row.style !== null ? row.style : colStyle(t.col);
        const text = newCell(prefix, t.address, style, t.value);
        if (row.selfClosing) {
          selfClosingCells.push(text);
          continue;
        }
        const before = row.cells.find((c) => c.col > t.col);
        const pos = before ? before.start : row.closeStart;
        const at = inserts.get(pos);
        if (at) at.push(text);
        else inserts.set(pos, [text]);
      }
      for (const [pos, texts] of inserts) edits.push({ start: pos, end: pos, text: texts.join('') });
      if (selfClosingCells.length) {
        // `<row .../>` becomes `<row ...>cells</row>`.
        edits.push({ start: row.openEnd - 2, end: row.openEnd, text: `>${selfClosingCells.join('')}</${row.name}>` });
      }
    } else {
      const cells = list.filter((t) => t.value !== null);
      if (cells.length === 0) continue;
      for (const t of cells) extend(t.row, t.col);
      const text = `<${prefix}row r="${r}">${cells.map((t) => newCell(prefix, t.address, colStyle(t.col), t.value)).join('')}</${prefix}row>`;
      if (sd.selfClosing) {
        (sdSelfClosingRows ??= []).push({ r, text });
        continue;
      }
      const next = rowStarts.find((x) => x.r > r);
      const pos = next ? next.start : sd.closeStart;
      const at = rowInserts.get(pos);
      if (at) at.push({ r, text });
      else rowInserts.set(pos, [{ r, text }]);
    }
  }
  for (const [pos, list] of rowInserts) {
    list.sort((a, b) => a.r - b.r);
    edits.push({ start: pos, end: pos, text: list.map((x) => x.text).join('') });
  }
  const scRows = sdSelfClosingRows as Array<{ r: number; text: string }> | null;
  if (scRows !== null) {
    scRows.sort((a, b) => a.r - b.r);
    edits.push({ start: sd.openEnd - 2, end: sd.openEnd, text: `>${scRows.map((x) => x.text).join('')}</${sd.name}>` });
  }

  // Keep <dimension> covering the written cells (it only ever grows).
  const dim = dimension as { valueStart: number; valueEnd: number; ref: string } | null;
  const g = grow as { top: number; left: number; bottom: number; right: number } | null;
  if (dim !== null && g !== null) {
    const d = parseRange(dim.ref.trim());
    if (d) {
      const u = makeRange(Math.min(d.top, g.top), Math.min(d.left, g.left), Math.max(d.bottom, g.bottom), Math.max(d.right, g.right));
      if (u.ref !== d.ref) edits.push({ start: dim.valueStart, end: dim.valueEnd, text: u.ref });
    }
  }

  return applyEdits(xml, edits);
}

export function applyEdits(src: string, edits: Edit[]): string {
  edits.sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start));
  let out = '';
  let cursor = 0;
  for (const e of edits) {
    if (e.start < cursor) throw new Error(`overlapping XML edits at ${e.start}`);
    out += src.slice(cursor, e.start) + e.text;
    cursor = e.end;
  }
  return out + src.slice(cursor);
}

const AFTER_CALCPR = new Set([
  'oleSize',
  'customWorkbookViews',
  'pivotCaches',
  'smartTagPr',
  'smartTagTypes',
  'webPublishing',
  'fileRecoveryPr',
  'webPublishObjects',
  'extLst',
]);

/** Sets `fullCalcOnLoad="1"` on `<calcPr>` (adding the element in schema order if missing). */
export function setFullCalcOnLoad(xml: string, part: string): string {
  return withXml(part, () => {
    const sc = new XmlScanner(xml);
    let rootName = '';
    let insertAt = -1;
    for (let t = sc.next(); t !== TOK_END; t = sc.next()) {
      if (t === TOK_OPEN) {
        if (sc.depth === 1 && !sc.selfClosing && rootName === '') {
          rootName = sc.name;
          continue;
        }
        const isChild = sc.depth === (sc.selfClosing ? 1 : 2);
        if (isChild && sc.local === 'calcPr') {
          const attr = sc.attrs().find((a) => a.local === 'fullCalcOnLoad');
          if (attr) {
            if (attr.value === '1' || attr.value === 'true') return xml;
            return applyEdits(xml, [{ start: attr.valueStart, end: attr.valueEnd, text: '1' }]);
          }
          const pos = sc.selfClosing ? sc.end - 2 : sc.end - 1;
          return applyEdits(xml, [{ start: pos, end: pos, text: ' fullCalcOnLoad="1"' }]);
        }
        if (isChild && insertAt < 0 && AFTER_CALCPR.has(sc.local)) insertAt = sc.start;
        sc.skipElement();
      } else if (t === TOK_CLOSE && sc.depth === 0) {
        if (insertAt < 0) insertAt = sc.start;
      }
    }
    if (insertAt < 0 || rootName === '') throw fileErrors.corruptXml(part, 'workbook element not found');
    return applyEdits(xml, [{ start: insertAt, end: insertAt, text: `<${prefixOf(rootName)}calcPr fullCalcOnLoad="1"/>` }]);
  });
}

export function fillTemplate(bytes: Uint8Array, fills: readonly CellFill[], opts: FillOptions = {}): Uint8Array {
  return guard(() => {
    const pkg = openPackage(bytes, opts.limits);

    // Validate and group the requests.
    const bySheet = new Map<SheetRef, Target[]>();
    const seen = new Set<string>();
    for (const f of fills) {
      const ref = findSheet(pkg.sheets, f.sheet);
      if (!ref) throw sheetNotFound(f.sheet, pkg.sheets);
      if (ref.kind !== 'worksheet' && ref.kind !== 'macrosheet' && ref.kind !== 'dialogsheet') {
        throw new TemplateFillError('not-a-worksheet', `「${ref.name}」是圖表工作表，沒有儲存格可以填寫。請修正儲存格對應。`, ref.name);
      }
      const p = parseCellRef(String(f.cell).trim());
      if (!p || !inGrid(p)) {
        throw new TemplateFillError('invalid-cell', `「${String(f.cell)}」不是有效的儲存格位置（例如 B10）。`, ref.name, String(f.cell));
      }
      const address = encodeCell(p.row, p.col);
      validateValue(f, address);
      const key = `${ref.index}!${address}`;
      if (seen.has(key)) {
        throw new TemplateFillError('duplicate-fill', `工作表「${ref.name}」的儲存格 ${address} 被對應了不只一次，請修正儲存格對應。`, ref.name, address);
      }
      seen.add(key);
      const list = bySheet.get(ref);
      const target: Target = { row: p.row, col: p.col, address, value: f.value };
      if (list) list.push(target);
      else bySheet.set(ref, [target]);
    }

    const replacements = new Map<number, Uint8Array>();
    for (const [ref, targets] of bySheet) {
      const entry = pkg.zip.find(ref.path);
      if (!entry) throw fileErrors.corruptZip(`part ${ref.path} is missing`, ref.path);
      const { text, encoding } = pkg.readEntryText(entry);
      const edited = editSheetXml(text, targets, ref.name, ref.path);
      if (edited !== text) replacements.set(entry.index, encodePart(edited, encoding));
    }

    const wb = pkg.readEntryText(pkg.workbookEntry);
    const wbEdited = setFullCalcOnLoad(wb.text, pkg.workbookEntry.name);
    if (wbEdited !== wb.text) replacements.set(pkg.workbookEntry.index, encodePart(wbEdited, wb.encoding));

    return rewriteZip(pkg.zip, replacements);
  });
}
