import { sqliteOf } from '../db/connection';
import { openDataFolder } from '../main/api/data-folder';
import { setQuiet } from '../main/lib/logger';
setQuiet(true);
const { handle } = await openDataFolder({ dataDir: '/tmp/g1-city', maintainStatistics: false, onSlowQuery: () => {} });
const s = sqliteOf(handle);
const p = { fromTs: '2026-06-30T16:00:00.000Z', toTs: '2026-09-30T16:00:00.000Z', f: '2026-07-01', t: '2026-09-30' };
for (const q of process.argv.slice(2)) {
  console.log('==', q);
  for (const r of s.prepare(`explain query plan ${q}`).all(p) as { detail: string }[]) console.log('  ', r.detail);
  const t0 = performance.now();
  const rows = s.prepare(q).all(p);
  const t1 = performance.now();
  s.prepare(q).all(p);
  console.log('  ->', JSON.stringify(rows).slice(0, 200), (t1 - t0).toFixed(1), (performance.now() - t1).toFixed(1), 'ms');
}
await handle.close();
