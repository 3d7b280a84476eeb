/**
 * Demo cases, service records and referrals over the two years before `now`
 * (issue 3 §10). Runs after the households seeder and reads its households.
 *
 * Each case lives a plausible life (intake, dispatch, first contact,
 * assessment, an open / not-open / short-term request that is sometimes
 * returned once, service, a close request, closing, sometimes 再開案) and is
 * cut at `now`, so every status appears, with pending requests, overdue
 * follow-ups and dispatched cases nobody has contacted yet. Services come about
 * every two weeks while a case is worked (about two a month); long-term concern
 * households get their visits too. Narratives are short generic sentences.
 *
 * The city scale (~1M service records) is written through a second, raw
 * better-sqlite3 connection with prepared statements, one transaction per batch
 * of cases: Kysely's per-query compile would dominate at that volume.
 */
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { openSecondConnection } from '../../db/connection';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { addDays, todayIso, toRocYear } from '../contract/roc-date';
import type { CaseRequestKind, CaseSource, CaseStatus } from '../contract/types-cases';
import { appendAudit } from '../services/audit/log';
import { nextDueAfter } from '../services/concerns/service';
import { createLogger } from '../lib/logger';
import type { ConcernFrequency } from '../contract/types-households';
import { listDemoHouseholds, type DemoHousehold } from './households';
import type { DemoContext } from './index';
import type { Rng } from './random';

const log = createLogger('demo-cases');

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const TAIPEI = 8 * HOUR;

/** Share of households (outside long-term concern) that had a case in the two years. */
const CASE_SHARE = { small: 0.8, center: 0.7, city: 0.8 } as const;

const SOURCES: [CaseSource, number][] = [['A', 0.18], ['B', 0.42], ['C', 0.1], ['D', 0.18], ['E', 0.07], ['F', 0.05]];
const REFERRING_UNITS = ['南投縣政府社會及勞動處', '南投市公所', '南投國民小學', '衛生福利部南投醫院', '南投分局', '家庭暴力及性侵害防治中心', '村里辦公處'];
const CASE_TYPES: [string, number][] = [['脆弱家庭', 0.7], ['一般福利諮詢', 0.14], ['急難紓困', 0.11], ['其他', 0.05]];
const RISKS: [string, number][] = [['低', 0.5], ['中', 0.35], ['高', 0.15]];
const METHODS: [string, number][] = [
  ['電訪家庭', 0.34], ['面訪家庭', 0.3], ['網絡聯繫', 0.1], ['案家來電', 0.07], ['陪同服務', 0.04], ['校園訪視', 0.03],
  ['面談', 0.04], ['信箱回覆', 0.02], ['公文回覆', 0.02], ['資源拜訪', 0.02], ['機構訪視', 0.01], ['其他', 0.01],
];
const ITEMS = ['福利諮詢', '資源轉介', '經濟補助', '實物給付', '親職教育', '情緒支持', '就業協助', '其他'];
const UNITS: [string, string][] = [
  ['勞政', '南投就業中心'], ['衛政', '南投縣社區心理衛生中心'], ['教育', '南投國民中學輔導室'], ['警政', '南投分局'],
  ['民間團體', '家扶基金會南投分事務所'], ['民間團體', '南投縣老人福利協會'], ['社政', '南投縣政府社會救助科'],
];
const REFERRAL_REASONS = ['協助求職與職業訓練', '情緒困擾需心理諮商', '兒少課業輔導', '申請急難救助', '居家安全評估', '長照需求評估'];
const NARRATIVES = [
  '與案家電話聯繫，了解近況，案主表示生活大致穩定。',
  '家訪觀察居家環境，與主要照顧者討論照顧安排。',
  '陪同案主至區公所辦理福利申請。',
  '與學校輔導老師聯繫，了解兒少就學狀況。',
  '案主來電詢問補助申請進度，已說明流程。',
  '討論家庭收支規劃，提供相關資源資訊。',
  '關心案主情緒狀況，給予支持與鼓勵。',
  '與網絡單位聯繫，協調後續服務分工。',
];
const OPEN_REASONS: Record<CaseRequestKind, string[]> = {
  open: ['家庭功能受損，需持續處遇', '經濟困難且支持系統薄弱，建議開案'],
  'not-open': ['經評估案家資源足夠', '聯繫不上案家', '案家拒絕服務'],
  'short-term': ['需求單純，提供短期協助即可'],
  close: ['服務目標達成', '案家遷出轄區', '案家拒絕服務', '轉介其他單位持續服務'],
  transfer: ['案家遷至他組轄區'],
};
const RETURN_COMMENTS = ['請補充家庭支持系統評估', '請補充經濟狀況說明', '請再評估兒少照顧情形'];

