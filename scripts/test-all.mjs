#!/usr/bin/env node
// `npm test`: everything CI runs, in order - typecheck, lint, unit tests (vitest) on
// SQLite and again on PostgreSQL (scripts/with-postgres.mjs), build, end-to-end tests
// (Playwright driving Debian's Chromium). Ends with one line "Tests: N passed, M failed"
// counting both unit runs and the end-to-end tests together, after one line per engine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(root, 'artifacts');
mkdirSync(artifacts, { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);
const skipE2e = process.argv.includes('--no-e2e');

let passed = 0;
let failed = 0;
const failures = [];

function step(name, cmd, args) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const ok = r.status === 0;
  console.log(`=== ${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s) ===`);
  if (!ok) failures.push(name);
  return ok;
}

step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
step('lint', bin('eslint'), ['.']);

const perEngine = [];
function unitRun(engine, jsonName, wrap) {
  const json = join(artifacts, jsonName);
  rmSync(json, { force: true });
  const started = Date.now();
  const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`];
  step(`unit tests (${engine})`, wrap ? process.execPath : bin('vitest'), wrap ? [join(root, 'scripts', 'with-postgres.mjs'), bin('vitest'), ...args] : args);
  const seconds = (Date.now() - started) / 1000;
  let p = 0;
  let f = 0;
  if (existsSync(json)) {
    const r = JSON.parse(readFileSync(json, 'utf8'));
    p = r.numPassedTests ?? 0;
    f = r.numFailedTests ?? 0;
  }
  passed += p;
  failed += f;
  perEngine.push(`Unit tests on ${engine}: ${p} passed, ${f} failed (${seconds.toFixed(0)} s)`);
}
unitRun('SQLite', 'unit-results.json', false);
unitRun('PostgreSQL', 'unit-results-postgres.json', true);

if (!skipE2e) {
  if (step('build', process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'])) {
    const e2eJson = join(artifacts, 'e2e-results.json');
    step('end-to-end tests', bin('playwright'), ['test']);
    if (existsSync(e2eJson)) {
      const r = JSON.parse(readFileSync(e2eJson, 'utf8'));
      passed += r.stats?.expected ?? 0;
      failed += (r.stats?.unexpected ?? 0) + (r.stats?.flaky ?? 0);
    }
  }
}

if (failures.length > 0) console.log(`\nFailed steps: ${failures.join(', ')}`);
// A failed step with no failed test (typecheck, lint, build) still fails the run.
if (failures.length > 0 && failed === 0) failed = 1;
console.log('');
for (const line of perEngine) console.log(line);
console.log(`Tests: ${passed} passed, ${failed} failed`);
process.exit(failures.length > 0 ? 1 : 0);
