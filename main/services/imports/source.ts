/**
 * The core's one door to the file-reading layer (./read): everything the pipeline needs from a file goes
 * through these names, so the reader can change without touching the pipeline.
 */
export { dataRows, detectHeaderRow, headerColumns, readWorkbook, sheetRows } from './read/index';
export type { HeaderColumn, SourceBook, SourceGrid } from './read/index';
