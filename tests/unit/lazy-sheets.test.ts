/**
 * Start-up does not load SheetJS (xlsx) or ExcelJS (issue 13: ~430 ms of a 0.8 s start): the API, its handler
 * table, the pool worker's module and the host load neither; the features using them load them on first use
 * (main/lib/sheet-libraries.ts). Each probe runs in a fresh Node process (tests/helpers/module-probe.ts), where an
 * ESM resolve hook and require.cache show what was loaded; the probe's positive control loads both and must see them.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../main/lib/root';

interface Probe {
  before: Record<string, string[]>;
  after: Record<string, string[]> | null;
  resolvedCount: number;
}

function probe(modules: string[], thenLoad = false): Probe {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'tests/helpers/module-probe.ts', ...modules, ...(thenLoad ? ['--then-load'] : [])], {
    encoding: 'utf8',
    cwd: projectRoot(),
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`probe failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Probe;
}

describe('xlsx and exceljs are loaded on first use, not at start-up', () => {
  it('the API, its handlers, the host and the server load neither; the lazy loaders do (positive control)', () => {
    const p = probe(['main/api/app.ts', 'main/api/handlers.ts', 'main/api/pool.ts', 'main/host/server.ts', 'main/server/app.ts'], true);
    expect(p.resolvedCount).toBeGreaterThan(50); // the hook did see the app's modules
    expect(p.before).toEqual({ xlsx: [], exceljs: [] });
    expect(p.after?.xlsx?.length).toBeGreaterThan(0);
    expect(p.after?.exceljs?.length).toBeGreaterThan(0);
  }, 180_000);

  it('the probe sees a static import of either package (it can fail)', () => {
    // The imports reader's types-only import is erased; a module with a real static import is seen.
    const p = probe(['tests/helpers/module-probe-eager.ts']);
    expect(p.before.xlsx?.length).toBeGreaterThan(0);
    expect(p.before.exceljs?.length).toBeGreaterThan(0);
  }, 180_000);
});
