/**
 * Refusals on generate (issue 13 §5): one line per problem naming the cells it affects as ranges, not
 * one line per cell; a missing sheet matched to its likely new name; the CLI says 產製, leaves no
 * output folder behind when it refuses, and prints nothing but its own output.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefinitionFile, MappingInput } from '../../main/contract/types-reports';
import { MIGRATIONS } from '../../db/migrations/index';
import { runReport, type CliIo } from '../../main/cli/report';
import { projectRoot } from '../../main/lib/root';
import { checkMapping, compactCells, fingerprintCells, groupProblems, similarSheetName } from '../../main/services/reports/xlsx';
import { migrateTo } from '../helpers/migrations';
import { onPostgres } from '../helpers/pg';
import { createReportsApp, type ReportsApp } from './reports-fixture';

const TEMPLATE = fileURLToPath(new URL('../../../shared/fixtures/templates/季報-範例.xlsx', import.meta.url));
const SHEET = '脆弱家庭服務';
const original = () => new Uint8Array(readFileSync(TEMPLATE));

/** B10:H16 (the table), J10:J16 (the rate) and A6 (the period line). */
function tableMappings(): MappingInput[] {
  const out: MappingInput[] = [];
  for (let row = 10; row <= 16; row++) {
    const dim = row > 10 ? { dimension: String(row - 10) } : {};
    for (const col of ['B', 'C', 'D', 'E', 'F']) out.push({ sheet: SHEET, cell: `${col}${row}`, indicatorId: 'cases.received', filters: dim });
    out.push({ sheet: SHEET, cell: `G${row}`, indicatorId: 'services.count', filters: { method: '電訪家庭', ...dim } });
    out.push({ sheet: SHEET, cell: `H${row}`, indicatorId: 'services.count', filters: { method: '面訪家庭', ...dim } });
    out.push({ sheet: SHEET, cell: `J${row}`, indicatorId: 'cases.contact24h', filters: dim });
  }
  return out;
}

/** The template with one part's XML changed (a sheet renamed, labels moved). */
function patched(bytes: Uint8Array, part: string, edit: (xml: string) => string): Uint8Array {
  const files = unzipSync(bytes);
  files[part] = strToU8(edit(strFromU8(files[part] as Uint8Array)));
  return zipSync(files);
}

const renameSheet = (bytes: Uint8Array, to: string) => patched(bytes, 'xl/workbook.xml', (x) => x.replace(`name="${SHEET}"`, `name="${to}"`));

