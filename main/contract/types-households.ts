/**
 * Result types of the households, persons, long-term concern, care-load, search
 * and divisions methods (methods/households.ts). Dates ISO `YYYY-MM-DD`,
 * timestamps ISO-8601 UTC; the renderer shows them in the ROC calendar.
 * National IDs appear masked (`A12****789`) except in persons.revealId.
 */

/** 行政區 (內政部 code): 縣市 10 digits, 鄉鎮市區 8, 村里 11. */
export interface DivisionView {
  code: string;
  level: 'county' | 'town' | 'village';
  name: string;
  parentCode: string | null;
}

export const SEXES = ['M', 'F', 'X'] as const;
export type Sex = (typeof SEXES)[number];
export const DISABILITY_LEVELS = ['輕度', '中度', '重度', '極重度'] as const;
export type DisabilityLevel = (typeof DISABILITY_LEVELS)[number];
/** low = 低收入戶, mid-low = 中低收入戶. */
export const INCOME_STATUSES = ['low', 'mid-low'] as const;
export type IncomeStatus = (typeof INCOME_STATUSES)[number];
export const HOUSEHOLD_TYPES = ['單親', '隔代教養', '獨居', '雙親', '其他'] as const;
export type HouseholdType = (typeof HOUSEHOLD_TYPES)[number];
export const RELATIONS = ['戶長', '配偶', '子女', '父母', '祖父母', '孫子女', '兄弟姊妹', '其他親屬', '非親屬'] as const;
export type Relation = (typeof RELATIONS)[number];

/** 個人 as the UI sees it. `notes` is null for roles that may not read it (實物銀行). */
export interface PersonView {
  id: number;
  name: string;
  /** Masked, e.g. `A12****789`; '' when none recorded. Full ID only via persons.revealId. */
  maskedNationalId: string;
  hasNationalId: boolean;
  birthDate: string | null;
  sex: Sex | null;
  phone: string | null;
  indigenous: boolean;
  newImmigrant: boolean;
  disabilityLevel: DisabilityLevel | null;
  incomeStatus: IncomeStatus | null;
  notes: string | null;
  currentHousehold: { householdId: number; membershipId: number; relation: Relation; joinedOn: string } | null;
  memberships: MembershipView[];
  version: number;
  updatedAt: string;
  updatedByName: string | null;
}

/** One stay of a person in a household (history kept: left ones have leftOn). */
export interface MembershipView {
  membershipId: number;
  householdId: number;
  personId: number;
  relation: Relation;
  joinedOn: string;
  leftOn: string | null;
  leftReason: string | null;
  /** Bumped by each edit of the relation; households.updateRelation refuses an older one. */
  version: number;
}

/** A member row of a household: the membership plus the person's basics. */
export interface MemberView extends MembershipView {
  name: string;
  maskedNationalId: string;
  birthDate: string | null;
  sex: Sex | null;
  phone: string | null;
  disabilityLevel: DisabilityLevel | null;
  incomeStatus: IncomeStatus | null;
  /** 原住民 */
  indigenous: boolean;
  /** 新住民 */
  newImmigrant: boolean;
}

export interface AddressView {
  countyCode: string | null;
  countyName: string | null;
  townCode: string | null;
  townName: string | null;
  villageCode: string | null;
  villageName: string | null;
  neighborhood: string | null;
  street: string | null;
  /** One line: 南投縣南投市中興里5鄰中山路100號 */
  text: string;
}

/** 家戶 with its current members. `notes` is null for 實物銀行. */
export interface HouseholdView {
  id: number;
  address: AddressView;
  householdType: HouseholdType | null;
  phone: string | null;
  notes: string | null;
  members: MemberView[];
  version: number;
  updatedAt: string;
  updatedByName: string | null;
}

/** What decides food-bank eligibility (DOMAIN.md 實物銀行): visible to 實物銀行 too. */
export interface EligibilityFlags {
  /** The strongest income status among current members: low (低收) over mid-low (中低收). */
  incomeStatus: IncomeStatus | null;
  /** A case not yet 不開案 or 已結案. */
  activeCase: boolean;
  activeConcern: boolean;
}

