/**
 * `npm run seed:demo -- --scale small|center|city [--data-dir DIR] [--replace]`
 * Fills a new database with a fictional center for trying the app out.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE_NAME } from '../../db/connection';
import { openDataFolder, removeDatabaseFiles } from '../api/data-folder';
import { keyProtectionFor } from '../lib/passphrase';
import { seedDemo } from '../demo/index';
import { SCALES } from '../demo/scale';
import { parseTestInstant } from '../lib/clock';
import { resolveDataDir } from '../lib/paths';
import { countUsers } from '../services/users/service';
import { COMMON_OPTIONS, defineCommand, parseCommand, usageError } from './usage';

export const SEED_DEMO_COMMAND = defineCommand({
  command: 'npm run seed:demo --',
  summary: '在新的資料庫建立一個虛構的社福中心（家戶、個案、方案、實物銀行與示範帳號），供試用與教學。資料庫已有資料時不會覆蓋，除非加上 --replace。',
  options: {
    scale: { type: 'string', arg: '規模', default: 'small', help: '示範資料的規模：small（小）、center（一個中心）或 city（全市）' },
    replace: { type: 'boolean', default: false, help: '刪除資料目錄中現有的資料庫，以示範資料取代' },
    ...COMMON_OPTIONS,
    'test-now': { type: 'string', arg: '時間', help: '僅供測試：示範資料的日期以這個時間為「今天」' },
  },
  examples: ['npm run seed:demo -- --scale center --data-dir ./示範資料', 'npm run seed:demo -- --scale small --replace'],
});

async function main(): Promise<number> {
  const parsed = parseCommand(SEED_DEMO_COMMAND, process.argv.slice(2));
  if (!parsed.ok) return parsed.code;
  const { values } = parsed;
  const scale = Object.hasOwn(SCALES, values.scale ?? '') ? SCALES[values.scale as keyof typeof SCALES] : undefined;
  if (!scale) return usageError(SEED_DEMO_COMMAND, `--scale 應為 small、center 或 city（收到「${values.scale}」）。`);
  const dataDir = resolveDataDir(values['data-dir']);
  const file = join(dataDir, DB_FILE_NAME);
  if (existsSync(file) && values.replace) removeDatabaseFiles(dataDir);
  // Encrypted with the folder's key like any database the app creates.
  const { handle } = await openDataFolder({ dataDir, ...(await keyProtectionFor(dataDir, { passphraseFile: values['passphrase-file'] })) });
  try {
    if ((await countUsers(handle.db)) > 0) {
      process.stderr.write(`資料庫已有資料，不會覆蓋：${file}\n若要以示範資料取代（原資料將刪除），請加上 --replace。\n`);
      return 1;
    }
    const started = Date.now();
    // Test only: the demo's dates are relative to this instant instead of today (main/lib/clock.ts).
    const now = values['test-now'] !== undefined ? parseTestInstant(values['test-now']) : new Date();
    const summary = await seedDemo(handle.db, scale, now);
    process.stdout.write(`已建立示範資料（${scale.name}）：${file}，用時 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`);
    process.stdout.write(`示範帳號（密碼皆為 ${summary.password}）：${summary.usernames.slice(0, 12).join('、')}${summary.usernames.length > 12 ? ' 等' : ''}\n`);
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`建立示範資料失敗：${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
