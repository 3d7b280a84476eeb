/**
 * A small, hand-countable center for the report tests (indicators, quarterly
 * generation, monthly report, cross-tabulation). Everything is inserted with SQL
 * so the figures depend on nothing but this file; the expected numbers in the
 * tests are counted by hand from the comments here.
 *
 * Period of interest: 115年第1季 = 2026-01-01 .. 2026-03-31 (Taipei). Timestamps
 * are UTC; a Taipei day D runs from (D-1)T16:00Z to DT16:00Z.
 *
 * Staff: admin; team 1 (T1): supervisor sup1, workers w1, w2; team 2 (T2): sup2, w3.
 * Divisions: 南投市 10008010 (villages 三民里 10008010001, 康壽里 10008010002),
 *            埔里鎮 10008020 (village 大城里 10008020001).
 *
 * Households      town    village  type      members (birth, sex)
 *   H1            南投市  三民里   單親      P1 1990-05-01 F (head), P2 2015-03-31 M, P10 1970-01-01 F (left 2026-02-01)
 *   H2            南投市  康壽里   隔代教養  P3 1950-01-01 F
 *   H3            埔里鎮  大城里   獨居      P4 1961-04-01 M
 *   H4            南投市  三民里   雙親      P5 2020-04-01 F, P11 2000-01-01 M (joined 2026-04-05)
 *   H5            埔里鎮  大城里   其他      P6 1980-01-01 M
 *   H6            南投市  康壽里   單親      P7 2008-03-31 F, P8 2010-01-01 M
 *   H7            南投市  三民里   雙親      P9 (no birth date, no sex)
 *
 * Cases (received / dispatched / first contact, UTC; factors → 面向)
 *   C1 H1 T1 w1 脆弱家庭  recv 2026-01-05T02:00Z disp 01-05T03:00Z contact 01-05T10:00Z (7 h)  factors 1-01,1-02,3-01 → {1,3}
 *                          處遇中, opened 2026-01-20
 *   C2 H2 T1 w2 脆弱家庭  recv 2026-02-10T01:00Z disp 02-10T02:00Z contact 02-12T02:00Z (48 h) factors 4-01 → {4}
 *                          已結案, opened 2026-02-15, closed 2026-03-20
 *   C3 H3 T2 w3 一般福利諮詢 recv 2025-12-31T16:30Z (= 01-01 00:30 Taipei, in Q1) disp 2025-12-31T17:00Z (in Q1), no contact
 *                          不開案, closed 2026-01-10, no factors
 *   C4 H4 T2 w3 脆弱家庭  recv 2025-12-31T15:30Z (= 12-31 23:30 Taipei, NOT in Q1) disp 2026-01-02T01:00Z contact 01-02T20:00Z (19 h)
 *                          factors 2-01,5-01 → {2,5}; 處遇中, opened 2026-01-03
 *   C5 H5 T1 w1 急難紓困  recv 2026-03-31T15:59:59Z (= 03-31 23:59:59 Taipei, in Q1), not dispatched; 待分派; factor 6-01 → {6}
 *   C6 H6 T1 w2 脆弱家庭  recv 2025-11-01T02:00Z disp 11-01T03:00Z contact 11-01T04:00Z; factors 1-03,2-02 → {1,2}
 *                          已結案 now, opened 2025-11-10, closed 2026-04-05; history: 結案審查中 at 2026-03-25, 已結案 at 04-05;
 *                          approve-short-term at 2025-11-05 (outside Q1)
 *   C7 H7 T1 w2 其他      recv 2026-01-15T02:00Z disp 01-15T02:30Z contact 01-16T02:30Z (exactly 24 h); no factors
 *                          短期服務; history: 評估中 01-15, 開案審查中 01-20, 短期服務 (approve-short-term) 2026-02-01
 *
 * Service records (UTC; method; items; participants; next follow-up)
 *   S1  C1 H1 w1 2026-01-06T02:00Z 電訪家庭 [福利諮詢]          P1      next 2026-02-01
 *   S2  C1 H1 w1 2026-02-03T02:00Z 面訪家庭 [資源轉介,福利諮詢] P1,P2   next 2026-03-15
 *   S3  C2 H2 w2 2026-02-11T02:00Z 面訪家庭 [經濟補助]          P3      next 2026-03-01
 *   S4  C4 H4 w3 2026-01-02T20:00Z 電訪家庭 [福利諮詢]          P5      next 2026-04-10   (= 01-03 Taipei)
 *   S5  C4 H4 w3 2026-03-31T16:30Z 面訪家庭 [其他]              P5      next 2026-05-01   (= 04-01 Taipei: outside)
 *   S6  C6 H6 w2 2026-03-10T02:00Z 電訪家庭 [情緒支持]          P7,P8   next 2026-03-20
 *   S7  L1 H3 w3 2026-02-20T02:00Z 面訪家庭 [福利諮詢]          P4
 *   S8  L1 H3 w3 2026-03-15T02:00Z 電訪家庭 [其他]              P4
 *   S9  C6 H6 w2 2025-12-31T15:59:59.999Z 電訪家庭 [福利諮詢]   P7      (= 12-31 Taipei: outside)
 *   S10 C7 H7 w2 2026-01-16T02:30Z 面訪家庭 [福利諮詢]          P9      no next
 *   S11 L5 H4 w3 2026-04-02T02:00Z 面訪家庭 [其他]              -       (after Q1)
 *   S12 L6 H7 w2 2025-12-01T02:00Z 電訪家庭 [其他]              -       (before Q1)
 *   S13 L6 H7 w2 2026-05-01T02:00Z 電訪家庭 [其他]              -       (after Q1)
 *
 * Referrals: R1 C1 H1 w1 2026-01-10 受案; R2 C1 H1 w1 2026-03-31 轉介等待中; R3 C4 H4 w3 2026-04-01 受案;
 *            R4 C2 H2 w2 2025-12-31 轉介完成; R5 (no case) H3 w3 2026-02-02 不受案.
 *
 * Long-term concerns: L1 H3 獨居長者 start 2025-06-01 monthly w3 T2, last visit 03-15, next due 2026-04-15
 *                     L2 H5 身障 start 2025-10-01 quarterly w1 T1, never visited, next due 2026-01-01
 *                     L3 H6 長期經濟弱勢 start 2025-01-01, ended 2026-02-01 (遷出)
 *                     L4 H2 高照顧負荷 start 2026-04-10 (after Q1)
 *                     L5 H4 其他 start 2025-12-01 monthly w3 T2, only visit S11 (04-02), next due now 2026-05-02
 *                     L6 H7 其他 start 2025-01-01 half-yearly w2 T1, visits S12 (2025-12-01) and S13 (05-01), next due now 2026-11-01
 *
 * Care arrangements: H1 high burden, H2 high burden, H3 high burden, H5 not.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { ApiInput, ApiOutput, MethodName } from '../../main/contract/api';
import type { Envelope } from '../../main/contract/envelope';
import type { Role } from '../../main/contract/roles';
import { createTestApp, openSession, type TestApp } from '../helpers/app';

export const Q1 = { from: '2026-01-01', to: '2026-03-31' };
export const NANTOU = '10008010';
export const PULI = '10008020';
export const SANMIN = '10008010001';
export const KANGSHOU = '10008010002';
export const DACHENG = '10008020001';

export interface Dataset {
  team1: number;
  team2: number;
  admin: number;
  sup1: number;
  sup2: number;
  w1: number;
  w2: number;
  w3: number;
  clerk: number;
  households: Record<'H1' | 'H2' | 'H3' | 'H4' | 'H5' | 'H6' | 'H7', number>;
  cases: Record<'C1' | 'C2' | 'C3' | 'C4' | 'C5' | 'C6' | 'C7', number>;
  persons: Record<string, number>;
  services: Record<string, number>;
}

const TS = '2026-01-01T00:00:00.000Z';

export async function seedReportDataset(db: Kysely<Database>): Promise<Dataset> {
  const team = async (name: string) => (await db.insertInto('teams').values({ name, supervisor_id: null, created_at: TS }).returning('id').executeTakeFirstOrThrow()).id;
  const team1 = await team('第一組');
  const team2 = await team('第二組');
  const user = async (username: string, name: string, role: Role, teamId: number | null) =>
    (
      await db
        .insertInto('users')
        .values({ username, display_name: name, role, team_id: teamId, password_hash: 'x', must_change_password: 0, failed_logins: 0, locked_until: null, disabled_at: null, created_at: TS, updated_at: TS, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const admin = await user('radmin', '林管理', 'admin', null);
  const sup1 = await user('rsup1', '王督導', 'supervisor', team1);
  const sup2 = await user('rsup2', '陳督導', 'supervisor', team2);
  await db.updateTable('teams').set({ supervisor_id: sup1 }).where('id', '=', team1).execute();
  await db.updateTable('teams').set({ supervisor_id: sup2 }).where('id', '=', team2).execute();
  const w1 = await user('rw1', '張社工', 'worker', team1);
  const w2 = await user('rw2', '李社工', 'worker', team1);
  const w3 = await user('rw3', '黃社工', 'worker', team2);
  const clerk = await user('rclerk', '吳小舖', 'foodbank', null);

  await db
    .insertInto('divisions')
    .values([
      { code: '10008000', level: 'county', name: '南投縣', parent_code: null },
      { code: NANTOU, level: 'town', name: '南投市', parent_code: '10008000' },
      { code: PULI, level: 'town', name: '埔里鎮', parent_code: '10008000' },
      { code: SANMIN, level: 'village', name: '三民里', parent_code: NANTOU },
      { code: KANGSHOU, level: 'village', name: '康壽里', parent_code: NANTOU },
      { code: DACHENG, level: 'village', name: '大城里', parent_code: PULI },
    ])
    .execute();

  const hh = async (town: string, village: string, type: string) =>
    (
      await db
        .insertInto('households')
        .values({ county_code: '10008000', town_code: town, village_code: village, neighborhood: null, street: '中山路1號', household_type: type, phone: null, notes: null, created_at: TS, created_by: admin, updated_at: TS, updated_by: admin, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const households = {
    H1: await hh(NANTOU, SANMIN, '單親'),
    H2: await hh(NANTOU, KANGSHOU, '隔代教養'),
    H3: await hh(PULI, DACHENG, '獨居'),
    H4: await hh(NANTOU, SANMIN, '雙親'),
    H5: await hh(PULI, DACHENG, '其他'),
    H6: await hh(NANTOU, KANGSHOU, '單親'),
    H7: await hh(NANTOU, SANMIN, '雙親'),
  };

  const persons: Record<string, number> = {};
  const person = async (key: string, birth: string | null, sex: string | null, household: number, relation: string, joined = '2020-01-01', left: string | null = null) => {
    const id = (
      await db
        .insertInto('persons')
        .values({ name: `人員${key}`, national_id: null, birth_date: birth, sex, phone: null, disability_level: null, income_status: null, notes: null, created_at: TS, created_by: admin, updated_at: TS, updated_by: admin, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    persons[key] = id;
    await db.insertInto('household_members').values({ household_id: household, person_id: id, relation, joined_on: joined, left_on: left, left_reason: left ? '遷出' : null, created_at: TS, created_by: admin }).execute();
  };
  await person('P1', '1990-05-01', 'F', households.H1, '戶長');
  await person('P2', '2015-03-31', 'M', households.H1, '子女');
  await person('P10', '1970-01-01', 'F', households.H1, '父母', '2020-01-01', '2026-02-01');
  await person('P3', '1950-01-01', 'F', households.H2, '戶長');
  await person('P4', '1961-04-01', 'M', households.H3, '戶長');
  await person('P5', '2020-04-01', 'F', households.H4, '子女');
  await person('P11', '2000-01-01', 'M', households.H4, '戶長', '2026-04-05');
  await person('P6', '1980-01-01', 'M', households.H5, '戶長');
  await person('P7', '2008-03-31', 'F', households.H6, '戶長');
  await person('P8', '2010-01-01', 'M', households.H6, '子女');
  await person('P9', null, null, households.H7, '戶長');

  const version = await db.selectFrom('code_list_versions').select('id').where('list', '=', 'vulnerability').where('effective_from', '=', '2025-07-01').executeTakeFirstOrThrow();
  let seq = 0;
  const kase = async (o: {
    household: number;
    team: number;
    lead: number;
    type: string;
    received: string;
    dispatched: string | null;
    contact: string | null;
    status: string;
    opened?: string;
    closed?: string;
    factors: string[];
  }) => {
    seq++;
    const id = (
      await db
        .insertInto('cases')
        .values({
          case_no: `115-${String(seq).padStart(6, '0')}`,
          roc_year: 115,
          seq,
          household_id: o.household,
          previous_case_id: null,
          source: 'A',
          referring_unit: null,
          received_at: o.received,
          dispatched_at: o.dispatched,
          first_contact_at: o.contact,
          case_type: o.type,
          risk_level: '中',
          code_list_version_id: version.id,
          status: o.status,
          lead_worker_id: o.lead,
          team_id: o.team,
          opened_on: o.opened ?? null,
          closed_on: o.closed ?? null,
          close_reason: o.closed ? '目標達成' : null,
          summary: null,
          created_at: TS,
          created_by: o.lead,
          updated_at: TS,
          updated_by: o.lead,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    if (o.factors.length) await db.insertInto('case_factors').values(o.factors.map((code) => ({ case_id: id, code }))).execute();
    return id;
  };
  const cases = {
    C1: await kase({ household: households.H1, team: team1, lead: w1, type: '脆弱家庭', received: '2026-01-05T02:00:00.000Z', dispatched: '2026-01-05T03:00:00.000Z', contact: '2026-01-05T10:00:00.000Z', status: '處遇中', opened: '2026-01-20', factors: ['1-01', '1-02', '3-01'] }),
    C2: await kase({ household: households.H2, team: team1, lead: w2, type: '脆弱家庭', received: '2026-02-10T01:00:00.000Z', dispatched: '2026-02-10T02:00:00.000Z', contact: '2026-02-12T02:00:00.000Z', status: '已結案', opened: '2026-02-15', closed: '2026-03-20', factors: ['4-01'] }),
    C3: await kase({ household: households.H3, team: team2, lead: w3, type: '一般福利諮詢', received: '2025-12-31T16:30:00.000Z', dispatched: '2025-12-31T17:00:00.000Z', contact: null, status: '不開案', closed: '2026-01-10', factors: [] }),
    C4: await kase({ household: households.H4, team: team2, lead: w3, type: '脆弱家庭', received: '2025-12-31T15:30:00.000Z', dispatched: '2026-01-02T01:00:00.000Z', contact: '2026-01-02T20:00:00.000Z', status: '處遇中', opened: '2026-01-03', factors: ['2-01', '5-01'] }),
    C5: await kase({ household: households.H5, team: team1, lead: w1, type: '急難紓困', received: '2026-03-31T15:59:59.000Z', dispatched: null, contact: null, status: '待分派', factors: ['6-01'] }),
    C6: await kase({ household: households.H6, team: team1, lead: w2, type: '脆弱家庭', received: '2025-11-01T02:00:00.000Z', dispatched: '2025-11-01T03:00:00.000Z', contact: '2025-11-01T04:00:00.000Z', status: '已結案', opened: '2025-11-10', closed: '2026-04-05', factors: ['1-03', '2-02'] }),
    C7: await kase({ household: households.H7, team: team1, lead: w2, type: '其他', received: '2026-01-15T02:00:00.000Z', dispatched: '2026-01-15T02:30:00.000Z', contact: '2026-01-16T02:30:00.000Z', status: '短期服務', factors: [] }),
  };
  const history = (caseId: number, from: string | null, to: string, action: string, at: string, by: number) =>
    db.insertInto('case_status_history').values({ case_id: caseId, from_status: from, to_status: to, action, reason: null, at, by_user: by }).execute();
  await history(cases.C6, '評估中', '短期服務', 'approve-short-term', '2025-11-05T02:00:00.000Z', sup1);
  await history(cases.C6, '短期服務', '處遇中', 'approve-open', '2025-11-10T02:00:00.000Z', sup1);
  await history(cases.C6, '處遇中', '結案審查中', 'request-close', '2026-03-25T02:00:00.000Z', w2);
  await history(cases.C6, '結案審查中', '已結案', 'approve-close', '2026-04-05T02:00:00.000Z', sup1);
  await history(cases.C7, null, '評估中', 'intake', '2026-01-15T02:00:00.000Z', w2);
  await history(cases.C7, '評估中', '開案審查中', 'request-short-term', '2026-01-20T02:00:00.000Z', w2);
  await history(cases.C7, '開案審查中', '短期服務', 'approve-short-term', '2026-02-01T02:00:00.000Z', sup1);

  const concern = async (household: number, reason: string, start: string, frequency: string, worker: number, teamId: number, nextDue: string, lastVisit: string | null, end: string | null = null) =>
    (
      await db
        .insertInto('long_term_concerns')
        .values({ household_id: household, reason, reason_note: null, start_date: start, frequency, interval_days: null, worker_id: worker, team_id: teamId, next_due: nextDue, last_visit_on: lastVisit, from_case_id: null, end_date: end, end_reason: end ? '遷出' : null, to_case_id: null, created_at: TS, created_by: worker, updated_at: TS, updated_by: worker, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const L1 = await concern(households.H3, '獨居長者', '2025-06-01', 'monthly', w3, team2, '2026-04-15', '2026-03-15');
  const L2 = await concern(households.H5, '身障', '2025-10-01', 'quarterly', w1, team1, '2026-01-01', null);
  await concern(households.H6, '長期經濟弱勢', '2025-01-01', 'monthly', w2, team1, '2025-02-01', null, '2026-02-01');
  await concern(households.H2, '高照顧負荷', '2026-04-10', 'monthly', w2, team1, '2026-05-10', null);
  const L5 = await concern(households.H4, '其他', '2025-12-01', 'monthly', w3, team2, '2026-05-02', '2026-04-02');
  const L6 = await concern(households.H7, '其他', '2025-01-01', 'half-yearly', w2, team1, '2026-11-01', '2026-05-01');
  void L2;

  const services: Record<string, number> = {};
  const service = async (key: string, o: { household: number; caseId?: number; concernId?: number; worker: number; at: string; method: string; items: string[]; who: string[]; next?: string }) => {
    const id = (
      await db
        .insertInto('service_records')
        .values({ household_id: o.household, case_id: o.caseId ?? null, concern_id: o.concernId ?? null, occurred_at: o.at, method: o.method, minutes: 30, items: JSON.stringify(o.items), narrative: '（測試）', next_follow_up: o.next ?? null, worker_id: o.worker, created_at: TS, created_by: o.worker, updated_at: TS, updated_by: o.worker, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    services[key] = id;
    if (o.who.length) await db.insertInto('service_participants').values(o.who.map((p) => ({ service_id: id, person_id: persons[p] as number }))).execute();
  };
  await service('S1', { household: households.H1, caseId: cases.C1, worker: w1, at: '2026-01-06T02:00:00.000Z', method: '電訪家庭', items: ['福利諮詢'], who: ['P1'], next: '2026-02-01' });
  await service('S2', { household: households.H1, caseId: cases.C1, worker: w1, at: '2026-02-03T02:00:00.000Z', method: '面訪家庭', items: ['資源轉介', '福利諮詢'], who: ['P1', 'P2'], next: '2026-03-15' });
  await service('S3', { household: households.H2, caseId: cases.C2, worker: w2, at: '2026-02-11T02:00:00.000Z', method: '面訪家庭', items: ['經濟補助'], who: ['P3'], next: '2026-03-01' });
  await service('S4', { household: households.H4, caseId: cases.C4, worker: w3, at: '2026-01-02T20:00:00.000Z', method: '電訪家庭', items: ['福利諮詢'], who: ['P5'], next: '2026-04-10' });
  await service('S5', { household: households.H4, caseId: cases.C4, worker: w3, at: '2026-03-31T16:30:00.000Z', method: '面訪家庭', items: ['其他'], who: ['P5'], next: '2026-05-01' });
  await service('S6', { household: households.H6, caseId: cases.C6, worker: w2, at: '2026-03-10T02:00:00.000Z', method: '電訪家庭', items: ['情緒支持'], who: ['P7', 'P8'], next: '2026-03-20' });
  await service('S7', { household: households.H3, concernId: L1, worker: w3, at: '2026-02-20T02:00:00.000Z', method: '面訪家庭', items: ['福利諮詢'], who: ['P4'] });
  await service('S8', { household: households.H3, concernId: L1, worker: w3, at: '2026-03-15T02:00:00.000Z', method: '電訪家庭', items: ['其他'], who: ['P4'] });
  await service('S9', { household: households.H6, caseId: cases.C6, worker: w2, at: '2025-12-31T15:59:59.999Z', method: '電訪家庭', items: ['福利諮詢'], who: ['P7'] });
  await service('S10', { household: households.H7, caseId: cases.C7, worker: w2, at: '2026-01-16T02:30:00.000Z', method: '面訪家庭', items: ['福利諮詢'], who: ['P9'] });
  await service('S11', { household: households.H4, concernId: L5, worker: w3, at: '2026-04-02T02:00:00.000Z', method: '面訪家庭', items: ['其他'], who: [] });
  await service('S12', { household: households.H7, concernId: L6, worker: w2, at: '2025-12-01T02:00:00.000Z', method: '電訪家庭', items: ['其他'], who: [] });
  await service('S13', { household: households.H7, concernId: L6, worker: w2, at: '2026-05-01T02:00:00.000Z', method: '電訪家庭', items: ['其他'], who: [] });

  const referral = (household: number, caseId: number | null, by: number, on: string, status: string) =>
    db
      .insertInto('referrals')
      .values({ household_id: household, case_id: caseId, service_id: null, unit_kind: '勞政', unit_name: '就業服務站', reason: '就業協助', status, referred_on: on, created_at: TS, created_by: by, updated_at: TS, updated_by: by, version: 1 })
      .execute();
  await referral(households.H1, cases.C1, w1, '2026-01-10', '受案');
  await referral(households.H1, cases.C1, w1, '2026-03-31', '轉介等待中');
  await referral(households.H4, cases.C4, w3, '2026-04-01', '受案');
  await referral(households.H2, cases.C2, w2, '2025-12-31', '轉介完成');
  await referral(households.H3, null, w3, '2026-02-02', '不受案');

  const care = (household: number, high: number) =>
    db.insertInto('care_arrangements').values({ household_id: household, caregiver_person_id: null, caregiver_note: null, high_burden: high, updated_at: TS, updated_by: admin, version: 1 }).execute();
  await care(households.H1, 1);
  await care(households.H2, 1);
  await care(households.H3, 1);
  await care(households.H5, 0);

  return { team1, team2, admin, sup1, sup2, w1, w2, w3, clerk, households, cases, persons, services };
}

export interface ReportsApp {
  t: TestApp;
  d: Dataset;
  db: Kysely<Database>;
  tokenOf(userId: number): Promise<string>;
  call<N extends MethodName>(userId: number, method: N, input: ApiInput<N>): Promise<ApiOutput<N>>;
  raw(userId: number, method: string, input: unknown): Promise<Envelope<unknown>>;
  close(): Promise<void>;
}

/** The real app on a temp database, with the dataset above and sessions for its staff. */
export async function createReportsApp(): Promise<ReportsApp> {
  const t = await createTestApp();
  const db = t.app.ctx.db;
  await db.insertInto('settings').values({ key: 'center.name', value: JSON.stringify('南投市社會福利服務中心') }).onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify('南投市社會福利服務中心') })).execute();
  const d = await seedReportDataset(db);
  const tokenOf = (userId: number) => openSession(t.app, userId, t.clock.now);
  return {
    t,
    d,
    db,
    tokenOf,
    call: async (userId, method, input) => t.call(method, input, await tokenOf(userId)),
    raw: async (userId, method, input) => t.raw(method, input, await tokenOf(userId)),
    close: () => t.close(),
  };
}
