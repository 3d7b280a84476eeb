/**
 * The folder rules of ARCHITECTURE.md ("Folders and what they may import"), checked on the source text of
 * every file, so a new file that breaks them fails here as well as in ESLint. Also the rule of STYLE.md
 * that migrations are frozen in time: they import kysely and nothing of the application.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

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
  // Comments may show example imports (a usage note in a JSDoc block): they are not imports.
  const text = readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
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

describe('ESLint enforces the layering and refuses import cycles (eslint.config.js)', () => {
  // Planted files inside the real folders, so the real config applies to them; removed afterwards.
  const dir = join(ROOT, 'renderer', `__lint_probe_${process.pid}`);
  const svc = join(ROOT, 'main', 'services', `__lint_probe_${process.pid}`);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(svc, { recursive: true, force: true });
  });
  const eslint = new ESLint({ cwd: ROOT });
  const errorsOf = async (files: string[]) =>
    (await eslint.lintFiles(files)).flatMap((r) => r.messages.map((m) => `${relative(dir, r.filePath)}:${m.line} ${m.ruleId ?? ''}`));

  it('refuses kysely, a database driver, a Node module and the services in the renderer; allows the contract and xlsx', async () => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'probe.ts');
    writeFileSync(
      file,
      [
        "import { sql } from 'kysely';",
        "import Database from 'better-sqlite3-multiple-ciphers';",
        "import { readFileSync } from 'node:fs';",
        "import { listCases } from '../../main/services/cases/service';",
        "import { api } from '../../main/contract/api';",
        "import { utils } from 'xlsx';",
        'export const all = [sql, Database, readFileSync, listCases, api, utils];',
        '',
      ].join('\n'),
    );
    const errors = await errorsOf([file]);
    expect(errors).toEqual(['probe.ts:1 no-restricted-imports', 'probe.ts:2 no-restricted-imports', 'probe.ts:3 no-restricted-imports', 'probe.ts:4 no-restricted-imports']);
  }, 60_000);

  it('finds a two-file cycle of extensionless TypeScript imports', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cycleA.ts'), "import { b } from './cycleB';\nexport const a = (): number => b() + 1;\n");
    writeFileSync(join(dir, 'cycleB.tsx'), "import { a } from './cycleA';\nexport const b = (): number => a() - 1;\n");
    const errors = await errorsOf([join(dir, 'cycleA.ts'), join(dir, 'cycleB.tsx')]);
    expect(errors).toEqual(['cycleA.ts:1 import-x/no-cycle', 'cycleB.tsx:1 import-x/no-cycle']);
  }, 60_000);

  it('refuses a service importing the dispatcher or the host at run time (a type-only import is erased and allowed)', async () => {
    mkdirSync(svc, { recursive: true });
    const file = join(svc, 'probe.ts');
    writeFileSync(
      file,
      [
        "import type { HandlerTable } from '../../api/registry';",
        "import { dispatch } from '../../api/dispatch';",
        "import { startHost } from '../../host/host';",
        'export const all: [unknown, unknown, HandlerTable | null] = [dispatch, startHost, null];',
        '',
      ].join('\n'),
    );
    const errors = (await eslint.lintFiles([file])).flatMap((r) => r.messages.map((m) => `${m.line} ${m.ruleId ?? ''}`));
    expect(errors).toEqual(['2 @typescript-eslint/no-restricted-imports', '3 @typescript-eslint/no-restricted-imports']);
  }, 60_000);
});
