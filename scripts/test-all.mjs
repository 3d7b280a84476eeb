#!/usr/bin/env node
// `npm test`: everything CI runs, in order - typecheck, lint, unit tests (vitest),
// build, end-to-end tests (Playwright driving Debian's Chromium). Ends with one
// line "Tests: N passed, M failed" counting unit and end-to-end tests together.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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

const unitJson = join(artifacts, 'unit-results.json');
step('unit tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`]);
if (existsSync(unitJson)) {
  const r = JSON.parse(readFileSync(unitJson, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
}

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
console.log(`\nTests: ${passed} passed, ${failed} failed`);
process.exit(failures.length > 0 ? 1 : 0);
