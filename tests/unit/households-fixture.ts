/**
 * A small center for the households, concerns and search tests: an admin, two teams (each a 督導
 * and two 社工), a 實物銀行 clerk and a 稽核, the demo district's divisions, and helpers that
 * write the cases table directly (the cases service belongs to another domain; its rows are just data here).
 */
import type { ApiInput } from '../../main/contract/api';
import type { Envelope } from '../../main/contract/envelope';
import { DEMO_DIVISIONS, seedDemoDivisions } from '../../main/demo/households';
import type { Role } from '../../main/contract/roles';
import { createTestApp, openSession, setIdleLockMinutes, type TestApp } from '../helpers/app';

export const VILLAGE = DEMO_DIVISIONS.find((d) => d.level === 'village')?.code as string; // 中興里
export const VILLAGE2 = DEMO_DIVISIONS.filter((d) => d.level === 'village')[1]?.code as string; // 平和里

export interface Center {
  t: TestApp;
  admin: string;
  adminId: number;
  team1: number;
  team2: number;
  sup1: { id: number; token: string };
  sup2: { id: number; token: string };
  w1: { id: number; token: string };
  w2: { id: number; token: string };
  w3: { id: number; token: string }; // team 2
  clerk: { id: number; token: string };
  auditor: { id: number; token: string };
}

/**
 * Accounts are written straight to the users table and signed in through the session store:
 * the password hashing of auth.login costs a second per user, and sign-in is not what these tests are about.
 */
async function addUser(t: TestApp, username: string, role: Role, teamId: number | null): Promise<{ id: number; token: string }> {
  const ts = t.clock.now.toISOString();
  const row = await t.app.ctx.db
    .insertInto('users')
    .values({ username, display_name: `${username}姓名`, role, team_id: teamId, password_hash: 'unused', must_change_password: 0, failed_logins: 0, locked_until: null, disabled_at: null, created_at: ts, updated_at: ts, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token: await openSession(t.app, row.id, t.clock.now) };
}

export async function createCenter(): Promise<Center> {
  const t = await createTestApp();
  const admin = await t.setupAdmin();
  await setIdleLockMinutes(t.app, 7 * 24 * 60); // tests move the clock by hours
  const adminId = (await t.call('auth.status', {}, admin)).session?.user.id as number;
  const db = t.app.ctx.db;
  const team = async (name: string) => (await db.insertInto('teams').values({ name, supervisor_id: null, created_at: 'x' }).returning('id').executeTakeFirstOrThrow()).id;
  const team1 = await team('第一組');
  const team2 = await team('第二組');
  const sup1 = await addUser(t, 'sup1', 'supervisor', team1);
  const sup2 = await addUser(t, 'sup2', 'supervisor', team2);
  await db.updateTable('teams').set({ supervisor_id: sup1.id }).where('id', '=', team1).execute();
  await db.updateTable('teams').set({ supervisor_id: sup2.id }).where('id', '=', team2).execute();
  const w1 = await addUser(t, 'sw1', 'worker', team1);
  const w2 = await addUser(t, 'sw2', 'worker', team1);
  const w3 = await addUser(t, 'sw3', 'worker', team2);
  const clerk = await addUser(t, 'clerk', 'foodbank', null);
  const auditor = await addUser(t, 'auditor', 'auditor', null);
  await seedDemoDivisions(db);
  return { t, admin, adminId, team1, team2, sup1, sup2, w1, w2, w3, clerk, auditor };
}

export type PersonInput = ApiInput<'persons.create'>;

export async function person(c: Center, token: string, input: PersonInput) {
  return c.t.call('persons.create', input, token);
}

/** A household with its head (and optional further members), created by `token`'s user. */
export async function household(
  c: Center,
  token: string,
  head: PersonInput,
  opts: { street?: string; village?: string; phone?: string; others?: { person: PersonInput; relation: ApiInput<'households.addMember'>['relation'] }[] } = {},
) {
  const h = await person(c, token, head);
  const hh = await c.t.call(
    'households.create',
    { address: { villageCode: opts.village ?? VILLAGE, neighborhood: '5', street: opts.street ?? '中山路100號' }, householdType: '雙親', phone: opts.phone ?? null, head: { personId: h.id, joinedOn: '2025-01-01' } },
    token,
  );
  for (const o of opts.others ?? []) {
    const p = await person(c, token, o.person);
    await c.t.call('households.addMember', { householdId: hh.id, personId: p.id, relation: o.relation, joinedOn: '2025-01-01' }, token);
  }
  return c.t.call('households.get', { id: hh.id }, token);
}

let caseSeq = 0;
/** Inserts a case row as the cases service would (status, lead worker, team). */
export async function insertCase(c: Center, householdId: number, leadWorkerId: number, teamId: number | null, status = '處遇中', caseNo?: string) {
  caseSeq++;
  const no = caseNo ?? `115-${String(caseSeq).padStart(6, '0')}`;
  const [y, s] = no.split('-');
  const ts = `${Number(y) + 1911}-01-10T02:00:00.000Z`;
  const row = await c.t.app.ctx.db
    .insertInto('cases')
    .values({
      case_no: no, roc_year: Number(y), seq: Number(s), household_id: householdId, previous_case_id: null, source: 'A', referring_unit: null,
      received_at: ts, dispatched_at: ts, first_contact_at: null, case_type: '脆弱家庭', risk_level: '中', code_list_version_id: null, status,
      lead_worker_id: leadWorkerId, team_id: teamId, opened_on: '2026-01-20', closed_on: null, close_reason: null, summary: '機密摘要',
      created_at: ts, created_by: leadWorkerId, updated_at: ts, updated_by: leadWorkerId, version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, caseNo: no };
}

export async function auditRows(c: Center) {
  return c.t.app.ctx.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
}

/** Row counts of every table this domain writes: a refused call must leave them unchanged. */
export async function domainCounts(c: Center): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['persons', 'households', 'household_members', 'long_term_concerns', 'care_needs', 'care_arrangements', 'ltc_services', 'search_terms'] as const) {
    const r = await c.t.app.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  const versions = await c.t.app.ctx.db.selectFrom('persons').select(['id', 'version']).execute();
  out.personVersions = versions.reduce((a, r) => a + r.version, 0);
  const hv = await c.t.app.ctx.db.selectFrom('households').select(['version']).execute();
  out.householdVersions = hv.reduce((a, r) => a + r.version, 0);
  return out;
}

export function errorOf(env: Envelope<unknown>) {
  if (env.ok) throw new Error(`expected a refusal, got ${JSON.stringify(env.value).slice(0, 200)}`);
  return env.error;
}
