/**
 * Cases, service records, referrals, code lists and worklists as the UI sees
 * them (issue 3 §2-§5). The vocabularies are DOMAIN.md's, in zh-TW, because
 * they are shown and reported exactly as written.
 */

/** 個案狀態, in the order of the flow. */
export const CASE_STATUSES = ['待分派', '評估中', '開案審查中', '處遇中', '不開案', '短期服務', '結案審查中', '已結案'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** A closed episode: read-only, may be reopened (再開案) as a new case. */
export const CLOSED_CASE_STATUSES: readonly CaseStatus[] = ['不開案', '已結案'];
export const ACTIVE_CASE_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((s) => !CLOSED_CASE_STATUSES.includes(s));

/** 案件來源 A-F. */
export const CASE_SOURCES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
export const CASE_SOURCE_LABELS: Record<CaseSource, string> = {
  A: '自行求助',
  B: '網絡轉介或政府單位',
  C: '主動發掘',
  D: '民眾通報',
  E: '家長或監護者',
  F: '其他',
};

export const CASE_TYPES = ['脆弱家庭', '一般福利諮詢', '急難紓困', '其他'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const RISK_LEVELS = ['低', '中', '高'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** What a worker asks the supervisor to approve. */
export const CASE_REQUEST_KINDS = ['open', 'not-open', 'short-term', 'close', 'transfer'] as const;
export type CaseRequestKind = (typeof CASE_REQUEST_KINDS)[number];
export const CASE_REQUEST_KIND_LABELS: Record<CaseRequestKind, string> = {
  open: '開案',
  'not-open': '不開案',
  'short-term': '短期服務',
  close: '結案',
  transfer: '轉案',
};
export type CaseRequestState = 'pending' | 'approved' | 'returned' | 'withdrawn';
export const CASE_REQUEST_STATE_LABELS: Record<CaseRequestState, string> = {
  pending: '審查中',
  approved: '已核准',
  returned: '已退回',
  withdrawn: '已撤回',
};

/**
 * Every workflow action on a case. The server answers which of them the caller
 * may take now (CaseDetail.allowed), so screens show only the buttons that work.
 */
export const CASE_ACTIONS = [
  'assign',
  'edit',
  'first-contact',
  'record-service',
  'request-open',
  'request-not-open',
  'request-short-term',
  'request-close',
  'request-transfer',
  'approve-open',
  'approve-not-open',
  'approve-short-term',
  'approve-close',
  'approve-transfer',
  'return-review',
  'return-transfer',
  'withdraw',
  'reopen',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** 服務方式 */
export const SERVICE_METHODS = [
  '電訪家庭',
  '面訪家庭',
  '陪同服務',
  '網絡聯繫',
  '案家來電',
  '校園訪視',
  '面談',
  '信箱回覆',
  '公文回覆',
  '資源拜訪',
  '機構訪視',
  '其他',
] as const;
export type ServiceMethod = (typeof SERVICE_METHODS)[number];

/** 服務項目 */
export const SERVICE_ITEMS = ['福利諮詢', '資源轉介', '經濟補助', '實物給付', '親職教育', '情緒支持', '就業協助', '其他'] as const;
export type ServiceItem = (typeof SERVICE_ITEMS)[number];

export const REFERRAL_UNIT_KINDS = ['勞政', '衛政', '教育', '警政', '民間團體', '社政', '其他'] as const;
export type ReferralUnitKind = (typeof REFERRAL_UNIT_KINDS)[number];

/** 轉介狀態 */
export const REFERRAL_STATUSES = ['轉介等待中', '受案', '不受案', '退回', '轉介完成', '轉介失敗'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Code lists the administrator maintains with effective dates. */
export const CODE_LISTS = ['vulnerability'] as const;
export type CodeListName = (typeof CODE_LISTS)[number];
export const CODE_LIST_LABELS: Record<CodeListName, string> = { vulnerability: '脆弱性因子' };

export interface UserRef {
  id: number;
  name: string;
}

// --- code lists ---------------------------------------------------------------

export interface CodeListVersionView {
  id: number;
  list: CodeListName;
  effectiveFrom: string;
  /** The day before the next version takes effect; null for the newest. */
  effectiveTo: string | null;
  note: string | null;
  itemCount: number;
  createdAt: string;
  createdBy: UserRef | null;
}

export interface CodeListItemView {
  code: string;
  /** The 面向 a factor belongs to; null for a 面向 itself. */
  group: string | null;
  label: string;
  sort: number;
}

export interface CodeListView {
  version: CodeListVersionView;
  /** Top-level entries (the six 面向), each with its factors. */
  groups: { code: string; label: string; items: CodeListItemView[] }[];
}

export interface CodedFactor {
  code: string;
  label: string;
  group: string | null;
  groupLabel: string | null;
}

// --- cases --------------------------------------------------------------------

export interface CaseRequestView {
  id: number;
  caseId: number;
  kind: CaseRequestKind;
  reason: string;
  transferTo: UserRef | null;
  requestedBy: UserRef;
  requestedAt: string;
  state: CaseRequestState;
  decidedBy: UserRef | null;
  decidedAt: string | null;
  comment: string | null;
  fromStatus: CaseStatus | null;
}

export interface CaseHistoryView {
  id: number;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  action: string;
  reason: string | null;
  at: string;
  by: UserRef;
}

export interface CaseDetail {
  id: number;
  caseNo: string;
  householdId: number;
  /** 戶長 name, for headings. */
  headName: string | null;
  previousCase: { id: number; caseNo: string } | null;
  /** The episode this one was reopened as (再開案), if any. */
  nextCase: { id: number; caseNo: string } | null;
  source: CaseSource;
  referringUnit: string | null;
  receivedAt: string;
  dispatchedAt: string | null;
  firstContactAt: string | null;
  caseType: CaseType;
  riskLevel: RiskLevel | null;
  codeListVersion: { id: number; effectiveFrom: string } | null;
  factors: CodedFactor[];
  status: CaseStatus;
  lead: UserRef | null;
  assistants: UserRef[];
  team: { id: number; name: string } | null;
  openedOn: string | null;
  closedOn: string | null;
  closeReason: string | null;
  summary: string | null;
  createdAt: string;
  createdBy: UserRef | null;
  updatedAt: string;
  updatedBy: UserRef | null;
  version: number;
  history: CaseHistoryView[];
  requests: CaseRequestView[];
  pendingRequest: CaseRequestView | null;
  /** The workflow actions the caller may take now. */
  allowed: CaseAction[];
}

export interface ReopenResult {
  case: CaseDetail;
  /** Factors of the old case that the code list in force on the new received date no longer has. */
  droppedFactors: CodedFactor[];
}

/** A case as listed (caseloads, household pages): no sensitive text. */
export interface CaseListRow {
  id: number;
  caseNo: string;
  householdId: number;
  headName: string | null;
  status: CaseStatus;
  caseType: CaseType;
  riskLevel: RiskLevel | null;
  receivedAt: string;
  dispatchedAt: string | null;
  firstContactAt: string | null;
  lead: UserRef | null;
  teamId: number | null;
  /** The caller's part in the case. */
  myRole: 'lead' | 'assistant' | null;
  lastServiceAt: string | null;
  pendingRequest: CaseRequestKind | null;
}

export interface CaseloadPage {
  rows: CaseListRow[];
  total: number;
}

export interface TeamCaseloadPage extends CaseloadPage {
  /** Per lead worker of the chosen teams: cases by status (all statuses, ignoring the status filter). */
  perWorker: { worker: UserRef; teamId: number | null; active: number; byStatus: Partial<Record<CaseStatus, number>> }[];
}

export interface ApprovalRow {
  request: CaseRequestView;
  caseNo: string;
  householdId: number;
  headName: string | null;
  caseStatus: CaseStatus;
  caseType: CaseType;
  riskLevel: RiskLevel | null;
  lead: UserRef | null;
  teamId: number | null;
  /** False for the caller's own requests (nobody approves their own). */
  canDecide: boolean;
}

// --- service records and referrals ---------------------------------------------

export interface ReferralHistoryView {
  id: number;
  status: ReferralStatus;
  note: string | null;
  at: string;
  by: UserRef;
}

export interface ReferralView {
  id: number;
  householdId: number;
  caseId: number | null;
  caseNo: string | null;
  serviceId: number | null;
  unitKind: ReferralUnitKind;
  unitName: string;
  /** The resource-map entry it was sent to (issue 14 §3); null for a unit typed by hand. */
  resourceId: number | null;
  reason: string;
  status: ReferralStatus;
  referredOn: string;
  createdBy: UserRef | null;
  updatedAt: string;
  version: number;
  history: ReferralHistoryView[];
}

/** A service record without its narrative (that is fetched, and audited, on its own). */
export interface ServiceRecordView {
  id: number;
  householdId: number;
  caseId: number | null;
  caseNo: string | null;
  concernId: number | null;
  occurredAt: string;
  method: ServiceMethod;
  minutes: number;
  items: ServiceItem[];
  participants: UserRef[];
  hasNarrative: boolean;
  nextFollowUp: string | null;
  worker: UserRef;
  referralIds: number[];
  createdAt: string;
  updatedAt: string;
  updatedBy: UserRef | null;
  version: number;
  /** Corrections so far (修改 N 次) and when the last one was saved; the earlier states are in records.history. */
  editCount: number;
  lastEditedAt: string | null;
  /** May the caller correct it now: its author or the team's 督導, while its case or concern is not closed. */
  canEdit: boolean;
}

export interface ServiceRecordPage {
  rows: ServiceRecordView[];
  total: number;
}

export interface NarrativeView {
  id: number;
  narrative: string | null;
  version: number;
}

// --- worklists ------------------------------------------------------------------

export interface FollowUpRow {
  serviceId: number;
  householdId: number;
  headName: string | null;
  caseId: number | null;
  caseNo: string | null;
  concernId: number | null;
  occurredAt: string;
  method: ServiceMethod;
  nextFollowUp: string;
  daysOverdue: number;
  worker: UserRef;
}

export interface ConcernVisitRow {
  concernId: number;
  householdId: number;
  headName: string | null;
  reason: string;
  nextDue: string;
  lastVisitOn: string | null;
  daysOverdue: number;
  worker: UserRef;
}

export interface UncontactedRow {
  caseId: number;
  caseNo: string;
  householdId: number;
  headName: string | null;
  status: CaseStatus;
  dispatchedAt: string;
  hoursSinceDispatch: number;
  lead: UserRef | null;
  riskLevel: RiskLevel | null;
}

export interface CalendarDay {
  date: string;
  followUps: (Omit<FollowUpRow, 'daysOverdue'> & { done: boolean })[];
  concernVisits: Omit<ConcernVisitRow, 'daysOverdue'>[];
  records: { serviceId: number; householdId: number; headName: string | null; caseNo: string | null; concernId: number | null; occurredAt: string; method: ServiceMethod; worker: UserRef }[];
}

export interface VisitCalendar {
  weekStart: string;
  worker: UserRef | null;
  days: CalendarDay[];
}
