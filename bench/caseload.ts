/**
 * Benchmark: caseloads, the approvals inbox and the worklists at the `city`
 * demo scale (100k households, ~1M service records), and the time to open the
 * database file and be ready.
 *
 *   npx tsx bench/caseload.ts [--dir DIR] [--fresh] [--runs 40]
 *
 * Reuses the city database of the other benchmarks (default
 * <tmp>/welfare-desk-bench-city) when present; one seeded before the cases
 * seeder existed gets its cases added. Calls go through the real dispatcher
 * (zod, roles, scope) as demo users. Prints median and p95 per call, without
 * planner statistics and after the ones the app gathers (PRAGMA optimize,
 * bench/statistics.ts), in one run; the database is left analyzed, as the app
 * leaves it. Not part of the test suite.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DB_FILE_NAME } from '../db/connection';
import { openApp, type App } from '../main/api/app';
import { openDataFolder } from '../main/api/data-folder';
import { seedCases } from '../main/demo/cases';
import { seedDemo } from '../main/demo/index';
import { Rng } from '../main/demo/random';
import { SCALES } from '../main/demo/scale';
import type { DemoStaff } from '../main/demo/users';
import { setQuiet } from '../main/lib/logger';
import { MODES, prepareStatistics, type StatisticsMode } from './statistics';

setQuiet(true);

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { dir: { type: 'string' }, fresh: { type: 'boolean', default: false }, runs: { type: 'string', default: '40' } },
});
const dataDir = values.dir ?? join(tmpdir(), 'welfare-desk-bench-city');
const RUNS = Number(values.runs);
const file = join(dataDir, DB_FILE_NAME);

function stats(ms: number[]): { median: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? 0;
  return { median: at(0.5), p95: at(0.95), max: s.at(-1) ?? 0 };
}
const fmt = (n: number) => n.toFixed(1).padStart(7);

async function staffFromDb(db: App['ctx']['db']): Promise<DemoStaff> {
  const users = await db.selectFrom('users').select(['id', 'role', 'team_id']).orderBy('id').execute();
  const staff: DemoStaff = { admins: [], supervisors: [], workers: [], teams: new Map() };
  for (const u of users) {
    if (u.role === 'admin') staff.admins.push(u.id);
    if (u.role === 'supervisor') staff.supervisors.push(u.id);
    if (u.role === 'worker') {
      staff.workers.push(u.id);
      if (u.team_id !== null) staff.teams.set(u.team_id, [...(staff.teams.get(u.team_id) ?? []), u.id]);
    }
  }
  return staff;
}

async function ensureDatabase(): Promise<void> {
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const existed = existsSync(file);
  const { handle: h } = await openDataFolder({ dataDir, maintainStatistics: false, onSlowQuery: () => undefined });
  try {
    if (!existed) {
      process.stdout.write(`seeding the city scale into ${file} ...\n`);
      const started = Date.now();
      await seedDemo(h.db, SCALES.city);
      process.stdout.write(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      return;
    }
    const cases = await h.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(cases.n) === 0) {
      process.stdout.write(`reusing ${file}; adding the demo cases ...\n`);
      const started = Date.now();
      await seedCases({ db: h.db, scale: SCALES.city, rng: new Rng(20261123), now: new Date(), staff: await staffFromDb(h.db) });
      process.stdout.write(`cases seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    } else {
      process.stdout.write(`reusing ${file}\n`);
    }
  } finally {
    await h.close();
  }
}

type Figures = Map<string, { median: number; p95: number; max: number }>;

/** Every call on one database state (see the header); the open-and-ready time under the label `open`. */
async function run(mode: StatisticsMode, first: boolean): Promise<Figures> {
  const figures: Figures = new Map();
  const statistics = mode === 'analyzed';

  // Open and be ready: migrations checked, settings read, handler table wired, first query answered.
  const opens: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const probe = await openApp({ dataDir, maintainStatistics: statistics });
    await probe.ctx.db.selectFrom('cases').select('id').limit(1).execute();
    opens.push(performance.now() - t0);
    await probe.close();
  }

  const app = await openApp({ dataDir, maintainStatistics: statistics });
  const db = app.ctx.db;
  const counts = await sql<{ households: number; cases: number; active: number; records: number; referrals: number; pending: number }>`
    select (select count(*) from households) as households, (select count(*) from cases) as cases,
      (select count(*) from cases where status not in ('已結案','不開案')) as active,
      (select count(*) from service_records) as records, (select count(*) from referrals) as referrals,
      (select count(*) from case_requests where state = 'pending') as pending`.execute(db);
  const c = counts.rows[0];
  if (first) {
    process.stdout.write(
      `\ncity database: ${c?.households} households, ${c?.cases} cases (${c?.active} active), ${c?.records} service records, ${c?.referrals} referrals, ${c?.pending} pending requests\n`,
    );
  }

  const users = await db.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'team_id']).execute();
  const busiest = await db
    .selectFrom('cases')
    .select(['lead_worker_id', (eb) => eb.fn.countAll<number>().as('n')])
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
  const token = async (u: typeof worker) =>
    (await app.ctx.sessions.create(app.ctx.db, { ...u, must_change_password: 0 }, { transport: 'test', source: 'test:bench' }, new Date())).token;
  const sessions = { worker: await token(worker), sup: await token(sup), admin: await token(admin) };
  const call = async (who: keyof typeof sessions, method: string, payload: unknown) => {
    const env = await app.dispatcher.dispatch({ method, payload, token: sessions[who], transport: 'test' });
    if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
    return env.value as Record<string, unknown>;
  };
  const mine = (await call('worker', 'worklists.myCaseload', { limit: 1 })) as { rows: { id: number; caseNo: string; headName: string | null }[]; total: number };
  const someCase = mine.rows[0];
  if (!someCase) throw new Error('the busiest worker has no case');
  const someHousehold = ((await call('worker', 'cases.get', { id: someCase.id })) as { householdId: number }).householdId;
  if (first) process.stdout.write(`worker ${worker.username}: ${mine.total} active cases; supervisor ${sup.username}; runs ${RUNS}\n\n`);

  const cases: [string, keyof typeof sessions, string, unknown][] = [
    ['my caseload (worker)', 'worker', 'worklists.myCaseload', {}],
    ['my caseload, search name (worker)', 'worker', 'worklists.myCaseload', { search: (someCase.headName ?? '').slice(0, 2), status: 'all' }],
    ['my caseload, sort last service', 'worker', 'worklists.myCaseload', { sort: 'last-service' }],
    ['team caseload (supervisor)', 'sup', 'worklists.teamCaseload', {}],
    ['team caseload, filter worker', 'sup', 'worklists.teamCaseload', { workerId: worker.id }],
    ['team caseload, filter status 處遇中', 'sup', 'worklists.teamCaseload', { status: '處遇中', sort: 'risk' }],
    ['team caseload, all statuses p.3', 'sup', 'worklists.teamCaseload', { status: 'all', offset: 100 }],
    ['team caseload, search name', 'sup', 'worklists.teamCaseload', { search: (someCase.headName ?? '').slice(0, 2), status: 'all' }],
    ['team caseload, search case number', 'sup', 'worklists.teamCaseload', { search: someCase.caseNo.slice(0, 8), status: 'all' }],
    ['team caseload, one team (admin)', 'admin', 'worklists.teamCaseload', { teamId: sup.team_id }],
    ['team caseload, all teams (admin)', 'admin', 'worklists.teamCaseload', {}],
    ['approvals inbox (supervisor)', 'sup', 'worklists.approvals', {}],
    ['approvals inbox (admin, all)', 'admin', 'worklists.approvals', {}],
    ['overdue follow-ups (worker)', 'worker', 'worklists.overdueFollowUps', {}],
    ['overdue follow-ups (supervisor)', 'sup', 'worklists.overdueFollowUps', {}],
    ['overdue follow-ups (admin, all)', 'admin', 'worklists.overdueFollowUps', {}],
    ['overdue concern visits (supervisor)', 'sup', 'worklists.overdueConcernVisits', {}],
    ['overdue concern visits (admin, all)', 'admin', 'worklists.overdueConcernVisits', {}],
    ['uncontacted 24 h (supervisor)', 'sup', 'worklists.uncontacted24h', {}],
    ['uncontacted 24 h (admin, all)', 'admin', 'worklists.uncontacted24h', {}],
    ['visit calendar (worker)', 'worker', 'worklists.visitCalendar', { weekStart: new Date(Date.now() - 3 * 86400_000).toISOString().slice(0, 10) }],
    ['case page (worker)', 'worker', 'cases.get', { id: someCase.id }],
    ['service records of a case', 'worker', 'records.list', { caseId: someCase.id }],
    ['service records of a household', 'worker', 'records.list', { householdId: someHousehold }],
    ['referrals of a household', 'worker', 'referrals.list', { householdId: someHousehold }],
  ];

  for (const [label, who, method, payload] of cases) {
    for (let i = 0; i < 3; i++) await call(who, method, payload);
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await call(who, method, payload);
      ms.push(performance.now() - t0);
    }
    figures.set(label, stats(ms));
  }
  figures.set('open', stats(opens));
  await app.close();
  return figures;
}

