/**
 * Benchmark (issue 13, item 8): every worklist per role and the monthly report (whole city and one team, and
 * each of its sections) at the `city` demo scale, each beside the best single SQL statement written for the same
 * answer (bench/lists-and-monthly-sql.ts), in the same run on the same database.
 *
 *   npx tsx bench/lists-and-monthly.ts --dir DATA_DIR [--runs 15] [--month 2026-11]
 *
 * DATA_DIR: a city demo (`npm run seed:demo -- --scale city --data-dir DATA_DIR`). Opened as the app opens it
 * (its statistics maintained). Worklist calls go through the real dispatcher (zod, role gate, scope) as the worker
 * with the most active cases, that worker's supervisor, and admin. The statements run on the raw SQLite handle,
 * prepared on every run as the library's are. Prints median ms per row, the statement's median and the ratio,
 * and the row counts of both so a disagreement shows. Not part of the test suite.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sqliteOf } from '../db/connection';
import { openApp } from '../main/api/app';
import { setQuiet } from '../main/lib/logger';
import { buildMonthly } from '../main/services/reports/monthly';
import { MONTHLY_SECTIONS, type MonthlyContext } from '../main/services/reports/monthly-sections';
import { getIndicator } from '../main/services/reports/indicators/registry';
import type { Dim } from '../main/services/reports/indicators/types';
import { monthlyStatements, worklistStatements, type Statement } from './lists-and-monthly-sql';

setQuiet(true);

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { dir: { type: 'string' }, runs: { type: 'string', default: '15' }, month: { type: 'string' } },
});
if (!values.dir) throw new Error('--dir DATA_DIR is required');
const RUNS = Number(values.runs);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;
async function timed(fn: () => unknown, runs = RUNS): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
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
  const sqlite = sqliteOf(app.database);
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
  if (!worker || !sup || !admin || sup.team_id === null) throw new Error('demo users missing');
  const token = async (u: typeof worker) => (await app.ctx.sessions.create(db, { ...u, must_change_password: 0 }, { transport: 'test', source: 'test:bench' }, new Date())).token;
  const sessions = { worker: await token(worker), sup: await token(sup), admin: await token(admin) };
  const call = async (who: keyof typeof sessions, method: string, payload: unknown) => {
    const env = await app.dispatcher.dispatch({ method, payload, token: sessions[who], transport: 'test' });
    if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
    return env.value as { total?: number; rows?: unknown[] } | unknown[];
  };
  const now = app.ctx.now();
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const lastRecord = (sqlite.prepare('select max(occurred_at) as d from service_records').get() as { d: string }).d;
  const month = values.month ?? (() => {
    const d = new Date(`${lastRecord.slice(0, 7)}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - 1);
    return d.toISOString().slice(0, 7);
  })();
  const counts = sqlite
    .prepare(
      "select (select count(*) from persons) p, (select count(*) from cases) c, (select count(*) from cases where status not in ('已結案','不開案')) a, (select count(*) from service_records) s, (select count(*) from long_term_concerns where end_date is null) l",
    )
    .get() as Record<string, number>;
  process.stdout.write(
    `database ${join(values.dir as string)}: ${counts.p} persons, ${counts.c} cases (${counts.a} active), ${counts.s} service records, ${counts.l} active concerns\n` +
      `today ${today}; month ${month}; worker ${worker.username} (${busiest.n} active cases), supervisor ${sup.username} (team ${sup.team_id}); ${RUNS} runs, median ms\n\n`,
  );

  const size = (v: unknown): string => {
    if (Array.isArray(v)) return String(v.length);
    const o = v as { total?: number; rows?: unknown[] };
    return o.total !== undefined ? String(o.total) : String(o.rows?.length ?? '?');
  };
  const ctxOf = { workerId: worker.id, teamId: sup.team_id, today, nowIso: now.toISOString() };
  const statements = worklistStatements(ctxOf);
  const weekStart = today;
  const lists: [string, keyof typeof sessions, string, unknown, string | null][] = [
    ['my caseload (worker)', 'worker', 'worklists.myCaseload', {}, 'myCaseload'],
    ['team caseload (supervisor)', 'sup', 'worklists.teamCaseload', {}, 'teamCaseload'],
    ['team caseload, all teams (admin)', 'admin', 'worklists.teamCaseload', {}, 'teamCaseloadAll'],
    ['approvals (supervisor)', 'sup', 'worklists.approvals', {}, 'approvals'],
    ['approvals (admin, all)', 'admin', 'worklists.approvals', {}, 'approvalsAll'],
    ['overdue follow-ups (worker)', 'worker', 'worklists.overdueFollowUps', {}, 'overdueWorker'],
    ['overdue follow-ups (supervisor)', 'sup', 'worklists.overdueFollowUps', {}, 'overdueTeam'],
    ['overdue follow-ups (admin, city)', 'admin', 'worklists.overdueFollowUps', {}, 'overdueAll'],
    ['overdue concern visits (worker)', 'worker', 'worklists.overdueConcernVisits', {}, 'concernsWorker'],
    ['overdue concern visits (supervisor)', 'sup', 'worklists.overdueConcernVisits', {}, 'concernsTeam'],
    ['overdue concern visits (admin, city)', 'admin', 'worklists.overdueConcernVisits', {}, 'concernsAll'],
    ['uncontacted 24 h (worker)', 'worker', 'worklists.uncontacted24h', {}, null],
    ['uncontacted 24 h (supervisor)', 'sup', 'worklists.uncontacted24h', {}, 'uncontactedTeam'],
    ['uncontacted 24 h (admin, city)', 'admin', 'worklists.uncontacted24h', {}, 'uncontactedAll'],
    ['visit calendar, one week (worker)', 'worker', 'worklists.visitCalendar', { weekStart }, null],
  ];
  const runStatement = (s: Statement) => {
    const st = sqlite.prepare(s.sql);
    return st.all(...s.params);
  };
  process.stdout.write(`${'worklist'.padEnd(40)}    call   best SQL   ratio   rows (call / SQL)\n`);
  for (const [label, who, method, payload, key] of lists) {
    const callMs = await timed(() => call(who, method, payload));
    const n = size(await call(who, method, payload));
    const s = key ? statements[key] : undefined;
    const sqlMs = s ? await timed(() => runStatement(s)) : Number.NaN;
    const sqlN = s ? (s.count ? s.count(runStatement(s)) : String(runStatement(s).length)) : '';
    process.stdout.write(`${label.padEnd(40)}${f1(callMs)}${f1(sqlMs)}${f1(callMs / sqlMs)}   ${n}${sqlN ? ` / ${sqlN}` : ''}\n`);
  }

  // The monthly report: whole city and one team, then each section alone.
  const monthRuns = Math.max(3, Math.min(RUNS, 5));
  process.stdout.write(`\nmonthly report ${month} (${monthRuns} runs)\n`);
  const whole = await timed(() => buildMonthly(db, month, { teams: null, teamId: null }, now), monthRuns);
  const team = await timed(() => buildMonthly(db, month, { teams: [sup.team_id as number], teamId: sup.team_id }, now), monthRuns);
  const viaApi = await timed(() => call('sup', 'reports.monthly', { month }), monthRuns);
  process.stdout.write(`${'whole city (buildMonthly)'.padEnd(40)}${f1(whole)}\n${'one team (buildMonthly)'.padEnd(40)}${f1(team)}\n${'one team, reports.monthly as supervisor'.padEnd(40)}${f1(viaApi)}\n`);
  const from = `${month}-01`;
  const to = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const mstat = monthlyStatements({ from, to });
  for (const [scopeLabel, teams] of [['whole city', null], ['one team', [sup.team_id as number]]] as const) {
    const staff = await db
      .selectFrom('users')
      .select(['id', 'display_name', 'role'])
      .where('role', 'in', ['worker', 'supervisor'])
      .where('disabled_at', 'is', null)
      .$if(teams !== null, (q) => q.where('team_id', 'in', teams ?? []))
      .execute();
    const ctx: MonthlyContext = {
      db,
      period: { from, to },
      teams: teams ? [...teams] : null,
      staff: staff.map((u) => ({ id: u.id, name: u.display_name, supervisor: u.role === 'supervisor' })),
      compute: (id: string, breakdown: Dim[] = []) => (getIndicator(id) as NonNullable<ReturnType<typeof getIndicator>>).compute(db, { period: { from, to }, breakdown, teams: teams ? [...teams] : null }),
    };
    process.stdout.write(`\nsections, ${scopeLabel}\n`);
    for (const section of MONTHLY_SECTIONS) {
      const ms = await timed(() => section.build(ctx), monthRuns);
      process.stdout.write(`  ${section.id.padEnd(38)}${f1(ms)}\n`);
    }
    const indicatorIds = ['childAccounts.eligible', 'childAccounts.openingRate', 'cases.caseloadAtEnd', 'cases.followUpOverdue', 'services.participants', 'services.consultations'];
    for (const id of indicatorIds) {
      const ms = await timed(() => ctx.compute(id), monthRuns);
      const s = mstat[id];
      const t = teams ? teams[0] : undefined;
      const st = s ? s(t) : undefined;
      const sqlMs = st ? await timed(() => runStatement(st), monthRuns) : Number.NaN;
      const value = (await ctx.compute(id)).total;
      const sqlValue = st ? JSON.stringify(runStatement(st)[0]) : '';
      process.stdout.write(`  ${`indicator ${id}`.padEnd(38)}${f1(ms)}${f1(sqlMs)}${f1(ms / sqlMs)}   ${value.value}${value.denominator !== undefined ? `/${value.denominator}` : ''} ${sqlValue}\n`);
    }
  }
  await app.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