function weighted<T>(rng: Rng, table: readonly [T, number][]): T {
  let r = rng.next();
  for (const [v, w] of table) {
    if ((r -= w) < 0) return v;
  }
  return (table.at(-1) as [T, number])[0];
}

/** A time during office hours (09:00-17:59 Taipei) on the Taipei day of `ms`, moved off weekends to Monday. */
function officeHours(rng: Rng, ms: number): number {
  let day = Math.floor((ms + TAIPEI) / DAY);
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  if (weekday === 6) day += 2;
  else if (weekday === 0) day += 1;
  return day * DAY - TAIPEI + (9 + rng.int(0, 8)) * HOUR + rng.int(0, 59) * 60_000;
}

const iso = (ms: number) => new Date(ms).toISOString();
const dateOf = (ms: number) => todayIso(new Date(ms));

interface Hist {
  from: CaseStatus | null;
  to: CaseStatus;
  action: string;
  reason: string | null;
  at: number;
  by: number;
}
interface Req {
  kind: CaseRequestKind;
  reason: string;
  transferTo: number | null;
  by: number;
  at: number;
  state: 'pending' | 'approved' | 'returned';
  decidedBy: number | null;
  decidedAt: number | null;
  comment: string | null;
  from: CaseStatus;
}
interface GenCase {
  id: number;
  hh: DemoHousehold;
  previousId: number | null;
  received: number;
  dispatched: number | null;
  firstContact: number | null;
  lead: number | null;
  team: number | null;
  assistants: number[];
  source: CaseSource;
  referringUnit: string | null;
  caseType: string;
  risk: string;
  factors: string[];
  status: CaseStatus;
  openedOn: string | null;
  closedOn: string | null;
  closeReason: string | null;
  /** When it closed (for 再開案), or null. */
  closedAt: number | null;
  createdBy: number;
  updatedAt: number;
  updatedBy: number;
  history: Hist[];
  requests: Req[];
  /** Services are recorded from first contact until this moment. */
  serveUntil: number;
}

interface FactorVersion {
  id: number;
  from: string;
  codes: string[];
}

/** The raw connection for bulk writes: the same file, opened a second time. */
async function rawConnection(db: Kysely<Database>): Promise<BetterSqlite3.Database> {
  // The same file and key as the handle (the database is encrypted).
  return Promise.resolve(openSecondConnection(db));
}

