/**
 * The center server's own backups, encrypted like the single-PC ones:
 *
 * - `server-backup --config FILE --out FILE`: `pg_dump --format=custom` of the server's PostgreSQL
 *   database, sealed as it streams into the same container as the single-PC backups
 *   (services/backup/container.ts: the install slot under the server's backup key, and the recovery
 *   slot when a recovery passphrase is set). No plain dump is ever written to disk.
 * - `server-restore --config FILE --file BACKUP --to URL`: authenticates the container and decrypts it
 *   straight into `pg_restore` on an EMPTY database (a new one; the server's own is never overwritten
 *   in place), then checks the audit chain there with the server's audit key.
 *
 * pg_dump and pg_restore come from PostgreSQL's client tools (`WELFARE_DESK_PG_BIN`, `pg_config
 * --bindir`, /usr/lib/postgresql/<newest>/bin, or PATH).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openApp } from '../api/app';
import { openKeyRing } from '../lib/keystore';
import { keyProtectionFor } from '../lib/passphrase';
import { readServerConfig } from '../server/config';
import { verifyAuditChain } from '../services/audit/log';
import { auditSealOf } from '../services/audit/seal';
import { auditKeyId } from '../services/backup/service';
import { ContainerWriter, openContainerStream, type Unlock } from '../services/backup/container';
import { readBackupSettings } from '../services/settings/backup';
import { defineCommand, parseCommand } from './usage';

const CONFIG_OPTION = { type: 'string', arg: '設定檔', required: true, help: '中心伺服器的設定檔（與 npm run server --config 相同）' } as const;

export const SERVER_BACKUP_COMMAND = defineCommand({
  command: 'npm run cli -- server-backup',
  summary: '以 pg_dump 備份中心伺服器的 PostgreSQL 資料庫，邊備份邊加密寫入備份檔（與單機備份同格式），磁碟上不會留下未加密的內容。伺服器可以保持執行。',
  options: {
    config: CONFIG_OPTION,
    out: { type: 'string', arg: '檔案', required: true, help: '備份檔的路徑（不可已存在）' },
  },
  notes: ['pg_dump 取自環境變數 WELFARE_DESK_PG_BIN、pg_config --bindir、/usr/lib/postgresql/<版本>/bin 或 PATH。'],
  examples: ['npm run cli -- server-backup --config /etc/welfare-desk/server.json --out /backup/中心伺服器-1151122.wdbak'],
});

export const SERVER_RESTORE_COMMAND = defineCommand({
  command: 'npm run cli -- server-restore',
  summary: '將中心伺服器的備份還原到一個空的新 PostgreSQL 資料庫（不會覆蓋伺服器正在使用的資料庫），並驗證稽核紀錄鏈。請先停止伺服器。',
  options: {
    config: CONFIG_OPTION,
    file: { type: 'string', arg: '備份檔', required: true, help: '要還原的備份檔' },
    to: { type: 'string', arg: 'postgres://…', required: true, help: '空的新資料庫的連線網址' },
    'recovery-passphrase-file': { type: 'string', arg: '密語檔', help: '備份還原密語檔（在其他伺服器還原時需要）' },
  },
  examples: ['npm run cli -- server-restore --config /etc/welfare-desk/server.json --file 中心伺服器-1151122.wdbak --to postgres://welfare@localhost/welfare_new'],
});

/** Where PostgreSQL's client programs are. */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  const fromEnv = process.env.WELFARE_DESK_PG_BIN;
  if (fromEnv) return join(fromEnv, exe);
  const cfg = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (cfg.status === 0 && cfg.stdout.trim() && existsSync(join(cfg.stdout.trim(), exe))) return join(cfg.stdout.trim(), exe);
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(base, v, 'bin', exe))) return join(base, v, 'bin', exe);
  }
  return exe;
}

async function openServer(configFile: string) {
  const config = readServerConfig(resolve(configFile));
  if (config.database.engine !== 'postgres') throw new Error('這台中心伺服器使用 SQLite：請用 `npm run cli -- backup --data-dir …` 備份。');
  const keys = await keyProtectionFor(config.dataDir, { passphraseFile: config.passphraseFile });
  const app = await openApp({ dataDir: config.dataDir, database: config.database, ...keys });
  return { url: config.database.url, app };
}

