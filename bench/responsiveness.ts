/**
 * Benchmark: does the longest call block everybody else?
 *
 *   npx tsx bench/responsiveness.ts --dir DATA_DIR [--seconds 45] [--workers 0,3] [--month 115-11] [--period 2026-07-01..2026-09-30]
 *
 * DATA_DIR is a seeded data folder (`npm run seed:demo -- --scale city --data-dir DIR`; `center` works too).
 * For each pool size in --workers (0 = the app on the host's own thread, as before the pool), starts the real
 * browser host (dist/host/main.mjs, built first if needed) on that folder and runs two HTTP clients at once:
 * - client A runs the suite's longest calls back to back: people served by age band × sex (`reports.crosstab`,
 *   services.persons) and the whole center's monthly report (`reports.monthly`), as 管理者;
 * - client B sends a trivial call (`settings.get`) every 20 ms, whether or not the last one answered, with its
 *   own session.
 * Prints, per pool size, B's p50 / p95 / max latency (all calls, and those sent while one of A's calls was
 * running), B's failed calls, and A's call times. Target: B under 50 ms while A's call runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../main/lib/root';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    dir: { type: 'string' },
    seconds: { type: 'string', default: '45' },
    workers: { type: 'string', default: '0,3' },
    month: { type: 'string' },
    period: { type: 'string' },
    user: { type: 'string', default: 'admin' },
    password: { type: 'string', default: 'demo1234' },
  },
});
if (!values.dir) {
  process.stderr.write('usage: npx tsx bench/responsiveness.ts --dir DATA_DIR [--seconds 45] [--workers 0,3]\n');
  process.exit(2);
}
const DATA_DIR = values.dir;
const SECONDS = Number(values.seconds);
const SIZES = (values.workers ?? '0,3').split(',').map(Number);
const ROOT = projectRoot(import.meta.url);
const INTERVAL_MS = 20;

/** The last full month and quarter before today, unless given. */
function defaultPeriods(): { month: string; period: { from: string; to: string } } {
  const d = new Date();
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1; // 1..12, the current month
  const lastMonth = m === 1 ? { y: y - 1, m: 12 } : { y, m: m - 1 };
  const month = `${lastMonth.y - 1911}-${String(lastMonth.m).padStart(2, '0')}`;
  const q = Math.floor((m - 1) / 3); // current quarter 0..3
  const lq = q === 0 ? { y: y - 1, q: 3 } : { y, q: q - 1 };
  const from = `${lq.y}-${String(lq.q * 3 + 1).padStart(2, '0')}-01`;
  const endMonth = lq.q * 3 + 3;
  const to = `${lq.y}-${String(endMonth).padStart(2, '0')}-${new Date(Date.UTC(lq.y, endMonth, 0)).getUTCDate()}`;
  return { month, period: { from, to } };
}
const defaults = defaultPeriods();
const MONTH = values.month ?? defaults.month;
const PERIOD = values.period ? { from: values.period.split('..')[0] as string, to: values.period.split('..')[1] as string } : defaults.period;

const LONG_CALLS: { label: string; method: string; payload: unknown }[] = [
  { label: 'age band × sex cross-tab', method: 'reports.crosstab', payload: { indicatorId: 'services.persons', breakdowns: ['ageBand', 'sex'], period: PERIOD } },
  { label: 'monthly report, whole center', method: 'reports.monthly', payload: { month: MONTH } },
];

interface Host {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function startHost(workers: number): Promise<Host> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'host', 'main.mjs'), '--port', '0', '--data-dir', DATA_DIR, '--workers', String(workers)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WELFARE_DESK_DATA_DIR: '' },
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 100_000) err = err.slice(-50_000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${out}\n${err.slice(-2000)}`)), 180_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const u = /已啟動：(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (u && out.includes('按 Ctrl+C 結束')) {
        clearTimeout(timer);
        resolve({
          url: u[1] as string,
          child,
          stop: () =>
            new Promise((r) => {
              child.once('exit', () => r());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`host exited ${code}:\n${out}\n${err.slice(-2000)}`)));
  });
}

async function post(url: string, method: string, payload: unknown, token: string | null): Promise<{ ok: boolean; value?: unknown; error?: string }> {
  const res = await fetch(`${url}api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { 'X-Welfare-Session': token } : {}) },
    body: JSON.stringify(payload),
  });
  const body = (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  return body.ok ? { ok: true, value: body.value } : { ok: false, error: `${res.status} ${body.error?.code ?? '?'}` };
}

async function signIn(url: string): Promise<string> {
  const r = await post(url, 'auth.login', { username: values.user, password: values.password }, null);
  if (!r.ok) throw new Error(`sign-in failed: ${r.error}`);
  return (r.value as { token: string }).token;
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};
const f = (n: number) => (Number.isNaN(n) ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(1));

interface Run {
  workers: number;
  /** B alone for a few seconds before A starts: what this machine gives a trivial call at all. */
  bAlone: number[];
  bAll: number[];
  bDuringA: number[];
  bFailed: number;
  bSent: number;
  failures: Record<string, number>;
  a: { label: string; ms: number; ok: boolean }[];
}

