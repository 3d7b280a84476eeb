/**
 * `npm run cli -- <command>`: headless ways in for administrators and tests.
 * Commands are added by the issues that need them (report generation, backup).
 */
import { createLogger } from '../lib/logger';
import { pickCommand, type CommandGroup } from './usage';

const log = createLogger('cli');

const CLI_GROUP: CommandGroup = {
  command: 'npm run cli --',
  summary: '社福中心工作台的命令列工具：備份與還原、稽核紀錄驗證、搬到中心伺服器、產製報表。每個指令加上 --help 可看它的說明。',
  commands: [
    ['backup', '將資料庫備份為加密的備份檔（可在系統執行中進行）'],
    ['restore', '驗證備份檔後還原（在其他電腦還原時需要備份還原密語）'],
    ['verify-audit', '驗證稽核紀錄鏈是否完整'],
    ['move-to-server', '將單機資料搬到空的中心伺服器資料庫（全部成功才寫入）'],
    ['server-backup', '以 pg_dump 備份中心伺服器的 PostgreSQL 資料庫，串流加密'],
    ['server-restore', '將中心伺服器備份還原到空的新資料庫並驗證稽核紀錄鏈'],
    ['report', '產製季報（report generate）或輸出月報 PDF（report monthly）'],
  ],
  notes: ['其他入口：npm run seed:demo（建立示範資料）、npm run serve（瀏覽器版）、npm run server（中心伺服器），皆可加 --help。'],
  examples: ['npm run cli -- backup --out D:\\備份\\工作台-1151122.wdbak', 'npm run cli -- report generate --help'],
};

const COMMANDS = CLI_GROUP.commands.map(([name]) => name);

async function main(argv: string[]): Promise<number> {
  const picked = pickCommand(CLI_GROUP, argv, COMMANDS);
  if ('code' in picked) return picked.code;
  const { run, rest } = picked;
  switch (run) {
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
    default:
      return (await import('./report')).runReport(rest);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    log.error('command failed', err);
    process.exit(1);
  },
);
