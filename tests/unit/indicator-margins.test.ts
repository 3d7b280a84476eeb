/**
 * A cross-tab's margins come from the same computation as its cells (ComputeInput.margins, issue 13 §8):
 * on the hand-counted center of reports-fixture.ts, for every engine indicator and every pair of its
 * allowed dimensions (person attributes joined late, 面向 multi-valued), the margins equal the figures
 * asked for separately by all but the last dimension and by the last alone, and the cells and total equal
 * those of a computation without margins.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../db/connection';
import type { Database } from '../../db/schema';
import { allIndicators, type Dim } from '../../main/services/reports/indicators';
import { Q1, seedReportDataset } from './reports-fixture';

let dir: string;
let h: DatabaseHandle;
let db: Kysely<Database>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wd-margins-'));
  h = openDatabase(join(dir, 'test.db'));
  db = h.db;
  await migrateToLatest(db);
  await seedReportDataset(db);
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

const NOT_ON_THE_ENGINE: string[] = ['staffing.fillRate'];

describe('margins of a breakdown', () => {
  it('equal the figures computed separately, for every indicator and pair of dimensions', async () => {
    let checked = 0;
    let withMargins = 0;
    const withoutMargins = new Set<string>();
    for (const ind of allIndicators()) {
      const dims = ind.breakdowns as readonly Dim[];
      for (const a of dims) {
        for (const b of dims) {
          if (a === b) continue;
          const input = { period: Q1, breakdown: [a, b] };
          const both = await ind.compute(db, { ...input, margins: true });
          const plain = await ind.compute(db, input);
          expect(both.rows, `${ind.id} ${a} × ${b}`).toEqual(plain.rows);
          expect(both.total, `${ind.id} ${a} × ${b}`).toEqual(plain.total);
          checked++;
          if (!both.margins) {
            withoutMargins.add(ind.id);
            continue;
          }
          withMargins++;
          expect(both.margins.rows, `${ind.id} ${a} × ${b}: by ${a}`).toEqual((await ind.compute(db, { period: Q1, breakdown: [a] })).rows);
          expect(both.margins.columns, `${ind.id} ${a} × ${b}: by ${b}`).toEqual((await ind.compute(db, { period: Q1, breakdown: [b] })).rows);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(withMargins).toBeGreaterThan(100);
    // Indicators not built on the engine's breakdown (their cross-tab asks for the margins separately).
    expect([...withoutMargins].sort()).toEqual(NOT_ON_THE_ENGINE);
  }, 120_000);

  it('three dimensions: rows by the first two, columns by the third (people, 面向 and age band)', async () => {
    const ind = allIndicators().find((i) => i.id === 'services.persons');
    const both = await ind?.compute(db, { period: Q1, breakdown: ['team', 'ageBand', 'dimension'], margins: true });
    expect(both?.margins?.rows).toEqual((await ind?.compute(db, { period: Q1, breakdown: ['team', 'ageBand'] }))?.rows);
    expect(both?.margins?.columns).toEqual((await ind?.compute(db, { period: Q1, breakdown: ['dimension'] }))?.rows);
    expect(both?.rows.length).toBeGreaterThan(1);
  });
});
