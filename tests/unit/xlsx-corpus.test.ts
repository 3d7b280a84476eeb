/**
 * Every spreadsheet in the shared corpus (real files written by other people, some broken or
 * encrypted on purpose) either inspects or is refused with a TemplateFileError, quickly; the known
 * broken/encrypted ones get the right code; and every file that inspects can be filled and read back.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import {
  TemplateFileError,
  encodeCell,
  fillTemplate,
  inspectWorkbook,
  type CellFill,
  type TemplateFileErrorCode,
  type WorkbookModel,
} from '../../main/services/reports/xlsx';

const CORPUS = new URL('../../../shared/corpus/', import.meta.url);
const DIR = fileURLToPath(new URL('spreadsheets/', CORPUS));
const files = readdirSync(DIR).sort();

interface ManifestRow {
  file: string;
  kind: string;
  notes: string;
}

const manifest: ManifestRow[] = readFileSync(fileURLToPath(new URL('MANIFEST.tsv', CORPUS)), 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.startsWith('spreadsheets/'))
  .map((l) => {
    const cols = l.split('\t');
    return { file: (cols[0] ?? '').replace('spreadsheets/', ''), kind: cols[4] ?? '', notes: cols[5] ?? '' };
  });

/** Refusals we know the reason for (from MANIFEST.tsv notes). */
const KNOWN_REFUSALS: Readonly<Record<string, TemplateFileErrorCode>> = {
  'excelize__encryptAES.xlsx': 'encrypted',
  'excelize__encryptSHA1.xlsx': 'encrypted',
  'exceljs__invalid-xml.xlsx': 'corrupt-xml',
  'calamine__issue252.xlsx': 'corrupt-zip',
  'xlrd__corrupted_error.xls': 'corrupt-ole',
  'calamine__OOM_alloc3.xls': 'corrupt-ole',
  'calamine__too_small.xls': 'not-xlsx',
};

function expectedCode(row: ManifestRow): TemplateFileErrorCode | null {
  const known = KNOWN_REFUSALS[row.file];
  if (known) return known;
  if (row.kind === 'csv') return 'not-xlsx';
  if (row.kind === 'xls') return 'legacy-xls';
  return null; // xlsx / xlsm: must inspect
}

type Outcome = { ok: true; model: WorkbookModel; ms: number; bytes: Uint8Array } | { ok: false; error: unknown; ms: number };

const outcomes = new Map<string, Outcome>();
function outcome(file: string): Outcome {
  const cached = outcomes.get(file);
  if (cached) return cached;
  const bytes = new Uint8Array(readFileSync(DIR + file));
  const start = performance.now();
  let result: Outcome;
  try {
    const model = inspectWorkbook(bytes);
    result = { ok: true, model, ms: performance.now() - start, bytes };
  } catch (error) {
    result = { ok: false, error, ms: performance.now() - start };
  }
  outcomes.set(file, result);
  return result;
}

describe('corpus', () => {
  it('has a manifest row for every file, and the files of every row', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(manifest.map((r) => r.file).sort()).toEqual(files);
  });

  it('marks every ENCRYPTED and CORRUPT manifest entry as a known refusal', () => {
    for (const row of manifest) {
      if (/ENCRYPTED|CORRUPT/.test(row.notes)) expect(KNOWN_REFUSALS[row.file], row.file).toBeDefined();
    }
  });

  describe.each(files)('%s', (file) => {
    it('inspects or is refused with TemplateFileError, in under 3 s', () => {
      const o = outcome(file);
      expect(o.ms).toBeLessThan(3000);
      if (!o.ok) {
        expect(o.error).toBeInstanceOf(TemplateFileError);
        const err = o.error as TemplateFileError;
        expect(err.code).not.toBe('unreadable');
        expect(err.message.length).toBeGreaterThan(10);
      }
    });

    it('gets the expected outcome', () => {
      const row = manifest.find((r) => r.file === file);
      expect(row).toBeDefined();
      const want = expectedCode(row as ManifestRow);
      const o = outcome(file);
      if (want === null) {
        expect(o.ok ? 'inspected' : (o.error as TemplateFileError).code).toBe('inspected');
      } else {
        expect(o.ok ? 'inspected' : (o.error as TemplateFileError).code).toBe(want);
      }
    });

    it('fills a cell of each inspected workbook and reads it back', () => {
      const o = outcome(file);
      if (!o.ok) return;
      const sheet = o.model.sheets.find((s) => s.kind === 'worksheet');
      if (!sheet) return;
      // One existing non-formula value cell (if any), and one new cell below the used range.
      const existing = sheet.cells.find((c) => !c.hasFormula && c.type === 'number');
      const merged = (row: number, col: number): boolean => sheet.merges.some((m) => row >= m.top && row <= m.bottom && col >= m.left && col <= m.right);
      const lastRow = Math.max(0, ...sheet.cells.map((c) => c.row), ...sheet.merges.map((m) => m.bottom));
      const fresh = encodeCell(lastRow + 2, 2);
      const fills: CellFill[] = [{ sheet: sheet.name, cell: fresh, value: '新值 ok' }];
      if (existing && !merged(existing.row, existing.col)) fills.push({ sheet: sheet.name, cell: existing.address, value: 12345.5 });
      const out = fillTemplate(o.bytes, fills);

      const again = inspectWorkbook(out).sheets.find((s) => s.name === sheet.name);
      const byAddr = new Map(again?.cells.map((c) => [c.address, c]));
      expect(byAddr.get(fresh)?.value).toBe('新值 ok');
      if (fills.length > 1 && existing) expect(byAddr.get(existing.address)?.value).toBe(12345.5);

      const wb = XLSX.read(out, { type: 'array' });
      expect(wb.Sheets[sheet.name]?.[fresh]?.v).toBe('新值 ok');

      // Only the sheet part and workbook.xml differ.
      const before = unzipSync(o.bytes);
      const after = unzipSync(out);
      expect(Object.keys(after)).toEqual(Object.keys(before));
      const changed = Object.keys(before).filter((k) => strFromU8(before[k]!, true) !== strFromU8(after[k]!, true));
      const allowed = [sheet.path.replace(/\\/g, '/').toLowerCase(), 'xl/workbook.xml'];
      for (const k of changed) expect(allowed).toContain(k.replace(/\\/g, '/').toLowerCase());
    });
  });
});
