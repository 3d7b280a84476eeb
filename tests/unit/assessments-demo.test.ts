/**
 * Issue 14 §1: the demo's assessments (main/demo/assessments.ts) on the small demo at the e2e clock
 * (2026-05-20 10:00 Taipei): confirmed 六大面向 assessments on cases in treatment, dated in 115年第1季, a
 * pair to compare, one override with its reason; each case's risk level is its latest confirmed level,
 * and each stored score is what the scoring gives for the stored answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type SqliteHandle } from '../../db/connection';
import { scoreAssessment } from '../../main/contract/assessment-scoring';
import { seedDemo } from '../../main/demo/index';
import { SCALES } from '../../main/demo/scale';
import { setQuiet } from '../../main/lib/logger';
import { onPostgres } from '../helpers/pg';

setQuiet(true);

describe.skipIf(onPostgres)('demo assessments (small scale)', () => {
  let dir: string;
  let h: SqliteHandle;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-demo-assess-'));
    h = openDatabase(join(dir, 'demo.db'), { onSlowQuery: () => undefined });
    await migrateToLatest(h.db);
    await seedDemo(h.db, SCALES.small, new Date('2026-05-20T02:00:00.000Z'));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has confirmed assessments in 115年第1季, a pair to compare and an override; cases carry the latest level', async () => {
    const rows = await h.db
      .selectFrom('assessments as a')
      .innerJoin('instrument_versions as v', 'v.id', 'a.instrument_version_id')
      .select(['a.case_id', 'a.stage', 'a.assessed_on', 'a.suggested_level', 'a.confirmed_level', 'a.override_reason', 'a.reassess_due', 'a.answers', 'a.result', 'v.definition'])
      .orderBy('a.case_id')
      .orderBy('a.assessed_on')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const r of rows) {
      expect(r.assessed_on >= '2026-01-01' && r.assessed_on <= '2026-03-31').toBe(true);
      expect(r.confirmed_level).not.toBeNull();
      expect(r.reassess_due! > r.assessed_on).toBe(true);
      expect(JSON.parse(r.result)).toEqual(scoreAssessment(JSON.parse(r.definition), JSON.parse(r.answers)));
      if (r.confirmed_level !== r.suggested_level) expect(r.override_reason).toBeTruthy();
      else expect(r.override_reason).toBeNull();
    }
    expect(rows.filter((r) => r.override_reason !== null).length).toBeGreaterThanOrEqual(1);
    const byCase = new Map<number, typeof rows>();
    for (const r of rows) byCase.set(r.case_id!, [...(byCase.get(r.case_id!) ?? []), r]);
    expect([...byCase.values()].filter((l) => l.length === 2 && l[0]!.stage === 'intake' && l[1]!.stage === 'review').length).toBeGreaterThanOrEqual(1);
    for (const [caseId, list] of byCase) {
      const c = await h.db.selectFrom('cases').select('risk_level').where('id', '=', caseId).executeTakeFirstOrThrow();
      expect(c.risk_level).toBe(list[list.length - 1]!.confirmed_level);
    }
  });
});
