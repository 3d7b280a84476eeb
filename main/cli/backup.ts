import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { DB_FILE_NAME } from '../../db/connection';
import { openApp } from '../api/app';
import { keyProtectionFor } from '../lib/passphrase';
import { formatRocDateTime } from '../contract/roc-date';
import { ApiError } from '../contract/envelope';
import { resolveDataDir } from '../lib/paths';
import { inspectBackup, makeBackup, restoreStaged, discardStaged } from '../services/backup/service';
import { COMMON_OPTIONS, defineCommand, parseCommand } from './usage';

export const BACKUP_COMMAND = defineCommand({
  command: 'npm run cli -- backup',
  summary: '將資料庫備份為加密的備份檔（與系統設定畫面的備份同格式）。備份取自一致的快照，系統可以保持開啟。',
  options: {
    out: { type: 'string', arg: '檔案', required: true, help: '備份檔的路徑（不可已存在）' },
    ...COMMON_OPTIONS,
  },
  examples: ['npm run cli -- backup --out D:\\備份\\工作台-1151122.wdbak', 'npm run cli -- backup --data-dir /srv/welfare-desk --out /mnt/usb/工作台-1151122.wdbak'],
});

export const RESTORE_COMMAND = defineCommand({
  command: 'npm run cli -- restore',
  summary: '驗證備份檔（完整性與稽核紀錄鏈）後，以備份內容取代目前的資料；目前的資料會先另存一份加密備份，所有使用者需重新登入。',
  options: {
    file: { type: 'string', arg: '備份檔', required: true, help: '要還原的備份檔' },
    'passphrase-file': { type: 'string', arg: '密語檔', help: '備份還原密語檔（在其他電腦還原時需要；同一台電腦可省略）' },
    yes: { type: 'boolean', help: '不再詢問，直接還原（非互動執行時必須加上）' },
    'data-dir': COMMON_OPTIONS['data-dir'],
  },
  examples: ['npm run cli -- restore --file D:\\備份\\工作台-1151122.wdbak', 'npm run cli -- restore --file 工作台-1151122.wdbak --passphrase-file 還原密語.txt --yes'],
});

function who(): string {
  try {
    return `命令列（${userInfo().username}）`;
  } catch {
    return '命令列';
  }
}

function fail(err: unknown): number {
  process.stderr.write(`${err instanceof ApiError ? err.message : '發生錯誤，請洽系統維護人員。'}\n`);
  return 1;
}

/**
 * `backup --out FILE`: an encrypted backup (the same container as the app's), made
 * from a consistent snapshot (VACUUM INTO), so the app may stay open.
 */
export async function runBackup(argv: string[]): Promise<number> {
  const parsed = parseCommand(BACKUP_COMMAND, argv);
  if (!parsed.ok) return parsed.code;
  const { values } = parsed;
  if (!values.out) return 2;
  const dataDir = resolveDataDir(values['data-dir']);
  if (!existsSync(join(dataDir, DB_FILE_NAME))) {
    process.stderr.write(`找不到資料庫：${join(dataDir, DB_FILE_NAME)}\n`);
    return 1;
  }
  const out = resolve(values.out);
  if (existsSync(out)) {
    process.stderr.write(`備份檔已存在，請換一個檔名：${out}\n`);
    return 1;
  }
  if (!existsSync(resolve(out, '..'))) {
    process.stderr.write(`找不到資料夾：${resolve(out, '..')}\n`);
    return 1;
  }
  const app = await openApp({ dataDir, ...(await keyProtectionFor(dataDir, { passphraseFile: values['passphrase-file'] })) });
  try {
    const made = await makeBackup(app.ctx.db, app.ctx.backup, { reason: 'cli', actor: null, actorLabel: who(), now: app.ctx.now(), outFile: out });
    process.stdout.write(`已備份至 ${out}（${made.bytes.toLocaleString('zh-TW')} 位元組，已加密）\n`);
    return 0;
  } catch (err) {
    return fail(err);
  } finally {
    await app.close();
  }
}

/**
 * `restore --file FILE [--passphrase-file F] [--yes]`: the same verification and the
 * same swap as the administrator's screen. The app may stay open: the swap is one
 * SQLite transaction that its connection sees on the next read, and since sessions
 * are rows in the database, everyone signed in to it is signed out by the swap too.
 */
export async function runRestore(argv: string[]): Promise<number> {
  const parsed = parseCommand(RESTORE_COMMAND, argv);
  if (!parsed.ok) return parsed.code;
  const { values } = parsed;
  if (!values.file) return 2;
  const file = resolve(values.file);
  if (!existsSync(file)) {
    process.stderr.write(`找不到備份檔：${file}\n`);
    return 1;
  }
  const dataDir = resolveDataDir(values['data-dir']);
  const app = await openApp({ dataDir, ...(await keyProtectionFor(dataDir)) });
  try {
    // A passphrase is read from a file (never the command line, where other users see it), trailing newline dropped.
    const passphrase = values['passphrase-file'] ? readFileSync(values['passphrase-file'], 'utf8').replace(/\r?\n$/, '') : null;
    const unlock = passphrase ? ({ kind: 'passphrase', passphrase } as const) : ({ kind: 'install', backupKey: app.ctx.backup.keys.backupKey } as const);
    const check = await inspectBackup(app.ctx.backup, file, unlock, app.ctx.now());
    const out = process.stdout;
    out.write(`備份檔：${check.file}（${check.bytes.toLocaleString('zh-TW')} 位元組）\n`);
    out.write(`製作時間：${formatRocDateTime(check.madeAt)}，製作者：${check.madeBy ?? '不明'}\n`);
    out.write(`資料庫完整性：${check.integrityOk ? '正常' : '有問題'}，稽核紀錄鏈：${check.audit.ok ? `完整（${check.audit.checked} 筆）` : '驗證未通過'}\n`);
    out.write(`內容：家戶 ${check.counts.households}、個案 ${check.counts.cases}、使用者 ${check.counts.users}、稽核紀錄 ${check.counts.auditRows} 筆\n`);
    if (!check.restorable) {
      process.stderr.write(`無法還原：${check.problems.join('；')}\n`);
      return 1;
    }
    let confirmed = values.yes === true;
    if (!confirmed && process.stdin.isTTY) {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const answer = await rl.question('還原會以備份內容取代目前的資料（目前資料會先另存一份加密備份）。確定還原請輸入 yes：');
      rl.close();
      confirmed = answer.trim().toLowerCase() === 'yes';
    }
    if (!confirmed) {
      discardStaged(app.ctx.backup, check.stageId);
      process.stderr.write('未確認，未做任何變更。（非互動執行時請加上 --yes）\n');
      return 1;
    }
    const { rollbackFile } = await restoreStaged(app.ctx.db, app.ctx.backup, check.stageId, { actor: null, actorLabel: who(), now: app.ctx.now() });
    out.write(`已還原。還原前的資料已另存為加密備份 ${rollbackFile}。請所有使用者重新登入。\n`);
    return 0;
  } catch (err) {
    return fail(err);
  } finally {
    await app.close();
  }
}
