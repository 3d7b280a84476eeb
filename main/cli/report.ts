/**
 * `npm run cli -- report generate --definition FILE --period 115Q1 --out FILE.xlsx [--data-dir DIR] [--force]`
 * `npm run cli -- report monthly --month 115-03 [--team N] --out FILE.pdf [--html FILE.html] [--data-dir DIR] [--force]`
 *
 * Headless report runs for administrators who script the quarter, and for tests.
 * `generate` reads an exported definition file (docs/report-definition.md), checks
 * its mappings against the template inside it, computes the figures from the data
 * directory's database and writes the filled template. `monthly` renders the same
 * HTML the print view shows and prints it to PDF with Chromium (playwright-core
 * driving /usr/bin/chromium, or WELFARE_DESK_CHROMIUM). Both are audited under
 * the actor 命令列.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BrowserType } from 'playwright-core';
import { DB_FILE_NAME, migrateToLatest, type DatabaseHandle } from '../../db/connection';
import { openDataFolder } from '../api/data-folder';
import { keyProtectionFor } from '../lib/passphrase';
import { writeTransaction } from '../../db/tx';
import { ApiError } from '../contract/envelope';
import { setQuiet } from '../lib/logger';
import { resolveDataDir } from '../lib/paths';
import { appendAudit } from '../services/audit/log';
import { parseDefinitionFile } from '../services/reports/definitions';
import { renderMonthlyHtml } from '../services/reports/monthly-html';
import { buildMonthly } from '../services/reports/monthly';
import { requireReportPeriod } from '../services/reports/periods';
import { generateReport } from '../services/reports/quarterly';
import { COMMON_OPTIONS, defineCommand, parseCommand, pickCommand, usageError, type CommandGroup } from './usage';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  now(): Date;
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  now: () => new Date(),
};

export const REPORT_GENERATE_COMMAND = defineCommand({
  command: 'npm run cli -- report generate',
  summary: '依報表定義檔（在「報表定義」畫面匯出，內含中央範本、報送頻率與儲存格對應）從資料庫計算各項數字，填入範本並存成 Excel 檔。產製會記入稽核紀錄。',
  options: {
    definition: { type: 'string', arg: '定義檔', required: true, help: '報表定義檔（.json）' },
    period: { type: 'string', arg: '期間', required: true, help: '依定義檔的報送頻率：季報 115Q1、月報 115-03、半年報 115H1（或 115年上半年）、年報 115' },
    out: { type: 'string', arg: '檔案', required: true, help: '輸出的 Excel 檔（.xlsx）' },
    force: { type: 'boolean', default: false, help: '輸出檔已存在時覆蓋' },
    ...COMMON_OPTIONS,
  },
  examples: ['npm run cli -- report generate --definition 社福季報.json --period 115Q1 --out 季報-115年第1季.xlsx'],
});

export const REPORT_MONTHLY_COMMAND = defineCommand({
  command: 'npm run cli -- report monthly',
  summary: '輸出月報：與「月報」列印畫面相同的內容，以 Chromium 存成 A4 的 PDF（或以 --html 存成網頁）。輸出會記入稽核紀錄。',
  options: {
    month: { type: 'string', arg: '月份', required: true, help: '民國年與月份，例如 115-03（115 年 3 月）' },
    team: { type: 'string', arg: '組別編號', help: '只看這個組別（省略時為全中心）' },
    out: { type: 'string', arg: '檔案', help: '輸出的 PDF 檔（需要 Chromium；與 --html 至少擇一）' },
    html: { type: 'string', arg: '檔案', help: '輸出的網頁檔（.html，可用瀏覽器列印）' },
    force: { type: 'boolean', default: false, help: '輸出檔已存在時覆蓋' },
    ...COMMON_OPTIONS,
  },
  notes: ['Chromium 取自環境變數 WELFARE_DESK_CHROMIUM，否則為 /usr/bin/chromium。'],
  examples: ['npm run cli -- report monthly --month 115-03 --out 月報-115年3月.pdf', 'npm run cli -- report monthly --month 115-03 --team 2 --html 月報-115年3月.html'],
});

export const REPORT_GROUP: CommandGroup = {
  command: 'npm run cli -- report',
  summary: '產製報表。每個子指令加上 --help 可看它的說明。',
  commands: [
    ['generate', '依報表定義檔產製季報（填入中央範本，存成 Excel）'],
    ['monthly', '輸出月報 PDF 或網頁'],
  ],
  examples: ['npm run cli -- report generate --help', 'npm run cli -- report monthly --month 115-03 --out 月報-115年3月.pdf'],
};

const CLI_ACTOR = '命令列';

async function openData(dataDirArg: string | undefined, io: CliIo, passphraseFile?: string): Promise<DatabaseHandle | null> {
  const dataDir = resolveDataDir(dataDirArg);
  const file = join(dataDir, DB_FILE_NAME);
  if (!existsSync(file)) {
    io.err(`找不到資料庫：${file}\n請以 --data-dir 指定資料目錄。\n`);
    return null;
  }
  try {
    // No slow-query lines among the command's output (the routine log lines are silenced in runReport).
    return (await openDataFolder({ dataDir, onSlowQuery: () => undefined, ...(await keyProtectionFor(dataDir, { passphraseFile })) })).handle;
  } catch (err) {
    if (err instanceof Error && ['KeyRingError', 'DatabaseKeyError', 'ConversionError'].includes(err.name)) {
      io.err(`${err.message}\n`);
      return null;
    }
    throw err;
  }
}

function checkOut(out: string | undefined, force: boolean, io: CliIo, example: string): string | null {
  if (!out) {
    io.err(`請以 --out 指定輸出檔，例如 --out ${example}\n`);
    return null;
  }
  const path = resolve(out);
  if (existsSync(path) && !force) {
    io.err(`輸出檔已存在：${path}\n若要覆蓋，請加上 --force。\n`);
    return null;
  }
  return path;
}

/** Writes an output file, making its folder only now: a refused run leaves no folder and no file behind. */
function writeOutput(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

function explain(e: unknown, io: CliIo): number {
  if (e instanceof ApiError) {
    io.err(`${e.message}\n`);
    return 1;
  }
  throw e;
}

export async function runReportGenerate(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const parsed = parseCommand(REPORT_GENERATE_COMMAND, argv, io);
  if (!parsed.ok) return parsed.code;
  const { values } = parsed;
  if (!values.definition || !values.period) return 2;
  const out = checkOut(values.out, values.force ?? false, io, '季報.xlsx');
  if (!out) return 2;
  let json: string;
  try {
    json = readFileSync(resolve(values.definition), 'utf8');
  } catch {
    io.err(`無法讀取報表定義檔：${resolve(values.definition)}\n`);
    return 1;
  }
  const handle = await openData(values['data-dir'], io, values['passphrase-file']);
  if (!handle) return 1;
  try {
    const { file, bytes } = parseDefinitionFile(json, 'generate');
    const q = requireReportPeriod(file.frequency ?? 'quarter', values.period);
    await migrateToLatest(handle.db);
    const report = await generateReport(
      handle.db,
      { mappings: file.mappings, periodCell: file.periodCell, compiledCell: file.compiledCell ?? null, template: { bytes, sha256: file.template.sha256, fileName: file.template.fileName } },
      q,
      io.now(),
    );
    writeOutput(out, report.bytes);
    await writeTransaction(handle.db, (trx) =>
      appendAudit(
        trx,
        { actor: null, actorLabel: CLI_ACTOR, action: 'export', entity: 'report', entityId: null, detail: { definition: file.form.name, period: q.rocKey, sha256: report.sha256, via: 'cli' } },
        io.now(),
      ),
    );
    for (const w of report.warnings) io.err(`注意：${w.message}\n`);
    io.out(`已產製「${file.form.name}」${q.label}：${out}\nSHA-256 ${report.sha256}\n`);
    for (const f of report.figures) io.out(`  ${f.sheet}!${f.cell}\t${f.value === null ? '-' : f.value}\t${f.label}\n`);
    return 0;
  } catch (e) {
    return explain(e, io);
  } finally {
    await handle.close();
  }
}

/** The Chromium used for PDF output: WELFARE_DESK_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.WELFARE_DESK_CHROMIUM ?? env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Prints HTML to an A4 PDF with headless Chromium. Throws with a zh-TW message when it cannot. */
export async function htmlToPdf(html: string, executablePath = chromiumPath()): Promise<Uint8Array> {
  if (!existsSync(executablePath)) {
    throw new ApiError(
      'RULE',
      `找不到 Chromium 瀏覽器（${executablePath}），無法輸出 PDF。請安裝 Chromium（Debian／Ubuntu：apt-get install chromium），或以環境變數 WELFARE_DESK_CHROMIUM 指定瀏覽器路徑；也可以改用 --html 輸出網頁後用瀏覽器列印。`,
    );
  }
  let chromium: BrowserType;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new ApiError('RULE', '這個安裝沒有 playwright-core，無法輸出 PDF；請改用 --html 輸出網頁後用瀏覽器列印。');
  }
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}

