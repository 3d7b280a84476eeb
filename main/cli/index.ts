/**
 * `npm run cli -- <command>`: headless ways in for administrators and tests.
 * Commands are added by the issues that need them (report generation, backup).
 */
import { createLogger } from '../lib/logger';

const log = createLogger('cli');

const USAGE = `用法：npm run cli -- <指令>

指令：
  backup --out 檔案         將資料庫備份為加密的備份檔（可在系統執行中進行）
  restore --file 檔案 [--passphrase-file 密語檔] [--yes]
                            驗證備份檔後還原（在其他電腦還原時需要備份還原密語）
  verify-audit              驗證稽核紀錄鏈是否完整
  move-to-server --from 單機資料目錄 --to postgres://… --server-data-dir 目錄
                            將單機資料搬到空的中心伺服器資料庫（全部成功才寫入）
  server-backup --config 伺服器設定檔 --out 檔案
                            以 pg_dump 備份中心伺服器的 PostgreSQL 資料庫，串流加密（與單機備份同格式）
  server-restore --config 伺服器設定檔 --file 備份檔 --to postgres://…（空的新資料庫）[--recovery-passphrase-file 檔案]
                            將中心伺服器備份還原到空的新資料庫並驗證稽核紀錄鏈（請先停止伺服器）
  report generate --definition 定義檔 --period 115Q1 --out 檔案.xlsx
                            依報表定義檔產製季報（填入中央範本）
  report monthly --month 115-03 [--team 組別編號] --out 檔案.pdf
                            輸出月報 PDF（需要 Chromium）

共用選項：
  --data-dir 目錄           資料目錄（預設為使用者的應用程式資料夾，或 WELFARE_DESK_DATA_DIR）
  --passphrase-file 檔案    資料通行密語檔（或環境變數 WELFARE_DESK_PASSPHRASE；未提供時在主控台詢問）
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'backup':
      return (await import('./backup')).runBackup(rest);
    case 'restore':
      return (await import('./backup')).runRestore(rest);
    case 'verify-audit':
      return (await import('./verify-audit')).runVerifyAudit(rest);
    case 'move-to-server':
      return (await import('./move-to-server')).runMoveToServer(rest);
    case 'server-backup':
      return (await import('./server-backup')).runServerBackup(rest);
    case 'server-restore':
      return (await import('./server-backup')).runServerRestore(rest);
    case 'report':
      return (await import('./report')).runReport(rest);
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`未知的指令「${command}」。\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    log.error('command failed', err);
    process.exit(1);
  },
);
