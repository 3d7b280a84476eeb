/**
 * Quarterly report templates (xlsx): safe inspection for the mapping screen, in-place filling that
 * keeps everything else intact, mapping drift detection and value diffs.
 */
export { TemplateFileError, TemplateFillError } from './errors';
export type { TemplateFileErrorCode, TemplateFileErrorDetails, TemplateFillErrorCode } from './errors';
export { DEFAULT_LIMITS } from './limits';
export type { TemplateLimits } from './limits';
export { inspectWorkbook } from './inspect';
export type { InspectOptions, SheetModel, WorkbookModel } from './inspect';
export type { DefinedName, SheetKind, SheetRef, SheetState } from './package';
export type { CellModel, CellType, ColumnInfo, FrozenPane, RowInfo, SheetContent } from './sheet-read';
export type { BorderHint, StyleHint } from './styles';
export type { CellRange } from './cellref';
export { colToLetters, encodeCell, normaliseCellAddress, parseCellRef, parseRange } from './cellref';
export { fillTemplate } from './fill';
export type { CellFill, FillOptions, FillValue } from './fill';
export { checkMapping, fingerprintCell, fingerprintCells, normaliseLabel } from './fingerprint';
export type { CellFingerprint, FingerprintOptions, MappingProblem, MappingProblemCode, MappingToCheck } from './fingerprint';
export { compactCells, groupProblems, similarSheetName } from './problems';
export type { GroupedProblem, ProblemToGroup } from './problems';
export { diffFilled } from './diff';
export type { CellDiff, CellScalar, DiffOptions } from './diff';
