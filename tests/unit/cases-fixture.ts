/**
 * A small center for the case, record and worklist tests: two teams with a
 * supervisor and workers each, an administrator, a food-bank clerk and an
 * auditor. Staff rows are inserted directly and signed in through the real
 * session store (no password hashing: these tests are about cases), then every
 * call goes through the real dispatcher. Households are inserted with SQL so
 * these tests do not depend on the households service (indexed for search
 * as the households service would).
 */
import type { ApiInput, ApiOutput, MethodName } from '../../main/contract/api';
import type { Envelope } from '../../main/contract/envelope';
import type { Role } from '../../main/contract/roles';
import type { CaseDetail, CaseRequestKind, CaseStatus } from '../../main/contract/types-cases';
import { indexHousehold, indexPerson } from '../../main/services/search/terms';
import { createTestApp, openSession, type TestApp } from '../helpers/app';

export interface Staff {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  teamId: number | null;
}

export interface Fixture {
  t: TestApp;
  team1: number;
  team2: number;
  admin: Staff;
  sup1: Staff;
  sup2: Staff;
  /** team 1 */
  w1: Staff;
  w2: Staff;
  /** team 2 */
  w3: Staff;
  clerk: Staff;
  auditor: Staff;
  call<N extends MethodName>(who: Staff, method: N, input: ApiInput<N>): Promise<ApiOutput<N>>;
  raw(who: Staff, method: string, input: unknown): Promise<Envelope<unknown>>;
  /** A household with a 戶長 and two more members, created by `by` (so a worker may see it). */
  household(by: Staff | null, opts?: { head?: string }): Promise<{ id: number; persons: number[] }>;
  /** Intake by `who` (default w1 as lead) on a fresh household. */
  intake(who?: Staff, input?: Partial<ApiInput<'cases.intake'>>): Promise<CaseDetail>;
  /** A fresh case on team 1 (w1 lead) brought to `status` through the API. */
  caseIn(status: CaseStatus): Promise<CaseDetail>;
  /** Puts a pending request of `kind` on a case directly (SQL), replacing any pending one. */
  forcePending(caseId: number, kind: CaseRequestKind, fromStatus: CaseStatus, by: Staff): Promise<number>;
  /** Minutes before the clock, as a UTC ISO timestamp. */
  ago(minutes: number): string;
  close(): Promise<void>;
}