describe('one line per problem', () => {
  it('writes cells as ranges', () => {
    const block = [];
    for (let r = 10; r <= 16; r++) for (const c of 'BCDEFGH') block.push(`${c}${r}`);
    expect(compactCells(block)).toEqual(['B10:H16']);
    expect(compactCells(['J12', 'J10', 'J11', 'A6', 'B10', 'B11', 'J16'])).toEqual(['A6', 'B10:B11', 'J10:J12', 'J16']);
    expect(compactCells(['C3', 'B3', 'B4', 'C4', 'D4'])).toEqual(['B3:C4', 'D4']);
  });

  it('finds a renamed sheet by a name that contains the other, or by a small edit', () => {
    expect(similarSheetName('1-服務量', ['封面', '1-服務量統計', '2-個案'])).toBe('1-服務量統計');
    expect(similarSheetName('脆弱家庭服務概況', ['脆弱家庭服務', '人力'])).toBe('脆弱家庭服務');
    expect(similarSheetName('表1 服務量', ['表1服務量 ', '表2'])).toBe('表1服務量 ');
    expect(similarSheetName('個案統計表', ['個案統計報表', '人力'])).toBe('個案統計報表');
    expect(similarSheetName('1-服務量', ['人力', '封面'])).toBeNull();
    // Two equally likely names: no guess.
    expect(similarSheetName('服務量', ['服務量A', '服務量B'])).toBeNull();
  });

  it('turns 57 cells of a renamed sheet into one line that names them and asks about the new name', () => {
    const bytes = original();
    const cells = [{ sheet: SHEET, cell: 'A6' }, ...tableMappings()];
    const mappings = fingerprintCells(bytes, cells).map((fp) => ({ sheet: fp.sheet, cell: fp.cell, fingerprint: fp }));
    const problems = checkMapping(renameSheet(bytes, '脆弱家庭服務統計'), mappings);
    expect(problems).toHaveLength(57);
    expect(groupProblems(problems).map((g) => g.message)).toEqual([`${SHEET}!A6、B10:H16、J10:J16：範本中找不到工作表「${SHEET}」，是否已改名為「脆弱家庭服務統計」？`]);
    // Renamed beyond recognition: still one line, without a guess.
    expect(groupProblems(checkMapping(renameSheet(bytes, '表一'), mappings)).map((g) => g.message)).toEqual([`${SHEET}!A6、B10:H16、J10:J16：範本中找不到工作表「${SHEET}」，請確認範本或修正對應。`]);
  });

  it('gives one line per moved row, naming where it went', () => {
    const bytes = original();
    const mappings = fingerprintCells(bytes, tableMappings()).map((fp) => ({ sheet: fp.sheet, cell: fp.cell, fingerprint: fp }));
    // Rows 12 and 13 swap their labels, as if the central template reordered them.
    const swapped = patched(bytes, 'xl/worksheets/sheet1.xml', (x) =>
      x.replace('<c r="A12" s="13" t="s"><v>23</v>', '<c r="A12" s="13" t="s"><v>X</v>').replace('<c r="A13" s="13" t="s"><v>24</v>', '<c r="A13" s="13" t="s"><v>23</v>').replace('<v>X</v>', '<v>24</v>'),
    );
    const problems = checkMapping(swapped, mappings);
    expect(problems).toHaveLength(16);
    const lines = groupProblems(problems).map((g) => g.message);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^脆弱家庭服務!B12:H12、J12：列標題與儲存時不同，整塊似乎下移 1 列（例如 B12 原本的列標題「.+」現在在 B13），請確認範本後重新對應。$/);
    expect(lines[1]).toMatch(/^脆弱家庭服務!B13:H13、J13：列標題與儲存時不同，整塊似乎上移 1 列/);
  });

  it('groups labels that changed without a new place by the change itself', () => {
    const p = (cell: string, before: string, after: string) => ({ sheet: 'S', cell, code: 'column-label-changed', severity: 'error' as const, message: '', suggestedCell: null, before, after });
    const lines = groupProblems([p('B10', '開案數', '新開案數'), p('B11', '開案數', '新開案數'), p('C10', '結案數', '')]).map((g) => g.message);
    expect(lines).toEqual(['S!B10:B11：欄標題由「開案數」變成「新開案數」，請確認範本後重新對應。', 'S!C10：欄標題由「結案數」變成（空白），請確認範本後重新對應。']);
  });

  it('keeps a problem it does not know as written, and one line for identical ones', () => {
    const fixed = { sheet: 'S', cell: 'C10', code: 'fixed-month-outside-period', severity: 'error' as const, message: '月份篩選固定為 115年1月，不在115年第2季內：S!C10、S!D10。', suggestedCell: null };
    const hidden = (cell: string) => ({ sheet: 'S', cell, code: 'hidden-sheet', severity: 'warning' as const, message: '工作表「S」是隱藏的', suggestedCell: null });
    expect(groupProblems([hidden('B2'), fixed, hidden('B3')]).map((g) => g.message)).toEqual(['月份篩選固定為 115年1月，不在115年第2季內：S!C10、S!D10。', 'S!B2:B3：工作表「S」是隱藏的']);
  });
});

describe('refusals through the API', () => {
  let r: ReportsApp;
  beforeAll(async () => {
    r = await createReportsApp();
  });
  afterAll(async () => {
    await r?.close();
  });

  it('refuses a definition file whose sheet was renamed in one line, and asks about the new name', async () => {
    const t = await r.call(r.d.admin, 'reports.importTemplate', { fileName: '季報-範例.xlsx', bytesBase64: Buffer.from(original()).toString('base64') });
    const def = await r.call(r.d.admin, 'reports.saveDefinition', { templateId: t.id, name: '季報', formNo: '10930', agency: '社會局', deadline: '次季', periodCell: { sheet: SHEET, cell: 'A6' }, mappings: tableMappings() });
    const exported = await r.call(r.d.admin, 'reports.exportDefinition', { id: def.id });
    const doc = JSON.parse(exported.text as string) as DefinitionFile;
    const renamed = renameSheet(new Uint8Array(Buffer.from(doc.template.base64, 'base64')), '脆弱家庭服務統計');
    doc.template = { ...doc.template, base64: Buffer.from(renamed).toString('base64'), size: renamed.byteLength, sha256: createHash('sha256').update(renamed).digest('hex') };
    const env = await r.raw(r.d.admin, 'reports.importDefinition', { json: JSON.stringify(doc), name: '季報二' });
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error.message).toBe(
      `無法匯入：範本的結構與儲存格對應不符，共 1 個問題（57 格），請修正對應或重新匯入正確的範本。\n1. ${SHEET}!A6、B10:H16、J10:J16：範本中找不到工作表「${SHEET}」，是否已改名為「脆弱家庭服務統計」？`,
    );
    expect((env.error.details as { groups: { cells: string[]; suggestedSheet: string }[] }).groups).toEqual([
      expect.objectContaining({ cells: ['A6', 'B10:H16', 'J10:J16'], suggestedSheet: '脆弱家庭服務統計' }),
    ]);
  });
});

