/**
 * A dispatch list as a file: an xlsx written the way the central platform's export looks (a title row
 * above the header, Excel date-time cells beside ROC text, 身分證字號 in lower case), and the same list as
 * a UTF-8 CSV with BOM, read by the import reader, mapped by the kind's header suggestions and run through
 * parse → classify → commit. Both files give the same rows and the same cases.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNationalId } from '../../../main/contract/national-id';
import { dispatchKind } from '../../../main/services/imports/kinds/dispatch';
import { dataRows, detectHeaderRow, headerColumns, readWorkbook, sheetRows } from '../../../main/services/imports/read';
import type { KindContext, SourceRow } from '../../../main/services/imports/types';
import { createFixture, type Fixture } from '../cases-fixture';
import { commitAll, parseAll } from './import-harness';

const HEADERS = ['派案編號', '案主姓名', '身分證字號', '出生日期', '案件來源', '通報時間', '派案時間', '案件類型', '轉介單位'];
const ID1 = makeNationalId('F', '2', '3456789');
const ID2 = makeNationalId('G', '1', '2345670');

/** The kind's suggested mapping: a field whose header list holds the column's header (spaces and punctuation ignored). */
function suggest(columns: { col: string; header: string }[]): Record<string, string> {
  const norm = (s: string) => s.replace(/[\s/()（）:：、.-]/g, '');
  const out: Record<string, string> = {};
  for (const f of dispatchKind.fields) {
    const hit = columns.find((c) => f.headers.some((h) => norm(h) === norm(c.header)));
    if (hit) out[f.key] = hit.col;
  }
  return out;
}

function rowsOf(bytes: Uint8Array, name: string): SourceRow[] {
  const read = readWorkbook(bytes, name);
  if (!read.ok) throw new Error(read.error.message);
  const sheet = read.book.sheets[0]?.name as string;
  const grid = sheetRows(read.book, sheet);
  const header = detectHeaderRow(grid);
  const columns = headerColumns(grid, header);
  const mapping = suggest(columns);
  expect(Object.keys(mapping).sort()).toEqual(['birthDate', 'caseType', 'centralNo', 'dispatchedAt', 'name', 'nationalId', 'receivedAt', 'referringUnit', 'source']);
  return [...dataRows(grid, header, columns, mapping)];
}

describe('a dispatch list file, xlsx and csv', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('reads the same rows from both forms and commits them as cases in 待分派', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('派案清單');
    ws.addRow(['衛生福利部 社會安全網 派案清單（115年3月）']);
    ws.addRow(HEADERS);
    ws.addRow(['A115030001', '周小美', ID1.toLowerCase(), '0800115', '學校', new Date(Date.UTC(2026, 2, 4, 8, 15)), new Date(Date.UTC(2026, 2, 4, 14, 30)), '脆弱家庭', '南投國小']);
    ws.addRow(['A115030002', '吳大同', ID2, '70/2/3', 'D', '115/03/03 09:00', '115/03/03 下午 3:05', '', '']);
    ws.getColumn(6).numFmt = 'yyyy/mm/dd hh:mm';
    ws.getColumn(7).numFmt = 'yyyy/mm/dd hh:mm';
    ws.addRow([]);
    const xlsx = new Uint8Array(await wb.xlsx.writeBuffer());
    const csvText = [
      '衛生福利部 社會安全網 派案清單（115年3月）',
      HEADERS.join(','),
      `A115030001,周小美,${ID1.toLowerCase()},0800115,學校,2026-03-04 08:15,2026-03-04 14:30,脆弱家庭,南投國小`,
      `A115030002,吳大同,${ID2},70/2/3,D,115/03/03 09:00,115/03/03 下午 3:05,,`,
      ',,,,,,,,',
    ].join('\r\n');
    const csv = new TextEncoder().encode(`\uFEFF${csvText}`);

    const ctx: KindContext = { actor: { id: f.admin.id, role: 'admin', teamId: null }, today: '2026-03-05', now: f.t.clock.now.toISOString(), options: { teamId: f.team1 } };
    const fromXlsx = parseAll(dispatchKind, rowsOf(xlsx, '派案清單.xlsx'), ctx);
    const fromCsv = parseAll(dispatchKind, rowsOf(csv, '派案清單.csv'), ctx);
    expect(fromXlsx.errors).toEqual([]);
    expect(fromCsv.ok).toEqual(fromXlsx.ok);
    expect(fromXlsx.ok.map((r) => [r.line, r.value.centralNo, r.value.nationalId, r.value.birthDate, r.value.source, r.value.receivedAt, r.value.dispatchedAt, r.value.referringUnit])).toEqual([
      [3, 'A115030001', ID1, '1991-01-15', 'B', '2026-03-04T00:15:00.000Z', '2026-03-04T06:30:00.000Z', '南投國小'],
      [4, 'A115030002', ID2, '1981-02-03', 'D', '2026-03-03T01:00:00.000Z', '2026-03-03T07:05:00.000Z', null],
    ]);

    const classes = await dispatchKind.classify(f.t.app.ctx.db, fromXlsx.ok, ctx);
    expect(classes.map((c) => c.status)).toEqual(['new', 'new']);
    const { outcomes } = await commitAll(f.t.app.ctx.db, dispatchKind, fromXlsx.ok, classes, ctx);
    const cases = await f.t.app.ctx.db.selectFrom('cases').select(['central_no', 'status', 'team_id', 'source']).where('id', 'in', outcomes.map((o) => o.targetId as number)).orderBy('central_no').execute();
    expect(cases).toEqual([
      { central_no: 'A115030001', status: '待分派', team_id: f.team1, source: 'B' },
      { central_no: 'A115030002', status: '待分派', team_id: f.team1, source: 'D' },
    ]);
    // The team's supervisor sees them in the app.
    const seen = await f.call(f.sup1, 'cases.get', { id: outcomes[0]?.targetId as number });
    expect(seen).toMatchObject({ status: '待分派', dispatchedAt: '2026-03-04T06:30:00.000Z' });
  });
});
