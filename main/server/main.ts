/**
 * `npm run server -- --config FILE` (or flags): the center server. Prints its URL, the certificate's
 * SHA-256 fingerprint (what each PC confirms once), and on a new database the one-time setup code.
 */
import { join, resolve } from 'node:path';
import { clockStartingAt, parseTestInstant } from '../lib/clock';
import { createLogger } from '../lib/logger';
import { projectRoot } from '../lib/root';
import { ConfigError, parseServerConfig, readServerConfig, type ServerConfig } from './config';
import { startCenterServer } from './server';
import { defineCommand, parseCommand } from '../cli/usage';

export const SERVER_COMMAND = defineCommand({
  command: 'npm run server --',
  summary: '啟動中心伺服器（HTTPS）：各電腦以瀏覽器或桌面版連線。啟動時顯示網址、憑證指紋（各電腦第一次連線時核對），新資料庫另顯示一次性的首次設定碼。設定可寫在設定檔，命令列選項優先於設定檔。',
  options: {
    config: { type: 'string', arg: '設定檔', help: '伺服器設定檔（JSON）' },
    listen: { type: 'string', arg: 'IP 位址', help: '監聽位址，例如 0.0.0.0 或 10.0.0.5' },
    port: { type: 'string', arg: '連接埠', help: '連接埠（0 到 65535）' },
    'data-dir': { type: 'string', arg: '目錄', help: '伺服器資料目錄（金鑰檔、稽核檢查點、SQLite 資料庫）' },
    'public-name': { type: 'string', arg: '名稱', multiple: true, help: '各電腦連線時使用的名稱或 IP（寫入自行簽署的憑證）' },
    'tls-cert': { type: 'string', arg: '檔案', help: '憑證檔（PEM；省略時自動建立自行簽署的憑證）' },
    'tls-key': { type: 'string', arg: '檔案', help: '憑證私鑰檔（PEM）' },
    'passphrase-file': { type: 'string', arg: '密語檔', help: '資料通行密語檔' },
    static: { type: 'string', arg: '目錄', help: '網頁檔案的目錄（預設為 dist/renderer）' },
    'test-now': { type: 'string', arg: '時間', help: '僅供測試：系統時鐘從這個時間開始' },
  },
  examples: ['npm run server -- --config /etc/welfare-desk/server.json', 'npm run server -- --data-dir /srv/welfare-desk --listen 0.0.0.0 --port 8443 --public-name 10.0.0.5'],
});

const log = createLogger('server');

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** The configuration from --config and/or flags (flags win over the file; their paths are from the working directory). */
function configFromArgs(argv: string[], cwd = process.cwd()): { config: ServerConfig; staticDir: string | undefined; testNow: string | undefined } {
  const parsed = parseCommand(SERVER_COMMAND, argv);
  if (!parsed.ok) process.exit(parsed.code);
  const { values } = parsed;
  const overrides: Record<string, unknown> = {};
  if (values.listen !== undefined) overrides.listen = values.listen;
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (values.port.trim() === '' || !Number.isInteger(port)) throw new ConfigError(`--port 必須是 0 到 65535 的整數（收到 ${values.port}）`, 'port');
    overrides.port = port;
  }
  if (values['data-dir'] !== undefined) overrides.dataDir = resolve(cwd, values['data-dir']);
  if (values['public-name'] !== undefined) overrides.publicNames = values['public-name'];
  if (values['tls-cert'] !== undefined || values['tls-key'] !== undefined) overrides.tls = { certFile: values['tls-cert'] && resolve(cwd, values['tls-cert']), keyFile: values['tls-key'] && resolve(cwd, values['tls-key']) };
  if (values['passphrase-file'] !== undefined) overrides.passphraseFile = resolve(cwd, values['passphrase-file']);
  const config = values.config !== undefined ? readServerConfig(resolve(cwd, values.config), overrides) : parseServerConfig(overrides, cwd, '命令列參數');
  return { config, staticDir: values.static, testNow: values['test-now'] };
}

export async function runServer(argv: string[]): Promise<void> {
  let parsed: ReturnType<typeof configFromArgs>;
  try {
    // npm runs scripts from the project folder; INIT_CWD is where the administrator typed the command.
    parsed = configFromArgs(argv, process.env.INIT_CWD ?? process.cwd());
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const { config, testNow } = parsed;
  let now: (() => Date) | undefined;
  if (testNow !== undefined) {
    try {
      now = clockStartingAt(parseTestInstant(testNow));
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
    }
    log.warn(`test clock on: the app's time starts at ${testNow} (tests only)`);
  }
  const server = await startCenterServer(config, {
    staticDir: parsed.staticDir ?? join(projectRoot(), 'dist', 'renderer'),
    scheduleBackups: true,
    ...(now ? { now } : {}),
  });
  const { certificate: cert, app } = server;

  const out = process.stdout;
  out.write(`社福中心工作台（中心伺服器）已啟動：${server.url}\n`);
  out.write(`憑證指紋 (SHA-256)：${cert.fingerprint}\n`);
  if (cert.selfSigned) out.write(`（自行簽署的憑證，存於 ${cert.certFile}。各電腦第一次連線時請核對上面的指紋。）\n`);
  out.write(`憑證有效期限至：${cert.validTo.toISOString().slice(0, 10)}\n`);
  for (const name of cert.uncoveredNames) out.write(`注意：憑證不包含名稱 ${name}，用這個名稱連線的瀏覽器會顯示警告。\n`);
  out.write(`監聽位址：${config.listen}:${server.http.port}（僅接受 HTTPS）\n`);
  out.write(`資料目錄：${config.dataDir}\n`);
  if (await app.needsSetup()) {
    const code = app.ctx.setupGate.issue();
    out.write(`首次設定碼：${code}（請在首次設定畫面輸入，只能使用一次）\n`);
  }
  out.write('按 Ctrl+C 結束。\n');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info(`${signal}: finishing requests in flight, then closing the database`);
    // A request that never ends must not keep the database open forever.
    const force = setTimeout(() => {
      log.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await server.close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error('shutdown failed', err);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

runServer(process.argv.slice(2)).catch((err: unknown) => {
  // Configuration, key and conversion errors carry a zh-TW message meant for the administrator.
  if (err instanceof Error && ['ConfigError', 'KeyRingError', 'DatabaseKeyError', 'ConversionError'].includes(err.name)) process.stderr.write(`${err.message}\n`);
  else if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') process.stderr.write('無法啟動：這個位址與連接埠已被其他程式使用，請換一個連接埠（port）。\n');
  else if (err instanceof Error && 'code' in err && err.code === 'EADDRNOTAVAIL') process.stderr.write('無法啟動：這台電腦沒有設定中的監聽位址（listen），請確認 IP 位址。\n');
  log.error('server failed to start', err);
  process.exit(1);
});
