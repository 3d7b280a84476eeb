/**
 * The caseload file generator (tests/fixtures/imports/caseload-file.ts) through the real reader: the xlsx
 * it writes reads back as the SourceRows it promises, so the e2e test and the unit tests see the same file.
 */
import { describe, expect, it } from 'vitest';
import { makeNationalId } from '../../../main/contract/national-id';
import { dataRows, detectHeaderRow, headerColumns, readWorkbook, sheetRows } from '../../../main/services/imports/read';
import { caseloadKind } from '../../../main/services/imports/kinds/caseload';
import { buildCaseloadFile, CASELOAD_MAPPING } from '../../fixtures/imports/caseload-file';

describe('caseload file generator', () => {
  it('is deterministic, plants what it says, and reads back through the reader as its SourceRows', () => {
    const known = [{ name: '周瑾甲', nationalId: makeNationalId('Q', '1', '7000000'), birthDate: '1970-01-15' }];
    const a = buildCaseloadFile({ households: 200, errors: 10, duplicates: 3, known, today: '2026-05-20' });
    const b = buildCaseloadFile({ households: 200, errors: 10, duplicates: 3, known, today: '2026-05-20' });
    expect(b.rows).toEqual(a.rows);
    expect(a.counts).toMatchObject({ error: 10, duplicate: 3, match: 1 });
    expect(new Set(a.expected.filter((e) => e.status === 'error').map((e) => e.kind)).size).toBe(10);

    const read = readWorkbook(a.bytes, 'caseload.xlsx');
    if (!read.ok) throw new Error(read.error.message);
    const grid = sheetRows(read.book, read.book.sheets[0]?.name as string);
    const header = detectHeaderRow(grid);
    const rows = [...dataRows(grid, header, headerColumns(grid, header), CASELOAD_MAPPING)];
    expect(rows.length).toBe(a.rows.length);
    const ctx = { actor: { id: 1, role: 'admin' as const, teamId: null }, today: '2026-05-20', now: '2026-05-20T02:00:00.000Z', options: {} };
    for (const [i, r] of rows.entries()) {
      const want = a.rows[i];
      expect(r.line).toBe(want?.line);
      // The same parse result from the file as from the promised rows.
      expect(caseloadKind.parse(r, ctx)).toEqual(caseloadKind.parse(want as never, ctx));
    }
  });
});
