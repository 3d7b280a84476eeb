/**
 * The local resource map (資源地圖) and the referral form (轉介單), issue 14 §3, as the UI sees them.
 */
import type { ReferralStatus, ReferralUnitKind } from './types-cases';

/** 服務類型: the closed list a resource offers and a need is searched by. */
export const RESOURCE_SERVICE_TYPES = [
  '經濟扶助',
  '就業',
  '醫療',
  '心理諮商',
  '居住',
  '托育',
  '長照',
  '身障',
  '法律',
  '物資',
  '教育',
  '家暴保護',
  '其他',
] as const;
export type ResourceServiceType = (typeof RESOURCE_SERVICE_TYPES)[number];

/** 服務對象. */
export const RESOURCE_TARGET_GROUPS = ['兒少', '婦女', '老人', '身障者', '家庭', '一般'] as const;
export type ResourceTargetGroup = (typeof RESOURCE_TARGET_GROUPS)[number];

export interface ResourceDistrict {
  code: string;
  name: string;
}

/** Referrals sent to one resource over a period, by outcome (current status). */
export interface ResourceFigures {
  /** Every referral to it in the period. */
  sent: number;
  /** 受案 or later 轉介完成 (the unit took the case). */
  accepted: number;
  /** 轉介完成. */
  completed: number;
  /** 不受案, 退回 or 轉介失敗. */
  failed: number;
  /** Still 轉介等待中. */
  waiting: number;
}

export interface ResourceView {
  id: number;
  name: string;
  unitKind: ReferralUnitKind;
  services: ResourceServiceType[];
  targets: ResourceTargetGroup[];
  /** Districts served; empty = every district (縣內不限). */
  districts: ResourceDistrict[];
  contactPerson: string | null;
  phone: string | null;
  address: string | null;
  email: string | null;
  capacity: string | null;
  waitDays: number | null;
  notes: string | null;
  active: boolean;
  updatedAt: string;
  version: number;
}

export interface ResourceRow extends ResourceView {
  /** Figures over the search's period (default: the last 12 months to today). */
  figures: ResourceFigures;
}

export interface ResourcePage {
  rows: ResourceRow[];
  total: number;
  /** The period the figures cover (ISO dates, inclusive). */
  period: { from: string; to: string };
}

export interface ResourceStatsRow {
  resourceId: number;
  name: string;
  figures: ResourceFigures;
}

export interface ResourceStats {
  period: { from: string; to: string };
  rows: ResourceStatsRow[];
}

/** One person named on the 轉介單. */
export interface ReferralFormPerson {
  name: string;
  /** 男 / 女 / 其他 / ''. */
  sex: string;
  birthDate: string | null;
  /** Masked (A12****789) - the full number never leaves the server on a form. */
  nationalIdMasked: string;
  phone: string | null;
  address: string;
}

/**
 * The 轉介單: only what the receiving unit needs. No narrative, no other members, no case details
 * beyond the reason and the service requested.
 */
export interface ReferralFormView {
  referralId: number;
  referredOn: string;
  status: ReferralStatus;
  center: { name: string; address: string; phone: string | null };
  worker: { name: string };
  receiving: {
    unitKind: ReferralUnitKind;
    name: string;
    resourceId: number | null;
    contactPerson: string | null;
    phone: string | null;
    address: string | null;
    email: string | null;
  };
  persons: ReferralFormPerson[];
  reason: string;
  /** The resource's services asked for (from the map), or [] for a unit typed by hand. */
  requestedServices: string[];
  caseNo: string | null;
}
