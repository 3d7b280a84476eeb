import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DB_FILE_NAME, openDatabase } from '../../db/connection';
import { resolveDataDir } from '../lib/paths';

/** Online backup through SQLite's backup API: consistent even while the app is running. */
export async function runBackup(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, 'data-dir': { type: 'string' } } });
  if (!values.out) {
    process.stderr.write('請以 --out 指定備份檔的路徑，例如 --out D:\\備份\\welfare-desk-1151122.db\n');
    return 2;
  }
  const dbFile = join(resolveDataDir(values['data-dir']), DB_FILE_NAME);
  if (!existsSync(dbFile)) {
    process.stderr.write(`找不到資料庫：${dbFile}\n`);
    return 1;
  }
  const out = resolve(values.out);
  if (existsSync(out)) {
    process.stderr.write(`備份檔已存在，請換一個檔名：${out}\n`);
    return 1;
  }
  const handle = openDatabase(dbFile, { readonly: true });
  try {
    await handle.sqlite.backup(out);
  } finally {
    await handle.close();
  }
  process.stdout.write(`已備份至 ${out}\n`);
  return 0;
}
