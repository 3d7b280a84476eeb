/**
 * The best single SQLite statements written for the worklists and the monthly report's slow figures
 * (issue 13, item 8), on the raw tables only (no table the app maintains for speed), each giving the same answer
 * as the call: the whole ordered list where the call pages it (its total is the row count), the first page where
 * the call counts and pages in SQL. Used by bench/lists-and-monthly.ts.
 */
export interface Statement {
  sql: string;
  params: unknown[];
  /** The figure to compare with the call's total, when it is not the number of rows. */
  count?: (rows: unknown[]) => string;
}

const ACTIVE = "('待分派','評估中','開案審查中','處遇中','短期服務','結案審查中')";

export function worklistStatements(c: { workerId: number; teamId: number; today: string; nowIso: string }): Record<string, Statement> {
  const cutoff = new Date(Date.parse(c.nowIso) - 24 * 3600_000).toISOString();
  const firstOfCount = (rows: unknown[]) => String((rows[0] as { total?: number } | undefined)?.total ?? 0);
  // Follow-ups: the newest record of each active case (one probe per case on service_records(case_id, occurred_at)),
  // and of each concern household whose newest record is not a case's.
  const overdue = (caseWhere: string, concernWhere: string, params: unknown[], concernParams: unknown[]): Statement => ({
    sql: `select sr.id, sr.next_follow_up from cases c
            join service_records sr on sr.id = (select x.id from service_records x where x.case_id = c.id order by x.occurred_at desc, x.id desc limit 1)
          where c.status in ${ACTIVE} and ${caseWhere} and sr.next_follow_up < ?
          union all
          select sr.id, sr.next_follow_up from long_term_concerns l
            join service_records sr on sr.id = (select x.id from service_records x where x.household_id = l.household_id order by x.occurred_at desc, x.id desc limit 1)
          where l.end_date is null and ${concernWhere} and sr.case_id is null and sr.next_follow_up < ?
          order by 2, 1`,
    params: [...params, c.today, ...concernParams, c.today],
  });
  const mine = `c.id in (select id from cases where lead_worker_id = ? union select case_id from case_assistants where user_id = ?)`;
  const page = (where: string, params: unknown[]): Statement => ({
    sql: `select id, count(*) over () as total from cases c where ${where} order by received_at desc, id desc limit 50`,
    params,
    count: firstOfCount,
  });
  const concerns = (where: string, params: unknown[]): Statement => ({
    sql: `select l.id, l.next_due, count(*) over () as total from long_term_concerns l where l.end_date is null and l.next_due < ? and ${where} order by l.next_due, l.id limit 50`,
    params: [c.today, ...params],
    count: firstOfCount,
  });
  const uncontacted = (where: string, params: unknown[]): Statement => ({
    sql: `select c.id from cases c where c.first_contact_at is null and c.dispatched_at is not null and c.dispatched_at <= ? and c.status in ${ACTIVE} and ${where} order by c.dispatched_at`,
    params: [cutoff, ...params],
  });
  const approvals = (where: string, params: unknown[]): Statement => ({
    sql: `select r.id from case_requests r join cases c on c.id = r.case_id where r.state = 'pending' and ${where} order by r.requested_at, r.id`,
    params,
  });
  return {
    myCaseload: page(`c.status in ${ACTIVE} and ${mine}`, [c.workerId, c.workerId]),
    teamCaseload: page(`c.status in ${ACTIVE} and c.team_id = ?`, [c.teamId]),
    teamCaseloadAll: page(`c.status in ${ACTIVE}`, []),
    approvals: approvals('c.team_id = ?', [c.teamId]),
    approvalsAll: approvals('1 = 1', []),
    overdueWorker: overdue(mine, 'l.worker_id = ?', [c.workerId, c.workerId], [c.workerId]),
    overdueTeam: overdue('c.team_id = ?', 'l.team_id = ?', [c.teamId], [c.teamId]),
    overdueAll: overdue('1 = 1', '1 = 1', [], []),
    concernsWorker: concerns('l.worker_id = ?', [c.workerId]),
    concernsTeam: concerns('l.team_id = ?', [c.teamId]),
    concernsAll: concerns('1 = 1', []),
    uncontactedTeam: uncontacted('c.team_id = ?', [c.teamId]),
    uncontactedAll: uncontacted('1 = 1', []),
  };
}

/**
 * The child-account figures of a month (programmes/indicators.ts conventions): eligible children (born
 * 2016-01-01 .. period end; the child or a current member of its current household held 低收/中低收 on a day
 * of the period, or placed by the period end), and of them those with an account open at the period end. A team:
 * children with an account created by a member of the team.
 */
export function monthlyStatements(p: { from: string; to: string }): Record<string, (team?: number) => Statement> {
  const eligible = (team: number | undefined) => `
    select ch.id from persons ch
    where ch.birth_date >= '2016-01-01' and ch.birth_date <= ?
      ${team === undefined ? '' : 'and ch.id in (select xa.person_id from child_accounts xa join users xu on xu.id = xa.created_by where xu.team_id = ?)'}
      and (ch.id in (select s.person_id from person_income_status s where s.valid_from <= ? and (s.valid_to is null or s.valid_to >= ?) and s.status in ('low','mid-low'))
        or ch.id in (select xm.person_id from household_members xm join household_members xo on xo.household_id = xm.household_id and xo.left_on is null
                     join person_income_status s on s.person_id = xo.person_id and s.valid_from <= ? and (s.valid_to is null or s.valid_to >= ?) and s.status in ('low','mid-low')
                     where xm.left_on is null)
        or ch.id in (select person_id from child_placements where placed_on <= ?))`;
  const params = (team: number | undefined) => [p.to, ...(team === undefined ? [] : [team]), p.to, p.from, p.to, p.from, p.to];
  return {
    'childAccounts.eligible': (team) => ({ sql: `select count(*) as n from (${eligible(team)})`, params: params(team) }),
    'childAccounts.openingRate': (team) => ({
      sql: `select sum(exists (select 1 from child_accounts ca where ca.person_id = e.id and ca.opened_on <= ? and (ca.closed_on is null or ca.closed_on > ?))) as numerator, count(*) as denominator from (${eligible(team)}) e`,
      params: [p.to, p.to, ...params(team)],
    }),
  };
}
