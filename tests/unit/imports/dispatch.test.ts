/**
 * The dispatch list import (派案清單, kinds/dispatch.ts) against a real database (SQLite, and PostgreSQL
 * through scripts/with-postgres.mjs): parse reads ROC date-times and the central wording of sources;
 * classify tells known, closed, new, duplicate and erroneous rows apart; commit creates cases in 待分派
 * with their households and stores the central number so the next list matches; the effects replayed
 * backwards restore the database; undoBlockers names a case that moved on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNationalId } from '../../../main/contract/national-id';
import { CENTRAL_REFERRING_UNIT, dispatchKind, mapSource, type DispatchRow } from '../../../main/services/imports/kinds/dispatch';
import { importKind } from '../../../main/services/imports/kinds/index';
import type { Classification, KindContext } from '../../../main/services/imports/types';
import { createFixture, type Fixture, type Staff } from '../cases-fixture';
import { commitAll, parseAll, replayBackwards, snapshot, sourceRow, type CellInput } from './import-harness';

const TABLES = ['cases', 'persons', 'households', 'household_members', 'search_terms', 'case_status_history'] as const;

const ID_KNOWN = makeNationalId('A', '1', '2345678');
const ID_BUSY = makeNationalId('B', '2', '0000001');
const ID_NEW = makeNationalId('C', '1', '7654321');
const ID_NEW2 = makeNationalId('D', '2', '1111111');

describe('dispatch list import (派案清單)', () => {
  let f: Fixture;
  let ctx: KindContext;
  const ctxOf = (who: Staff): KindContext => ({ actor: { id: who.id, role: who.role, teamId: who.teamId }, today: '2026-03-05', now: f.t.clock.now.toISOString(), options: {} });
  const db = () => f.t.app.ctx.db;
  const row = (line: number, cells: Record<string, CellInput | undefined>) => sourceRow(line, { centralNo: undefined, name: undefined, ...cells });

  beforeAll(async () => {
    f = await createFixture();
    ctx = ctxOf(f.admin);
  });
  afterAll(async () => {
    await f?.close();
  });

  it('is registered for 管理者 and 督導', () => {
    expect(importKind('dispatch')).toBe(dispatchKind);
    expect(dispatchKind.label).toBe('派案清單');
    expect(dispatchKind.roles).toEqual(['admin', 'supervisor']);
    expect(dispatchKind.fields.filter((x) => x.required).map((x) => x.key)).toEqual(['centralNo', 'name']);
  });

  it('parses ROC dates with times, Excel date-time serials, and maps the central wording of sources', () => {
    const p = (cells: Record<string, CellInput>) => dispatchKind.parse(row(7, { centralNo: 'x1', name: '王小明', ...cells }), ctx);
    const ok = (r: ReturnType<typeof p>): DispatchRow => {
      if (!r.ok) throw new Error(JSON.stringify(r.problems));
      return r.value;
    };
    const a = ok(p({ receivedAt: '115/03/04 09:05', dispatchedAt: '115/3/4 下午 2:30', source: '社安網', nationalId: ID_KNOWN.toLowerCase() }));
    expect(a).toMatchObject({ centralNo: 'X1', receivedAt: '2026-03-04T01:05:00.000Z', receivedHasTime: true, dispatchedAt: '2026-03-04T06:30:00.000Z', source: 'B', nationalId: ID_KNOWN, referringUnit: CENTRAL_REFERRING_UNIT, caseType: '脆弱家庭' });
    // A date alone is 00:00 Taipei; the received time falls back to the dispatch time.
    const b = ok(p({ dispatchedAt: '1150303', source: 'D 民眾通報', caseType: '急難救助', referringUnit: '南投縣政府' }));
    expect(b).toMatchObject({ receivedAt: '2026-03-02T16:00:00.000Z', receivedHasTime: false, dispatchedAt: '2026-03-02T16:00:00.000Z', source: 'D', caseType: '急難紓困', referringUnit: '南投縣政府' });
    // An Excel date-time cell: 46085.5 is 2026-03-04 12:00.
    const c = ok(p({ receivedAt: { date: '2026-03-04', number: 46085.5 }, caseType: '兒少保護' }));
    expect(c).toMatchObject({ receivedAt: '2026-03-04T04:00:00.000Z', receivedHasTime: true, caseType: '其他', caseTypeText: '兒少保護' });
    expect(ok(p({ receivedAt: '民國115年3月1日 上午12:10' })).receivedAt).toBe('2026-02-28T16:10:00.000Z');

    expect([mapSource('A'), mapSource('自行求助'), mapSource('主動發掘'), mapSource('民眾通報'), mapSource('家長'), mapSource('學校通報'), mapSource('其他'), mapSource('xyz')]).toEqual(['A', 'A', 'C', 'D', 'E', 'B', 'F', null]);

    const bad = dispatchKind.parse(row(12, { centralNo: '', name: '王小明', nationalId: 'A123456788', receivedAt: '115/13/01', dispatchedAt: '115/03/04 25:00', source: '網路' }), ctx);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((x) => x.field)).toEqual(['centralNo', 'nationalId', 'source', 'receivedAt', 'dispatchedAt']);
    expect(bad.problems[1]?.message).toContain('檢查碼');
    expect(bad.problems[4]?.message).toContain('時間不正確');
    const future = dispatchKind.parse(row(13, { centralNo: 'F1', name: '王小明', receivedAt: '115/03/06' }), ctx);
    expect(future.ok ? [] : future.problems.map((x) => x.message)).toEqual([expect.stringContaining('不能晚於現在')]);
    const backwards = dispatchKind.parse(row(14, { centralNo: 'F2', name: '王小明', receivedAt: '115/03/04 10:00', dispatchedAt: '115/03/03' }), ctx);
    expect(backwards.ok ? [] : backwards.problems.map((x) => x.field)).toEqual(['dispatchedAt']);
    const none = dispatchKind.parse(row(15, { centralNo: 'F3', name: '王小明' }), ctx);
    expect(none.ok ? [] : none.problems.map((x) => x.field)).toEqual(['receivedAt']);
  });

  it('classifies, commits new cases in 待分派, matches them next month, and undoes by replaying the effects', async () => {
    const d = db();
    // The center as it stands: a case in progress known by central number, a closed one, a person known by ID
    // in a household without a case, one in a household with a case in progress, and a namesake without ID.
    const active = await f.caseIn('評估中');
    await d.updateTable('cases').set({ central_no: 'C-ACTIVE', dispatched_at: '2026-03-01T01:00:00.000Z', source: 'B', referring_unit: '南投縣政府' }).where('id', '=', active.id).execute();
    const closed = await f.caseIn('已結案');
    await d.updateTable('cases').set({ central_no: 'C-CLOSED' }).where('id', '=', closed.id).execute();
    const quiet = await f.household(f.w1, { head: '林known' });
    await d.updateTable('persons').set({ national_id: ID_KNOWN, name: '林大明' }).where('id', '=', quiet.persons[0] as number).execute();
    const busy = await f.caseIn('處遇中');
    const busyHead = (await d.selectFrom('household_members').select('person_id').where('household_id', '=', busy.householdId).where('relation', '=', '戶長').executeTakeFirstOrThrow()).person_id;
    await d.updateTable('persons').set({ national_id: ID_BUSY }).where('id', '=', busyHead).execute();
    const twin = await f.household(f.w1, { head: '陳同名' });
    await d.updateTable('persons').set({ birth_date: '1990-05-05' }).where('id', '=', twin.persons[0] as number).execute();
    await d.insertInto('divisions').values([
      { code: '10008', level: 'county', name: '南投縣', parent_code: null },
      { code: '10008010', level: 'town', name: '南投市', parent_code: '10008' },
      { code: '10008010001', level: 'village', name: '三和里', parent_code: '10008010' },
      // A retired code of the same name is not a candidate (migration 0020's valid_to).
      { code: '10008010901', level: 'village', name: '三和里', parent_code: '10008010', valid_to: '2020-01-01' },
    ]).execute();
    // A supervisor's view is limited to their teams: checked below.

    const file = [
      row(2, { centralNo: 'C-ACTIVE', name: '某甲', nationalId: ID_NEW2, receivedAt: '115/03/01 08:00', dispatchedAt: '115/03/02 09:30', source: 'B', referringUnit: '南投縣政府' }),
      row(3, { centralNo: 'C-CLOSED', name: '某乙', receivedAt: '115/03/01', dispatchedAt: '115/03/02 10:00' }),
      row(4, { centralNo: 'C-NEW1', name: '林大明', nationalId: ID_KNOWN, receivedAt: '115/03/03 08:00', dispatchedAt: '115/03/03 09:00', source: '學校' }),
      row(5, { centralNo: 'C-NEW2', name: '張新戶', nationalId: ID_NEW, birthDate: '80/01/02', street: '三和路5號', village: '南投市三和里', receivedAt: '115/03/04', dispatchedAt: '115/03/04 11:00', caseType: '脆弱家庭' }),
      row(6, { centralNo: 'C-BUSY', name: '忙碌', nationalId: ID_BUSY, receivedAt: '115/03/04' }),
      row(7, { centralNo: 'C-TWIN', name: '陳同名', birthDate: '79/05/05', receivedAt: '115/03/04' }),
      row(8, { centralNo: 'C-NEW2', name: '張新戶', nationalId: ID_NEW, receivedAt: '115/03/04' }),
      row(9, { centralNo: 'C-BAD', name: '', receivedAt: '115/03/04' }),
      row(10, { centralNo: 'C-SAMEPERSON', name: '張新戶', nationalId: ID_NEW, receivedAt: '115/03/04' }),
      row(11, { centralNo: 'C-NOID', name: '無證件', receivedAt: '115/03/04', village: '不存在里' }),
    ];
    const parsed = parseAll(dispatchKind, file, ctx);
    expect(parsed.errors).toEqual([{ line: 9, problems: [{ field: 'name', message: '案主姓名不可空白' }] }]);
    const classes = await dispatchKind.classify(d, parsed.ok, ctx);
    const byLine = new Map(parsed.ok.map((r, i) => [r.line, classes[i] as Classification]));
    expect(Object.fromEntries([...byLine].map(([l, c]) => [l, c.status]))).toEqual({ 2: 'match', 3: 'decide', 4: 'new', 5: 'new', 6: 'decide', 7: 'decide', 8: 'duplicate', 10: 'error', 11: 'new' });
    expect(byLine.get(2)).toMatchObject({ targetId: active.id, flags: ['檔案的身分證字號不是此個案家戶的成員，請確認派案編號'], changes: [
      { field: '通報/受理時間', from: expect.stringMatching(/^115\/03\/05/), to: '115/03/01 08:00' },
      { field: '派案時間', from: '115/03/01 09:00', to: '115/03/02 09:30' },
    ] });
    const closedClass = byLine.get(3);
    expect(closedClass?.status === 'decide' && closedClass.flags).toContain('此案中心已結案');
    expect(closedClass?.status === 'decide' && closedClass.options.map((o) => o.value)).toEqual([`reopen:${closed.id}`, `record:${closed.id}`]);
    expect(byLine.get(4)?.summary).toContain(`家戶 #${quiet.id}`);
    expect(byLine.get(4)?.summary).not.toContain(ID_KNOWN);
    expect(byLine.get(5)?.summary).toContain('新家戶');
    const busyClass = byLine.get(6);
    expect(busyClass?.status === 'decide' && busyClass.options).toEqual([{ value: `attach:${busy.id}`, label: `記在進行中的個案 ${busy.caseNo}` }]);
    const twinClass = byLine.get(7);
    expect(twinClass?.status === 'decide' && twinClass.options.map((o) => o.value)).toEqual([`same:${twin.persons[0]}`, 'new-person']);
    expect(byLine.get(8)).toMatchObject({ status: 'duplicate', ofLine: 5 });
    expect(byLine.get(10)).toMatchObject({ status: 'error', problems: [{ field: 'nationalId', message: expect.stringContaining('第 5 列') }] });
    const noId = byLine.get(11);
    expect(noId?.status === 'new' && noId.flags).toEqual(['村里「不存在里」對應不到唯一的村里代碼，將不填村里', '沒有身分證字號，將建立新的個人']);

    const before = await snapshot(d, TABLES);
    const maxSeq = Number((await d.selectFrom('cases').select((eb) => eb.fn.max('seq').as('m')).where('roc_year', '=', 115).executeTakeFirstOrThrow()).m);
    const { outcomes, effects, progress } = await commitAll(d, dispatchKind, parsed.ok, classes, ctx, { 3: `reopen:${closed.id}`, 6: `attach:${busy.id}` });
    expect(progress.at(-1)).toBe(7);
    const result = new Map(outcomes.map((o) => [o.line, o.result]));
    expect(result.get(2)).toBe(`更新個案 ${active.caseNo}（通報/受理時間、派案時間）`);
    expect(result.get(3)).toMatch(/^再開案：新增個案 115-\d{6}（待分派，前案 /);
    expect(result.get(4)).toMatch(/^新增個案 115-\d{6}（待分派）$/);
    expect(result.get(5)).toMatch(/^新增家戶 #\d+、個人 1 位、個案 115-\d{6}（待分派）$/);
    expect(result.get(6)).toBe(`派案編號記在進行中的個案 ${busy.caseNo}`);
    expect(result.get(7)).toBe('略過：未決定');

    const cases = await d.selectFrom('cases').selectAll().where('central_no', 'in', ['C-ACTIVE', 'C-CLOSED', 'C-NEW1', 'C-NEW2', 'C-BUSY', 'C-NOID']).orderBy('central_no').execute();
    const byNo = new Map(cases.map((c) => [c.central_no, c]));
    expect(byNo.get('C-ACTIVE')).toMatchObject({ id: active.id, received_at: '2026-03-01T00:00:00.000Z', dispatched_at: '2026-03-02T01:30:00.000Z', status: '評估中', version: active.version + 1 });
    const reopened = byNo.get('C-CLOSED');
    expect(reopened).toMatchObject({ previous_case_id: closed.id, status: '待分派', lead_worker_id: null, team_id: f.team1, household_id: closed.householdId, dispatched_at: '2026-03-02T02:00:00.000Z' });
    expect((await d.selectFrom('cases').select('central_no').where('id', '=', closed.id).executeTakeFirstOrThrow()).central_no).toBeNull();
    expect(byNo.get('C-NEW1')).toMatchObject({ household_id: quiet.id, status: '待分派', source: 'B', referring_unit: CENTRAL_REFERRING_UNIT, lead_worker_id: null, team_id: null, received_at: '2026-03-03T00:00:00.000Z', dispatched_at: '2026-03-03T01:00:00.000Z', risk_level: null });
    expect(byNo.get('C-NEW1')?.code_list_version_id).not.toBeNull();
    const newHh = await d.selectFrom('households').selectAll().where('id', '=', byNo.get('C-NEW2')?.household_id as number).executeTakeFirstOrThrow();
    expect(newHh).toMatchObject({ street: '三和路5號', village_code: '10008010001', town_code: '10008010', county_code: '10008' });
    const head = await d.selectFrom('household_members').innerJoin('persons', 'persons.id', 'household_members.person_id').select(['persons.name', 'persons.national_id', 'persons.birth_date', 'household_members.relation']).where('household_id', '=', newHh.id).execute();
    expect(head).toEqual([{ name: '張新戶', national_id: ID_NEW, birth_date: '1991-01-02', relation: '戶長' }]);
    // Searchable like a person the intake screen created.
    expect(await d.selectFrom('search_terms').select('term').where('ref', '=', (await d.selectFrom('persons').select('id').where('national_id', '=', ID_NEW).executeTakeFirstOrThrow()).id).where('term', 'like', 'pn:%').execute()).toEqual(
      expect.arrayContaining([{ term: 'pn:張新' }, { term: 'pn:新戶' }]),
    );
    expect(byNo.get('C-BUSY')?.id).toBe(busy.id);
    const history = await d.selectFrom('case_status_history').select(['action', 'to_status', 'reason']).where('case_id', '=', byNo.get('C-NEW1')?.id as number).execute();
    expect(history).toEqual([{ action: 'intake', to_status: '待分派', reason: '中央派案清單匯入（派案編號 C-NEW1），待督導派案' }]);
    // Case numbers come from the app's numbering: consecutive in the year.
    const created = await d.selectFrom('cases').select('seq').where('id', 'in', [3, 4, 5, 11].map((l) => outcomes.find((o) => o.line === l)?.targetId as number)).execute();
    expect(created.map((c) => c.seq).sort((a, b) => a - b)).toEqual([maxSeq + 1, maxSeq + 2, maxSeq + 3, maxSeq + 4]);

    // Next month's list: the same numbers match, with nothing to change.
    const again = parseAll(dispatchKind, file.filter((r) => [2, 4, 5].includes(r.line)), ctx);
    const next = await dispatchKind.classify(d, again.ok, ctx);
    expect(next.map((c) => [c.status, c.status === 'match' ? c.changes : null])).toEqual([['match', []], ['match', []], ['match', []]]);

    // Nothing built on it yet: undo replays the effects backwards and the database is as it was.
    expect(await dispatchKind.undoBlockers(d, effects)).toEqual([]);
    await replayBackwards(d, effects);
    expect(await snapshot(d, TABLES)).toEqual(before);
  });

  it('refuses an undo once a case moved on: assigned, or with a service record', async () => {
    const d = db();
    const file = [row(2, { centralNo: 'U-1', name: '蔡一', nationalId: ID_NEW2, receivedAt: '115/03/04 08:00' }), row(3, { centralNo: 'U-2', name: '蔡二', receivedAt: '115/03/04 08:00' })];
    // The administrator puts the new cases on team 1's 待分派 list, so its supervisor dispatches them.
    const toTeam1 = { ...ctx, options: { teamId: f.team1 } };
    const parsed = parseAll(dispatchKind, file, toTeam1);
    const { effects, outcomes } = await commitAll(d, dispatchKind, parsed.ok, await dispatchKind.classify(d, parsed.ok, toTeam1), toTeam1);
    const [u1, u2] = outcomes.map((o) => o.targetId as number) as [number, number];
    expect(await dispatchKind.undoBlockers(d, effects)).toEqual([]);
    const u1No = (await d.selectFrom('cases').select('case_no').where('id', '=', u1).executeTakeFirstOrThrow()).case_no;
    await f.call(f.sup1, 'cases.assign', { id: u1, leadWorkerId: f.w1.id, assistantIds: [] });
    const u2Row = await d.selectFrom('cases').select(['case_no', 'household_id']).where('id', '=', u2).executeTakeFirstOrThrow();
    await d
      .insertInto('service_records')
      .values({ household_id: u2Row.household_id, case_id: u2, concern_id: null, occurred_at: f.ago(10), method: '電訪家庭', minutes: 10, items: '[]', narrative: null, next_follow_up: null, worker_id: f.w1.id, created_at: f.ago(5), created_by: f.w1.id, updated_at: f.ago(5), updated_by: f.w1.id, version: 1 })
      .execute();
    const blockers = await dispatchKind.undoBlockers(d, effects);
    expect(blockers).toEqual(expect.arrayContaining([`個案 ${u1No} 已派案或變更狀態（評估中）`, `個案 ${u2Row.case_no} 已有 1 筆服務紀錄`, `家戶 #${u2Row.household_id} 已有 1 筆服務紀錄`]));
  });

  it('keeps a supervisor to their teams: new cases carry the team; another team\'s case or person is an error naming no one', async () => {
    const d = db();
    const other = await f.caseIn('評估中'); // team 1 (w1)
    await d.updateTable('cases').set({ central_no: 'S-OTHER' }).where('id', '=', other.id).execute();
    const otherHead = (await d.selectFrom('household_members').select('person_id').where('household_id', '=', other.householdId).where('relation', '=', '戶長').executeTakeFirstOrThrow()).person_id;
    const hiddenId = makeNationalId('E', '1', '2223334');
    await d.updateTable('persons').set({ national_id: hiddenId }).where('id', '=', otherHead).execute();
    const sup2 = ctxOf(f.sup2);
    const file = [
      row(2, { centralNo: 'S-OTHER', name: '某丙', receivedAt: '115/03/04' }),
      row(3, { centralNo: 'S-HIDDEN', name: '某丁', nationalId: hiddenId, receivedAt: '115/03/04' }),
      row(4, { centralNo: 'S-MINE', name: '某戊', receivedAt: '115/03/04' }),
    ];
    const parsed = parseAll(dispatchKind, file, sup2);
    const classes = await dispatchKind.classify(d, parsed.ok, sup2);
    expect(classes.map((c) => c.status)).toEqual(['error', 'error', 'new']);
    expect(classes[0]).toMatchObject({ summary: '派案編號 S-OTHER', problems: [{ field: 'centralNo', message: expect.stringContaining('由其他組負責') }] });
    expect(JSON.stringify(classes)).not.toContain(other.caseNo);
    const { outcomes } = await commitAll(d, dispatchKind, parsed.ok, classes, sup2);
    const mine = await d.selectFrom('cases').select(['team_id', 'status']).where('id', '=', outcomes[0]?.targetId as number).executeTakeFirstOrThrow();
    expect(mine).toEqual({ team_id: f.team2, status: '待分派' });
    // Naming a team they do not supervise is refused on every new row.
    const elsewhere = { ...sup2, options: { teamId: f.team1 } };
    const p2 = parseAll(dispatchKind, [row(2, { centralNo: 'S-ELSE', name: '某己', receivedAt: '115/03/04' })], elsewhere);
    expect(await dispatchKind.classify(d, p2.ok, elsewhere)).toEqual([{ status: 'error', summary: '派案編號 S-ELSE：某己', problems: [{ message: '所選的組別不是您督導的組別' }] }]);
    expect(dispatchKind.options.safeParse({ teamId: 'x' }).success).toBe(false);
  });
});
