/**
 * The import reader on a big caseload-like list:
 *
 *   npx tsx bench/imports-read.ts [--rows 50000] [--cols 15] [--keep DIR]
 *
 * Writes a ROWS × COLS list (a title row, a header row, then rows of names, IDs, dates as Excel dates and as
 * ROC text, numbers, addresses with full-width digits) as xlsx, xls-free CSV in UTF-8 and CSV in Big5 into a
 * scratch folder, then reads each file in a fresh child process (so the peak RSS is the reader's own):
 * readWorkbook → sheetRows → detectHeaderRow → headerColumns → every dataRows row. Prints wall time per
 * step, the child's CPU time and its peak RSS (resourceUsage().maxRSS).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as XLSX from 'xlsx';
import { dataRows, detectHeaderRow, headerColumns, readWorkbook, sheetRows } from '../main/services/imports/read';

const { values } = parseArgs({ options: { rows: { type: 'string' }, cols: { type: 'string' }, read: { type: 'string' }, keep: { type: 'string' } } });
const peakMb = () => process.resourceUsage().maxRSS / 1024;

if (values.read) {
  // Child: read one file and report.
  const file = values.read;
  const start = peakMb();
  const bytes = new Uint8Array(readFileSync(file));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = readWorkbook(bytes, file);
  const t1 = performance.now();
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  const sheet = r.book.sheets[0];
  if (!sheet) throw new Error('no sheet');
  const grid = sheetRows(r.book, sheet.name);
  const t2 = performance.now();
  const h = detectHeaderRow(grid);
  const cols = headerColumns(grid, h);
  const mapping = Object.fromEntries(cols.map((c, i) => [`f${i}`, c.col]));
  let n = 0;
  let dates = 0;
  for (const row of dataRows(grid, h, cols, mapping)) {
    n++;
    if (row.cells.f3?.date) dates++;
  }
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({ read: t1 - t0, grid: t2 - t1, rows: t3 - t2, total: t3 - t0, cpu: (cpu.user + cpu.system) / 1000, header: h, dataRows: n, dates, encoding: r.book.encoding ?? '', startMb: start, peakMb: peakMb() })}\n`,
  );
  process.exit(0);
}

const ROWS = Number(values.rows ?? 50_000);
const COLS = Math.max(8, Number(values.cols ?? 15));
const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'wd-bench-imports-read-'));
const SURNAMES = '王陳林黃張李吳劉蔡楊許鄭謝郭洪曾邱廖賴周';
const GIVEN = '志明美麗大同小華淑芬家豪怡君建宏雅婷俊傑';
const header = ['編號', '姓名', '身分證字號', '出生日期', '出生日期（民國）', '性別', '電話', '地址', '戶號', '人數', '月收入', '身分別', '里別', '開案日', '備註'];
while (header.length < COLS) header.push(`欄位${header.length + 1}`);
header.length = COLS;

function row(i: number): (string | number)[] {
  const y = 1940 + (i % 70);
  const m = 1 + (i % 12);
  const d = 1 + (i % 28);
  const serial = (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000;
  const out: (string | number)[] = [
    i + 1,
    `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 3) % GIVEN.length]}`,
    `A${String(100000000 + ((i * 7919) % 900000000)).padStart(9, '0')}`,
    serial,
    `${y - 1911}/${m}/${d}`,
    i % 2 ? '男' : '女',
    `09${String(10000000 + i).slice(-8)}`,
    `南投市中興路${(i % 300) + 1}號${(i % 7) + 1}樓`.replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
    `H${String(Math.floor(i / 3)).padStart(6, '0')}`,
    (i % 6) + 1,
    12000 + (i % 50) * 500,
    i % 3 ? '低收入戶' : '中低收入戶',
    `${['中興', '光明', '三和', '營南'][i % 4]}里`,
    `${115 - (i % 5)}/${m}/${d}`,
    i % 10 ? '' : '需追蹤',
  ];
  while (out.length < COLS) out.push(`x${i}`);
  out.length = COLS;
  return out;
}

const aoa: (string | number)[][] = [['南投市115年3月低收入戶名冊'], header];
for (let i = 0; i < ROWS; i++) aoa.push(row(i));
const ws = XLSX.utils.aoa_to_sheet(aoa);
for (let r = 2; r < ROWS + 2; r++) {
  const cell = ws[XLSX.utils.encode_cell({ r, c: 3 })] as XLSX.CellObject | undefined;
  if (cell) cell.z = 'yyyy/mm/dd';
}
const wb = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(wb, ws, '名冊');
const files: [string, string][] = [];
const xlsxFile = join(dir, 'list.xlsx');
writeFileSync(xlsxFile, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
files.push(['xlsx', xlsxFile]);
const csvText = aoa.map((r) => r.map((v) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v))).join(',')).join('\r\n');
const csvFile = join(dir, 'list.csv');
writeFileSync(csvFile, csvText, 'utf8');
files.push(['csv utf-8', csvFile]);
// Big5 through the decoder's reverse map (lead bytes 0xA1-0xF9).
const map = new Map<string, number>();
const dec = new TextDecoder('big5');
for (let lead = 0xf9; lead >= 0xa1; lead--) {
  for (let trail = 0x40; trail <= 0xfe; trail++) {
    if (trail > 0x7e && trail < 0xa1) continue;
    const ch = dec.decode(new Uint8Array([lead, trail]));
    if (ch.length === 1 && ch !== '\ufffd') map.set(ch, (lead << 8) | trail);
  }
}
const big5: number[] = [];
for (const ch of csvText) {
  const u = ch.codePointAt(0) ?? 0;
  const code = u < 0x80 ? u : map.get(ch);
  if (code === undefined) throw new Error(`not Big5: ${ch}`);
  if (u < 0x80) big5.push(u);
  else big5.push(code >> 8, code & 0xff);
}
const big5File = join(dir, 'list-big5.csv');
writeFileSync(big5File, Buffer.from(big5));
files.push(['csv big5', big5File]);

process.stdout.write(`${ROWS} rows × ${COLS} columns (+ title and header rows); peak RSS figures are the reading child's own\n`);
process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores (wall times grow with it; CPU s is the reader's own)\n`);
process.stdout.write('file        size MiB  read s  grid s  rows s  total s  CPU s  peak RSS MiB (child start)  header  data rows\n');
const script = fileURLToPath(import.meta.url);
for (const [label, file] of files) {
  const child = spawnSync(process.execPath, [...process.execArgv, script, '--read', file], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  const j = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
  const s = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(2).padStart(6);
  process.stdout.write(
    `${label.padEnd(10)} ${(statSync(file).size / 1024 / 1024).toFixed(1).padStart(8)}  ${s(j.read)}  ${s(j.grid)}  ${s(j.rows)}  ${s(j.total)}  ${s(j.cpu)}   ${(j.peakMb ?? 0).toFixed(0).padStart(6)} (${(j.startMb ?? 0).toFixed(0)})             ${j.header}  ${j.dataRows}\n`,
  );
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
