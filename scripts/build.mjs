#!/usr/bin/env node
// Builds everything the app runs from: the renderer (Vite) and the Node entry
// points (esbuild): the browser host, the center server, the CLI, Electron's main process and preload.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');

// Native and heavy modules stay in node_modules; Electron's own module is provided at run time.
const external = ['better-sqlite3-multiple-ciphers', 'electron', 'exceljs', 'xlsx', 'playwright-core'];

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  external,
  logLevel: quiet ? 'warning' : 'info',
  absWorkingDir: root,
};

// ESM bundles need require() for CommonJS dependencies and a real __dirname.
const esmBanner = {
  js: [
    "import { createRequire as __wdCreateRequire } from 'node:module';",
    'const require = __wdCreateRequire(import.meta.url);',
  ].join('\n'),
};

await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });

await Promise.all([
  esbuild({ ...nodeCommon, entryPoints: ['main/host/main.ts'], outfile: 'dist/host/main.mjs', format: 'esm', banner: esmBanner }),
  esbuild({ ...nodeCommon, entryPoints: ['main/server/main.ts'], outfile: 'dist/server/main.mjs', format: 'esm', banner: esmBanner }),
  esbuild({ ...nodeCommon, entryPoints: ['main/cli/index.ts'], outfile: 'dist/cli/index.mjs', format: 'esm', banner: esmBanner }),
  // The app pool's worker thread (main/api/pool.ts loads it from beside its own bundle), for the host and Electron.
  esbuild({ ...nodeCommon, entryPoints: ['main/api/pool-worker.ts'], outfile: 'dist/host/pool-worker.mjs', format: 'esm', banner: esmBanner }),
  esbuild({ ...nodeCommon, entryPoints: ['main/api/pool-worker.ts'], outfile: 'dist/main/electron/pool-worker.mjs', format: 'esm', banner: esmBanner }),
  // Electron's main process and the sandboxed preload are CommonJS.
  esbuild({ ...nodeCommon, entryPoints: ['main/electron/main.ts'], outfile: 'dist/main/electron/main.cjs', format: 'cjs', define: { 'import.meta.url': '__importMetaUrl' }, banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" } }),
  esbuild({ ...nodeCommon, entryPoints: ['preload/preload.ts'], outfile: 'dist/preload/preload.cjs', format: 'cjs', external: ['electron'] }),
]);
if (!quiet) console.log('build: done');