async function measure(workers: number): Promise<Run> {
  process.stdout.write(`\n== host with ${workers === 0 ? 'no workers (the app on the serving thread)' : `${workers} workers`} ==\n`);
  const host = await startHost(workers);
  try {
    const tokenA = await signIn(host.url);
    const tokenB = await signIn(host.url);
    // Warm-up: each long call once, one after the other (a failure here is reported, not fatal).
    for (const c of LONG_CALLS) {
      const t0 = performance.now();
      const r = await post(host.url, c.method, c.payload, tokenA).catch((e: unknown) => ({ ok: false, error: String(e) }));
      process.stdout.write(`  warm-up ${c.label}: ${r.ok ? 'ok' : r.error} in ${(performance.now() - t0).toFixed(0)} ms\n`);
    }

    const run: Run = { workers, bAlone: [], bAll: [], bDuringA: [], bFailed: 0, bSent: 0, failures: {}, a: [] };
    const aloneEnd = performance.now() + Math.min(10, SECONDS / 4) * 1000;
    while (performance.now() < aloneEnd) {
      const t0 = performance.now();
      const r = await post(host.url, 'settings.get', {}, tokenB);
      if (r.ok) run.bAlone.push(performance.now() - t0);
      await new Promise((res) => setTimeout(res, INTERVAL_MS));
    }
    let aRunning = 0;
    const end = performance.now() + SECONDS * 1000;

    const clientA = (async () => {
      for (let i = 0; performance.now() < end; i++) {
        const c = LONG_CALLS[i % LONG_CALLS.length] as (typeof LONG_CALLS)[number];
        const t0 = performance.now();
        aRunning++;
        let ok = false;
        try {
          ok = (await post(host.url, c.method, c.payload, tokenA)).ok;
        } catch {
          ok = false;
        } finally {
          aRunning--;
        }
        run.a.push({ label: c.label, ms: performance.now() - t0, ok });
      }
    })();

    const pendingB: Promise<void>[] = [];
    const clientB = (async () => {
      let next = performance.now();
      while (performance.now() < end) {
        const duringA = aRunning > 0;
        const t0 = performance.now();
        run.bSent++;
        pendingB.push(
          post(host.url, 'settings.get', {}, tokenB).then(
            (r) => {
              const ms = performance.now() - t0;
              if (!r.ok) {
                run.bFailed++;
                run.failures[r.error ?? '?'] = (run.failures[r.error ?? '?'] ?? 0) + 1;
                return;
              }
              run.bAll.push(ms);
              if (duringA) run.bDuringA.push(ms);
            },
            (e: unknown) => {
              run.bFailed++;
              const key = e instanceof Error ? ((e.cause as { code?: string } | undefined)?.code ?? e.message) : String(e);
              run.failures[key] = (run.failures[key] ?? 0) + 1;
            },
          ),
        );
        next += INTERVAL_MS;
        await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
      }
    })();

    await Promise.all([clientA, clientB]);
    await Promise.all(pendingB);
    return run;
  } finally {
    await host.stop();
  }
}

function report(runs: Run[]): string {
  const lines: string[] = [];
  lines.push(`data folder ${DATA_DIR}; ${SECONDS} s per run; B every ${INTERVAL_MS} ms; month ${MONTH}, period ${PERIOD.from}..${PERIOD.to}`);
  lines.push('');
  lines.push('| host | B alone p50 / p95, ms | B calls sent | B failed | B p50 / p95 / max (all), ms | B p50 / p95 / max while A runs, ms | A calls: ' + LONG_CALLS.map((c) => c.label).join(' / ') + ' (median ms) |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const r of runs) {
    const aMed = LONG_CALLS.map((c) => f(pct(r.a.filter((x) => x.label === c.label && x.ok).map((x) => x.ms), 50)));
    const aFailed = r.a.filter((x) => !x.ok).length;
    lines.push(
      `| ${r.workers === 0 ? 'in-process (0 workers)' : `pool, ${r.workers} workers`} | ${f(pct(r.bAlone, 50))} / ${f(pct(r.bAlone, 95))} | ${r.bSent} | ${r.bFailed}${Object.keys(r.failures).length ? ` (${Object.entries(r.failures).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''} | ${f(pct(r.bAll, 50))} / ${f(pct(r.bAll, 95))} / ${f(Math.max(...r.bAll))} | ${f(pct(r.bDuringA, 50))} / ${f(pct(r.bDuringA, 95))} / ${f(r.bDuringA.length ? Math.max(...r.bDuringA) : Number.NaN)} (${r.bDuringA.length} calls) | ${aMed.join(' / ')} (${r.a.length} calls${aFailed ? `, ${aFailed} failed` : ''}) |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { ensureBuilt } = (await import(join(ROOT, 'scripts', 'ensure-built.mjs'))) as { ensureBuilt(root: string): Promise<void> };
  await ensureBuilt(ROOT);
  const runs: Run[] = [];
  for (const n of SIZES) {
    const r = await measure(n);
    runs.push(r);
    process.stdout.write(`${report([r]).split('\n').slice(-1)[0]}\n`);
  }
  const text = report(runs);
  process.stdout.write(`\n${text}\n`);
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `responsiveness-${new Date().toISOString().replace(/[:.]/g, '-')}.md`), `${text}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
