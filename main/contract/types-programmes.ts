/**
 * Programmes, child development accounts, meetings and outreach (issue 6).
 * Pure: shared by the main process and the renderer.
 */

export const PROGRAMME_TYPES = ['脫貧自立', '兒少教育發展帳戶', '育兒指導', '家庭支持', '團體工作', '親職教育', '社區宣導', '就業促進'] as const;
export type ProgrammeType = (typeof PROGRAMME_TYPES)[number];

export const PROGRAMME_STATUSES = ['planned', 'running', 'ended'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];
export const PROGRAMME_STATUS_LABELS: Record<ProgrammeStatus, string> = { planned: '規劃中', running: '執行中', ended: '已結束' };

export const ENROLMENT_STATUSES = ['enrolled', 'completed', 'withdrew'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
export const ENROLMENT_STATUS_LABELS: Record<EnrolmentStatus, string> = { enrolled: '參與中', completed: '完成', withdrew: '退出' };

export const ATTENDANCE_STATUSES = ['出席', '請假', '缺席'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** The monthly self-deposits a family may choose (NT$), and the yearly cap. */
export const DEPOSIT_AMOUNTS = [500, 1000, 1250] as const;
export type DepositAmount = (typeof DEPOSIT_AMOUNTS)[number];
export const YEARLY_DEPOSIT_CAP = 15_000;
/** Children born on or after this date may hold an account. */
export const ACCOUNT_BORN_FROM = '2016-01-01';
/** An account is listed after this many whole months without a deposit. */
export const NO_DEPOSIT_MONTHS = 3;

export const MEETING_KINDS = ['聯繫會議', '個案研討'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export interface UserRefLite {
  id: number;
  name: string;
}

export interface ProgrammeRow {
  id: number;
  name: string;
  type: ProgrammeType;
  startsOn: string;
  endsOn: string;
  funder: string | null;
  partner: string | null;
  targetPeople: number | null;
  targetSessions: number | null;
  worker: UserRefLite | null;
  status: ProgrammeStatus;
  enrolled: number;
  sessions: number;
  version: number;
}

/**
 * One line of a programme's roster. Every staff member sees the name, enrolment and attendance (any
 * of them may run a session); person, birth date, household, outcome and eligibility hint only for
 * persons the caller may open (`inScope`), so a roster is no window onto another team's clients.
 */
export interface EnrolmentView {
  id: number;
  /** Null when the caller may not open the person. */
  personId: number | null;
  personName: string;
  inScope: boolean;
  birthDate: string | null;
  householdId: number | null;
  enrolledOn: string;
  endedOn: string | null;
  status: EnrolmentStatus;
  outcome: string | null;
  /** Attended sessions (出席) of this programme. */
  attended: number;
  /** zh-TW eligibility hint, e.g. 非低收／中低收入戶 for 脫貧自立; null when nothing to say. */
  hint: string | null;
  /** For the stale-save check of programmes.updateEnrolment (issue 11). */
  version: number;
  /** Earlier values (status, end date, outcome) before each edit, newest first; empty when not in scope. */
  history: EnrolmentHistoryEntry[];
}

export interface EnrolmentHistoryEntry {
  at: string;
  by: string | null;
  status: EnrolmentStatus;
  endedOn: string | null;
  outcome: string | null;
}

export interface SessionRow {
  id: number;
  programmeId: number;
  heldOn: string;
  place: string;
  topic: string;
  hours: number;
  facilitator: string | null;
  present: number;
  excused: number;
  absent: number;
}

export interface ProgrammeDetail extends ProgrammeRow {
  notes: string | null;
  enrolments: EnrolmentView[];
  sessionList: SessionRow[];
}

export interface SessionDetail extends SessionRow {
  programmeName: string;
  programmeType: ProgrammeType;
  /** Names for everyone (attendance is taken by name); personId only for persons the caller may open. */
  roster: { enrolmentId: number; personId: number | null; personName: string; inScope: boolean; status: AttendanceStatus | null }[];
}

export interface HouseholdProgrammes {
  enrolments: { programmeId: number; programmeName: string; type: ProgrammeType; personName: string; status: EnrolmentStatus; enrolledOn: string; endedOn: string | null }[];
  accounts: { id: number; personName: string; openedOn: string; monthlyAmount: number; lastDepositMonth: string | null }[];
  followUps: FollowUpView[];
}

export interface EligibleChild {
  personId: number;
  name: string;
  birthDate: string;
  householdId: number | null;
  /** Why eligible: 低收入戶, 中低收入戶 or 長期安置. */
  basis: string;
  accountId: number | null;
  openedOn: string | null;
  monthlyAmount: number | null;
  /** The long-term placement (長期安置), if any, with its version for the stale-save check (issue 11). */
  placedOn: string | null;
  placementVersion: number | null;
  /** The account's closing date, if closed. */
  closedOn: string | null;
}

export interface AccountView {
  id: number;
  personId: number;
  personName: string;
  householdId: number | null;
  openedOn: string;
  monthlyAmount: number;
  accountNo: string | null;
  closedOn: string | null;
  /** Why the account was closed (one of CLOSE_REASONS), while closed. */
  closeReason: CloseReason | null;
  version: number;
  deposits: { month: string; depositedOn: string; amount: number }[];
  /** Closings, reopenings and their reasons, newest first (issue 11). */
  history: AccountHistoryEntry[];
}

/** Why a child development account is closed (結清). */
export const CLOSE_REASONS = ['年滿十八歲', '喪失資格', '家長申請退出', '兒少死亡', '遷出本市', '其他'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export interface AccountHistoryEntry {
  action: 'close' | 'reopen';
  /** The closing date (close) or the date that was undone (reopen). */
  closedOn: string | null;
  reason: string | null;
  at: string;
  by: string | null;
}

export interface DepositGridRow {
  accountId: number;
  personName: string;
  householdId: number | null;
  openedOn: string;
  monthlyAmount: number;
  /** 'YYYY-MM' → amount, for the year asked. */
  months: Record<string, number>;
  yearTotal: number;
}

export interface NoDepositRow {
  accountId: number;
  personName: string;
  householdId: number | null;
  openedOn: string;
  lastDepositMonth: string | null;
  monthsWithout: number;
  /** The open follow-up raised for this alert, if any. */
  followUpId: number | null;
}

export interface FollowUpView {
  id: number;
  accountId: number;
  householdId: number | null;
  personName: string;
  raisedOn: string;
  lastDepositMonth: string | null;
  monthsWithout: number;
  resolvedOn: string | null;
  raisedBy: string | null;
}

export interface MeetingView {
  id: number;
  kind: MeetingKind;
  heldOn: string;
  title: string;
  units: string[];
  /** Only the case numbers the caller may open; the others are counted in casesHidden. */
  casesDiscussed: string[];
  casesHidden: number;
  /** Null when cases the caller may not open were discussed (the decisions are about them). */
  decisions: string | null;
}

export interface OutreachView {
  id: number;
  heldOn: string;
  place: string;
  topic: string;
  attendees: number;
  partner: string | null;
}

export interface ProgrammeFigures {
  from: string;
  to: string;
  figures: { id: string; name: string; unit: string; value: number | null; numerator?: number; denominator?: number }[];
}

/** Months 'YYYY-MM' between two (inclusive of a, exclusive of b). */
export function monthDiff(a: string, b: string): number {
  const [ay, am] = a.split('-').map(Number) as [number, number];
  const [by, bm] = b.split('-').map(Number) as [number, number];
  return (by - ay) * 12 + (bm - am);
}

export function addMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

/**
 * Whole months without a deposit before `currentMonth` (the current month is not
 * yet due): counted from the last deposit's month, or from the month before the
 * account's opening month when none was made.
 */
export function monthsWithoutDeposit(openedOn: string, lastDepositMonth: string | null, currentMonth: string): number {
  const since = lastDepositMonth ?? addMonth(openedOn.slice(0, 7), -1);
  return Math.max(0, monthDiff(since, currentMonth) - 1);
}

/** Which header (text of the first row) holds each field of a bank's deposit file. */
export interface BankImportMapping {
  accountNo: string;
  date: string;
  amount: string;
}

export interface BankImportResult {
  headers: string[];
  /** The mapping used: the one given, else the saved one; null when neither exists yet. */
  mapping: BankImportMapping | null;
  rows: number;
  imported: number;
  /** Rows already recorded (same account, date and amount). */
  skipped: number;
  problems: { row: number; message: string }[];
}
