import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DB_FILE_NAME, openDatabase } from '../../db/connection';
import { resolveDataDir } from '../lib/paths';
import { verifyAuditChain } from '../services/audit/log';

export async function runVerifyAudit(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } } });
  const handle = openDatabase(join(resolveDataDir(values['data-dir']), DB_FILE_NAME), { readonly: true });
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
