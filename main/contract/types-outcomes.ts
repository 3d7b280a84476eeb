/**
 * Protection reports (保護通報) on a household (issue 13 §6): the records behind
 * 脆弱家庭服務後3個月內被通報保護案件比率. Dates ISO `YYYY-MM-DD` (Taipei calendar);
 * timestamps ISO-8601 UTC; the renderer shows them in the ROC calendar.
 */

/** 通報來源 */
export const PROTECTION_SOURCES = ['113保護專線', '學校', '醫療院所', '警政', '社福中心社工', '其他'] as const;
export type ProtectionSource = (typeof PROTECTION_SOURCES)[number];

/** 通報類型 */
export const PROTECTION_KINDS = ['兒少保護', '家庭暴力', '成人保護', '性侵害', '其他'] as const;
export type ProtectionKind = (typeof PROTECTION_KINDS)[number];

/** Why a report is deleted: a code from this list, so the audit log never holds free text. */
export const PROTECTION_DELETE_REASONS = ['誤植', '重複登錄', '非本戶', '其他'] as const;
export type ProtectionDeleteReason = (typeof PROTECTION_DELETE_REASONS)[number];

export interface ProtectionReportView {
  id: number;
  householdId: number;
  reportedOn: string;
  source: ProtectionSource;
  kind: ProtectionKind;
  /** The household's persons concerned, if any were named. */
  persons: { personId: number; name: string }[];
  createdAt: string;
  createdByName: string | null;
  updatedAt: string;
  updatedByName: string | null;
  version: number;
}
