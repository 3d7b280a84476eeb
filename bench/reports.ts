/**
 * Benchmark: the quarterly report and the indicator queries at the `city` demo
 * scale.
 *
 *   npx tsx bench/reports.ts [--dir DIR] [--fresh] [--runs 5] [--period 115Q3]
 *
 * The database: the data folder DIR (default <tmp>/welfare-desk-bench-reports).
 * When absent it is copied (database, keys) from the other benchmarks' city data
 * folder (<tmp>/welfare-desk-bench-city) if that exists, else seeded with
 * seedDemo(SCALES.city). `--fresh` always seeds anew. Opened as the app opens it
 * (encrypted, migrated). Nothing here writes to the shared database.
 *
 * Everything is measured twice in one run: without planner statistics, then after
 * the statistics the app gathers (PRAGMA optimize, bench/statistics.ts).
 *
 * Measures, as the median of --runs runs after one warm-up:
 * 1. a full quarter's report: the example central template (季報-範例.xlsx) with
 *    56 mapped cells (B10..H16, J10..J16) and the period line: mapping check,
 *    every figure, the fill (target < 2 s);
 * 2. each indicator's total for the quarter against one hand-written SQL
 *    statement on the raw tables computing the same figure (target ≤ 1.5x), with
 *    both values printed so a mismatch shows;
 * 3. some breakdowns, the monthly report and a cross-tab, for information.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DB_FILE_NAME, sqliteOf, type DatabaseHandle } from '../db/connection';
import { openDataFolder } from '../main/api/data-folder';
import { parseQuarter, quarterOf, quarterRange, todayIso, type QuarterNumber, type QuarterRange } from '../main/contract/roc-date';
import { seedDemo } from '../main/demo/index';
import { SCALES } from '../main/demo/scale';
import { setQuiet } from '../main/lib/logger';
import { buildCrosstab } from '../main/services/reports/crosstab';
import { bounds, getIndicator, type Dim } from '../main/services/reports/indicators';
import { buildMonthly } from '../main/services/reports/monthly';
import { generateReport } from '../main/services/reports/quarterly';
import { fingerprintCells } from '../main/services/reports/xlsx';
import { copyDataFolder, MODES, prepareStatistics, type StatisticsMode } from './statistics';

setQuiet(true);

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { dir: { type: 'string' }, fresh: { type: 'boolean', default: false }, runs: { type: 'string', default: '5' }, period: { type: 'string' } },
});
const dataDir = values.dir ?? join(tmpdir(), 'welfare-desk-bench-reports');
const SHARED = join(tmpdir(), 'welfare-desk-bench-city');
const RUNS = Math.max(1, Number(values.runs));
const file = join(dataDir, DB_FILE_NAME);
const TEMPLATE = fileURLToPath(new URL('../../shared/fixtures/templates/季報-範例.xlsx', import.meta.url));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function ensureDatabase(): Promise<void> {
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
  if (existsSync(file)) return;
  if (!values.fresh && existsSync(join(SHARED, DB_FILE_NAME))) {
    process.stdout.write(`copying the city data folder ${SHARED} …\n`);
    await copyDataFolder(SHARED, dataDir);
    return;
  }
  process.stdout.write('seeding the city scale with seedDemo (a few minutes) …\n');
  const { handle } = await openDataFolder({ dataDir, maintainStatistics: false });
  try {
    const t = await time(() => seedDemo(handle.db, SCALES.city));
    process.stdout.write(`seeded in ${(t.ms / 1000).toFixed(0)} s\n`);
  } finally {
    await handle.close();
  }
}

function latestFullQuarter(h: DatabaseHandle): QuarterRange {
  if (values.period) {
    const q = parseQuarter(values.period);
    if (!q) throw new Error(`bad --period ${values.period}`);
    return q;
  }
  const row = sqliteOf(h).prepare('select max(occurred_at) as last from service_records').get() as { last: string | null };
  const last = todayIso(new Date(row.last ?? Date.now()));
  const q = quarterOf(last);
  return q.quarter === 1 ? quarterRange(q.gregorianYear - 1, 4) : quarterRange(q.gregorianYear, (q.quarter - 1) as QuarterNumber);
}

/** One hand-written statement per indicator (SQLite), for the quarter's total. */
function handSql(q: QuarterRange): Record<string, { sql: string; params: unknown[]; rate?: boolean }> {
  const { fromTs, toTs } = bounds({ from: q.start, to: q.end });
  const f = q.start;
  const t = q.end;
  const onBooks = `c.received_at < @toTs and (c.closed_on is null or c.closed_on > @t)`;
  const active = `l.start_date <= @t and (l.end_date is null or l.end_date > @t)`;
  const p = [{ fromTs, toTs, f, t }];
  return {
    'cases.received': { sql: 'select count(*) as n from cases where received_at >= @fromTs and received_at < @toTs', params: p },
    'cases.dispatched': { sql: 'select count(*) as n from cases where dispatched_at >= @fromTs and dispatched_at < @toTs', params: p },
    'cases.opened': { sql: 'select count(*) as n from cases where opened_on between @f and @t', params: p },
    'cases.notOpened': { sql: "select count(*) as n from cases where status = '不開案' and closed_on between @f and @t", params: p },
    'cases.shortTerm': { sql: "select count(distinct case_id) as n from case_status_history where action = 'approve-short-term' and at >= @fromTs and at < @toTs", params: p },
    'cases.closed': { sql: "select count(*) as n from cases where status = '已結案' and closed_on between @f and @t", params: p },
    'cases.openAtEnd': { sql: 'select count(*) as n from cases where opened_on <= @t and (closed_on is null or closed_on > @t)', params: p },
    'cases.caseloadAtEnd': { sql: `select count(*) as n from cases c where ${onBooks}`, params: p },
    'cases.contact24h': {
      sql: 'select sum(first_contact_at is not null and julianday(first_contact_at) - julianday(dispatched_at) <= 1.0) as num, count(*) as den from cases where dispatched_at >= @fromTs and dispatched_at < @toTs',
      params: p,
      rate: true,
    },
    'cases.followUpOverdue': {
      sql: `select count(*) as n from cases c where ${onBooks} and (select x.next_follow_up from service_records x where x.case_id = c.id and x.occurred_at < @toTs order by x.occurred_at desc, x.id desc limit 1) < @t`,
      params: p,
    },
    'services.count': { sql: 'select count(*) as n from service_records where occurred_at >= @fromTs and occurred_at < @toTs', params: p },
    'services.participants': { sql: 'select count(*) as n from service_participants sp join service_records s on s.id = sp.service_id where s.occurred_at >= @fromTs and s.occurred_at < @toTs', params: p },
    'services.persons': { sql: 'select count(distinct sp.person_id) as n from service_participants sp join service_records s on s.id = sp.service_id where s.occurred_at >= @fromTs and s.occurred_at < @toTs', params: p },
    'services.households': { sql: 'select count(distinct household_id) as n from service_records where occurred_at >= @fromTs and occurred_at < @toTs', params: p },
    'services.consultations': { sql: `select count(*) as n from service_records where occurred_at >= @fromTs and occurred_at < @toTs and items like '%"福利諮詢"%'`, params: p },
    'referrals.count': { sql: 'select count(*) as n from referrals where referred_on between @f and @t', params: p },
    'concerns.active': { sql: `select count(distinct household_id) as n from long_term_concerns l where ${active}`, params: p },
    'concerns.visitedHouseholds': { sql: 'select count(distinct household_id) as n from service_records where concern_id is not null and occurred_at >= @fromTs and occurred_at < @toTs', params: p },
    'concerns.visits': { sql: 'select count(*) as n from service_records where concern_id is not null and occurred_at >= @fromTs and occurred_at < @toTs', params: p },
    'concerns.overdue': {
      // SQLite's date(..., '+1 month') rolls 01-31 over to 03-03 where the app clamps to 02-28: a rare difference.
      sql: `select count(*) as n from long_term_concerns l where ${active} and (case when exists (select 1 from service_records y where y.concern_id = l.id and y.occurred_at >= @toTs)
              then date(coalesce((select date(max(x.occurred_at), '+8 hours') from service_records x where x.concern_id = l.id and x.occurred_at < @toTs), l.start_date),
                        case l.frequency when 'monthly' then '+1 month' when 'bimonthly' then '+2 months' when 'quarterly' then '+3 months' when 'half-yearly' then '+6 months' else '+' || l.interval_days || ' days' end)
              else l.next_due end) < @t`,
      params: p,
    },
    'households.highBurden': {
      sql: `select count(*) as n from care_arrangements ca where ca.high_burden = 1 and (exists (select 1 from cases c where c.household_id = ca.household_id and ${onBooks}) or exists (select 1 from long_term_concerns l where l.household_id = ca.household_id and ${active}))`,
      params: p,
    },
    'persons.inCaseHouseholds': {
      sql: `select count(distinct m.person_id) as n from household_members m join cases c on c.household_id = m.household_id where ${onBooks} and m.joined_on <= @t and (m.left_on is null or m.left_on > @t)`,
      params: p,
    },
  };
}

