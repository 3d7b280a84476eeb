/**
 * Benchmark (issue 14): the new worklists driven by the confirmed level (訪視到期, 再評估到期) per role, beside
 * the existing 逾期追蹤 list of the same role measured in the same run; and the household-page calls issue 14
 * added (評估, 外單位資源提醒, 跨戶關係, 生態圖, 資源地圖 search) beside the household page itself.
 *
 *   npx tsx bench/practice.ts --dir DATA_DIR [--runs 15]
 *
 * DATA_DIR: a city demo (`npm run seed:demo -- --scale city --data-dir DATA_DIR`), opened as the app opens it
 * (migrated to the current schema). Calls go through the real dispatcher (zod, role gate, scope) as the worker
 * with the most active cases, that worker's supervisor, and admin. Prints median ms, the baseline's median and
 * the ratio, and the row counts. Not part of the test suite.
 */
import { parseArgs } from 'node:util';
import { openApp } from '../main/api/app';
import { setQuiet } from '../main/lib/logger';

setQuiet(true);

const { values } = parseArgs({ args: process.argv.slice(2), options: { dir: { type: 'string' }, runs: { type: 'string', default: '15' } } });
if (!values.dir) throw new Error('--dir DATA_DIR is required');
const RUNS = Number(values.runs);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;
async function timed(fn: () => unknown): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '').padStart(8);

async function main(): Promise<void> {
  const app = await openApp({ dataDir: values.dir as string });
  const db = app.ctx.db;
  const users = await db.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'team_id']).execute();
  const busiest = await db
    .selectFrom('cases')
    .select(['lead_worker_id', 'household_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'not in', ['已結案', '不開案'])
    .where('lead_worker_id', 'is not', null)
    .groupBy('lead_worker_id')
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const worker = users.find((u) => u.id === busiest.lead_worker_id);
  const sup = users.find((u) => u.role === 'supervisor' && u.team_id === worker?.team_id);
  const admin = users.find((u) => u.role === 'admin');
  if (!worker || !sup || !admin) throw new Error('demo users missing');
  const token = async (u: typeof worker) => (await app.ctx.sessions.create(db, { ...u, must_change_password: 0 }, { transport: 'test', source: 'test:bench' }, new Date())).token;
  const sessions = { worker: await token(worker), sup: await token(sup), admin: await token(admin) };
  const call = async (who: keyof typeof sessions, method: string, payload: unknown) => {
    const env = await app.dispatcher.dispatch({ method, payload, token: sessions[who], transport: 'test' });
    if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
    return env.value as { total?: number; rows?: unknown[] } | unknown[];
  };
  const size = (v: unknown): string => {
    if (Array.isArray(v)) return String(v.length);
    const o = v as { total?: number; rows?: unknown[]; nodes?: unknown[] };
    return o.total !== undefined ? String(o.total) : String(o.rows?.length ?? o.nodes?.length ?? '-');
  };
  const counts = await db
    .selectFrom('cases')
    .select((eb) => [eb.fn.countAll<number>().as('c')])
    .where('status', 'in', ['處遇中', '短期服務', '結案審查中'])
    .executeTakeFirstOrThrow();
  const householdId = busiest.household_id;
  process.stdout.write(
    `database ${values.dir}: ${counts.c} cases in service; worker ${worker.username} (${busiest.n} active cases), supervisor ${sup.username}; household ${householdId}; ${RUNS} runs, median ms\n\n`,
  );

  const rows: [string, keyof typeof sessions, string, unknown, string, unknown][] = [
    ['訪視到期 (worker)', 'worker', 'worklists.visitsDue', {}, 'worklists.overdueFollowUps', {}],
    ['訪視到期 (supervisor)', 'sup', 'worklists.visitsDue', {}, 'worklists.overdueFollowUps', {}],
    ['訪視到期 (admin, city)', 'admin', 'worklists.visitsDue', {}, 'worklists.overdueFollowUps', {}],
    ['再評估到期 (worker)', 'worker', 'worklists.reassessmentsDue', {}, 'worklists.overdueFollowUps', {}],
    ['再評估到期 (admin, city)', 'admin', 'worklists.reassessmentsDue', {}, 'worklists.overdueFollowUps', {}],
    ['assessments.list (household)', 'worker', 'assessments.list', { householdId }, 'households.page', { id: householdId }],
    ['aid.recent (household)', 'worker', 'aid.recent', { householdId }, 'households.page', { id: householdId }],
    ['links.list (household)', 'worker', 'links.list', { householdId }, 'households.page', { id: householdId }],
    ['links.ecomap (household)', 'worker', 'links.ecomap', { householdId }, 'households.page', { id: householdId }],
    ['resources.search (need)', 'worker', 'resources.search', { service: '心理諮商' }, 'households.page', { id: householdId }],
  ];
  process.stdout.write(`${'call'.padEnd(32)}    call  baseline  ratio   rows (baseline)\n`);
  for (const [label, who, method, payload, baseMethod, basePayload] of rows) {
    const ms = await timed(() => call(who, method, payload));
    const base = await timed(() => call(who, baseMethod, basePayload));
    const n = size(await call(who, method, payload));
    process.stdout.write(`${label.padEnd(32)}${f1(ms)}${f1(base)}${f1(ms / base)}   ${n} (${baseMethod})\n`);
  }
  await app.close();
}

void main();
