/**
 * Finding the header row, naming the columns (merged and two-level headers) and yielding the data rows
 * of a grid as SourceRows.
 */
import type { SourceCell, SourceRow } from '../types';
import { colIndex, colLetter, emptyCell } from './normalize';
import type { HeaderColumn, MergeRange, SourceGrid } from './types';

/** How many rows from the top we look at for the header. */
const HEADER_SCAN_ROWS = 40;
/** How many rows below a candidate we look at to see data. */
const DATA_LOOKAHEAD = 10;
/** A merge bigger than this many cells is kept in `merges` but not used to fill data cells (bounded work). */
const MAX_MERGE_FILL_CELLS = 100_000;

/** Text that reads as a value rather than a label: numbers, codes, dates, amounts. */
function looksLikeValue(cell: SourceCell): boolean {
  if (cell.number !== undefined || cell.date !== undefined) return true;
  return /^[\d\s.,:/\-+()%$]+$/.test(cell.text);
}

interface RowStats {
  filled: number;
  labels: number;
  values: number;
}

function stats(row: readonly SourceCell[] | undefined): RowStats {
  let filled = 0;
  let labels = 0;
  let values = 0;
  for (const cell of row ?? []) {
    if (cell.text === '' && cell.number === undefined) continue;
    filled++;
    if (looksLikeValue(cell)) values++;
    else labels++;
  }
  return { filled, labels, values };
}

/** Longest text taken as a group label over sub-labels (longer ones are titles or instructions). */
const MAX_GROUP_LABEL = 20;

/**
 * The group label merge over column c in 0-based row r (a horizontal merge ending in row r, narrower than
 * the table and with a short one-line label), or undefined. A title merged across the whole table is none.
 */
function groupMergeOver(grid: SourceGrid, r: number, c: number): MergeRange | undefined {
  // The span of the row below (the sub-labels): a merge covering all of it is a title.
  const below = grid.rows[r + 1] ?? [];
  let first = -1;
  let last = -1;
  for (let k = 0; k < below.length; k++) {
    if (below[k]?.text !== '') {
      if (first < 0) first = k;
      last = k;
    }
  }
  return grid.merges.find((m) => {
    if (m.e.r !== r || m.e.c === m.s.c || c < m.s.c || c > m.e.c) return false;
    if (m.s.c <= first && m.e.c >= last) return false;
    const label = grid.rows[m.s.r]?.[m.s.c]?.text ?? '';
    return label !== '' && label.length <= MAX_GROUP_LABEL && !label.includes('\n');
  });
}

function hasGroupMerges(grid: SourceGrid, r: number): boolean {
  return grid.merges.some((m) => m.s.r === r && groupMergeOver(grid, r, m.s.c) === m);
}

/**
 * The 1-based sheet row most likely holding the header: the first row (of the top 40) with at least two
 * label cells, no cell that reads as a value (number, date, code), at least half as wide as the rows below
 * it, and followed by a non-empty row. Title rows (one merged cell: 「南投市115年3月低收入戶名冊」) and
 * notes (「製表日期：115/03/05」) are skipped. When the row is the upper level of a two-level header (it
 * has a horizontally merged group cell and the next row is all labels too), the lower row is returned.
 * 0 means no header row was found (the data starts at row 1: a headerless list such as the postal list).
 */
export function detectHeaderRow(grid: SourceGrid): number {
  const rows = grid.rows;
  const limit = Math.min(rows.length, HEADER_SCAN_ROWS);
  const all: RowStats[] = [];
  for (let r = 0; r < Math.min(rows.length, limit + DATA_LOOKAHEAD); r++) all.push(stats(rows[r]));
  for (let r = 0; r < limit; r++) {
    const s = all[r] as RowStats;
    if (s.labels < 2 || s.values > 0) continue;
    // Width of the rows below (the widest of the next few non-empty rows).
    let below = 0;
    let nonEmptyBelow = 0;
    for (let k = r + 1; k < all.length && k <= r + DATA_LOOKAHEAD; k++) {
      const b = all[k] as RowStats;
      if (b.filled === 0) continue;
      nonEmptyBelow++;
      if (b.filled > below) below = b.filled;
    }
    if (nonEmptyBelow === 0 && rows.length > 1) continue;
    if (s.filled * 2 < below) continue;
    // Two-level header: group labels merged over sub-labels.
    const next = all[r + 1];
    if (next && next.labels >= 2 && next.values === 0 && hasGroupMerges(grid, r)) return r + 2;
    return r + 1;
  }
  return 0;
}