/** A case of the household as a summary row (cases are written by the cases service). */
export interface HouseholdCaseRow {
  id: number;
  caseNo: string;
  status: string;
  caseType: string;
  leadWorkerId: number | null;
  leadWorkerName: string | null;
  receivedAt: string;
  openedOn: string | null;
  closedOn: string | null;
  previousCaseId: number | null;
}

export const CONCERN_REASONS = ['獨居長者', '身障', '長期經濟弱勢', '高照顧負荷', '其他'] as const;
export type ConcernReason = (typeof CONCERN_REASONS)[number];
export const CONCERN_FREQUENCIES = ['monthly', 'bimonthly', 'quarterly', 'half-yearly', 'custom'] as const;
export type ConcernFrequency = (typeof CONCERN_FREQUENCIES)[number];
export const CONCERN_FREQUENCY_LABELS: Record<ConcernFrequency, string> = {
  monthly: '每月',
  bimonthly: '每2個月',
  quarterly: '每季',
  'half-yearly': '每半年',
  custom: '自訂間隔',
};
export const CONCERN_END_REASONS = ['遷出', '死亡', '轉為個案', '不再需要'] as const;
export type ConcernEndReason = (typeof CONCERN_END_REASONS)[number];

/** 長期關懷戶: a household followed outside the open/close cycle. */
export interface ConcernView {
  id: number;
  householdId: number;
  reason: ConcernReason;
  reasonNote: string | null;
  startDate: string;
  frequency: ConcernFrequency;
  intervalDays: number | null;
  workerId: number;
  workerName: string | null;
  teamId: number | null;
  nextDue: string;
  lastVisitOn: string | null;
  /** Days past nextDue as of today (Taipei); 0 or negative when not yet due. Null once ended. */
  daysOverdue: number | null;
  fromCaseId: number | null;
  fromCaseNo: string | null;
  endDate: string | null;
  endReason: ConcernEndReason | null;
  toCaseId: number | null;
  toCaseNo: string | null;
  active: boolean;
  version: number;
  updatedAt: string;
  updatedByName: string | null;
}

export interface ConcernListRow {
  id: number;
  householdId: number;
  addressText: string;
  headName: string | null;
  reason: ConcernReason;
  frequency: ConcernFrequency;
  intervalDays: number | null;
  workerId: number;
  workerName: string | null;
  startDate: string;
  lastVisitOn: string | null;
  nextDue: string;
  daysOverdue: number;
  overdue: boolean;
}

export const CARE_NEED_KINDS = ['失能', '身障', '失智', '長期疾病', '其他'] as const;
export type CareNeedKind = (typeof CARE_NEED_KINDS)[number];
export const LTC_SERVICES = ['居家服務', '日間照顧', '喘息服務', '送餐', '緊急救援連線', '其他'] as const;
export type LtcService = (typeof LTC_SERVICES)[number];

export interface CareNeedView {
  id: number;
  personId: number;
  personName: string;
  kind: CareNeedKind;
  /** 長照需要等級 1-8 when assessed. */
  cmsLevel: number | null;
  assessedOn: string | null;
  note: string | null;
}

export interface LtcServiceView {
  id: number;
  personId: number | null;
  personName: string | null;
  service: LtcService;
  provider: string | null;
  since: string | null;
  until: string | null;
}

/** 照顧負荷 of a household. version 0 = nothing recorded yet. */
export interface CareLoadView {
  householdId: number;
  needs: CareNeedView[];
  caregiver: { personId: number; name: string } | null;
  caregiverNote: string | null;
  highBurden: boolean;
  services: LtcServiceView[];
  version: number;
  updatedAt: string | null;
  updatedByName: string | null;
}

export interface HighBurdenRow {
  householdId: number;
  addressText: string;
  headName: string | null;
  caregiverName: string | null;
  needKinds: CareNeedKind[];
  maxCmsLevel: number | null;
  services: LtcService[];
  activeConcern: boolean;
  concernWorkerName: string | null;
  updatedAt: string;
}

