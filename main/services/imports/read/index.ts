/**
 * The file-reading layer of the import pipeline: an uploaded file → sheets → a grid of SourceCells →
 * header row and columns → SourceRows for the mapped fields.
 */
export { readWorkbook, sheetRows, MAX_FILE_BYTES } from './workbook';
export { detectHeaderRow, headerColumns, dataRows } from './header';
export { foldText, colLetter, colIndex, serialToIso } from './normalize';
export type {
  CellAddress,
  HeaderColumn,
  MergeRange,
  ReadError,
  ReadErrorCode,
  ReadOptions,
  ReadResult,
  SourceBook,
  SourceFormat,
  SourceGrid,
  SourceSheet,
  TextEncodingName,
} from './types';
