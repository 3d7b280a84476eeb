/** inspectWorkbook: the safe, read-only model of a template for the import/mapping screen. */
import { TemplateFileError, TemplateFillError, fileErrors } from './errors';
import type { TemplateLimits } from './limits';
import { openPackage, withXml, type DefinedName, type SheetRef, type WorkbookPackage } from './package';
import { parseSharedStrings, readSheetXml, type CellBudget, type SheetContent } from './sheet-read';
import { parseStyles, parseThemeColors, type StyleHint, type StyleTable } from './styles';

export interface InspectOptions {
  /** Override safety limits (tests, or an administrator's explicit choice). */
  limits?: Partial<TemplateLimits>;
  /** Keep cells without a value (styled blanks, needed to draw borders). Default true. */
  keepEmptyCells?: boolean;
}

export interface SheetModel extends SheetRef, SheetContent {}

export interface WorkbookModel {
  sheets: SheetModel[];
  definedNames: DefinedName[];
  /** Style hints, indexed by `CellModel.styleId`. */
  styles: StyleHint[];
  date1904: boolean;
}

/** A package with its shared strings and styles loaded; sheets are parsed on demand. */
export interface LoadedWorkbook {
  pkg: WorkbookPackage;
  sharedStrings: string[];
  styles: StyleTable;
  budget: CellBudget;
  readSheet(ref: SheetRef, keepEmpty?: boolean): SheetContent;
}

export function loadWorkbook(bytes: Uint8Array, limits?: Partial<TemplateLimits>): LoadedWorkbook {
  const pkg = openPackage(bytes, limits);
  const sstPath = pkg.sharedStringsPath;
  const sharedStrings = sstPath ? withXml(sstPath, () => parseSharedStrings(pkg.readText(sstPath).text)) : [];
  let themeColors: string[] | null = null;
  const themePath = pkg.themePath;
  if (themePath) {
    try {
      themeColors = withXml(themePath, () => parseThemeColors(pkg.readText(themePath).text));
    } catch {
      themeColors = null; // Colours are cosmetic; a broken theme does not make the template unusable.
    }
  }
  const stylesPath = pkg.stylesPath;
  const styles = stylesPath ? withXml(stylesPath, () => parseStyles(pkg.readText(stylesPath).text, themeColors)) : parseStyles(null, null);
  const budget: CellBudget = { remaining: pkg.limits.maxCells, limit: pkg.limits.maxCells };
  return {
    pkg,
    sharedStrings,
    styles,
    budget,
    readSheet(ref: SheetRef, keepEmpty = true): SheetContent {
      if (ref.kind === 'chartsheet' || ref.kind === 'unknown') {
        return { dimension: null, usedRange: null, cells: [], merges: [], columns: [], rows: [], defaultColumnWidth: null, defaultRowHeight: null, frozenPane: null };
      }
      const text = pkg.readText(ref.path).text;
      return withXml(ref.path, () =>
        readSheetXml(text, {
          sheetName: ref.name,
          part: ref.path,
          sharedStrings,
          styles,
          date1904: pkg.date1904,
          budget,
          keepEmpty,
        }),
      );
    },
  };
}

/**
 * Converts anything unexpected into a TemplateFileError, so callers handling user files only ever
 * see that class (or TemplateFillError for a request that does not fit the file). (`unreadable` should never happen; it means a bug or an exotic file.)
 */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TemplateFileError || e instanceof TemplateFillError) throw e;
    if (e instanceof Error) throw fileErrors.unreadable(`${e.name}: ${e.message}`);
    throw fileErrors.unreadable(String(e));
  }
}

export function inspectWorkbook(bytes: Uint8Array, opts: InspectOptions = {}): WorkbookModel {
  return guard(() => {
    const wb = loadWorkbook(bytes, opts.limits);
    const keepEmpty = opts.keepEmptyCells ?? true;
    const sheets: SheetModel[] = wb.pkg.sheets.map((ref) => ({ ...ref, ...wb.readSheet(ref, keepEmpty) }));
    return {
      sheets,
      definedNames: wb.pkg.definedNames,
      styles: wb.styles.hints,
      date1904: wb.pkg.date1904,
    };
  });
}
