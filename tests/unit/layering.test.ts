/**
 * The folder rules of ARCHITECTURE.md ("Folders and what they may import"), checked on the source text of
 * every file, so a new file that breaks them fails here as well as in ESLint. Also the rule of STYLE.md
 * that migrations are frozen in time: they import kysely and nothing of the application.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function sourceFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = join(abs, name);
    if (statSync(full).isDirectory()) return sourceFiles(join(dir, name));
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [join(dir, name)] : [];
  });
}

interface Import {
  file: string;
  spec: string;
  /** Repository-relative path with forward slashes for relative imports, else the bare specifier. */
  target: string;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Import[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = (m[1] ?? m[2]) as string;
    const target = spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)).split(sep).join('/') : spec;
    out.push({ file, spec, target });
  }
  return out;
}

const within = (target: string, folder: string) => target === folder || target.startsWith(`${folder}/`);
const isRelative = (i: Import) => i.spec.startsWith('.');
const describeAll = (bad: Import[]) => bad.map((i) => `${i.file}: ${i.spec}`);

describe('import layering', () => {
  it('finds the source files', () => {
    expect(sourceFiles('main/contract').length).toBeGreaterThan(5);
    expect(importsOf('main/api/dispatch.ts').map((i) => i.target)).toEqual(expect.arrayContaining(['zod', 'main/contract/api', 'db/connection']));
  });

  it('main/contract is pure: zod and its own files only', () => {
    const bad = sourceFiles('main/contract')
      .flatMap(importsOf)
      .filter((i) => (isRelative(i) ? !within(i.target, 'main/contract') : i.spec !== 'zod'));
    expect(describeAll(bad)).toEqual([]);
  });

  it('the renderer never imports electron, Node modules, db/ or the main process, only the contract', () => {
    const bad = sourceFiles('renderer')
      .flatMap(importsOf)
      .filter((i) => {
        if (i.spec === 'electron' || NODE_BUILTINS.has(i.spec)) return true;
        return isRelative(i) && !within(i.target, 'renderer') && !within(i.target, 'main/contract');
      });
    expect(describeAll(bad)).toEqual([]);
  });

  it('the preload imports electron and the contract only', () => {
    const bad = sourceFiles('preload')
      .flatMap(importsOf)
      .filter((i) => (isRelative(i) ? !within(i.target, 'main/contract') && !within(i.target, 'preload') : i.spec !== 'electron'));
    expect(describeAll(bad)).toEqual([]);
  });

  it('nothing outside main/electron and preload imports electron', () => {
    const bad = ['main/api', 'main/services', 'main/host', 'main/server', 'main/cli', 'main/demo', 'main/lib', 'main/contract', 'main/client', 'db']
      .flatMap(sourceFiles)
      .flatMap(importsOf)
      .filter((i) => i.spec === 'electron' || i.spec.startsWith('electron/'));
    expect(describeAll(bad)).toEqual([]);
  });

  it('services do not reach into the host or Electron adapters', () => {
    const bad = sourceFiles('main/services')
      .flatMap(importsOf)
      .filter((i) => within(i.target, 'main/host') || within(i.target, 'main/electron') || within(i.target, 'renderer'));
    expect(describeAll(bad)).toEqual([]);
  });

  it('the browser host and the center server go through the dispatcher: no services or db/ directly', () => {
    const bad = ['main/host', 'main/server']
      .flatMap(sourceFiles)
      .flatMap(importsOf)
      .filter((i) => within(i.target, 'main/services') || within(i.target, 'db') || within(i.target, 'main/electron'));
    expect(describeAll(bad)).toEqual([]);
  });

  it('db/ knows nothing of the API, services or Electron', () => {
    const bad = sourceFiles('db')
      .flatMap(importsOf)
      .filter((i) => isRelative(i) && !within(i.target, 'db'));
    expect(describeAll(bad)).toEqual([]);
  });

  it('migrations are frozen: kysely only, never the schema types or application code', () => {
    // index.ts lists them; forms.ts is the PostgreSQL forms plugin the migrator applies (db/ code, not a migration).
    const migrations = sourceFiles('db/migrations').filter((f) => !f.endsWith('/index.ts') && !f.endsWith('/forms.ts'));
    expect(migrations.length).toBeGreaterThanOrEqual(2);
    const bad = migrations.flatMap(importsOf).filter((i) => i.spec !== 'kysely');
    expect(describeAll(bad)).toEqual([]);
  });
});
