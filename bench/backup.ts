/**
 * Backup and restore figures on a copy of a seeded database:
 *
 *   npx tsx bench/backup.ts --from DATA_DIR [--pad-mb 0]
 *
 * Copies DATA_DIR/welfare-desk.db into a scratch folder (optionally padded with a table of random
 * blobs, to see that memory does not grow with the file), then times makeBackup, inspectBackup and
 * restoreStaged through the app's own services and prints each step's wall time and the growth of the
 * process's peak RSS (resourceUsage().maxRSS) during the step.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { applyCipherKey } from '../db/connection';
import { openApp } from '../main/api/app';
import { loadOrCreateKeyRing } from '../main/lib/keystore';
import { setQuiet } from '../main/lib/logger';
import { inspectBackup, makeBackup, restoreStaged } from '../main/services/backup/service';

setQuiet(true);
const { values } = parseArgs({ options: { from: { type: 'string' }, 'pad-mb': { type: 'string' } } });
if (!values.from) throw new Error('--from DATA_DIR');
const dir = mkdtempSync(join(tmpdir(), 'wd-bench-backup-'));
copyFileSync(join(values.from, 'welfare-desk.db'), join(dir, 'welfare-desk.db'));
// An encrypted database travels with its keys and audit checkpoint (a plain one is converted on open).
for (const f of ['keys.json', 'audit-checkpoint.json']) if (existsSync(join(values.from, f))) copyFileSync(join(values.from, f), join(dir, f));
const padMb = Number(values['pad-mb'] ?? 0);
if (padMb > 0) {
  const db = new BetterSqlite3(join(dir, 'welfare-desk.db'));
  if (existsSync(join(dir, 'keys.json'))) applyCipherKey(db, loadOrCreateKeyRing(dir).dbKey);
  db.exec('create table bench_padding (b blob)');
  const ins = db.prepare('insert into bench_padding values (randomblob(1048576))');
  db.transaction(() => {
    for (let i = 0; i < padMb; i++) ins.run();
  })();
  db.close();
}

const peakMb = () => process.resourceUsage().maxRSS / 1024;
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const before = peakMb();
  const t0 = performance.now();
  const r = await fn();
  const ms = performance.now() - t0;
  process.stdout.write(`${name.padEnd(10)} ${(ms / 1000).toFixed(2)} s   peak RSS ${peakMb().toFixed(0)} MiB (+${(peakMb() - before).toFixed(0)} during this step)\n`);
  return r;
}

const app = await openApp({ dataDir: dir });
try {
  process.stdout.write(`database ${(statSync(app.dbFile).size / 1024 / 1024).toFixed(1)} MiB, start peak RSS ${peakMb().toFixed(0)} MiB\n`);
  const made = await step('backup', () => makeBackup(app.ctx.db, app.ctx.backup, { reason: 'cli', actor: null, actorLabel: 'bench', now: new Date() }));
  process.stdout.write(`           file ${(made.bytes / 1024 / 1024).toFixed(1)} MiB\n`);
  const folder = join(dir, 'backups');
  const check = await step('verify', () => inspectBackup(app.ctx.backup, join(folder, made.name), { kind: 'install', backupKey: app.ctx.backup.keys.backupKey }, new Date()));
  process.stdout.write(`           households ${check.counts.households}, cases ${check.counts.cases}, audit ${check.audit.ok ? 'ok' : 'BROKEN'}\n`);
  await step('restore', () => restoreStaged(app.ctx.db, app.ctx.backup, check.stageId, { actor: null, actorLabel: 'bench', now: new Date(Date.now() + 1000) }));
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
