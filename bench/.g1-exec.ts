import { sqliteOf } from '../db/connection';
import { openDataFolder } from '../main/api/data-folder';
import { setQuiet } from '../main/lib/logger';
setQuiet(true);
const { handle } = await openDataFolder({ dataDir: '/tmp/g1-city', maintainStatistics: false, onSlowQuery: () => {} });
const s = sqliteOf(handle);
for (const q of process.argv.slice(2)) { const t0 = performance.now(); s.exec(q); console.log(q.slice(0, 80), (performance.now() - t0).toFixed(0), 'ms'); }
await handle.close();
