/**
 * case_latest_records and household_latest_records (migration 0027) equal the newest service record of each
 * case and household, recomputed from service_records, after every kind of write: records created through the
 * API, an older record moved after the newest, a follow-up date changed, a record moved to another case and to
 * another household, a case link removed, a record deleted (the last of its case, too). On SQLite and PostgreSQL
 * (the PL/pgSQL twins in db/migrations/forms.ts). Also the worklist built on them, against a direct count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput } from '../../main/contract/api';
import { exec, rows } from '../helpers/db';
import { createFixture, type Fixture } from './cases-fixture';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

const visit = (householdId: number, extra: Partial<ApiInput<'records.create'>>): ApiInput<'records.create'> => ({
  householdId,
  occurredAt: f.ago(10),
  method: '電訪家庭',
  participants: [],
  minutes: 15,
  items: ['福利諮詢'],
  narrative: '',
  ...extra,
});

/** The tables as kept, and as recomputed from service_records (ordered by key). */
async function compare(): Promise<{ cases: number }> {
  const db = f.t.app;
  const keptCases = await rows(db, 'select case_id, service_id, occurred_at, next_follow_up from case_latest_records order by case_id');
  const wantCases = await rows(
    db,
    `select x.case_id, x.id as service_id, x.occurred_at, x.next_follow_up from service_records x
     where x.case_id is not null and x.id = (select y.id from service_records y where y.case_id = x.case_id order by y.occurred_at desc, y.id desc limit 1)
     order by x.case_id`,
  );
  expect(keptCases).toEqual(wantCases);
  const keptHouseholds = await rows(db, 'select household_id, service_id, occurred_at, next_follow_up, case_id from household_latest_records order by household_id');
  const wantHouseholds = await rows(
    db,
    `select x.household_id, x.id as service_id, x.occurred_at, x.next_follow_up, x.case_id from service_records x
     where x.id = (select y.id from service_records y where y.household_id = x.household_id order by y.occurred_at desc, y.id desc limit 1)
     order by x.household_id`,
  );
  expect(keptHouseholds).toEqual(wantHouseholds);
  return { cases: keptCases.length };
}

describe('the newest service record per case and household (migration 0027 triggers)', () => {
  it('follows every kind of write', async () => {
    const a = await f.intake(f.w1);
    const b = await f.intake(f.w1);
    const r1 = await f.call(f.w1, 'records.create', visit(a.householdId, { caseId: a.id, occurredAt: f.ago(300), nextFollowUp: '2027-01-10' }));
    const r2 = await f.call(f.w1, 'records.create', visit(a.householdId, { caseId: a.id, occurredAt: f.ago(200), nextFollowUp: '2027-01-20' }));
    const r3 = await f.call(f.w1, 'records.create', visit(b.householdId, { caseId: b.id, occurredAt: f.ago(100), nextFollowUp: '2027-02-01' }));
    await f.call(f.w1, 'records.create', visit(b.householdId, { caseId: b.id, occurredAt: f.ago(50) }));
    expect((await compare()).cases).toBe(2);
    expect(await rows(f.t.app, 'select service_id from case_latest_records where case_id = ?', a.id)).toEqual([{ service_id: r2.id }]);

    // An older record moved after the newest; then the same time as another (the id decides).
    await exec(f.t.app, 'update service_records set occurred_at = ? where id = ?', f.ago(150), r1.id);
    await compare();
    expect(await rows(f.t.app, 'select service_id from case_latest_records where case_id = ?', a.id)).toEqual([{ service_id: r1.id }]);
    const r2At = (await rows<{ occurred_at: string }>(f.t.app, 'select occurred_at from service_records where id = ?', r2.id))[0]?.occurred_at;
    await exec(f.t.app, 'update service_records set occurred_at = ? where id = ?', r2At, r1.id);
    await compare();
    expect(await rows(f.t.app, 'select service_id from case_latest_records where case_id = ?', a.id)).toEqual([{ service_id: r2.id }]);

    // The follow-up date of the newest record.
    await exec(f.t.app, 'update service_records set next_follow_up = ? where id = ?', '2027-04-01', r2.id);
    await compare();

    // Moved to the other case, then to the other household; a case link removed.
    await exec(f.t.app, 'update service_records set case_id = ? where id = ?', b.id, r2.id);
    await compare();
    await exec(f.t.app, 'update service_records set household_id = ? where id = ?', b.householdId, r1.id);
    await compare();
    await exec(f.t.app, 'update service_records set case_id = null where id = ?', r3.id);
    await compare();

    // Deleted: a record in the middle, then the last one of a case.
    await exec(f.t.app, 'delete from service_participants where service_id in (?, ?)', r2.id, r1.id);
    await exec(f.t.app, 'delete from service_records where id = ?', r2.id);
    await compare();
    await exec(f.t.app, 'delete from service_records where id = ?', r1.id);
    await compare();
    expect(await rows(f.t.app, 'select service_id from case_latest_records where case_id = ?', a.id)).toEqual([]);
  });

  it("the administrator's overdue follow-ups equal the newest records' overdue dates counted directly", async () => {
    const c = await f.intake(f.w2);
    const serviceDay = f.ago(60).slice(0, 10);
    await f.call(f.w2, 'records.create', visit(c.householdId, { caseId: c.id, occurredAt: f.ago(60), nextFollowUp: serviceDay }));
    f.t.clock.now = new Date(f.t.clock.now.getTime() + 40 * 86400_000);
    const today = new Date(f.t.clock.now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const list = await f.call(f.admin, 'worklists.overdueFollowUps', { limit: 200 });
    const direct = await rows<{ id: number }>(
      f.t.app,
      `select sr.id from cases c join service_records sr on sr.id = (select x.id from service_records x where x.case_id = c.id order by x.occurred_at desc, x.id desc limit 1)
       where c.status not in ('已結案', '不開案') and sr.next_follow_up < ?
       union all
       select sr.id from long_term_concerns l join service_records sr on sr.id = (select x.id from service_records x where x.household_id = l.household_id order by x.occurred_at desc, x.id desc limit 1)
       where l.end_date is null and sr.case_id is null and sr.next_follow_up < ?`,
      today,
      today,
    );
    expect(list.total).toBe(direct.length);
    expect(list.total).toBeGreaterThan(0);
    expect(list.rows.map((r) => r.serviceId).sort((x, y) => x - y)).toEqual(direct.map((d) => Number(d.id)).sort((x, y) => x - y));
  });
});
