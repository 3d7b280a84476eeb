/**
 * Linked families (issue 14 §5): relations between people of different households, and the household's
 * ecomap (生態圖). A link is kept once, in a canonical direction (db person_links); every view gives the
 * relation from the side of the person it is listed under: "the other person is this member's 父母".
 */
import type { Sex } from './types-households';

/** 關係 (what the other person is to this one), a closed list; each has its inverse below. */
export const LINK_RELATIONS = ['父母', '子女', '手足', '祖父母', '孫子女', '配偶', '前配偶', '照顧者', '受照顧者', '其他親屬'] as const;
export type LinkRelation = (typeof LINK_RELATIONS)[number];

/** If B is A's `r`, then A is B's `LINK_INVERSE[r]`. */
export const LINK_INVERSE: Record<LinkRelation, LinkRelation> = {
  父母: '子女',
  子女: '父母',
  手足: '手足',
  祖父母: '孫子女',
  孫子女: '祖父母',
  配偶: '配偶',
  前配偶: '前配偶',
  照顧者: '受照顧者',
  受照顧者: '照顧者',
  其他親屬: '其他親屬',
};

/** The relations stored (the others are stored as their inverse, the two persons swapped). */
export const STORED_LINK_RELATIONS = ['父母', '手足', '祖父母', '配偶', '前配偶', '照顧者', '其他親屬'] as const;

/** Why a link ends: a code from this list, so the audit log never holds free text. */
export const LINK_END_REASONS = ['關係已結束', '資料誤植', '當事人死亡', '其他'] as const;
export type LinkEndReason = (typeof LINK_END_REASONS)[number];

/** What stands in for a person of a household the caller may not see: nothing else about it is given. */
export const OUT_OF_SCOPE_LABEL = '另一戶（非本人轄區）';

/** The other side of a link, as the caller may see it. */
export type LinkOther =
  | {
      inScope: true;
      personId: number;
      name: string;
      sex: Sex | null;
      /** The household the person lives in now (null: none recorded). */
      householdId: number | null;
      /** 戶長 and address of that household, e.g. "王大同戶・南投市中興里中山路1號". */
      householdLabel: string | null;
    }
  | {
      inScope: false;
      /** Always OUT_OF_SCOPE_LABEL. */
      label: typeof OUT_OF_SCOPE_LABEL;
      /** Only for the genogram's symbol. */
      sex: Sex | null;
    };

export interface PersonLinkView {
  id: number;
  version: number;
  /** What the other person is to this member. */
  relation: LinkRelation;
  /** Shown only when the other side is in scope or the caller wrote it. */
  note: string | null;
  createdAt: string;
  other: LinkOther;
}

export interface MemberLinksView {
  personId: number;
  name: string;
  sex: Sex | null;
  /** Still a member (false: a past member of the household). */
  current: boolean;
  links: PersonLinkView[];
}

/**
 * links.create's answer. A 身分證字號 nobody has is an answer, not an error: the lookup's row must
 * commit so that the hourly limit counts misses too (a refused call's transaction rolls back).
 */
export type LinkCreateResult = { created: PersonLinkView; nationalIdNotFound?: undefined } | { created: null; nationalIdNotFound: true };

export interface HouseholdLinksView {
  householdId: number;
  members: MemberLinksView[];
}

// --- 生態圖 -------------------------------------------------------------------------

export type EcomapNodeKind = 'household' | 'referral' | 'aid' | 'programme' | 'linked';
/** solid: a strong or working tie; dashed: pending or ended; broken: a refused or failed one (drawn red). */
export type EcomapEdgeStyle = 'solid' | 'dashed' | 'broken';

export interface EcomapNode {
  /** Stable within one answer, e.g. "household", "referral:3". Never a national ID. */
  id: string;
  kind: EcomapNodeKind;
  label: string;
  /** A second line: unit kind, programme type, aid total. */
  detail: string | null;
  /** A linked household the caller may open. */
  householdId?: number;
}

export interface EcomapEdge {
  from: string;
  to: string;
  style: EcomapEdgeStyle;
  /** On the line: referral status, aid kind and date, relation. */
  label: string;
}

export interface EcomapView {
  householdId: number;
  nodes: EcomapNode[];
  edges: EcomapEdge[];
}