/** One event on the household's timeline, newest first. Narratives never appear here. */
export type TimelineEntry =
  | {
      kind: 'service';
      id: number;
      at: string;
      caseId: number | null;
      caseNo: string | null;
      concernId: number | null;
      method: string;
      minutes: number;
      items: string[];
      workerName: string | null;
      nextFollowUp: string | null;
    }
  | {
      kind: 'referral';
      id: number;
      at: string;
      caseId: number | null;
      caseNo: string | null;
      unitKind: string;
      unitName: string;
      reason: string;
      status: string;
    }
  | {
      kind: 'case-status';
      id: number;
      at: string;
      caseId: number;
      caseNo: string;
      fromStatus: string | null;
      toStatus: string;
      action: string;
      reason: string | null;
      byName: string | null;
    }
  | { kind: 'concern-start'; id: number; at: string; concernId: number; reason: string; workerName: string | null }
  | { kind: 'concern-end'; id: number; at: string; concernId: number; endReason: string }
  /** A food-bank hand-out (實物銀行發放). */
  | { kind: 'handout'; id: number; at: string; locationName: string; lines: number; byName: string | null }
  /** A member's relation to the 戶長 corrected in place (issue 11 §1). */
  | { kind: 'relation'; id: number; at: string; personName: string; fromRelation: string; toRelation: string; reason: string | null; byName: string | null };

/**
 * 家戶頁. `view` says how much the caller may see: 'full' (社工 / 督導 / 管理者 within scope) or
 * 'eligibility' (實物銀行: household, members, address and eligibility flags only; cases, concern
 * details, care load and timeline are null).
 */
export interface HouseholdPage {
  view: 'full' | 'eligibility';
  household: HouseholdView;
  /** Current and past members, current first. */
  members: MemberView[];
  eligibility: EligibilityFlags;
  /** Cases of the household the caller may open; the rest are only counted. */
  cases: HouseholdCaseRow[] | null;
  otherCasesCount: number | null;
  /** The active concern first, then ended ones, newest first. */
  concerns: ConcernView[] | null;
  care: CareLoadView | null;
  timeline: { rows: TimelineEntry[]; total: number } | null;
}

export type DuplicateCheckResult = {
  /**
   * The person already holding this national ID, if any: in full when the caller may open the person,
   * otherwise only that the record exists and which team to ask (issue 9 §2).
   */
  sameId: DuplicateCandidate | DuplicateElsewhere | null;
  /** Persons with the same name and birth date, among those the caller may open only. */
  sameNameBirth: DuplicateCandidate[];
};

/** An existing person the caller may open. */
export interface DuplicateCandidate {
  visible: true;
  personId: number;
  name: string;
  birthDate: string | null;
  maskedNationalId: string;
  /** The current household, when the caller may see it; null otherwise. */
  householdId: number | null;
}

/**
 * An ID registered for someone the caller may not open: no name, birth date, masked ID or person
 * id, only whom to ask (the team of the household's case or concern, or of whoever registered it).
 */
export interface DuplicateElsewhere {
  visible: false;
  /** e.g. 第二組; null when no team is responsible (ask the center's 管理者). */
  responsibleTeam: string | null;
}

export type SearchMatchKind = 'name' | 'nationalId' | 'phone' | 'address' | 'caseNo';

/** One search hit: a household (or a person with no current household) and what matched. */
export interface SearchHit {
  householdId: number | null;
  addressText: string;
  headName: string | null;
  matchedBy: SearchMatchKind[];
  /** The members that matched, masked. */
  members: { personId: number; name: string; maskedNationalId: string; relation: Relation | null; birthDate: string | null }[];
  /** Cases the caller may see (none for 實物銀行). */
  cases: { id: number; caseNo: string; status: string }[];
  activeConcern: boolean;
}

export interface SearchResult {
  hits: SearchHit[];
  /** zh-TW hint when the query was too short or matched no kind of search. */
  hint: string | null;
}
