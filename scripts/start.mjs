#!/usr/bin/env node
// `npm start`: builds if needed, then opens the Electron app where its binary is
// installed; where it is not, says so in one line and serves the browser host.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './ensure-built.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
await ensureBuilt(root);

function electronBinary() {
  try {
    const require = createRequire(join(root, 'package.json'));
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const exe = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

const nativeForElectron = join(root, 'build', 'electron-native', 'better_sqlite3.node');
const exe = electronBinary();
if (exe && existsSync(nativeForElectron)) {
  const child = spawn(exe, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = exe
    ? '找不到為 Electron 編譯的 better-sqlite3-multiple-ciphers（請執行 npm run rebuild:electron）'
    : '此電腦沒有安裝 Electron 執行檔';
  console.log(`${why}，改以瀏覽器版啟動：請用瀏覽器開啟下方網址。`);
  const child = spawn(process.execPath, [join(root, 'dist', 'host', 'main.mjs'), ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
