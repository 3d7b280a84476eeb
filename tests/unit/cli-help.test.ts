/**
 * Every headless entry point answers --help / -h in zh-TW and exits 0, and refuses an unknown option
 * (or a missing required one) with a zh-TW message and its usage on stderr, exit code 2. The real
 * commands run as child processes (tsx), as an administrator would type them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = 'main/cli/index.ts';
// An empty data folder: nothing a command might open by mistake exists there.
const dataDir = mkdtempSync(join(tmpdir(), 'wd-cli-help-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function run(script: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [script, ...args], { cwd: ROOT, env: { ...process.env, WELFARE_DESK_DATA_DIR: dataDir, WELFARE_DESK_PASSPHRASE: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Commands (script + words before the options) and how their usage line starts. */
const COMMANDS: { name: string; script: string; words: string[]; usage: string; required?: string }[] = [
  { name: 'cli', script: CLI, words: [], usage: '用法：npm run cli -- <指令>' },
  { name: 'backup', script: CLI, words: ['backup'], usage: '用法：npm run cli -- backup --out <檔案>', required: '--out' },
  { name: 'restore', script: CLI, words: ['restore'], usage: '用法：npm run cli -- restore --file <備份檔>', required: '--file' },
  { name: 'verify-audit', script: CLI, words: ['verify-audit'], usage: '用法：npm run cli -- verify-audit [選項]' },
  { name: 'move-to-server', script: CLI, words: ['move-to-server'], usage: '用法：npm run cli -- move-to-server --from', required: '--from' },
  { name: 'server-backup', script: CLI, words: ['server-backup'], usage: '用法：npm run cli -- server-backup --config', required: '--config' },
  { name: 'server-restore', script: CLI, words: ['server-restore'], usage: '用法：npm run cli -- server-restore --config', required: '--config' },
  { name: 'report', script: CLI, words: ['report'], usage: '用法：npm run cli -- report <指令>' },
  { name: 'report generate', script: CLI, words: ['report', 'generate'], usage: '用法：npm run cli -- report generate --definition', required: '--definition' },
  { name: 'report monthly', script: CLI, words: ['report', 'monthly'], usage: '用法：npm run cli -- report monthly --month', required: '--month' },
  { name: 'seed:demo', script: 'main/cli/seed-demo.ts', words: [], usage: '用法：npm run seed:demo -- [選項]' },
  { name: 'serve', script: 'main/host/main.ts', words: [], usage: '用法：npm run serve -- [選項]' },
  { name: 'server', script: 'main/server/main.ts', words: [], usage: '用法：npm run server -- [選項]' },
];

/** What node:util parseArgs or a stack trace would print: never shown to the administrator. */
const ENGLISH = /Unknown option|Unexpected argument|argument missing|does not take an argument|ERR_PARSE_ARGS|TypeError|Error:|\bat .*\.ts:\d+/;

function expectZhUsage(text: string, usage: string) {
  expect(text).toContain(usage);
  expect(text).toContain('範例：');
  expect(text).not.toMatch(ENGLISH);
  // Every line of prose is Chinese: the lines without any CJK character are only commands, options and paths.
  for (const line of text.split('\n').filter((l) => /[A-Za-z]{3,}/.test(l) && !/[\u4e00-\u9fff]/.test(l))) {
    expect(line, `an English-only line: ${line}`).toMatch(/^\s*(npm run|-)/);
  }
}

/** Runs every case once, a few at a time: each is a tsx process and the machine may be shared. */
async function inBatches<T, R>(items: T[], size: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]!);
      }
    }),
  );
  return out;
}

const SHORT_H = new Set(['cli', 'report generate', 'serve']);
const MISSING = COMMANDS.filter((c) => c.name === 'backup' || c.name === 'report generate');
type Case = { key: string; script: string; args: string[] };
const CASES: Case[] = [
  ...COMMANDS.map((c) => ({ key: `help ${c.name}`, script: c.script, args: [...c.words, '--help'] })),
  ...COMMANDS.filter((c) => SHORT_H.has(c.name)).map((c) => ({ key: `h ${c.name}`, script: c.script, args: [...c.words, '-h'] })),
  ...COMMANDS.map((c) => ({ key: `unknown ${c.name}`, script: c.script, args: [...c.words, '--colour', 'blue'] })),
  ...MISSING.map((c) => ({ key: `missing ${c.name}`, script: c.script, args: c.words })),
  { key: 'no value', script: CLI, args: ['backup', '--out'] },
  { key: 'unknown command', script: CLI, args: ['bakup'] },
  { key: 'unknown sub', script: CLI, args: ['report', 'quarterly'] },
  { key: 'nothing', script: CLI, args: [] },
];
const results = new Map<string, Run>();

describe('--help, -h and bad options on every command', () => {
  beforeAll(async () => {
    const rs = await inBatches(CASES, 6, (c) => run(c.script, c.args));
    CASES.forEach((c, i) => results.set(c.key, rs[i]!));
  }, 900_000);
  const get = (key: string): Run => results.get(key)!;

  it('--help and -h print the zh-TW usage to stdout and exit 0', () => {
    for (const c of COMMANDS) {
      for (const key of [`help ${c.name}`, ...(SHORT_H.has(c.name) ? [`h ${c.name}`] : [])]) {
        const r = get(key);
        expect(r.code, `${key}: ${r.err}`).toBe(0);
        expect(r.err, key).toBe('');
        expectZhUsage(r.out, c.usage);
        if (c.name !== 'cli' && c.name !== 'report') expect(r.out).toContain('-h, --help');
      }
    }
  });

  it('an unknown option prints a zh-TW message and the usage to stderr and exits 2', () => {
    for (const c of COMMANDS) {
      const r = get(`unknown ${c.name}`);
      expect(r.code, `${c.name}: ${r.out}${r.err}`).toBe(2);
      expect(r.out, c.name).toBe('');
      expect(r.err.split('\n')[0]).toBe('未知的選項「--colour」。');
      expectZhUsage(r.err, c.usage);
    }
  });

  it('a missing required option, an option without its value and an unknown command are explained in zh-TW', () => {
    for (const c of MISSING) {
      const r = get(`missing ${c.name}`);
      expect(r.code, c.name).toBe(2);
      expect(r.err.split('\n')[0], c.name).toMatch(new RegExp(`^缺少必要的選項：.*${c.required}（`));
      expectZhUsage(r.err, c.usage);
    }
    expect(get('no value').code).toBe(2);
    expect(get('no value').err.split('\n')[0]).toBe('選項「--out」需要一個值（檔案）。');
    expect(get('unknown command').code).toBe(2);
    expect(get('unknown command').err.split('\n')[0]).toBe('未知的指令「bakup」。');
    expectZhUsage(get('unknown command').err, '用法：npm run cli -- <指令>');
    expect(get('unknown sub').code).toBe(2);
    expect(get('unknown sub').err.split('\n')[0]).toBe('未知的指令「quarterly」。');
    expect(get('nothing').code).toBe(2);
    expect(get('nothing').err).toContain('請指定指令。');
  });
});