export async function runReportMonthly(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const parsed = parseCommand(REPORT_MONTHLY_COMMAND, argv, io);
  if (!parsed.ok) return parsed.code;
  const { values } = parsed;
  if (!values.month) return 2;
  if (!values.out && !values.html) return usageError(REPORT_MONTHLY_COMMAND, '請以 --out 指定 PDF 檔（或以 --html 指定網頁檔）。', io);
  const pdfOut = values.out ? checkOut(values.out, values.force ?? false, io, '月報.pdf') : null;
  const htmlOut = values.html ? checkOut(values.html, values.force ?? false, io, '月報.html') : null;
  if ((values.out && !pdfOut) || (values.html && !htmlOut)) return 2;
  const teamId = values.team === undefined ? null : Number(values.team);
  if (teamId !== null && (!Number.isInteger(teamId) || teamId <= 0)) {
    io.err('--team 應為組別編號（正整數）。\n');
    return 2;
  }
  const handle = await openData(values['data-dir'], io, values['passphrase-file']);
  if (!handle) return 1;
  try {
    await migrateToLatest(handle.db);
    if (teamId !== null && !(await handle.db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst())) {
      io.err(`找不到編號 ${teamId} 的組別。\n`);
      return 1;
    }
    const data = await buildMonthly(handle.db, values.month, { teams: teamId === null ? null : [teamId], teamId }, io.now());
    const html = renderMonthlyHtml(data);
    if (htmlOut) {
      writeOutput(htmlOut, html);
      io.out(`已輸出網頁：${htmlOut}\n`);
    }
    if (pdfOut) {
      const pdf = await htmlToPdf(html);
      writeOutput(pdfOut, pdf);
      io.out(`已輸出 PDF：${pdfOut}\n`);
    }
    await writeTransaction(handle.db, (trx) =>
      appendAudit(trx, { actor: null, actorLabel: CLI_ACTOR, action: 'print', entity: 'monthly_report', entityId: data.month, detail: { month: data.month, teamId, to: pdfOut ? 'pdf' : 'html', via: 'cli' } }, io.now()),
    );
    return 0;
  } catch (e) {
    return explain(e, io);
  } finally {
    await handle.close();
  }
}

export async function runReport(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const picked = pickCommand(REPORT_GROUP, argv, ['generate', 'monthly'], io);
  if ('code' in picked) return picked.code;
  // The command's output is what it says: no routine log lines (migrations applied, ...) in between.
  const wasQuiet = setQuiet(true);
  try {
    return picked.run === 'generate' ? await runReportGenerate(picked.rest, io) : await runReportMonthly(picked.rest, io);
  } finally {
    setQuiet(wasQuiet);
  }
}