async function main(): Promise<void> {
  await ensureDatabase();
  const results = new Map<StatisticsMode, Figures>();
  for (const mode of MODES) {
    const prepared = await prepareStatistics(dataDir, mode);
    process.stdout.write(`statistics ${mode}: ${prepared.stored}${mode === 'analyzed' ? ` (open + PRAGMA optimize ${prepared.ms.toFixed(0)} ms)` : ''}\n`);
    results.set(mode, await run(mode, results.size === 0));
  }
  const none = results.get('none') as Figures;
  const analyzed = results.get('analyzed') as Figures;
  process.stdout.write(`\n${''.padEnd(40)}   no statistics: median / p95      analyzed: median / p95  (ms)\n`);
  for (const [label, a] of none) {
    if (label === 'open') continue;
    const b = analyzed.get(label);
    process.stdout.write(`${label.padEnd(40)}${fmt(a.median)} ${fmt(a.p95)}        ${fmt(b?.median ?? NaN)} ${fmt(b?.p95 ?? NaN)}\n`);
  }
  const oa = none.get('open');
  const ob = analyzed.get('open');
  process.stdout.write(
    `\nopen the database file and be ready: median ${oa?.median.toFixed(0)} / ${ob?.median.toFixed(0)} ms, max ${oa?.max.toFixed(0)} / ${ob?.max.toFixed(0)} ms (no statistics / analyzed; target < 1000 ms)\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
