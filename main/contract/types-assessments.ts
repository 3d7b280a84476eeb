/**
 * Assessments (評估, issue 14 §1): versioned instruments an administrator defines, filled by a worker at
 * intake and at review, scored by the app into a suggested risk level the worker confirms or overrides.
 *
 * The instrument format is shaped after FHIR R4 `Questionnaire` (as the draft TWSS Base guide
 * `sfaassn2025-source/base` uses it): items carry a `linkId`, a `type`, nested `items` for groups,
 * `repeats` for repeating groups and multi-answer choices, coded `answerOptions` or a canonical
 * `answerValueSet`. Our additions (domain, factor, score, weight) are what the scoring needs; they map to
 * FHIR extensions on export. Answers are shaped after `QuestionnaireResponse.item`, so an assessment
 * exports without remodelling.
 *
 * Pure: shared by the main process and the renderer.
 */
import type { RiskLevel } from './types-cases';

/** FHIR Questionnaire item types we accept (R4 names). */
export const ITEM_TYPES = [
  'group',
  'display',
  'boolean',
  'integer',
  'decimal',
  'string',
  'text',
  'date',
  'dateTime',
  'choice',
  'open-choice',
  'reference',
] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export const ITEM_TYPE_LABELS: Record<ItemType, string> = {
  group: '題組',
  display: '說明文字',
  boolean: '是／否',
  integer: '整數',
  decimal: '數值',
  string: '短文字',
  text: '長文字',
  date: '日期',
  dateTime: '日期時間',
  choice: '單選／複選',
  'open-choice': '選項或自填',
  reference: '指定家戶成員',
};

/** Whether an item counts towards risk or towards protection (保護因子). */
export const FACTOR_KINDS = ['risk', 'protective'] as const;
export type FactorKind = (typeof FACTOR_KINDS)[number];
export const FACTOR_LABELS: Record<FactorKind, string> = { risk: '風險因子', protective: '保護因子' };

/** A coded answer (FHIR answerOption.valueCoding + an ordinal score, as the `ordinalValue` extension). */
export interface AnswerOption {
  code: string;
  display: string;
  /** The item's score when this answer is chosen; absent = 0. */
  score?: number;
}

export interface InstrumentItem {
  /** Unique within the instrument version; dotted like the TWSS guide ("2", "2.1", "3.3.1"). */
  linkId: string;
  text: string;
  type: ItemType;
  required?: boolean;
  /** A repeating group (e.g. one per 關係人) or a choice with several answers. */
  repeats?: boolean;
  /** For choice / open-choice: the coded answers. */
  answerOptions?: AnswerOption[];
  /** For choice / open-choice: the canonical of a value set when the options come from one (kept on export). */
  answerValueSet?: string;
  /** For integer / decimal: the scale. The score of a number answer is the number itself. */
  min?: number;
  max?: number;
  /** Key of one of the instrument's domains; items without a domain are recorded, not scored. */
  domain?: string;
  /** Scored items only. */
  factor?: FactorKind;
  /** Multiplies the item's score in `sum` rules; absent = 1. */
  weight?: number;
  /** Short guidance shown beside the item (作業指引). */
  help?: string;
  /** Children of a group. */
  items?: InstrumentItem[];
}

/** A domain (面向) of the radar chart. */
export interface InstrumentDomain {
  key: string;
  label: string;
}

/**
 * Scoring rules, applied in order. `sum` and `count` compute named scores; `band`, `floor` and `adjust`
 * decide the suggested level from them. Item selectors: `domain`, `factor`, `linkIds` (all given ones must
 * match; none given = every scored item).
 */
export type ScoringRule =
  /** score[name] = Σ weight × item score over the selected items (repeating groups: every repetition). */
  | { kind: 'sum'; name: string; label: string; domain?: string; factor?: FactorKind; linkIds?: string[] }
  /** score[name] = number of selected items whose score ≥ atLeast (default 1), or whose answer is one of `codes`. */
  | { kind: 'count'; name: string; label: string; domain?: string; factor?: FactorKind; linkIds?: string[]; atLeast?: number; codes?: string[] }
  /** Level from a score: the last band whose `from` ≤ score (bands ascending). Sets the level. */
  | { kind: 'band'; score: string; bands: { from: number; level: RiskLevel }[] }
  /** A critical answer: when item `linkId` is answered with one of `codes` (boolean: 'true'), level is at least `level`. */
  | { kind: 'floor'; linkId: string; codes: string[]; level: RiskLevel }
  /** When score ≥ atLeast, move the level `steps` (−1 = one lower, e.g. strong protective factors), within 低..高. */
  | { kind: 'adjust'; score: string; atLeast: number; steps: number };
export type ScoringRuleKind = ScoringRule['kind'];

export const SCORING_RULE_LABELS: Record<ScoringRuleKind, string> = {
  sum: '加總分數',
  count: '計數',
  band: '分數區間定等級',
  floor: '關鍵題目（至少某等級）',
  adjust: '依分數調整等級',
};

/** The whole definition of one instrument version. */
export interface InstrumentDefinition {
  /** Canonical URL when the instrument follows a central Questionnaire (kept on export). */
  url?: string;
  domains: InstrumentDomain[];
  items: InstrumentItem[];
  rules: ScoringRule[];
}

