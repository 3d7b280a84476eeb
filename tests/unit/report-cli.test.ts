/**
 * `npm run cli -- report ...`, called as a function against a real data directory:
 * generate writes the filled template from an exported definition file; the
 * mapping check refuses a drifted template; monthly writes the HTML and, where
 * Chromium exists, the PDF.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefinitionFile } from '../../main/contract/types-reports';
import { chromiumPath, runReport, type CliIo } from '../../main/cli/report';
import { inspectWorkbook } from '../../main/services/reports/xlsx';
import { createReportsApp, type ReportsApp } from './reports-fixture';
import { onPostgres } from '../helpers/pg';

const TEMPLATE = fileURLToPath(new URL('../../../shared/fixtures/templates/季報-範例.xlsx', import.meta.url));
const SHEET = '脆弱家庭服務';

let r: ReportsApp;
let dir: string;
let defFile: string;
let apiFile: Uint8Array;

function io(): CliIo & { stdout: string; stderr: string } {
  const o = {
    stdout: '',
    stderr: '',
    out(t: string) {
      o.stdout += t;
    },
    err(t: string) {
      o.stderr += t;
    },
    now: () => new Date('2026-04-10T02:00:00.000Z'),
  };
  return o;
}

function cellValues(bytes: Uint8Array): Map<string, unknown> {
  const s = inspectWorkbook(bytes).sheets.find((x) => x.name === SHEET);
  return new Map((s?.cells ?? []).filter((c) => c.type !== 'empty').map((c) => [c.address, c.value]));
}

beforeAll(async () => {
  r = await createReportsApp();
  dir = mkdtempSync(join(tmpdir(), 'wd-cli-report-'));
  const t = await r.call(r.d.admin, 'reports.importTemplate', { fileName: '季報-範例.xlsx', bytesBase64: readFileSync(TEMPLATE).toString('base64') });
  const mappings = [];
  for (let row = 10; row <= 16; row++) {
    const dim = row > 10 ? { dimension: String(row - 10) } : {};
    mappings.push({ sheet: SHEET, cell: `B${row}`, indicatorId: 'cases.received', filters: dim });
    mappings.push({ sheet: SHEET, cell: `G${row}`, indicatorId: 'services.count', filters: { method: '電訪家庭', ...dim } });
    mappings.push({ sheet: SHEET, cell: `J${row}`, indicatorId: 'cases.contact24h', filters: dim });
  }
  const def = await r.call(r.d.admin, 'reports.saveDefinition', { templateId: t.id, name: '季報', formNo: '10930-01-01-2', agency: '社會局', deadline: '次季終了後20日內編報', periodCell: { sheet: SHEET, cell: 'A6' }, mappings });
  const exported = await r.call(r.d.admin, 'reports.exportDefinition', { id: def.id });
  defFile = join(dir, exported.fileName);
  writeFileSync(defFile, exported.text as string);
  apiFile = new Uint8Array(Buffer.from((await r.call(r.d.admin, 'reports.generate', { definitionId: def.id, period: '115Q1' })).fileBase64, 'base64'));
});
afterAll(async () => {
  await r?.close();
  rmSync(dir, { recursive: true, force: true });
});

// The report CLI opens a single-PC data folder's SQLite file; on the center server the same reports come through
// the API (report-templates, report-monthly and report-quarterly run on PostgreSQL).
describe.skipIf(onPostgres)('report generate', () => {
  it('writes the filled template, the same bytes as the API, and lists the figures', async () => {
    const out = join(dir, '季報_115Q1.xlsx');
    const o = io();
    const code = await runReport(['generate', '--definition', defFile, '--period', '115Q1', '--out', out, '--data-dir', r.t.dataDir], o);
    expect(o.stderr).toBe('');
    expect(code).toBe(0);
    const bytes = new Uint8Array(readFileSync(out));
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(apiFile))).toBe(0);
    const v = cellValues(bytes);
    expect([v.get('A6'), v.get('B10'), v.get('G10'), v.get('J10')]).toEqual(['中華民國115年第1季', 5, 4, 60]);
    expect(o.stdout).toContain('已產製「季報」115年第1季');
    expect(o.stdout).toMatch(/脆弱家庭服務!B10\t5\t受理案件數/);
    const audit = await r.db.selectFrom('audit_log').selectAll().where('actor_name', '=', '命令列').execute();
    expect(audit.map((a) => [a.action, a.entity])).toEqual([['export', 'report']]);
  });

  it('will not overwrite a file unless told, and explains what is missing', async () => {
    const out = join(dir, '季報_115Q1.xlsx');
    let o = io();
    expect(await runReport(['generate', '--definition', defFile, '--period', '115Q1', '--out', out, '--data-dir', r.t.dataDir], o)).toBe(2);
    expect(o.stderr).toMatch(/已存在.*--force/s);
    o = io();
    expect(await runReport(['generate', '--definition', defFile, '--period', '115Q1', '--out', out, '--data-dir', r.t.dataDir, '--force'], o)).toBe(0);
    o = io();
    expect(await runReport(['generate', '--definition', defFile, '--period', '115Q5', '--out', join(dir, 'x.xlsx'), '--data-dir', r.t.dataDir], o)).toBe(1);
    expect(o.stderr).toMatch(/季別格式不正確/);
    o = io();
    expect(await runReport(['generate', '--definition', defFile, '--period', '115Q1', '--out', join(dir, 'y.xlsx'), '--data-dir', join(dir, 'nowhere')], o)).toBe(1);
    expect(o.stderr).toMatch(/找不到資料庫/);
    o = io();
    expect(await runReport(['generate', '--period', '115Q1'], o)).toBe(2);
    expect(await runReport(['frobnicate'], o)).toBe(2);
  });

  it('refuses a definition whose template no longer matches its mapping, writing nothing', async () => {
    const doc = JSON.parse(readFileSync(defFile, 'utf8')) as DefinitionFile;
    const files = unzipSync(new Uint8Array(Buffer.from(doc.template.base64, 'base64')));
    // The sheet renamed in the new year's template.
    files['xl/workbook.xml'] = strToU8(strFromU8(files['xl/workbook.xml'] as Uint8Array).replace('name="脆弱家庭服務"', 'name="脆弱家庭服務概況"'));
    const changed = zipSync(files);
    doc.template = { ...doc.template, base64: Buffer.from(changed).toString('base64'), size: changed.byteLength, sha256: createHash('sha256').update(changed).digest('hex') };
    const drifted = join(dir, 'drifted.json');
    writeFileSync(drifted, JSON.stringify(doc));
    const out = join(dir, 'drifted.xlsx');
    const o = io();
    expect(await runReport(['generate', '--definition', drifted, '--period', '115Q1', '--out', out, '--data-dir', r.t.dataDir], o)).toBe(1);
    expect(o.stderr).toMatch(/範本的結構與儲存格對應不符/);
    expect(o.stderr).toMatch(/範本中找不到工作表「脆弱家庭服務」，是否已改名為「脆弱家庭服務概況」？/);
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(onPostgres)('report monthly', () => {
  it('writes the print HTML and, with Chromium, an A4 PDF', async () => {
    const pdf = join(dir, '月報.pdf');
    const html = join(dir, '月報.html');
    const o = io();
    const code = await runReport(['monthly', '--month', '115-03', '--out', pdf, '--html', html, '--data-dir', r.t.dataDir], o);
    const text = readFileSync(html, 'utf8');
    expect(text).toContain('中華民國115年3月');
    expect(text).toContain('中華民國115年4月10日編製');
    if (existsSync(chromiumPath())) {
      expect(o.stderr).toBe('');
      expect(code).toBe(0);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    } else {
      expect(code).toBe(1);
      expect(o.stderr).toMatch(/找不到 Chromium/);
    }
  }, 60_000);

  it('refuses an unknown team', async () => {
    const o = io();
    expect(await runReport(['monthly', '--month', '115-03', '--team', '99', '--html', join(dir, 'x.html'), '--data-dir', r.t.dataDir], o)).toBe(1);
    expect(o.stderr).toMatch(/找不到編號 99 的組別/);
  });
});
