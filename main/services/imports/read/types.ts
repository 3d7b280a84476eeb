/**
 * What the file-reading layer of the import pipeline hands to the core: a book of sheets, each read on
 * demand into a grid of normalised SourceCells (see ../types.ts).
 */
import type { SourceCell } from '../types';

export type ReadErrorCode = 'ENCRYPTED' | 'CORRUPT' | 'TOO_LARGE' | 'UNSUPPORTED' | 'EMPTY';

export interface ReadError {
  code: ReadErrorCode;
  /** zh-TW, says what to do: 「檔案有密碼保護，請在 Excel 移除密碼後另存再匯入」. */
  message: string;
}

export type ReadResult = { ok: true; book: SourceBook } | { ok: false; error: ReadError };

export type SourceFormat = 'xlsx' | 'xls' | 'ods' | 'csv';
export type TextEncodingName = 'utf-8' | 'big5';

export interface SourceSheet {
  name: string;
  hidden: boolean;
  /** Rows up to the last non-empty one (trailing empty rows dropped). */
  rowCount: number;
  /** Columns up to the last non-empty one. */
  colCount: number;
}

export interface SourceBook {
  format: SourceFormat;
  /** Text files only (CSV, and HTML/XML saved as .xls): the text encoding used. */
  encoding?: TextEncodingName;
  /** Text files only: true when we detected Big5 vs UTF-8 ourselves (neither the caller nor the file said). */
  encodingGuessed?: boolean;
  sheets: SourceSheet[];
  /**
   * zh-TW notes about the reading itself that the user should see before mapping, e.g. characters a Big5
   * file could not give (自造字) shown as 「�」. Absent when there is nothing to say.
   */
  warnings?: string[];
}

export interface CellAddress {
  /** 0-based row. */
  r: number;
  /** 0-based column. */
  c: number;
}

export interface MergeRange {
  s: CellAddress;
  e: CellAddress;
}

export interface SourceGrid {
  /** Dense: index 0 = sheet row 1, every row `colCount` cells long; trailing empty rows and columns dropped. */
  rows: SourceCell[][];
  /** Merged ranges (0-based, inclusive), clipped to the grid. */
  merges: MergeRange[];
}

export interface HeaderColumn {
  /** Column letter(s): 'C'. */
  col: string;
  /** Header text: 「身分證字號」, 「戶長 姓名」 (two-level), 「（第 C 欄）」 when empty. */
  header: string;
}

export interface ReadOptions {
  /** Text files (CSV, HTML/XML saved as .xls): the caller's choice of encoding wins over detection and a declared charset. */
  encoding?: TextEncodingName;
}