/** When an assessment is done (評估時機). */
export const ASSESSMENT_STAGES = ['intake', 'review', 'closing'] as const;
export type AssessmentStage = (typeof ASSESSMENT_STAGES)[number];
export const ASSESSMENT_STAGE_LABELS: Record<AssessmentStage, string> = { intake: '開案評估', review: '定期再評估', closing: '結案評估' };

// ---------------------------------------------------------------------------------------------------
// Answers (QuestionnaireResponse-shaped)

/** One answer value: exactly one of the fields is set (FHIR answer.value[x]). */
export interface AnswerValue {
  boolean?: boolean;
  integer?: number;
  decimal?: number;
  string?: string;
  date?: string;
  dateTime?: string;
  /** choice / open-choice: a code of the item's answerOptions. */
  code?: string;
  /** reference: a person id of the household. */
  personId?: number;
}

/** QuestionnaireResponse.item: a group repetition holds `items`; a question holds `answers`. */
export interface ResponseItem {
  linkId: string;
  answers?: AnswerValue[];
  items?: ResponseItem[];
}

// ---------------------------------------------------------------------------------------------------
// Scoring result

export interface DomainScore {
  key: string;
  label: string;
  /** Sum of risk item scores in the domain, and the most it could be. */
  risk: number;
  riskMax: number;
  /** Sum of protective item scores in the domain, and the most it could be. */
  protective: number;
  protectiveMax: number;
}

export interface ScoreResult {
  domains: DomainScore[];
  /** Named scores from `sum` and `count` rules. */
  scores: Record<string, number>;
  /** Null when no rule decided a level. */
  level: RiskLevel | null;
  /** Why, in zh-TW, one line per rule that acted (「風險總分 14，落在 12 分以上：高」). */
  reasons: string[];
}

// ---------------------------------------------------------------------------------------------------
// Views

export interface InstrumentVersionSummary {
  id: number;
  instrumentId: number;
  versionNo: number;
  effectiveFrom: string;
  /** Last day in effect; null = open. */
  effectiveTo: string | null;
  note: string | null;
  createdAt: string;
  /** Assessments filled on this version; a used version cannot be edited, only superseded. */
  used: number;
}

export interface InstrumentSummary {
  id: number;
  /** Stable key, e.g. 'six-facets', 'family-assessment'. */
  code: string;
  name: string;
  description: string | null;
  /** The version in effect today, if any. */
  current: InstrumentVersionSummary | null;
  versions: InstrumentVersionSummary[];
  archived: boolean;
}

export interface InstrumentVersionView extends InstrumentVersionSummary {
  code: string;
  name: string;
  definition: InstrumentDefinition;
}

export interface AssessmentSummary {
  id: number;
  version: number;
  householdId: number;
  caseId: number | null;
  caseNo: string | null;
  concernId: number | null;
  instrumentId: number;
  instrumentName: string;
  instrumentVersionId: number;
  versionNo: number;
  stage: AssessmentStage;
  assessedOn: string;
  workerId: number;
  workerName: string;
  suggestedLevel: RiskLevel | null;
  /** Null while a draft (not yet confirmed). */
  confirmedLevel: RiskLevel | null;
  /** Set when the worker chose another level than the suggestion. */
  overrideReason: string | null;
  confirmedAt: string | null;
  /** When the next assessment is due (from the frequency rules); null when none is due. */
  reassessDue: string | null;
}

export interface AssessmentView extends AssessmentSummary {
  definition: InstrumentDefinition;
  answers: ResponseItem[];
  result: ScoreResult;
}

/** Two assessments of one household side by side: the change per domain (later − earlier). */
export interface AssessmentComparison {
  earlier: AssessmentView;
  later: AssessmentView;
  domains: { key: string; label: string; riskChange: number; protectiveChange: number }[];
}

/**
 * 訪視頻率 by confirmed level (issue 14 §1, as 004's tracking levels): the administrator sets, per level,
 * how often a case is visited and when it is reassessed.
 */
export interface VisitFrequencyRule {
  level: RiskLevel;
  /** Days between visits (面訪/家訪). */
  visitEveryDays: number;
  /** Days from a confirmed assessment to the next one. */
  reassessEveryDays: number;
}

// ---------------------------------------------------------------------------------------------------
// FHIR export shapes (only the fields we fill)

export interface FhirCoding {
  system?: string;
  code: string;
  display?: string;
}

export interface FhirAnswer {
  valueBoolean?: boolean;
  valueInteger?: number;
  valueDecimal?: number;
  valueString?: string;
  valueDate?: string;
  valueDateTime?: string;
  valueCoding?: FhirCoding;
  valueReference?: { reference: string; display?: string };
}

export interface FhirResponseItem {
  linkId: string;
  text?: string;
  answer?: FhirAnswer[];
  item?: FhirResponseItem[];
}

export interface FhirQuestionnaireResponse {
  resourceType: 'QuestionnaireResponse';
  id: string;
  questionnaire: string;
  status: 'completed' | 'in-progress';
  subject: { reference: string };
  authored: string;
  author?: { reference: string; display?: string };
  item: FhirResponseItem[];
}