/** For each covered cell of a merge (not its top-left), the top-left cell's address. Bounded. */
function mergeOwner(merges: readonly MergeRange[], r: number, c: number): { r: number; c: number } | null {
  for (const m of merges) {
    if (r >= m.s.r && r <= m.e.r && c >= m.s.c && c <= m.e.c) return m.s;
  }
  return null;
}

function cellAt(grid: SourceGrid, r: number, c: number): SourceCell {
  return grid.rows[r]?.[c] ?? emptyCell(c);
}

/** The text of a cell, or of the merge's top-left cell when the cell is covered by a merge. */
function shownText(grid: SourceGrid, r: number, c: number): string {
  const own = cellAt(grid, r, c).text;
  if (own !== '') return own;
  const o = mergeOwner(grid.merges, r, c);
  return o ? cellAt(grid, o.r, o.c).text : '';
}

/**
 * Column letter and header text of every column of the grid. A header cell merged across columns names
 * each covered column; a cell merged down from above takes that text; a group label merged across columns
 * in the row above (and not covering the header row itself) is put in front: 「戶長 姓名」. Empty headers
 * are 「（第 C 欄）」. headerRow 0 (no header) names every column that way.
 */
export function headerColumns(grid: SourceGrid, headerRow: number): HeaderColumn[] {
  const width = grid.rows.reduce((w, row) => Math.max(w, row.length), 0);
  const r = headerRow - 1;
  const out: HeaderColumn[] = [];
  for (let c = 0; c < width; c++) {
    const col = colLetter(c);
    let header = r >= 0 ? shownText(grid, r, c) : '';
    if (r >= 1 && header !== '') {
      const group = groupMergeOver(grid, r - 1, c);
      if (group) {
        const label = cellAt(grid, group.s.r, group.s.c).text;
        if (label !== '' && label !== header) header = `${label} ${header}`;
      }
    }
    out.push({ col, header: header === '' ? `（第 ${col} 欄）` : header });
  }
  return out;
}

/**
 * The data rows below the header with only the mapped fields (field key → column letter), skipping rows
 * that are empty in every column; `line` is the sheet row number. A cell covered by a merge in the data
 * area takes the merge's value (a household number merged down over its members' rows reaches each row).
 * `columns` (from headerColumns) limits mapping to columns that exist; others give no cell.
 */
export function* dataRows(
  grid: SourceGrid,
  headerRow: number,
  columns: readonly HeaderColumn[],
  mapping: Readonly<Record<string, string>>,
): Generator<SourceRow> {
  const known = new Set(columns.map((c) => c.col));
  const fields: { key: string; c: number }[] = [];
  for (const [key, col] of Object.entries(mapping)) {
    const c = colIndex(col);
    if (c >= 0 && known.has(col.toUpperCase())) fields.push({ key, c });
  }
  // Merges below the header, indexed by row for quick lookup.
  const mergesByRow = new Map<number, MergeRange[]>();
  for (const m of grid.merges) {
    if (m.e.r < headerRow) continue;
    if ((m.e.r - m.s.r + 1) * (m.e.c - m.s.c + 1) > MAX_MERGE_FILL_CELLS) continue;
    for (let r = Math.max(m.s.r, headerRow); r <= m.e.r; r++) {
      const list = mergesByRow.get(r);
      if (list) list.push(m);
      else mergesByRow.set(r, [m]);
    }
  }
  for (let r = Math.max(headerRow, 0); r < grid.rows.length; r++) {
    const row = grid.rows[r] as SourceCell[];
    let any = false;
    for (const cell of row) {
      if (cell.text !== '' || cell.number !== undefined) {
        any = true;
        break;
      }
    }
    if (!any) continue;
    const merges = mergesByRow.get(r);
    const cells: Partial<Record<string, SourceCell>> = {};
    for (const f of fields) {
      let cell = row[f.c] ?? emptyCell(f.c);
      if (merges && cell.text === '' && cell.number === undefined) {
        const m = merges.find((x) => f.c >= x.s.c && f.c <= x.e.c && (x.s.r !== r || x.s.c !== f.c));
        if (m && m.s.r >= headerRow) {
          const owner = cellAt(grid, m.s.r, m.s.c);
          cell = { ...owner, col: colLetter(f.c) };
        }
      }
      cells[f.key] = cell;
    }
    yield { line: r + 1, cells };
  }
}
