import { openDataFolder } from '../api/data-folder';
import { keyProtectionFor } from '../lib/passphrase';
import { resolveDataDir } from '../lib/paths';
import { verifyAuditChain } from '../services/audit/log';
import { COMMON_OPTIONS, defineCommand, parseCommand } from './usage';

export const VERIFY_AUDIT_COMMAND = defineCommand({
  command: 'npm run cli -- verify-audit',
  summary: '以唯讀方式開啟資料庫，逐筆驗證稽核紀錄鏈（每筆的封印與前後連結，以及檢查點檔）。完整時結束碼為 0，有異常時列出問題並以 1 結束。',
  options: { ...COMMON_OPTIONS },
  examples: ['npm run cli -- verify-audit', 'npm run cli -- verify-audit --data-dir /srv/welfare-desk --passphrase-file 通行密語.txt'],
});

export async function runVerifyAudit(argv: string[]): Promise<number> {
  const parsed = parseCommand(VERIFY_AUDIT_COMMAND, argv);
  if (!parsed.ok) return parsed.code;
  const { values } = parsed;
  const dataDir = resolveDataDir(values['data-dir']);
  let handle;
  try {
    // Read-only, but with the keys: the rows' seals and the checkpoint file are checked too.
    ({ handle } = await openDataFolder({ dataDir, readonly: true, ...(await keyProtectionFor(dataDir, { passphraseFile: values['passphrase-file'] })) }));
  } catch (err) {
    if (err instanceof Error && ['KeyRingError', 'DatabaseKeyError'].includes(err.name)) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  try {
    const result = await verifyAuditChain(handle.db);
    if (result.ok) {
      process.stdout.write(`稽核紀錄鏈完整：共 ${result.checked} 筆。\n`);
      return 0;
    }
    process.stdout.write(`稽核紀錄鏈異常（共檢查 ${result.checked} 筆）：\n`);
    for (const p of result.problems) process.stdout.write(`- ${p.message}\n`);
    return 1;
  } finally {
    await handle.close();
  }
}
