/**
 * The migration list itself: frozen names in date order, each with its own test file, and a fresh
 * database migrates through all of them.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';

const NAMES = Object.keys(MIGRATIONS);

describe('db/migrations/index.ts', () => {
  it('lists migrations named YYYY-MM-DD-NNNN-name, in order, numbered without gaps', () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(2);
    for (const name of NAMES) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}-\d{4}-[a-z0-9-]+$/);
    expect([...NAMES].sort()).toEqual(NAMES);
    expect(NAMES.map((n) => Number(n.slice(11, 15)))).toEqual(NAMES.map((_, i) => i + 1));
    for (const m of Object.values(MIGRATIONS)) expect(typeof m.up).toBe('function');
  });

  it.each(NAMES)('%s has its own test file', (name) => {
    expect(existsSync(join(__dirname, `${name}.test.ts`)), `tests/unit/migrations/${name}.test.ts`).toBe(true);
  });

  it('a fresh database migrates through all of them, and a second run applies nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-mig-all-'));
    try {
      const h = openDatabase(join(dir, 'test.db'));
      expect(await migrateToLatest(h.db)).toEqual(NAMES);
      expect(await migrateToLatest(h.db)).toEqual([]);
      expect(h.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(h.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(h.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(h.sqlite.pragma('foreign_key_check')).toEqual([]);
      await h.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
