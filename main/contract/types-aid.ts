/**
 * Aid a household received from other units (issue 14 §4: 外單位資源／救助), the window of recent aid
 * from anyone shown before the center gives similar aid, and the coordination report (聯繫會報).
 * Pure types and lists, shared with the renderer.
 */

/** 來源類別 (stored as the label itself). */
export const AID_SOURCE_KINDS = ['慈善團體', '急難救助（公所／民政）', '公所', '學校', '宗教團體', '企業', '其他政府單位', '其他'] as const;
export type AidSourceKind = (typeof AID_SOURCE_KINDS)[number];

/** 救助類別 (stored as the label itself). */
export const AID_KINDS = ['現金', '物資', '餐食', '代金券', '其他'] as const;
export type AidKind = (typeof AID_KINDS)[number];

/** Why a record was corrected or deleted (the code goes to the audit log; no free text). */
export const AID_CHANGE_REASONS = ['登錄錯誤', '重複登錄', '來源單位更正', '補登資料', '其他'] as const;
export type AidChangeReason = (typeof AID_CHANGE_REASONS)[number];

/** The center's own service items that are aid (SERVICE_ITEMS in types-cases.ts): they count in the window. */
export const AID_SERVICE_ITEMS = ['經濟補助', '實物給付'] as const;

/** The window's default length in days (the 管理者 changes it: aid.updateSettings). */
export const AID_WINDOW_DEFAULT_DAYS = 90;
export const AID_WINDOW_MAX_DAYS = 730;

export interface AidView {
  id: number;
  householdId: number;
  personId: number | null;
  personName: string | null;
  sourceKind: AidSourceKind;
  sourceName: string;
  kind: AidKind;
  /** NT$ or null. */
  amount: number | null;
  items: string | null;
  /** ISO date. */
  receivedOn: string;
  note: string | null;
  /** '手動' | '匯入' */
  origin: string;
  createdAt: string;
  createdByName: string | null;
  updatedAt: string;
  updatedByName: string | null;
  version: number;
}

/** Where an entry of the window comes from: another unit (external_aid), the center's food bank, a center service record. */
export type AidOrigin = 'external' | 'foodbank' | 'service';

export interface AidRecentEntry {
  origin: AidOrigin;
  /** ISO date. */
  date: string;
  /** 來源: 「慈心會（慈善團體）」, 「本中心實物銀行」, 「本中心服務（經濟補助）」. */
  source: string;
  /** 內容: 「現金」, 「物資：白米 2 包」, 「白米 2 包、醬油 1 瓶」. */
  content: string;
  /** NT$ (cash or voucher amounts from other units); null when none was given. */
  amount: number | null;
}

export interface AidRecent {
  householdId: number;
  days: number;
  /** ISO dates, both inclusive: from = today - days, to = today. */
  from: string;
  to: string;
  entries: AidRecentEntry[];
  totals: {
    count: number;
    /** Sum of the entries' amounts (NT$). */
    amount: number;
    external: number;
    foodbank: number;
    service: number;
    /** Distinct sources (other units by name, plus the center when it gave). */
    sources: number;
  };
}

export type AidReportGroup = 'source' | 'household';

export interface AidReportSourceRow {
  /** 來源類別, or 「本中心」 for the center's own aid. */
  sourceKind: string;
  sourceName: string;
  households: number;
  times: number;
  amount: number;
}

export interface AidReportHouseholdRow {
  householdId: number;
  headName: string | null;
  /** Source names, sorted. */
  sources: string[];
  times: number;
  amount: number;
  /** Helped by 2 or more sources in the period: 重複受助. */
  duplicate: boolean;
}

export interface AidReport {
  from: string;
  to: string;
  groupBy: AidReportGroup;
  bySource: AidReportSourceRow[];
  byHousehold: AidReportHouseholdRow[];
  totals: { households: number; times: number; amount: number; duplicates: number };
}

export interface AidSettings {
  windowDays: number;
}
