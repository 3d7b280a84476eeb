import { parseArgs } from 'node:util';
import { openDataFolder } from '../api/data-folder';
import { keyProtectionFor } from '../lib/passphrase';
import { resolveDataDir } from '../lib/paths';
import { verifyAuditChain } from '../services/audit/log';

export async function runVerifyAudit(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, 'passphrase-file': { type: 'string' } } });
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
