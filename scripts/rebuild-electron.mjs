#!/usr/bin/env node
// Builds better-sqlite3-multiple-ciphers (SQLite with SQLCipher-compatible encryption) for Electron into build/electron-native/, apart from the
// Node build in node_modules that tests, the browser host and the CLI use.
// Needs Electron's headers, so it works only where they can be downloaded.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronPkg = join(root, 'node_modules', 'electron', 'package.json');
if (!existsSync(electronPkg)) {
  console.error('找不到 electron 套件，無法為 Electron 編譯 better-sqlite3-multiple-ciphers。');
  process.exit(1);
}
const electronVersion = JSON.parse(readFileSync(electronPkg, 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'wd-electron-native-'));
cpSync(join(root, 'node_modules', 'better-sqlite3-multiple-ciphers'), work, { recursive: true });
rmSync(join(work, 'build'), { recursive: true, force: true });
const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const r = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: work, stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`為 Electron ${electronVersion} 編譯 better-sqlite3-multiple-ciphers 失敗（需要能下載 Electron 的標頭檔）。`);
  process.exit(1);
}
mkdirSync(join(root, 'build', 'electron-native'), { recursive: true });
cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join(root, 'build', 'electron-native', 'better_sqlite3.node'));
rmSync(work, { recursive: true, force: true });
console.log('完成：build/electron-native/better_sqlite3.node');
