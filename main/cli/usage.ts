/**
 * One way every headless entry point (`npm run cli -- …`, `npm run seed:demo`, `npm run serve`,
 * `npm run server`) reads its options and explains itself in zh-TW:
 *
 * - `--help` / `-h` anywhere prints the command's usage (what it does, each option, examples) to
 *   stdout; the caller exits 0;
 * - an unknown option, an option without its value, a value given to a switch, an extra argument or
 *   a missing required option prints a zh-TW message and the usage to stderr; the caller exits 2.
 *
 * node:util parseArgs runs non-strict with tokens, and the tokens are checked here, so none of its
 * English messages ("Unknown option '--help'") ever reaches the administrator.
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** What the option means, in zh-TW. */
  help: string;
  /** The value's placeholder in the usage, e.g. 檔案 (string options). */
  arg?: string;
  short?: string;
  multiple?: boolean;
  default?: string | boolean;
  required?: boolean;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** How it is typed, e.g. `npm run cli -- backup`. */
  command: string;
  /** What it does, in zh-TW (one or more sentences). */
  summary: string;
  options: O;
  examples: string[];
  /** Further remarks printed after the options. */
  notes?: string[];
}

export type CommandValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] : string;
};

export type ParseOutcome<O extends Record<string, OptionSpec>> = { ok: true; values: CommandValues<O> } | { ok: false; code: number };

export interface CliStreams {
  out(text: string): void;
  err(text: string): void;
}

export const processStreams: CliStreams = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

/** Exit code for a command line that could not be understood. */
export const USAGE_EXIT = 2;

/** Declares a command (keeps the options' literal types for the parsed values). */
export function defineCommand<const O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** Columns a string takes in a terminal: CJK and full-width characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function padTo(s: string, width: number): string {
  return s + ' '.repeat(Math.max(width - displayWidth(s), 0));
}

function optionLabel(name: string, o: OptionSpec): string {
  const long = `--${name}${o.type === 'string' ? ` <${o.arg ?? '值'}>` : ''}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

/** Rows of "label  explanation" aligned on the widest label. */
export function table(rows: [string, string][], indent = '  '): string {
  const width = Math.max(...rows.map(([l]) => displayWidth(l))) + 2;
  return rows.map(([l, h]) => `${indent}${padTo(l, width)}${h}`).join('\n');
}

export function formatUsage<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): string {
  const required = Object.entries(spec.options).filter(([, o]) => o.required);
  const synopsis = [spec.command, ...required.map(([n, o]) => optionLabel(n, o)), '[選項]'].join(' ');
  const rows: [string, string][] = Object.entries(spec.options).map(([n, o]) => {
    const extra = [o.multiple ? '可重複' : null, o.default !== undefined && o.default !== false ? `預設 ${String(o.default)}` : null].filter(Boolean);
    return [optionLabel(n, o), `${o.required ? '【必要】' : ''}${o.help}${extra.length ? `；${extra.join('，')}` : ''}`];
  });
  rows.push(['-h, --help', '顯示這段說明']);
  const parts = [`用法：${synopsis}`, '', spec.summary, '', '選項：', table(rows)];
  if (spec.notes?.length) parts.push('', ...spec.notes);
  parts.push('', '範例：', ...spec.examples.map((e) => `  ${e}`));
  return `${parts.join('\n')}\n`;
}

/** Prints a zh-TW problem and the usage to stderr; returns the exit code for it. */
export function usageError<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, message: string, io: CliStreams = processStreams): number {
  io.err(`${message}\n\n${formatUsage(spec)}`);
  return USAGE_EXIT;
}

/** True when the arguments ask for help (`--help`, `-h`, or `help` as the only word). */
export function wantsHelp(argv: string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h') || (argv.length === 1 && argv[0] === 'help');
}

/**
 * Reads `argv` against the command's options. On `--help` prints the usage (ok: false, code 0); on
 * anything it cannot take prints why and the usage to stderr (ok: false, code 2).
 */
export function parseCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, argv: string[], io: CliStreams = processStreams): ParseOutcome<O> {
  if (wantsHelp(argv)) {
    io.out(formatUsage(spec));
    return { ok: false, code: 0 };
  }
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries(spec.options)) options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  const { values, tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'positional') return { ok: false, code: usageError(spec, `無法辨識的參數「${t.value}」。`, io) };
    if (t.kind !== 'option') continue;
    const o = spec.options[t.name];
    if (!o) return { ok: false, code: usageError(spec, `未知的選項「${t.rawName}」。`, io) };
    if (o.type === 'boolean' && t.value !== undefined) return { ok: false, code: usageError(spec, `選項「${t.rawName}」不需要值（收到「${t.value}」）。`, io) };
    if (o.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-') && t.value.length > 1 && !/^-\d/.test(t.value)))) {
      return { ok: false, code: usageError(spec, `選項「${t.rawName}」需要一個值（${o.arg ?? '值'}）。`, io) };
    }
  }
  const out: Record<string, unknown> = { ...values };
  for (const [name, o] of Object.entries(spec.options)) {
    if (out[name] === undefined && o.default !== undefined) out[name] = o.default;
  }
  const missing = Object.entries(spec.options).filter(([n, o]) => o.required && (out[n] === undefined || out[n] === ''));
  if (missing.length > 0) {
    return { ok: false, code: usageError(spec, `缺少必要的選項：${missing.map(([n, o]) => `--${n}（${o.help}）`).join('、')}。`, io) };
  }
  return { ok: true, values: out as CommandValues<O> };
}

export interface CommandGroup {
  command: string;
  summary: string;
  /** name → what it does (the name may carry its main options for the overview). */
  commands: [string, string][];
  examples: string[];
  notes?: string[];
}

export function formatGroupUsage(group: CommandGroup): string {
  const parts = [`用法：${group.command} <指令> [選項]`, '', group.summary, '', '指令：', table(group.commands)];
  if (group.notes?.length) parts.push('', ...group.notes);
  parts.push('', '範例：', ...group.examples.map((e) => `  ${e}`));
  return `${parts.join('\n')}\n`;
}

/**
 * The first word of a command group's arguments: `{ run: name, rest }` for a command to run, or the
 * exit code after printing the group's usage (help: 0; nothing or an unknown word: 2, to stderr).
 */
export function pickCommand(group: CommandGroup, argv: string[], known: readonly string[], io: CliStreams = processStreams): { run: string; rest: string[] } | { code: number } {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(`請指定指令。\n\n${formatGroupUsage(group)}`);
    return { code: USAGE_EXIT };
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.out(formatGroupUsage(group));
    return { code: 0 };
  }
  if (!known.includes(first)) {
    io.err(`${first.startsWith('-') ? `未知的選項「${first}」` : `未知的指令「${first}」`}。\n\n${formatGroupUsage(group)}`);
    return { code: USAGE_EXIT };
  }
  return { run: first, rest };
}

/** Options most commands share. */
export const COMMON_OPTIONS = {
  'data-dir': { type: 'string', arg: '目錄', help: '資料目錄（預設為使用者的應用程式資料夾，或環境變數 WELFARE_DESK_DATA_DIR）' },
  'passphrase-file': { type: 'string', arg: '密語檔', help: '資料通行密語檔（或環境變數 WELFARE_DESK_PASSPHRASE；未提供時在主控台詢問）' },
} as const satisfies Record<string, OptionSpec>;