export async function createFixture(): Promise<Fixture> {
  const t = await createTestApp();
  const db = t.app.ctx.db;
  const ts = t.clock.now.toISOString();
  const team = async (name: string) => (await db.insertInto('teams').values({ name, supervisor_id: null, created_at: ts }).returning('id').executeTakeFirstOrThrow()).id;
  const team1 = await team('第一組');
  const team2 = await team('第二組');
  const user = async (username: string, displayName: string, role: Role, teamId: number | null): Promise<Staff> => {
    const row = await db
      .insertInto('users')
      .values({
        username,
        display_name: displayName,
        role,
        team_id: teamId,
        password_hash: 'scrypt$not-used-in-these-tests',
        must_change_password: 0,
        failed_logins: 0,
        locked_until: null,
        disabled_at: null,
        created_at: ts,
        updated_at: ts,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, username, displayName, role, teamId };
  };
  const admin = await user('admin', '林管理', 'admin', null);
  const sup1 = await user('sup1', '王督導', 'supervisor', team1);
  const sup2 = await user('sup2', '陳督導', 'supervisor', team2);
  await db.updateTable('teams').set({ supervisor_id: sup1.id }).where('id', '=', team1).execute();
  await db.updateTable('teams').set({ supervisor_id: sup2.id }).where('id', '=', team2).execute();
  const w1 = await user('w1', '張社工', 'worker', team1);
  const w2 = await user('w2', '李社工', 'worker', team1);
  const w3 = await user('w3', '黃社工', 'worker', team2);
  const clerk = await user('clerk', '吳小舖', 'foodbank', null);
  const auditor = await user('auditor', '周稽核', 'auditor', null);

  /** A fresh session at the current clock: moving time never locks a test out. */
  const tokenOf = (who: Staff) =>
    openSession(t.app, who.id, t.clock.now);
  const call: Fixture['call'] = async (who, method, input) => t.call(method, input, await tokenOf(who));
  const raw: Fixture['raw'] = async (who, method, input) => t.raw(method, input, await tokenOf(who));

  let personSeq = 0;
  const household: Fixture['household'] = async (by, opts = {}) => {
    const now = t.clock.now.toISOString();
    const h = await db
      .insertInto('households')
      .values({ county_code: null, town_code: null, village_code: null, neighborhood: null, street: '中正路1號', household_type: '其他', phone: null, notes: null, created_at: now, created_by: by?.id ?? null, updated_at: now, updated_by: by?.id ?? null, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const persons: number[] = [];
    const names = [opts.head ?? `戶長${++personSeq}`, `配偶${personSeq}`, `子女${personSeq}`];
    const relations = ['戶長', '配偶', '子女'];
    for (let i = 0; i < names.length; i++) {
      const p = await db
        .insertInto('persons')
        .values({ name: names[i] as string, national_id: null, birth_date: '1980-01-01', sex: null, phone: null, disability_level: null, income_status: null, notes: null, created_at: now, created_by: by?.id ?? null, updated_at: now, updated_by: by?.id ?? null, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      persons.push(p.id);
      // Whoever inserts persons keeps the search index in step (services/search/terms.ts).
      await indexPerson(db, p.id);
      await db
        .insertInto('household_members')
        .values({ household_id: h.id, person_id: p.id, relation: relations[i] as string, joined_on: '2020-01-01', left_on: null, left_reason: null, created_at: now, created_by: by?.id ?? null })
        .execute();
    }
    await indexHousehold(db, h.id);
    return { id: h.id, persons };
  };

  const ago = (minutes: number) => new Date(t.clock.now.getTime() - minutes * 60_000).toISOString();

  const intake: Fixture['intake'] = async (who = w1, input = {}) => {
    const hh = input.householdId !== undefined ? { id: input.householdId } : await household(who);
    return call(who, 'cases.intake', {
      source: 'A',
      receivedAt: ago(60),
      caseType: '脆弱家庭',
      factors: ['1-01'],
      riskLevel: '中',
      leadWorkerId: who.role === 'worker' ? who.id : w1.id,
      assistantIds: [],
      ...input,
      householdId: hh.id,
    });
  };

  const caseIn: Fixture['caseIn'] = async (status) => {
    const request = async (c: CaseDetail, kind: CaseRequestKind) => call(w1, 'cases.request', { caseId: c.id, kind, reason: `申請${kind}` });
    const approve = async (c: CaseDetail) => {
      const req = c.pendingRequest;
      if (!req) throw new Error('no pending request');
      return call(sup1, 'cases.decide', { requestId: req.id, approve: true, comment: '同意' });
    };
    switch (status) {
      case '待分派':
        return intake(w1, { leadWorkerId: null });
      case '評估中':
        return intake(w1);
      case '開案審查中':
        return request(await intake(w1), 'open');
      case '處遇中':
        return approve(await request(await intake(w1), 'open'));
      case '不開案':
        return approve(await request(await intake(w1), 'not-open'));
      case '短期服務':
        return approve(await request(await intake(w1), 'short-term'));
      case '結案審查中':
        return request(await approve(await request(await intake(w1), 'open')), 'close');
      case '已結案':
        return approve(await request(await approve(await request(await intake(w1), 'open')), 'close'));
      default: {
        const never: never = status;
        throw new Error(`unknown status ${String(never)}`);
      }
    }
  };

  const forcePending: Fixture['forcePending'] = async (caseId, kind, fromStatus, by) => {
    await db.updateTable('case_requests').set({ state: 'withdrawn' }).where('case_id', '=', caseId).where('state', '=', 'pending').execute();
    const row = await db
      .insertInto('case_requests')
      .values({
        case_id: caseId,
        kind,
        reason: `測試用${kind}申請`,
        transfer_to: kind === 'transfer' ? w2.id : null,
        requested_by: by.id,
        requested_at: t.clock.now.toISOString(),
        state: 'pending',
        decided_by: null,
        decided_at: null,
        decision_comment: null,
        from_status: fromStatus,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };

  return { t, team1, team2, admin, sup1, sup2, w1, w2, w3, clerk, auditor, call, raw, household, intake, caseIn, forcePending, ago, close: () => t.close() };
}

/** The error body of a refused call. */
export async function refused(p: Promise<unknown>): Promise<{ code: string; message: string; details?: Record<string, unknown>; fields?: Record<string, string> }> {
  try {
    await p;
  } catch (err) {
    const body = (err as { body?: { code: string; message: string } }).body;
    if (body) return body;
    throw err;
  }
  throw new Error('expected the call to be refused');
}
