/**
 * Benchmark: start-up of the browser host to its first answered request (issue 13: SheetJS and ExcelJS were
 * loaded eagerly, ~430 ms of a 0.8 s start).
 *
 *   npx tsx bench/startup.ts --dir DATA_DIR [--root SOURCE_ROOT] [--runs 5] [--workers 0,3]
 *
 * Bundles the host and the pool worker of SOURCE_ROOT (default: this checkout; give another checkout, e.g. an
 * older commit extracted with `git archive`, to compare) with the same esbuild options as scripts/build.mjs into
 * SOURCE_ROOT/dist/bench-startup/, then per run spawns `node main.mjs --port 0 --data-dir DATA_DIR --workers N`
 * and times, from the spawn: the URL line printed (listening), and the first answered `api/settings.get`
 * (an envelope, here "not signed in", means the dispatcher answered; with workers, one of them). Also prints the
 * cost of loading xlsx and exceljs alone in a fresh node process, for scale. Not part of the test suite.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { projectRoot } from '../main/lib/root';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { dir: { type: 'string' }, root: { type: 'string' }, runs: { type: 'string', default: '5' }, workers: { type: 'string', default: '0,3' } },
});
if (!values.dir) throw new Error('--dir DATA_DIR is required (a seeded data folder)');
const DATA_DIR = resolve(values.dir);
const ROOT = resolve(values.root ?? projectRoot(import.meta.url));
const RUNS = Number(values.runs);
const OUT = join(ROOT, 'dist', 'bench-startup');

async function bundle(): Promise<void> {
  mkdirSync(join(OUT, 'static'), { recursive: true });
  writeFileSync(join(OUT, 'static', 'index.html'), '<!DOCTYPE html><title>bench</title>\n'); // the renderer is not under test
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    format: 'esm' as const,
    external: ['better-sqlite3-multiple-ciphers', 'electron', 'exceljs', 'xlsx', 'playwright-core'],
    logLevel: 'warning' as const,
    absWorkingDir: ROOT,
    banner: { js: "import { createRequire as __wdCreateRequire } from 'node:module';\nconst require = __wdCreateRequire(import.meta.url);" },
  };
  await Promise.all([
    build({ ...common, entryPoints: ['main/host/main.ts'], outfile: join(OUT, 'main.mjs') }),
    build({ ...common, entryPoints: ['main/api/pool-worker.ts'], outfile: join(OUT, 'pool-worker.mjs') }),
  ]);
}

function once(workers: number): Promise<{ listening: number; answered: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(OUT, 'main.mjs'), '--port', '0', '--data-dir', DATA_DIR, '--workers', String(workers), '--static', join(OUT, 'static')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WELFARE_DESK_DATA_DIR: '' },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolvePromise, reject) => {
    let done = false;
    child.once('exit', (code) => {
      if (!done) reject(new Error(`host exited ${code}:\n${out}\n${err.slice(-2000)}`));
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const u = /已啟動：(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (!u || done) return;
      done = true;
      const listening = performance.now() - t0;
      void (async () => {
        for (;;) {
          try {
            const res = await fetch(`${u[1]}api/settings.get`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
            const body = (await res.json()) as { ok?: boolean };
            if (typeof body.ok === 'boolean') break;
          } catch {
            await new Promise((r) => setTimeout(r, 5));
          }
        }
        const answered = performance.now() - t0;
        child.once('exit', () => resolvePromise({ listening, answered }));
        child.kill('SIGTERM');
      })();
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  await bundle();
  process.stdout.write(`source ${ROOT}, data ${DATA_DIR}, ${RUNS} runs\n`);
  for (const mod of ['xlsx', 'exceljs']) {
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = spawnSync(process.execPath, ['-e', `const t=performance.now();import('${mod}').then(()=>console.log(performance.now()-t))`], { cwd: ROOT, encoding: 'utf8' });
      ms.push(Number(r.stdout.trim()));
    }
    process.stdout.write(`load ${mod} alone: median ${median(ms).toFixed(0)} ms\n`);
  }
  for (const w of (values.workers ?? '0,3').split(',').map(Number)) {
    const runs: { listening: number; answered: number }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(w));
    process.stdout.write(
      `workers ${w}: listening median ${median(runs.map((r) => r.listening)).toFixed(0)} ms; first answered request median ${median(runs.map((r) => r.answered)).toFixed(0)} ms (runs ${runs.map((r) => r.answered.toFixed(0)).join(', ')})\n`,
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
