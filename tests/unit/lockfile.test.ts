/**
 * `npm ci` installs exactly what package-lock.json lists and refuses a lock file that lacks a package the
 * dependency tree asks for, including another platform's optional package (rollup's and esbuild's native
 * builds for Windows, macOS, ...). A lock file written on one machine with some npm settings can silently
 * leave those out, and then a developer on another OS cannot install. This walks the lock file the way npm
 * resolves it (nearest node_modules folder upwards) and lists every requested package it cannot find.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

interface LockEntry {
  version?: string;
  link?: boolean;
  resolved?: string;
  integrity?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
interface Lock {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** The lock path npm would install `name` at when `from` (a lock path, '' for the root) requires it. */
function resolveFrom(packages: Lock['packages'], from: string, name: string): string | null {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return null;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/** Every (requester, package) pair the lock file's own tree asks for but does not contain. */
function missingFromLock(lock: Lock): { from: string; name: string; optional: boolean }[] {
  const missing: { from: string; name: string; optional: boolean }[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (entry.link) continue;
    const wanted: [string, boolean][] = [
      ...Object.keys(entry.dependencies ?? {}).map((n): [string, boolean] => [n, false]),
      ...Object.keys(entry.optionalDependencies ?? {}).map((n): [string, boolean] => [n, true]),
      // Only the root's devDependencies are installed.
      ...(path === '' ? Object.keys(entry.devDependencies ?? {}).map((n): [string, boolean] => [n, false]) : []),
    ];
    for (const [name, optional] of wanted) {
      if (!resolveFrom(lock.packages, path, name)) missing.push({ from: path || '(root)', name, optional });
    }
  }
  return missing;
}

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;

describe('package-lock.json', () => {
  it('lists every package the dependency tree asks for, on every operating system (npm ci needs it)', () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    expect(missingFromLock(lock)).toEqual([]);
  });

  it('holds the other platforms\' native builds of rollup and esbuild, not only this machine\'s', () => {
    const platforms = (prefix: string) =>
      Object.entries(lock.packages)
        .filter(([p]) => p.startsWith(prefix))
        .flatMap(([, e]) => e.os ?? []);
    for (const prefix of ['node_modules/@rollup/rollup-', 'node_modules/@esbuild/']) {
      for (const os of ['win32', 'darwin', 'linux']) expect(platforms(prefix)).toContain(os);
    }
  });

  it('records downloads the same way for every package: a resolved address for all or for none', () => {
    const entries = Object.entries(lock.packages).filter(([p, e]) => p !== '' && !e.link);
    const withResolved = entries.filter(([, e]) => e.resolved !== undefined).length;
    expect([0, entries.length]).toContain(withResolved);
    // Every downloaded package is pinned by its checksum.
    expect(entries.filter(([, e]) => !e.integrity).map(([p]) => p)).toEqual([]);
  });

  it('finds a package that is missing (the check itself works)', () => {
    const broken: Lock = {
      lockfileVersion: 3,
      packages: {
        '': { devDependencies: { vite: '1' } },
        'node_modules/vite': { version: '1', dependencies: { rollup: '4' } },
        'node_modules/vite/node_modules/rollup': { version: '4', optionalDependencies: { '@rollup/rollup-win32-x64-msvc': '4', '@rollup/rollup-linux-x64-gnu': '4' } },
        'node_modules/@rollup/rollup-linux-x64-gnu': { version: '4', os: ['linux'] },
      },
    };
    expect(missingFromLock(broken)).toEqual([{ from: 'node_modules/vite/node_modules/rollup', name: '@rollup/rollup-win32-x64-msvc', optional: true }]);
  });
});