export async function runServerBackup(argv: string[]): Promise<number> {
  const parsed = parseCommand(SERVER_BACKUP_COMMAND, argv);
  if (!parsed.ok) return parsed.code;
  const { values } = parsed;
  if (!values.config || !values.out) return 2;
  const out = resolve(values.out);
  if (existsSync(out)) {
    process.stderr.write(`備份檔已存在：${out}，請換一個檔名。\n`);
    return 2;
  }
  const { url, app } = await openServer(values.config);
  const partial = `${out}.partial`;
  let writer: ContainerWriter | null = null;
  try {
    const settings = await readBackupSettings(app.ctx.db);
    const seal = auditSealOf(app.ctx.db);
    const meta = {
      app: 'welfare-desk',
      kind: 'postgres-dump',
      madeAt: app.ctx.now().toISOString(),
      auditKeyId: auditKeyId(app.keyRing.auditKey),
      auditCheckpoint: seal ? seal.readCheckpoint() : null,
    };
    writer = new ContainerWriter(partial, { backupKey: app.keyRing.backupKey, recovery: settings.recovery, meta });
    const w = writer;
    const dump = spawn(pgTool('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', `--dbname=${url}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    dump.stderr.on('data', (d: Buffer) => (err += d.toString()));
    dump.stdout.on('data', (d: Buffer) => w.push(d));
    const [code] = (await once(dump, 'close')) as [number | null];
    if (code !== 0) throw new Error(`pg_dump 失敗（結束碼 ${code}）：${err.trim().slice(0, 400)}`);
    const { bytes } = writer.finish();
    writer = null;
    renameSync(partial, out);
    process.stdout.write(`已備份中心伺服器資料庫：${out}（${bytes.toLocaleString('en')} 位元組，已加密${settings.recovery ? '，可用備份還原密語在其他電腦還原' : '；尚未設定備份還原密語，只能用這台伺服器的金鑰還原'}）\n`);
    return 0;
  } catch (e) {
    writer?.abort();
    rmSync(partial, { force: true });
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await app.close();
  }
}

export async function runServerRestore(argv: string[]): Promise<number> {
  const parsed = parseCommand(SERVER_RESTORE_COMMAND, argv);
  if (!parsed.ok) return parsed.code;
  const { values } = parsed;
  if (!values.config || !values.file || !values.to) return 2;
  const config = readServerConfig(resolve(values.config));
  const keys = await keyProtectionFor(config.dataDir, { passphraseFile: config.passphraseFile });
  // The key ring alone (the backup key): open the server's data folder against the target URL only after the restore.
  let unlock: Unlock;
  if (values['recovery-passphrase-file']) {
    unlock = { kind: 'passphrase', passphrase: readFileSync(resolve(values['recovery-passphrase-file']), 'utf8').replace(/\r?\n$/, '') };
  } else {
    unlock = { kind: 'install', backupKey: openKeyRing(config.dataDir, keys.keyProtector, keys.upgradeFrom ?? []).backupKey };
  }
  try {
    const { meta, chunks } = openContainerStream(resolve(values.file), unlock);
    if (!meta || typeof meta !== 'object' || (meta as { kind?: unknown }).kind !== 'postgres-dump') throw new Error('這不是中心伺服器（PostgreSQL）的備份檔；單機備份請在單機版還原。');
    const restore = spawn(pgTool('pg_restore'), ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${values.to}`], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    restore.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const closed = once(restore, 'close');
    try {
      for (const chunk of chunks) {
        if (!restore.stdin.write(chunk)) await once(restore.stdin, 'drain');
      }
    } finally {
      restore.stdin.end();
    }
    const [code] = (await closed) as [number | null];
    if (code !== 0) throw new Error(`pg_restore 失敗（結束碼 ${code}）：${err.trim().slice(0, 400)}`);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const app = await openApp({ dataDir: config.dataDir, database: { engine: 'postgres', url: values.to }, ...keys });
  try {
    // An older copy restored on purpose: the checkpoint signs the restored head (as the single-PC restore
    // does); every row's seal and link is still checked below. Stop the server before restoring.
    await auditSealOf(app.ctx.db)?.adoptCurrentHead();
    const result = await verifyAuditChain(app.ctx.db);
    if (!result.ok) {
      process.stderr.write(`已還原，但稽核紀錄鏈驗證未通過：${JSON.stringify(result.problems).slice(0, 400)}\n`);
      return 1;
    }
    process.stdout.write(`已還原到 ${values.to.replace(/\/\/[^@/]*@/, '//…@')}，稽核紀錄鏈驗證通過。請將伺服器設定檔的 database.url 改為這個資料庫後重新啟動伺服器。\n`);
    return 0;
  } finally {
    await app.close();
  }
}