export async function seedCases(ctx: DemoContext): Promise<void> {
  const { db, rng, now, staff } = ctx;
  const started = Date.now();
  const nowMs = now.getTime();
  const startMs = nowMs - 730 * DAY;
  const households = await listDemoHouseholds(db);
  const teams = await db.selectFrom('teams').select(['id', 'supervisor_id']).execute();
  const supervisorOf = new Map(teams.map((t) => [t.id, t.supervisor_id ?? staff.admins[0] ?? 1]));
  const teamOf = new Map<number, number>();
  for (const [teamId, members] of staff.teams) for (const w of members) teamOf.set(w, teamId);
  const workersOf = (team: number | null) => (team !== null ? (staff.teams.get(team) ?? staff.workers) : staff.workers);
  const versions: FactorVersion[] = [];
  for (const v of await db.selectFrom('code_list_versions').select(['id', 'effective_from']).where('list', '=', 'vulnerability').orderBy('effective_from').execute()) {
    const items = await db.selectFrom('code_list_items').select('code').where('version_id', '=', v.id).where('group_code', 'is not', null).execute();
    versions.push({ id: v.id, from: v.effective_from, codes: items.map((i) => i.code) });
  }
  const versionOn = (date: string) => [...versions].reverse().find((v) => v.from <= date) ?? null;
  const maxCase = await db.selectFrom('cases').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
  let nextId = Number(maxCase?.m ?? 0);

  /** One episode, simulated up to now. */
  const simulate = (hh: DemoHousehold, receivedAt: number, previous: GenCase | null): GenCase => {
    const owner = hh.createdBy || (staff.workers[0] ?? 1);
    const ownerTeam = teamOf.get(owner) ?? null;
    const lead = previous?.lead ?? (rng.chance(0.8) ? owner : rng.pick(workersOf(ownerTeam)));
    const team = teamOf.get(lead) ?? ownerTeam;
    const sup = team !== null ? (supervisorOf.get(team) ?? owner) : owner;
    const source = weighted(rng, SOURCES);
    const caseType = weighted(rng, CASE_TYPES);
    const version = versionOn(dateOf(receivedAt));
    const factors = caseType === '脆弱家庭' && version ? [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(version.codes)))] : [];
    const team2 = workersOf(team).filter((w) => w !== lead);
    const c: GenCase = {
      id: ++nextId,
      hh,
      previousId: previous?.id ?? null,
      received: receivedAt,
      dispatched: null,
      firstContact: null,
      lead: null,
      team,
      assistants: rng.chance(0.2) && team2.length > 0 ? [rng.pick(team2)] : [],
      source,
      referringUnit: source === 'B' ? rng.pick(REFERRING_UNITS) : null,
      caseType,
      risk: weighted(rng, RISKS),
      factors,
      status: '待分派',
      openedOn: null,
      closedOn: null,
      closeReason: null,
      closedAt: null,
      createdBy: lead,
      updatedAt: receivedAt,
      updatedBy: lead,
      history: [],
      requests: [],
      serveUntil: receivedAt,
    };
    const move = (to: CaseStatus, action: string, reason: string | null, at: number, by: number) => {
      c.history.push({ from: c.history.length === 0 ? null : c.status, to, action, reason, at, by });
      c.status = to;
      c.updatedAt = at;
      c.updatedBy = by;
    };
    const until = (t: number) => {
      c.serveUntil = Math.min(t, nowMs);
      return t > nowMs;
    };

    // Intake: most come with a lead straight away; the rest wait for the supervisor to dispatch.
    if (previous) {
      c.lead = lead;
      c.dispatched = receivedAt;
      move('評估中', 'reopen', `再開案（前案 ${'{prev}'}）：家庭再次需要協助`, receivedAt, lead);
    } else if (nowMs - receivedAt < 7 * DAY ? rng.chance(0.5) : rng.chance(0.7)) {
      c.lead = lead;
      c.dispatched = receivedAt;
      move('評估中', 'intake', '收案並派案', receivedAt, lead);
    } else {
      move('待分派', 'intake', '收案，待督導派案', receivedAt, owner);
      // Some of the last week's intakes still wait in the supervisor's 待分派 queue.
      const at = receivedAt + rng.int(2, 96) * HOUR;
      if (at > nowMs || (nowMs - receivedAt < 7 * DAY && rng.chance(0.4))) {
        c.lead = null;
        return c;
      }
      c.lead = lead;
      c.dispatched = at;
      move('評估中', 'assign', '派案', at, sup);
    }
    c.createdBy = previous ? lead : owner;
    const dispatched = c.dispatched as number;
    // First contact: nearly always within a day, sometimes late, and for a few recent ones not yet.
    // Recently dispatched cases lag more often, so the 24-hour list has something to show today.
    const recent = nowMs - dispatched < 6 * DAY;
    const contact = dispatched + (rng.chance(0.9) ? rng.int(1, 20) : rng.int(26, 130)) * HOUR;
    c.firstContact = contact <= nowMs && !(recent && rng.chance(0.25)) ? contact : null;
    if (c.firstContact === null) return c;

    // Assessment, then the outcome request; sometimes returned once and asked again.
    const ask = (kind: CaseRequestKind, at: number, from: CaseStatus): Req => {
      const r: Req = { kind, reason: rng.pick(OPEN_REASONS[kind]), transferTo: null, by: lead, at, state: 'pending', decidedBy: null, decidedAt: null, comment: null, from };
      c.requests.push(r);
      const to: CaseStatus = kind === 'close' ? '結案審查中' : '開案審查中';
      move(to, `request-${kind}`, r.reason, at, lead);
      return r;
    };
    const review = (r: Req, at: number): 'pending' | 'approved' | 'returned' => {
      if (at > nowMs) return 'pending';
      const returned = r === c.requests.filter((x) => x.kind === r.kind)[0] && rng.chance(0.15);
      r.decidedBy = sup;
      r.decidedAt = at;
      if (returned) {
        r.state = 'returned';
        r.comment = rng.pick(RETURN_COMMENTS);
        move(r.from, 'return-review', `退回：${r.comment}`, at, sup);
        return 'returned';
      }
      r.state = 'approved';
      r.comment = '同意';
      return 'approved';
    };

    let askAt = officeHours(rng, dispatched + rng.int(7, 40) * DAY);
    if (until(askAt)) return c;
    const kind = weighted<CaseRequestKind>(rng, [['open', 0.6], ['not-open', 0.2], ['short-term', 0.2]]);
    let req = ask(kind, askAt, '評估中');
    let decided = officeHours(rng, askAt + rng.int(1, 10) * DAY);
    let outcome = review(req, decided);
    if (outcome === 'returned') {
      askAt = officeHours(rng, decided + rng.int(2, 7) * DAY);
      if (until(askAt)) return c;
      req = ask(kind, askAt, '評估中');
      decided = officeHours(rng, askAt + rng.int(1, 4) * DAY);
      outcome = review(req, decided);
      if (outcome === 'returned') outcome = 'pending'; // never twice in the demo
    }
    if (outcome === 'pending') {
      until(nowMs);
      return c;
    }
    const decidedDate = dateOf(decided);
    switch (kind) {
      case 'open':
        move('處遇中', 'approve-open', '核准：同意', decided, sup);
        c.openedOn = decidedDate;
        break;
      case 'short-term':
        move('短期服務', 'approve-short-term', '核准：同意', decided, sup);
        break;
      default:
        move('不開案', 'approve-not-open', '核准：同意', decided, sup);
        c.closedOn = decidedDate;
        c.closeReason = req.reason;
        c.closedAt = decided;
        c.serveUntil = decided;
        return c;
    }
    const serving = c.status;
    const closeAt = officeHours(rng, decided + (serving === '處遇中' ? rng.int(120, 540) : rng.int(30, 90)) * DAY);
    if (until(closeAt)) {
      // A few cases in service wait for a transfer decision right now.
      if (rng.chance(0.02) && team2.length > 0) {
        const at = nowMs - rng.int(1, 5) * DAY;
        if (at > decided) {
          c.requests.push({ kind: 'transfer', reason: OPEN_REASONS.transfer[0] as string, transferTo: rng.pick(team2), by: lead, at, state: 'pending', decidedBy: null, decidedAt: null, comment: null, from: serving });
          c.history.push({ from: serving, to: serving, action: 'request-transfer', reason: OPEN_REASONS.transfer[0] as string, at, by: lead });
        }
      }
      return c;
    }
    req = ask('close', closeAt, serving);
    decided = officeHours(rng, closeAt + rng.int(1, 10) * DAY);
    outcome = review(req, decided);
    if (outcome === 'returned') {
      const again = officeHours(rng, decided + rng.int(7, 30) * DAY);
      if (until(again)) return c;
      req = ask('close', again, serving);
      decided = officeHours(rng, again + rng.int(1, 4) * DAY);
      outcome = review(req, decided);
      if (outcome === 'returned') outcome = 'pending';
    }
    if (outcome === 'pending') {
      until(nowMs);
      return c;
    }
    move('已結案', 'approve-close', '核准：同意', decided, sup);
    c.closedOn = dateOf(decided);
    c.closeReason = req.reason;
    c.closedAt = decided;
    c.serveUntil = Math.min(c.serveUntil, decided);
    return c;
  };

  // Every household outside long-term concern may have had a case; some closed ones were reopened.
  const share = CASE_SHARE[ctx.scale.name];
  const cases: GenCase[] = [];
  for (const hh of households) {
    if (hh.concernId !== null || !rng.chance(share)) continue;
    // Mostly spread over the two years, with a recent wave so every early status shows today.
    const received = officeHours(rng, rng.chance(0.12) ? nowMs - rng.int(0, 30) * DAY : startMs + rng.int(0, 729) * DAY);
    if (received > nowMs) continue;
    const first = simulate(hh, received, null);
    cases.push(first);
    if (first.closedAt !== null && rng.chance(0.15)) {
      const again = officeHours(rng, first.closedAt + rng.int(30, 240) * DAY);
      if (again < nowMs - HOUR) cases.push(simulate(hh, again, first));
    }
  }

  // Small centers may miss a status by chance: add episodes received when that status is likely, keeping only hits.
  const WINDOWS: Record<CaseStatus, [number, number]> = {
    待分派: [0, 3],
    評估中: [2, 20],
    開案審查中: [15, 50],
    處遇中: [60, 300],
    不開案: [40, 300],
    短期服務: [40, 110],
    結案審查中: [130, 600],
    已結案: [200, 700],
  };
  const busy = new Set(cases.filter((c) => !['已結案', '不開案'].includes(c.status)).map((c) => c.hh.id));
  for (const status of Object.keys(WINDOWS) as CaseStatus[]) {
    const [from, to] = WINDOWS[status];
    for (let tries = 0; tries < 400 && !cases.some((c) => c.status === status); tries++) {
      const free = households.filter((h) => h.concernId === null && !busy.has(h.id));
      if (free.length === 0) break;
      const hh = rng.pick(free);
      const received = officeHours(rng, nowMs - rng.int(from, to) * DAY);
      // Never overlapping an earlier episode of the same household.
      if (received > nowMs || cases.some((c) => c.hh.id === hh.id && (c.closedAt ?? Number.POSITIVE_INFINITY) > received)) continue;
      const c = simulate(hh, received, null);
      if (c.status !== status) continue;
      cases.push(c);
      if (!['已結案', '不開案'].includes(c.status)) busy.add(hh.id);
    }
  }

  // Case numbers: per ROC year of the received date (Taipei), in order of receipt.
  const numbered = [...cases].sort((a, b) => a.received - b.received || a.id - b.id);
  const seqByYear = new Map<number, number>();
  for (const y of await db.selectFrom('cases').select(['roc_year', (eb) => eb.fn.max('seq').as('m')]).groupBy('roc_year').execute()) seqByYear.set(y.roc_year, Number(y.m));
  const caseNo = new Map<number, { year: number; seq: number; no: string }>();
  for (const c of numbered) {
    const year = toRocYear(Number(dateOf(c.received).slice(0, 4)));
    const seq = (seqByYear.get(year) ?? 0) + 1;
    seqByYear.set(year, seq);
    caseNo.set(c.id, { year, seq, no: `${year}-${String(seq).padStart(6, '0')}` });
  }

  const raw = await rawConnection(db);
  let records = 0;
  let referrals = 0;
  try {
    const insCase = raw.prepare(`insert into cases (id, case_no, roc_year, seq, household_id, previous_case_id, source, referring_unit, received_at, dispatched_at, first_contact_at,
      case_type, risk_level, code_list_version_id, status, lead_worker_id, team_id, opened_on, closed_on, close_reason, summary, created_at, created_by, updated_at, updated_by, version)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insAssistant = raw.prepare('insert into case_assistants (case_id, user_id) values (?, ?)');
    const insFactor = raw.prepare('insert into case_factors (case_id, code) values (?, ?)');
    const insHistory = raw.prepare('insert into case_status_history (case_id, from_status, to_status, action, reason, at, by_user) values (?, ?, ?, ?, ?, ?, ?)');
    const insRequest = raw.prepare(`insert into case_requests (case_id, kind, reason, transfer_to, requested_by, requested_at, state, decided_by, decided_at, decision_comment, from_status)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insRecord = raw.prepare(`insert into service_records (household_id, case_id, concern_id, occurred_at, method, minutes, items, narrative, next_follow_up, worker_id, created_at, created_by, updated_at, updated_by, version)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`);
    const insParticipant = raw.prepare('insert into service_participants (service_id, person_id) values (?, ?)');
    const insReferral = raw.prepare(`insert into referrals (household_id, case_id, service_id, unit_kind, unit_name, reason, status, referred_on, created_at, created_by, updated_at, updated_by, version)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insRefHistory = raw.prepare('insert into referral_status_history (referral_id, status, note, at, by_user) values (?, ?, ?, ?, ?)');

    const record = (hh: DemoHousehold, caseId: number | null, concernId: number | null, at: number, worker: number, method: string, followUp: string | null) => {
      const items = rng.chance(0.6) ? [rng.pick(ITEMS)] : [...new Set([rng.pick(ITEMS), rng.pick(ITEMS)])];
      const ts = iso(at);
      const id = Number(
        insRecord.run(hh.id, caseId, concernId, ts, method, rng.int(10, 120), JSON.stringify(items), rng.pick(NARRATIVES), followUp, worker, ts, worker, ts, worker).lastInsertRowid,
      );
      records++;
      const members = hh.memberIds;
      if (members.length > 0) {
        const a = rng.pick(members);
        insParticipant.run(id, a);
        if (members.length > 1 && rng.chance(0.35)) {
          const b = rng.pick(members);
          if (b !== a) insParticipant.run(id, b);
        }
      }
      return id;
    };

    const referral = (c: GenCase, serviceId: number, at: number, worker: number) => {
      const [kind, name] = rng.pick(UNITS);
      const age = (nowMs - at) / DAY;
      const path: string[] = ['轉介等待中'];
      const r = rng.next();
      if (age > 30) {
        if (r < 0.55) path.push('受案', '轉介完成');
        else if (r < 0.7) path.push('受案');
        else if (r < 0.8) path.push('不受案');
        else if (r < 0.88) path.push('退回');
        else if (r < 0.94) path.push('受案', '轉介失敗');
        else path.push('轉介失敗');
      } else if (age > 7 && r < 0.5) path.push('受案');
      const ts = iso(at);
      const last = at + (path.length - 1) * 5 * DAY;
      const refId = Number(
        insReferral.run(c.hh.id, c.id, serviceId, kind, name, rng.pick(REFERRAL_REASONS), path.at(-1), dateOf(at), ts, worker, iso(Math.min(last, nowMs)), worker, path.length).lastInsertRowid,
      );
      path.forEach((status, i) => insRefHistory.run(refId, status, i === 0 ? '轉介' : null, iso(Math.min(at + i * 5 * DAY, nowMs)), worker));
      referrals++;
    };

    const writeCase = (c: GenCase) => {
      const no = caseNo.get(c.id) as { year: number; seq: number; no: string };
      const prevNo = c.previousId !== null ? (caseNo.get(c.previousId)?.no ?? '') : '';
      const version = versionOn(dateOf(c.received));
      insCase.run(
        c.id, no.no, no.year, no.seq, c.hh.id, c.previousId, c.source, c.referringUnit, iso(c.received), c.dispatched !== null ? iso(c.dispatched) : null,
        c.firstContact !== null ? iso(c.firstContact) : null, c.caseType, c.risk, version?.id ?? null, c.status, c.lead, c.team, c.openedOn, c.closedOn, c.closeReason,
        null, iso(c.received), c.createdBy, iso(c.updatedAt), c.updatedBy, 1 + c.history.length,
      );
      for (const a of c.assistants) if (a !== c.lead) insAssistant.run(c.id, a);
      for (const code of c.factors) insFactor.run(c.id, code);
      for (const h of c.history) {
        insHistory.run(c.id, h.from, h.to, h.action, h.reason?.replace('{prev}', prevNo) ?? null, iso(h.at), h.by);
      }
      for (const r of c.requests) {
        insRequest.run(c.id, r.kind, r.reason, r.transferTo, r.by, iso(r.at), r.state, r.decidedBy, r.decidedAt !== null ? iso(r.decidedAt) : null, r.comment, r.from);
      }
      // Services: the first at first contact, then about every two weeks while the case is worked.
      if (c.firstContact === null || c.lead === null) return;
      let at = c.firstContact;
      let first = true;
      while (at <= c.serveUntil) {
        const nextAt = officeHours(rng, at + rng.int(7, 23) * DAY);
        const followUp = addDays(dateOf(at), rng.int(14, 30));
        const worker = c.assistants.length > 0 && rng.chance(0.15) ? (c.assistants[0] as number) : c.lead;
        const method = first ? rng.pick(['電訪家庭', '面訪家庭', '案家來電']) : weighted(rng, METHODS);
        const id = record(c.hh, c.id, null, at, worker, method, followUp);
        if (!first && rng.chance(0.04)) referral(c, id, at, worker);
        first = false;
        at = nextAt;
      }
    };

    const BATCH = 2000;
    const byId = [...cases].sort((a, b) => a.id - b.id);
    for (let i = 0; i < byId.length; i += BATCH) {
      const slice = byId.slice(i, i + BATCH);
      raw.transaction(() => {
        for (const c of slice) writeCase(c);
      })();
    }

    // Long-term concern households: their visits as service records, back from the last visit.
    const concerns = await db
      .selectFrom('long_term_concerns')
      .select(['id', 'household_id', 'frequency', 'interval_days', 'worker_id', 'start_date', 'last_visit_on'])
      .where('end_date', 'is', null)
      .where('last_visit_on', 'is not', null)
      .execute();
    const hhById = new Map(households.map((h) => [h.id, h]));
    const start = dateOf(startMs);
    raw.transaction(() => {
      for (const lc of concerns) {
        const hh = hhById.get(lc.household_id);
        if (!hh || lc.last_visit_on === null) continue;
        const visits: string[] = [];
        let d = lc.last_visit_on;
        const floor = lc.start_date > start ? lc.start_date : start;
        while (d >= floor && visits.length < 30) {
          visits.push(d);
          // Walk back one interval: the date whose next due is d.
          let back = addDays(d, -28);
          const freq = lc.frequency as ConcernFrequency;
          while (nextDueAfter(back, freq, lc.interval_days) > d) back = addDays(back, -7);
          d = back;
        }
        for (const v of visits.reverse()) {
          const at = officeHours(rng, Date.parse(`${v}T04:00:00.000Z`));
          record(hh, null, lc.id, Math.min(at, nowMs - HOUR), lc.worker_id, rng.chance(0.6) ? '面訪家庭' : '電訪家庭', null);
        }
      }
    })();
  } finally {
    raw.close();
  }

  const byStatus = new Map<string, number>();
  for (const c of cases) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
  await db.transaction().execute((trx) =>
    appendAudit(trx, { actor: null, actorLabel: '示範資料', action: 'import', entity: 'demo', detail: { part: 'cases', cases: cases.length, records, referrals } }, now),
  );
  const pending = cases.reduce((n, c) => n + c.requests.filter((r) => r.state === 'pending').length, 0);
  log.info(
    `cases ${cases.length} (${[...byStatus].map(([s, n]) => `${s} ${n}`).join(', ')}), pending requests ${pending}, ` +
      `service records ${records}, referrals ${referrals}, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
