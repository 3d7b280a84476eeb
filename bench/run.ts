/**
 * `npm run bench`: lists the benchmarks and runs the one named, with its own options.
 *
 *   npm run bench                          the list (same as --help)
 *   npm run bench -- indicators [--dir DIR] [--runs 5]
 *   npm run bench -- quick [--dir DIR]     every quick one in turn (the ones that only read a seeded city database)
 *
 * Each benchmark is its own script in bench/ and runs in its own process (so one's caches and peak RSS do not
 * leak into the next); its options are passed through unchanged. Not part of the test suite.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Bench {
  name: string;
  file: string;
  /** Reads a seeded database only, in seconds to a minute or two: run by `quick`. */
  quick: boolean;
  what: string;
  usage: string;
}

const BENCHES: readonly Bench[] = [
  {
    name: 'indicators',
    file: 'indicators-sql.ts',
    quick: true,
    what: 'every registered indicator (and the named breakdowns, the cross-tabs) against the best single SQL statement; fails when a figure differs',
    usage: '[--dir DIR] [--runs 5] [--period 2026Q3] [--only ID,ID] [--no-stats]',
  },
  { name: 'reports', file: 'reports.ts', quick: false, what: 'the full quarterly report, indicators vs hand SQL, with and without planner statistics', usage: '[--dir DIR] [--fresh] [--runs 5] [--period 115Q3]' },
  { name: 'caseload', file: 'caseload.ts', quick: true, what: 'caseloads, approvals and worklists through the dispatcher', usage: '[--dir DIR] [--fresh] [--runs 40]' },
  { name: 'search', file: 'search-and-household.ts', quick: true, what: 'search by every query kind and the household page', usage: '[--dir DIR] [--fresh] [--runs 40]' },
  { name: 'foodbank', file: 'foodbank.ts', quick: false, what: 'stock on hand and real hand-outs (writes to the database)', usage: '[--dir DIR] [--fresh] [--runs 40]' },
  { name: 'audit-log', file: 'audit-log.ts', quick: false, what: 'the audit screen on a padded log (writes synthetic rows: use a copy)', usage: '--dir DIR [--rows 2000000] [--runs 15]' },
  { name: 'backup', file: 'backup.ts', quick: false, what: 'backup, verify and restore of a copied database', usage: '--from DATA_DIR [--pad-mb 1024]' },
  { name: 'responsiveness', file: 'responsiveness.ts', quick: false, what: 'trivial calls while the longest ones run (starts the built host)', usage: '--dir DATA_DIR [--seconds 45] [--workers 0,3]' },
  { name: 'imports-caseload', file: 'imports-caseload.ts', quick: false, what: 'a 50,000-row caseload import: read, dry run, commit, undo', usage: '[--rows 50000] [--dir DIR]' },
  { name: 'imports-read', file: 'imports-read.ts', quick: false, what: 'the import reader on big xlsx / CSV files', usage: '[--rows 50000] [--cols 15] [--keep DIR]' },
  { name: 'lists-and-monthly', file: 'lists-and-monthly.ts', quick: false, what: 'every worklist per role and the monthly report beside their best statements (bench/lists-and-monthly-sql.ts)', usage: '--dir DATA_DIR [--runs 15] [--month 2026-11]' },
  { name: 'practice', file: 'practice.ts', quick: false, what: 'issue 14: 訪視到期 / 再評估到期 per role and the household-page calls it added, beside existing calls', usage: '--dir DATA_DIR [--runs 15]' },
  { name: 'startup', file: 'startup.ts', quick: false, what: 'host start to its first answered request, with and without workers', usage: '--dir DATA_DIR [--root SOURCE_ROOT] [--runs 5] [--workers 0,3]' },
];

const HERE = dirname(fileURLToPath(import.meta.url));

function help(): string {
  const w = Math.max(...BENCHES.map((b) => b.name.length));
  const lines = [
    'usage: npm run bench -- <name> [options]   (or: npm run bench -- quick [options] for every quick one)',
    '',
    ...BENCHES.map((b) => `  ${b.name.padEnd(w)}  ${b.quick ? 'quick' : '     '}  ${b.what}\n  ${''.padEnd(w)}         npm run bench -- ${b.name} ${b.usage}`),
    '',
    'Each runs as `npx tsx bench/<file>` with the options given; see bench/README.md for the figures.',
  ];
  return `${lines.join('\n')}\n`;
}

function run(b: Bench, args: readonly string[]): number {
  const file = join(HERE, b.file);
  if (!existsSync(file)) {
    process.stderr.write(`bench/${b.file} is missing\n`);
    return 1;
  }
  process.stdout.write(`\n=== ${b.name} (bench/${b.file} ${args.join(' ')})\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { stdio: 'inherit' });
  if (r.error) process.stderr.write(`${r.error.message}\n`);
  return r.status ?? 1;
}

function main(argv: readonly string[]): number {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help' || name === 'list') {
    process.stdout.write(help());
    return 0;
  }
  if (name === 'quick' || name === 'all') {
    let worst = 0;
    for (const b of BENCHES.filter((x) => x.quick)) worst = Math.max(worst, run(b, rest));
    return worst;
  }
  const b = BENCHES.find((x) => x.name === name || x.file === name || x.file === `${name}.ts`);
  if (!b) {
    process.stderr.write(`no benchmark named ${name}\n\n${help()}`);
    return 2;
  }
  return run(b, rest);
}

process.exit(main(process.argv.slice(2)));
