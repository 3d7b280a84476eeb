/**
 * Migration 0028 (assessments, issue 14 §1): a database at the migration before it, with a user and a
 * household, migrated to 0028: the four tables exist; the three visit-frequency rules and the three
 * instruments (六大面向, 家庭評估, 福利與經濟現況) are seeded with valid definitions; a version number is
 * unique per instrument; an assessment with an unknown stage or level is refused (checks); down removes
 * the tables and keeps the household. On SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { openPostgres } from '../../../db/postgres';
import type { Database } from '../../../db/schema';
import { validateDefinition } from '../../../main/contract/assessment-scoring';
import type { InstrumentDefinition } from '../../../main/contract/types-assessments';
import { migrateTo } from '../../helpers/migrations';
import { createEmptyDatabase, dropDatabase, onPostgres } from '../../helpers/pg';

const THIS = '2026-12-07-0028-assessments';
const MINE = ['assessments', 'instrument_versions', 'instruments', 'visit_frequency_rules'];

describe(`migration ${THIS} (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const tables = async () => (await db.introspection.getTables()).map((t) => t.name).filter((n) => MINE.includes(n)).sort();

  beforeAll(async () => {
    if (onPostgres) {
      const { name, url } = await createEmptyDatabase();
      const h = openPostgres(url);
      db = h.db;
      close = async () => {
        await h.close();
        await dropDatabase(name);
      };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'wd-mig-0028-'));
      const h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
      db = h.db;
      close = async () => {
        await h.close();
        rmSync(dir, { recursive: true, force: true });
      };
    }
  });
  afterAll(async () => close?.());

  it('adds the assessment tables with their seeds and checks; down removes them', async () => {
    await migrateTo(db, before);
    expect(await tables()).toEqual([]);
    const ts = '2026-05-01T00:00:00.000Z';
    const user = await db
      .insertInto('users')
      .values({ username: 'worker1', display_name: '社工甲', role: 'worker', password_hash: 'x', created_at: ts, updated_at: ts } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const hh = await db.insertInto('households').values({ street: '中正路1號', created_at: ts, updated_at: ts, version: 1 } as never).returning('id').executeTakeFirstOrThrow();

    expect(await migrateTo(db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(await tables()).toEqual(MINE);

    const rules = await db.selectFrom('visit_frequency_rules').select(['level', 'visit_every_days', 'reassess_every_days']).orderBy('visit_every_days').execute();
    expect(rules).toEqual([
      { level: '高', visit_every_days: 14, reassess_every_days: 90 },
      { level: '中', visit_every_days: 30, reassess_every_days: 180 },
      { level: '低', visit_every_days: 90, reassess_every_days: 365 },
    ]);
    const versions = await db
      .selectFrom('instrument_versions as v')
      .innerJoin('instruments as i', 'i.id', 'v.instrument_id')
      .select(['i.code', 'i.name', 'v.version_no', 'v.effective_from', 'v.effective_to', 'v.definition', 'v.id'])
      .orderBy('i.id')
      .execute();
    expect(versions.map((v) => [v.code, v.name, v.version_no, v.effective_from, v.effective_to])).toEqual([
      ['six-facets', '六大面向風險與保護因子評估', 1, '2025-01-01', null],
      ['family-assessment', '家庭評估', 1, '2025-01-01', null],
      ['welfare-economic-status', '福利與經濟現況', 1, '2025-01-01', null],
    ]);
    for (const v of versions) expect(validateDefinition(JSON.parse(v.definition) as InstrumentDefinition)).toEqual([]);
    const six = JSON.parse(versions[0]!.definition) as InstrumentDefinition;
    expect(six.domains.map((d) => d.label)).toEqual(['家庭經濟陷困', '家庭遭逢變故致功能受損', '家庭關係衝突或疏離', '兒少發展不利處境', '家庭成員身心障礙或傷病失能', '個人生活適應困難']);
    expect(new Set(six.rules.map((r) => r.kind))).toEqual(new Set(['sum', 'count', 'band', 'floor', 'adjust']));
    expect(JSON.parse(versions[1]!.definition).url).toBe('https://sfaa.gov.tw/base/Questionnaire/family-assessment');
    expect(JSON.parse(versions[2]!.definition).url).toBe('https://sfaa.gov.tw/base/Questionnaire/welfare-economic-status');

    const dup = db
      .insertInto('instrument_versions')
      .values({ instrument_id: 1, version_no: 1, definition: '{}', effective_from: '2026-01-01', created_at: ts, created_by: null, effective_to: null, note: null })
      .execute();
    await expect(dup).rejects.toThrow(/UNIQUE|duplicate/i);

    const assess = (stage: string, level: string | null) =>
      db
        .insertInto('assessments')
        .values({
          household_id: hh.id,
          instrument_version_id: versions[0]!.id,
          stage,
          assessed_on: '2026-04-30',
          worker_id: user.id,
          answers: '[]',
          result: '{}',
          suggested_level: level,
          created_at: ts,
          updated_at: ts,
          case_id: null,
          concern_id: null,
          team_id: null,
          confirmed_level: null,
          override_reason: null,
          confirmed_at: null,
          confirmed_by: null,
          reassess_due: null,
          created_by: null,
          updated_by: null,
        })
        .execute();
    await assess('intake', '高');
    await expect(assess('someday', '高')).rejects.toThrow(/CHECK|check constraint/i);
    await expect(assess('review', '極高')).rejects.toThrow(/CHECK|check constraint/i);
    expect((await db.selectFrom('assessments').select(['stage', 'suggested_level', 'version']).execute())).toEqual([{ stage: 'intake', suggested_level: '高', version: 1 }]);

    await db.deleteFrom('assessments').execute();
    expect(await migrateTo(db, before)).toEqual([`Down ${THIS} Success`]);
    expect(await tables()).toEqual([]);
    expect((await db.selectFrom('households').select('id').execute()).length).toBe(1);
  });
});
