/**
 * SheetJS (xlsx) and ExcelJS, loaded when first used instead of at start-up (issue 13: loading both eagerly
 * was ~430 ms of a 0.8 s start, for features most sessions never touch).
 *
 * - `sheetJs()` is synchronous (the imports reader and the bank-deposit reader are synchronous code): a
 *   CommonJS `require` on first call, cached by Node after. The CommonJS build also installs the code pages
 *   (xlsx/dist/cpexcel: Big5 and the other legacy encodings of BIFF files and csv), as the reader needs.
 * - `excelJs()` is a dynamic `import()` (its one user, the cross-tab export, is async anyway).
 *
 * Both stay external to the esbuild bundles (scripts/build.mjs), so the bundles resolve them from
 * node_modules at the first call. Only the types are imported statically. tests/unit/lazy-sheets.test.ts
 * checks that loading the API and the host does not load either package.
 */
import { createRequire } from 'node:module';
import type * as ExcelJSModule from 'exceljs';
import type * as XLSXModule from 'xlsx';

export type SheetJs = typeof XLSXModule;
export type ExcelJs = typeof ExcelJSModule;

const requireHere = createRequire(import.meta.url);
let sheetJsModule: SheetJs | undefined;
let excelJsModule: Promise<ExcelJs> | undefined;

/** SheetJS, required on first use (with its code pages). */
export function sheetJs(): SheetJs {
  if (!sheetJsModule) {
    const m = requireHere('xlsx') as SheetJs;
    // The CommonJS build sets the code pages itself; setting them again is harmless and keeps this true if it stops.
    m.set_cptable(requireHere('xlsx/dist/cpexcel.js'));
    sheetJsModule = m;
  }
  return sheetJsModule;
}

/** ExcelJS, imported on first use. */
export function excelJs(): Promise<ExcelJs> {
  excelJsModule ??= import('exceljs').then((m) => ((m as { default?: ExcelJs }).default ?? m) as ExcelJs);
  return excelJsModule;
}
