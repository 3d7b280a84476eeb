/**
 * The rows indicators count, with the joins and dimensions each offers. Aliases
 * are fixed per source (c = cases, h = households, s = service_records,
 * sp = service_participants, p = persons, u = the worker's users row,
 * l = long_term_concerns, r = referrals, m = household_members) so indicator
 * conditions can name them.
 *
 * Whose team: a case's team is cases.team_id (the lead worker's team); a service
 * record's, a referral's and a participant's is the current team of the worker
 * who recorded it; a long-term concern's is long_term_concerns.team_id.
 */
import { sql, type SqlBool } from 'kysely';
import { currentCodeSql } from '../../divisions/crosswalk';
import { ageBandDim, column, vulnerabilityDim, type DimImpl, type Source } from './engine';

/** District and 村里 are counted under the code current at the period's end (an old 桃園縣 code under 桃園市's). */
const householdDims = {
  district: { needs: ['h'], expr: (q) => currentCodeSql('h.town_code', q.period.to) } satisfies DimImpl,
  village: { needs: ['h'], expr: (q) => currentCodeSql('h.village_code', q.period.to) } satisfies DimImpl,
  householdType: column('h.household_type', ['h']),
};

/** cases as c (+ h). */
export const caseSource: Source = {
  name: 'cases',
  key: 'c.id',
  from: (db) => db.selectFrom('cases as c'),
  joins: { h: (qb) => qb.innerJoin('households as h', 'h.id', 'c.household_id') },
  dims: {
    worker: column('c.lead_worker_id', undefined, true),
    team: column('c.team_id', undefined, true),
    ...householdDims,
    caseType: column('c.case_type'),
    dimension: vulnerabilityDim('c.id'),
    caseStatus: column('c.status'),
  },
  team: { ref: 'c.team_id' },
};

const serviceJoins = {
  h: (qb: Parameters<Source['joins'][string]>[0]) => qb.innerJoin('households as h', 'h.id', 's.household_id'),
  c: (qb: Parameters<Source['joins'][string]>[0]) => qb.leftJoin('cases as c', 'c.id', 's.case_id'),
  u: (qb: Parameters<Source['joins'][string]>[0]) => qb.innerJoin('users as u', 'u.id', 's.worker_id'),
};

const serviceDims = {
  worker: column('s.worker_id', undefined, true),
  team: column('u.team_id', ['u'], true),
  ...householdDims,
  caseType: column('c.case_type', ['c']),
  dimension: vulnerabilityDim('s.case_id'),
  method: column('s.method'),
};

/** service_records as s (+ h, c, u). */
export const serviceSource: Source = {
  name: 'service_records',
  key: 's.id',
  from: (db) => db.selectFrom('service_records as s'),
  joins: serviceJoins,
  dims: serviceDims,
  team: { needs: ['u'], ref: 'u.team_id' },
};

/** service_participants as sp ⋈ service_records as s (+ p, h, c, u): one row per person present at a service. */
export const participantSource: Source = {
  name: 'service_participants',
  from: (db) => db.selectFrom('service_participants as sp').innerJoin('service_records as s', 's.id', 'sp.service_id'),
  joins: { p: (qb) => qb.innerJoin('persons as p', 'p.id', 'sp.person_id'), ...serviceJoins },
  late: { p: { on: 'sp.person_id', join: (qb, on) => qb.innerJoin('persons as p', 'p.id', on) } },
  dims: {
    ...serviceDims,
    ageBand: ageBandDim('p.birth_date', ['p']),
    sex: column('p.sex', ['p']),
  },
  team: { needs: ['u'], ref: 'u.team_id' },
};

/** long_term_concerns as l (+ h). */
export const concernSource: Source = {
  name: 'long_term_concerns',
  key: 'l.id',
  from: (db) => db.selectFrom('long_term_concerns as l'),
  joins: { h: (qb) => qb.innerJoin('households as h', 'h.id', 'l.household_id') },
  dims: {
    worker: column('l.worker_id', undefined, true),
    team: column('l.team_id', undefined, true),
    ...householdDims,
    concernReason: column('l.reason'),
  },
  team: { ref: 'l.team_id' },
};

/** referrals as r (+ h, c, u = the referring user). */
export const referralSource: Source = {
  name: 'referrals',
  key: 'r.id',
  from: (db) => db.selectFrom('referrals as r'),
  joins: {
    h: (qb) => qb.innerJoin('households as h', 'h.id', 'r.household_id'),
    c: (qb) => qb.leftJoin('cases as c', 'c.id', 'r.case_id'),
    u: (qb) => qb.leftJoin('users as u', 'u.id', 'r.created_by'),
  },
  dims: {
    worker: column('r.created_by', undefined, true),
    team: column('u.team_id', ['u'], true),
    ...householdDims,
    caseType: column('c.case_type', ['c']),
    dimension: vulnerabilityDim('r.case_id'),
    referralStatus: column('r.status'),
  },
  team: { needs: ['u'], ref: 'u.team_id' },
};

/** household_members as m ⋈ cases as c on the member's household (+ p, h): people in the households of cases. */
export const memberSource: Source = {
  name: 'household_members',
  from: (db) => db.selectFrom('household_members as m').innerJoin('cases as c', 'c.household_id', 'm.household_id'),
  joins: {
    p: (qb) => qb.innerJoin('persons as p', 'p.id', 'm.person_id'),
    h: (qb) => qb.innerJoin('households as h', 'h.id', 'm.household_id'),
  },
  late: { p: { on: 'm.person_id', join: (qb, on) => qb.innerJoin('persons as p', 'p.id', on) } },
  dims: {
    worker: column('c.lead_worker_id', undefined, true),
    team: column('c.team_id', undefined, true),
    ...householdDims,
    caseType: column('c.case_type'),
    dimension: vulnerabilityDim('c.id'),
    ageBand: ageBandDim('p.birth_date', ['p']),
    sex: column('p.sex', ['p']),
  },
  team: { ref: 'c.team_id' },
};

/**
 * households as h. A household belongs to the teams of its cases and of its
 * long-term concern, so a team restriction asks for either.
 */
export const householdSource: Source = {
  name: 'households',
  key: 'h.id',
  from: (db) => db.selectFrom('households as h'),
  joins: {},
  dims: householdDims,
  team: {
    where: (teams) =>
      sql<SqlBool>`(exists (select 1 from cases tc where tc.household_id = h.id and tc.team_id in (${sql.join(teams.map((t) => sql`${t}`))})) or exists (select 1 from long_term_concerns tl where tl.household_id = h.id and tl.team_id in (${sql.join(teams.map((t) => sql`${t}`))})))`,
  },
};

/** care_arrangements as ca (+ h): a household's care load (one row per household). */
export const careSource: Source = {
  name: 'care_arrangements',
  key: 'ca.household_id',
  from: (db) => db.selectFrom('care_arrangements as ca'),
  joins: { h: (qb) => qb.innerJoin('households as h', 'h.id', 'ca.household_id') },
  dims: householdDims,
  team: {
    where: (teams) =>
      sql<SqlBool>`(exists (select 1 from cases tc where tc.household_id = ca.household_id and tc.team_id in (${sql.join(teams.map((t) => sql`${t}`))})) or exists (select 1 from long_term_concerns tl where tl.household_id = ca.household_id and tl.team_id in (${sql.join(teams.map((t) => sql`${t}`))})))`,
  },
};
