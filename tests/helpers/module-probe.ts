/**
 * Run in a child process (`node --import tsx tests/helpers/module-probe.ts MODULE... [-- then CALL]`): imports
 * the given project modules, then prints as JSON which of `xlsx` / `exceljs` got loaded, seen both through an
 * ESM resolve hook (every URL resolved) and in require.cache (CommonJS loads). With `--then-load` it then calls
 * the lazy loaders and reports again (the probe's own positive control). Used by tests/unit/lazy-sheets.test.ts.
 */
import { register } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type * as SheetLibraries from '../../main/lib/sheet-libraries';

const { port1, port2 } = new MessageChannel();
const resolved: string[] = [];
port1.on('message', (url: string) => resolved.push(url));
port1.unref();
register('./module-probe-hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });

const PACKAGES = ['xlsx', 'exceljs'] as const;
const requireHere = createRequire(import.meta.url);

async function settle(): Promise<void> {
  // The hook thread posts asynchronously: let its messages arrive.
  await new Promise((r) => setTimeout(r, 200));
}

function loaded(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const cjs = Object.keys(requireHere.cache);
  for (const p of PACKAGES) {
    const re = new RegExp(`[\\\\/]node_modules[\\\\/](${p}|@e965[\\\\/]xlsx)[\\\\/]`);
    const hits = [...resolved.filter((u) => re.test(u)), ...cjs.filter((f) => re.test(f))];
    out[p] = [...new Set(hits)];
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const thenLoad = args.includes('--then-load');
  const modules = args.filter((a) => !a.startsWith('--'));
  for (const m of modules) await import(pathToFileURL(resolvePath(m)).href);
  await settle();
  const before = loaded();
  let after: Record<string, string[]> | null = null;
  if (thenLoad) {
    const lib = (await import(pathToFileURL(resolvePath('main/lib/sheet-libraries.ts')).href)) as typeof SheetLibraries;
    lib.sheetJs();
    await lib.excelJs();
    await settle();
    after = loaded();
  }
  process.stdout.write(`${JSON.stringify({ modules, before, after, resolvedCount: resolved.length })}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
