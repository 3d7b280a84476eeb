/**
 * `npm run serve`: the browser host. Prints its URL, and on a new database the
 * one-time setup code the first-run screen asks for.
 */
import { join } from 'node:path';
import { openAppPool } from '../api/pool';
import { clockStartingAt, parseTestInstant } from '../lib/clock';
import { createLogger } from '../lib/logger';
import { keyProtectionFor } from '../lib/passphrase';
import { resolveDataDir } from '../lib/paths';
import { projectRoot } from '../lib/root';
import { startHost } from './server';
import { COMMON_OPTIONS, defineCommand, parseCommand, usageError } from '../cli/usage';

export const HOST_COMMAND = defineCommand({
  command: 'npm run serve --',
  summary: '在這台電腦啟動瀏覽器版（只接受本機 127.0.0.1 的連線），並顯示網址；新資料庫另顯示一次性的首次設定碼。',
  options: {
    port: { type: 'string', arg: '連接埠', help: '連接埠（0 到 65535；0 或省略時自動選一個）' },
    ...COMMON_OPTIONS,
    workers: { type: 'string', arg: '數量', help: '執行系統的工作執行緒數（0 到 16，預設 3；0 表示與接收要求的執行緒共用）' },
    static: { type: 'string', arg: '目錄', help: '網頁檔案的目錄（預設為 dist/renderer）' },
    'test-now': { type: 'string', arg: '時間', help: '僅供測試：系統時鐘從這個時間開始' },
  },
  examples: ['npm run serve', 'npm run serve -- --port 8080 --data-dir ./示範資料'],
});

const log = createLogger('host');

export async function runHost(argv: string[]): Promise<void> {
  const parsed = parseCommand(HOST_COMMAND, argv);
  if (!parsed.ok) process.exit(parsed.code);
  const { values } = parsed;
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) process.exit(usageError(HOST_COMMAND, `--port 必須是 0 到 65535 的整數（收到「${values.port}」）。`));
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 16)) process.exit(usageError(HOST_COMMAND, `--workers 必須是 0 到 16 的整數（收到「${values.workers}」）。`));
  const dataDir = resolveDataDir(values['data-dir']);
  let now: (() => Date) | undefined;
  if (values['test-now'] !== undefined) {
    try {
      now = clockStartingAt(parseTestInstant(values['test-now']));
    } catch (e) {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    }
    log.warn(`test clock on: the app's time starts at ${values['test-now']} (tests only)`);
  }
  const app = await openAppPool({ dataDir, scheduleBackups: true, ...(workers === undefined ? {} : { size: workers }), ...(now ? { now } : {}), ...(await keyProtectionFor(dataDir, { passphraseFile: values['passphrase-file'] })) });
  const host = await startHost({
    dispatcher: app.dispatcher,
    staticDir: values.static ?? join(projectRoot(), 'dist', 'renderer'),
    port,
  });

  const out = process.stdout;
  out.write(`社福中心工作台（瀏覽器版）已啟動：${host.url}\n`);
  out.write(`資料目錄：${dataDir}\n`);
  if (await app.needsSetup()) {
    const code = await app.issueSetupCode();
    out.write(`首次設定碼：${code}（請在首次設定畫面輸入，只能使用一次）\n`);
  }
  out.write('按 Ctrl+C 結束。\n');

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await host.close();
    await app.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

runHost(process.argv.slice(2)).catch((err: unknown) => {
  // Key and conversion errors carry a zh-TW message meant for the person starting the host.
  if (err instanceof Error && ['KeyRingError', 'DatabaseKeyError', 'ConversionError'].includes(err.name)) process.stderr.write(`${err.message}\n`);
  log.error('host failed to start', err);
  process.exit(1);
});