// The CLI opens a single-PC data folder's SQLite file (as report-cli.test.ts).
describe.skipIf(onPostgres)('report generate on the command line', () => {
  let r: ReportsApp;
  let dir: string;
  let good: string;
  let drifted: string;
  const io = () => {
    const o = { stdout: '', stderr: '', out: (t: string) => void (o.stdout += t), err: (t: string) => void (o.stderr += t), now: () => new Date('2026-04-10T02:00:00.000Z') };
    return o satisfies CliIo;
  };

  beforeAll(async () => {
    r = await createReportsApp();
    dir = mkdtempSync(join(tmpdir(), 'wd-refusals-'));
    const t = await r.call(r.d.admin, 'reports.importTemplate', { fileName: '季報-範例.xlsx', bytesBase64: Buffer.from(original()).toString('base64') });
    const def = await r.call(r.d.admin, 'reports.saveDefinition', { templateId: t.id, name: '季報', formNo: '10930', agency: '社會局', deadline: '次季', periodCell: { sheet: SHEET, cell: 'A6' }, mappings: tableMappings().slice(0, 8) });
    const text = (await r.call(r.d.admin, 'reports.exportDefinition', { id: def.id })).text as string;
    good = join(dir, 'good.json');
    writeFileSync(good, text);
    const doc = JSON.parse(text) as DefinitionFile;
    const renamed = renameSheet(new Uint8Array(Buffer.from(doc.template.base64, 'base64')), '脆弱家庭服務統計');
    doc.template = { ...doc.template, base64: Buffer.from(renamed).toString('base64'), size: renamed.byteLength, sha256: createHash('sha256').update(renamed).digest('hex') };
    drifted = join(dir, 'drifted.json');
    writeFileSync(drifted, JSON.stringify(doc));
  });
  afterAll(async () => {
    await r?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says 產製 and leaves neither folder nor file behind when it refuses', async () => {
    const out = join(dir, '新資料夾', '季報.xlsx');
    const o = io();
    expect(await runReport(['generate', '--definition', drifted, '--period', '115Q1', '--out', out, '--data-dir', r.t.dataDir], o)).toBe(1);
    expect(o.stderr).toBe(
      `無法產製報表：範本的結構與儲存格對應不符，共 1 個問題（9 格），請修正對應或重新匯入正確的範本。\n1. ${SHEET}!A6、B10:H10、J10：範本中找不到工作表「${SHEET}」，是否已改名為「脆弱家庭服務統計」？\n`,
    );
    expect(o.stderr).not.toContain('匯入：');
    expect(existsSync(join(dir, '新資料夾'))).toBe(false);
    // A bad quarter is refused before anything is made too.
    expect(await runReport(['generate', '--definition', good, '--period', '115Q9', '--out', out, '--data-dir', r.t.dataDir], io())).toBe(1);
    expect(existsSync(join(dir, '新資料夾'))).toBe(false);
  });

  it('prints only its own output: no log lines, even when it applies a migration', async () => {
    // The data folder one migration behind: opening it applies the newest one, which the app logs.
    const names = Object.keys(MIGRATIONS).sort();
    await migrateTo(r.db, names[names.length - 2] as string);
    const out = join(dir, '輸出', '季報.xlsx');
    const res = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot(), 'main', 'cli', 'index.ts'), 'report', 'generate', '--definition', good, '--period', '115Q1', '--out', out, '--data-dir', r.t.dataDir], {
      encoding: 'utf8',
      cwd: projectRoot(),
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`已產製「季報」115年第1季：${out}`);
    expect(lines[1]).toMatch(/^SHA-256 [0-9a-f]{64}$/);
    expect(lines.slice(2)).toHaveLength(8);
    for (const l of lines.slice(2)) expect(l).toMatch(/^ {2}脆弱家庭服務![A-J]\d+\t(-|\d+(\.\d+)?)\t\S/);
    expect(existsSync(out)).toBe(true);
    // The migration did run.
    const applied = await r.db.selectFrom('kysely_migration' as never).select('name' as never).execute();
    expect(applied).toHaveLength(names.length);
  }, 60_000);
});