interface Measured {
  full: number[];
  figures: string;
  indicators: Map<string, { lib: number; hand: number; lv: number | null; hv: number | null }>;
  info: Map<string, number>;
}

/** The report figures on one database state (see the header). */
async function measure(h: DatabaseHandle, q: QuarterRange, mode: StatisticsMode): Promise<Measured> {
  // 1. The full quarterly report.
  const bytes = new Uint8Array(readFileSync(TEMPLATE));
  const SHEET = '脆弱家庭服務';
  const cols: [string, string, Record<string, string>][] = [
    ['B', 'cases.received', {}],
    ['C', 'cases.opened', {}],
    ['D', 'cases.notOpened', {}],
    ['E', 'cases.closed', {}],
    ['F', 'cases.openAtEnd', {}],
    ['G', 'services.count', { method: '電訪家庭' }],
    ['H', 'services.count', { method: '面訪家庭' }],
    ['J', 'cases.contact24h', {}],
  ];
  const cells = [];
  for (let row = 10; row <= 16; row++) for (const [c, id, filters] of cols) cells.push({ sheet: SHEET, cell: `${c}${row}`, indicatorId: id, filters: { ...filters, ...(row > 10 ? { dimension: String(row - 10) } : {}) } });
  const fps = fingerprintCells(bytes, [{ sheet: SHEET, cell: 'A6' }, ...cells]);
  const def = {
    template: { bytes, sha256: '', fileName: '季報-範例.xlsx' },
    periodCell: { sheet: SHEET, cell: 'A6', fingerprint: fps[0] as (typeof fps)[number] },
    mappings: cells.map((c, i) => ({ ...c, fingerprint: fps[i + 1] as (typeof fps)[number] })),
  };
  await generateReport(h.db, def, q); // warm-up
  const full: number[] = [];
  let report: Awaited<ReturnType<typeof generateReport>> | null = null;
  for (let i = 0; i < RUNS; i++) {
    const t = await time(() => generateReport(h.db, def, q));
    full.push(t.ms);
    report = t.value;
  }
  const fig = (cell: string) => report?.figures.find((f) => f.cell === cell)?.value;
  process.stdout.write(`[${mode}] full quarterly report ${ms(median(full))}\n`);

  // 2. Each indicator vs one hand-written statement.
  const hand = handSql(q);
  const indicators: Measured['indicators'] = new Map();
  for (const [id, spec] of Object.entries(hand)) {
    const ind = getIndicator(id);
    if (!ind) continue;
    // Prepared on every run, as the library's statements are (Kysely's SQLite driver does not cache them).
    const runHand = () => sqliteOf(h).prepare(spec.sql).get(...spec.params) as { n?: number; num?: number; den?: number };
    const runLib = () => ind.compute(h.db, { period: { from: q.start, to: q.end } });
    await runLib();
    runHand();
    const lib: number[] = [];
    const raw: number[] = [];
    let lv: number | null = null;
    let hv: number | null = null;
    for (let i = 0; i < RUNS; i++) {
      // Alternate the order so neither side always runs on a warm cache.
      if (i % 2 === 0) {
        const a = await time(runLib);
        const b = await time(runHand);
        lib.push(a.ms);
        raw.push(b.ms);
        lv = a.value.total.value;
        const v = b.value;
        hv = spec.rate ? (v.den ? Math.round(((v.num ?? 0) / v.den) * 1000) / 10 : null) : (v.n ?? 0);
      } else {
        const b = await time(runHand);
        const a = await time(runLib);
        lib.push(a.ms);
        raw.push(b.ms);
      }
    }
    indicators.set(id, { lib: median(lib), hand: median(raw), lv, hv });
  }

  // 3. For information: breakdowns, the monthly report, a cross-tab.
  const info: [string, () => Promise<unknown>][] = [
    ['services.count by method × 面向', () => (getIndicator('services.count') as NonNullable<ReturnType<typeof getIndicator>>).compute(h.db, { period: { from: q.start, to: q.end }, breakdown: ['method', 'dimension'] as Dim[] })],
    ['cases.received by village × month × caseType', () => (getIndicator('cases.received') as NonNullable<ReturnType<typeof getIndicator>>).compute(h.db, { period: { from: q.start, to: q.end }, breakdown: ['village', 'month', 'caseType'] as Dim[] })],
    ['services.persons by ageBand × sex', () => (getIndicator('services.persons') as NonNullable<ReturnType<typeof getIndicator>>).compute(h.db, { period: { from: q.start, to: q.end }, breakdown: ['ageBand', 'sex'] as Dim[] })],
    ['monthly report, whole center (last month of the quarter)', () => buildMonthly(h.db, q.end.slice(0, 7), { teams: null, teamId: null }, new Date())],
    ['cross-tab cases.received village × 面向, suppressed < 3', () => buildCrosstab(h.db, { indicatorId: 'cases.received', breakdowns: ['village', 'dimension'], period: { from: q.start, to: q.end }, suppressBelow: 3 }, null)],
  ];
  const infoMs: Measured['info'] = new Map();
  for (const [label, fn] of info) {
    await fn();
    const xs: number[] = [];
    for (let i = 0; i < RUNS; i++) xs.push((await time(fn)).ms);
    infoMs.set(label, median(xs));
  }
  return { full, figures: ['B10', 'C10', 'D10', 'E10', 'F10', 'G10', 'H10', 'J10'].map(fig).join(', '), indicators, info: infoMs };
}

