#!/usr/bin/env node
// `npm run server -- --config FILE` (or flags): the center server, HTTPS on the configured address.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './ensure-built.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await ensureBuilt(root);
const child = spawn(process.execPath, [join(root, 'dist', 'server', 'main.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