async function main(): Promise<void> {
  await ensureDatabase();
  const results = new Map<StatisticsMode, Measured>();
  for (const mode of MODES) {
    const prepared = await prepareStatistics(dataDir, mode);
    process.stdout.write(`statistics ${mode}: ${prepared.stored}${mode === 'analyzed' ? ` (open + PRAGMA optimize ${ms(prepared.ms)})` : ''}\n`);
    // Opened without maintenance: the statistics stay as prepared for the whole measurement.
    const { handle: h } = await openDataFolder({ dataDir, maintainStatistics: false, onSlowQuery: () => {} });
    try {
      const q = latestFullQuarter(h);
      if (results.size === 0) {
        const count = (t: string) => (sqliteOf(h).prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
        process.stdout.write(
          `database ${file}\n  households ${count('households')}, persons ${count('persons')}, cases ${count('cases')}, service records ${count('service_records')}, participants ${count('service_participants')}, referrals ${count('referrals')}, concerns ${count('long_term_concerns')}\n  quarter ${q.label} (${q.start}..${q.end}), ${RUNS} runs each, median\n\n`,
        );
      }
      results.set(mode, await measure(h, q, mode));
    } finally {
      await h.close();
    }
  }
  const none = results.get('none') as Measured;
  const analyzed = results.get('analyzed') as Measured;
  const cell = (n: number | undefined) => (n === undefined ? '' : n.toFixed(1)).padStart(11);

  process.stdout.write('\n                               no statistics   analyzed\n');
  process.stdout.write(`full quarterly report (56 cells)  ${cell(median(none.full))} ${cell(median(analyzed.full))}   target < 2000 ms\n`);
  process.stdout.write(`  runs: ${none.full.map((x) => x.toFixed(0)).join(', ')} / ${analyzed.full.map((x) => x.toFixed(0)).join(', ')}\n`);
  process.stdout.write(`  B10..H10, J10 = ${none.figures}${none.figures === analyzed.figures ? '' : ` ≠ ${analyzed.figures}`}\n\n`);

  process.stdout.write('indicator                   library: none   analyzed   hand SQL: none  analyzed   ratio (analyzed)   value (library / hand)\n');
  const ratios: number[] = [];
  for (const [id, a] of none.indicators) {
    const b = analyzed.indicators.get(id);
    if (!b) continue;
    const ratio = b.lib / Math.max(b.hand, 0.01);
    ratios.push(ratio);
    const flag = a.lv === a.hv && b.lv === b.hv && a.lv === b.lv ? '' : '  ≠';
    const slow = ratio > 1.5 ? '  > 1.5x' : '';
    process.stdout.write(`${id.padEnd(28)}${cell(a.lib)}${cell(b.lib)}${cell(a.hand)}${cell(b.hand)}${ratio.toFixed(2).padStart(12)}   ${b.lv} / ${b.hv}${flag}${slow}\n`);
  }
  process.stdout.write(`analyzed: worst ratio ${Math.max(...ratios).toFixed(2)}x, median ratio ${median(ratios).toFixed(2)}x (target ≤ 1.5x)\n\n`);

  process.stdout.write(`${'for information'.padEnd(58)}       none   analyzed  (ms)\n`);
  for (const [label, a] of none.info) process.stdout.write(`${label.padEnd(58)}${cell(a)}${cell(analyzed.info.get(label))}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
