/**
 * Scoring and validation of assessment instruments (issue 14 §1). Pure: shared by the main process
 * (which scores on save and refuses bad definitions/answers) and the renderer (live score while filling).
 */
import type {
  AnswerValue,
  DomainScore,
  InstrumentDefinition,
  InstrumentItem,
  ResponseItem,
  ScoreResult,
  ScoringRule,
} from './types-assessments';
import { ITEM_TYPES } from './types-assessments';
import { RISK_LEVELS, type RiskLevel } from './types-cases';

/** One answered (or unanswered) occurrence of a question: each repetition of a repeating group counts. */
interface Occurrence {
  item: InstrumentItem;
  answers: AnswerValue[];
  score: number;
}

const QUESTION_VALUE_KEYS: Record<string, (keyof AnswerValue)[]> = {
  boolean: ['boolean'],
  integer: ['integer'],
  decimal: ['decimal', 'integer'],
  string: ['string'],
  text: ['string'],
  date: ['date'],
  dateTime: ['dateTime'],
  choice: ['code'],
  'open-choice': ['code', 'string'],
  reference: ['personId'],
};

/** Every item of a definition, depth first. */
export function flattenItems(items: InstrumentItem[]): InstrumentItem[] {
  const out: InstrumentItem[] = [];
  const walk = (list: InstrumentItem[]) => {
    for (const it of list) {
      out.push(it);
      if (it.items) walk(it.items);
    }
  };
  walk(items);
  return out;
}

/** The score of one answer to an item (choice: the option's score; number: itself; boolean true: 1). */
function answerScore(item: InstrumentItem, a: AnswerValue): number {
  if (a.code !== undefined) return item.answerOptions?.find((o) => o.code === a.code)?.score ?? 0;
  if (a.boolean !== undefined) {
    if (item.answerOptions?.length) return item.answerOptions.find((o) => o.code === String(a.boolean))?.score ?? 0;
    return a.boolean ? 1 : 0;
  }
  if (typeof a.integer === 'number') return a.integer;
  if (typeof a.decimal === 'number') return a.decimal;
  return 0;
}

/** The most one occurrence of an item can score. */
function itemMax(item: InstrumentItem): number {
  if (item.type === 'boolean') {
    if (item.answerOptions?.length) return Math.max(0, ...item.answerOptions.map((o) => o.score ?? 0));
    return 1;
  }
  if (item.type === 'integer' || item.type === 'decimal') return Math.max(0, item.max ?? 0);
  if (item.answerOptions?.length) {
    const scores = item.answerOptions.map((o) => o.score ?? 0);
    return item.repeats ? scores.filter((s) => s > 0).reduce((s, x) => s + x, 0) : Math.max(0, ...scores);
  }
  return 0;
}

/** Every occurrence of every question, walking the definition alongside the answers. */
function occurrences(def: InstrumentDefinition, answers: ResponseItem[]): Occurrence[] {
  const out: Occurrence[] = [];
  const walk = (items: InstrumentItem[], given: ResponseItem[]) => {
    for (const item of items) {
      const mine = given.filter((r) => r.linkId === item.linkId);
      if (item.type === 'group') {
        const reps = mine.length ? mine : [{ linkId: item.linkId, items: [] }];
        for (const rep of reps) walk(item.items ?? [], rep.items ?? []);
      } else if (item.type !== 'display') {
        const values = mine.flatMap((r) => r.answers ?? []);
        out.push({ item, answers: values, score: values.reduce((s, a) => s + answerScore(item, a), 0) });
      }
    }
  };
  walk(def.items, answers);
  return out;
}

type Selector = { domain?: string; factor?: string; linkIds?: string[] };
function selects(sel: Selector, item: InstrumentItem): boolean {
  if (sel.linkIds?.length) {
    if (!sel.linkIds.includes(item.linkId)) return false;
  } else if (!item.domain) return false;
  if (sel.domain !== undefined && item.domain !== sel.domain) return false;
  if (sel.factor !== undefined && item.factor !== sel.factor) return false;
  return true;
}

function answerCode(a: AnswerValue): string | undefined {
  if (a.code !== undefined) return a.code;
  if (a.boolean !== undefined) return String(a.boolean);
  return undefined;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);
const levelIndex = (l: RiskLevel) => RISK_LEVELS.indexOf(l);

/** Scores a set of answers by the definition's domains and rules. */
export function scoreAssessment(def: InstrumentDefinition, answers: ResponseItem[]): ScoreResult {
  const occ = occurrences(def, answers);
  const domains: DomainScore[] = def.domains.map((d) => {
    const ds: DomainScore = { key: d.key, label: d.label, risk: 0, riskMax: 0, protective: 0, protectiveMax: 0 };
    for (const o of occ) {
      if (o.item.domain !== d.key || !o.item.factor) continue;
      const w = o.item.weight ?? 1;
      if (o.item.factor === 'risk') {
        ds.risk += w * o.score;
        ds.riskMax += w * itemMax(o.item);
      } else {
        ds.protective += w * o.score;
        ds.protectiveMax += w * itemMax(o.item);
      }
    }
    return ds;
  });

  const scores: Record<string, number> = {};
  const labels: Record<string, string> = {};
  const reasons: string[] = [];
  let level: RiskLevel | null = null;
  const byLinkId = new Map(flattenItems(def.items).map((i) => [i.linkId, i]));

  for (const rule of def.rules) {
    switch (rule.kind) {
      case 'sum': {
        const v = occ.filter((o) => selects(rule, o.item)).reduce((s, o) => s + (o.item.weight ?? 1) * o.score, 0);
        scores[rule.name] = v;
        labels[rule.name] = rule.label;
        reasons.push(`${rule.label}：${fmt(v)} 分`);
        break;
      }
      case 'count': {
        const atLeast = rule.atLeast ?? 1;
        const v = occ.filter(
          (o) =>
            selects(rule, o.item) &&
            o.answers.length > 0 &&
            (rule.codes?.length ? o.answers.some((a) => rule.codes!.includes(answerCode(a) ?? '')) : o.score >= atLeast),
        ).length;
        scores[rule.name] = v;
        labels[rule.name] = rule.label;
        reasons.push(`${rule.label}：${v} 項`);
        break;
      }
      case 'band': {
        const v = scores[rule.score] ?? 0;
        let hit: { from: number; level: RiskLevel } | undefined;
        for (const b of rule.bands) if (b.from <= v) hit = b;
        const label = labels[rule.score] ?? rule.score;
        if (hit) {
          level = hit.level;
          reasons.push(`${label} ${fmt(v)}，落在 ${fmt(hit.from)} 分以上：${hit.level}`);
        }
        break;
      }
      case 'floor': {
        const item = byLinkId.get(rule.linkId);
        const hit = occ.find((o) => o.item.linkId === rule.linkId && o.answers.some((a) => rule.codes.includes(answerCode(a) ?? '')));
        if (item && hit) {
          const code = hit.answers.map(answerCode).find((c) => c !== undefined && rule.codes.includes(c))!;
          const display = item.answerOptions?.find((o) => o.code === code)?.display ?? (code === 'true' ? '是' : code === 'false' ? '否' : code);
          if (level === null || levelIndex(level) < levelIndex(rule.level)) {
            reasons.push(`「${item.text}」答「${display}」：至少為${rule.level}`);
            level = rule.level;
          }
        }
        break;
      }
      case 'adjust': {
        const v = scores[rule.score] ?? 0;
        if (level !== null && v >= rule.atLeast && rule.steps !== 0) {
          const to: RiskLevel = RISK_LEVELS[Math.min(RISK_LEVELS.length - 1, Math.max(0, levelIndex(level) + rule.steps))]!;
          if (to !== level) {
            const label = labels[rule.score] ?? rule.score;
            reasons.push(`${label} ${fmt(v)}（達 ${fmt(rule.atLeast)}）：由${level}${rule.steps < 0 ? '調降' : '調升'}為${to}`);
            level = to;
          }
        }
        break;
      }
    }
  }
  return { domains, scores, level, reasons };
}

// ---------------------------------------------------------------------------------------------------
// Validation

export interface DefinitionIssue {
  /** Dotted path into the definition ('items.0.items.2.linkId', 'rules.3.score'). */
  path: string;
  message: string;
}

/** Everything wrong with a definition, in zh-TW; empty when it can be saved. */
export function validateDefinition(def: InstrumentDefinition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const domainKeys = new Set<string>();
  def.domains.forEach((d, i) => {
    if (!d.key.trim()) add(`domains.${i}.key`, '請輸入面向代碼');
    else if (domainKeys.has(d.key)) add(`domains.${i}.key`, `面向代碼「${d.key}」重複`);
    domainKeys.add(d.key);
    if (!d.label.trim()) add(`domains.${i}.label`, '請輸入面向名稱');
  });
  if (!def.items.length) add('items', '請至少設定一個題目');

  const linkIds = new Map<string, InstrumentItem>();
  const walk = (items: InstrumentItem[], base: string) => {
    items.forEach((it, i) => {
      const p = `${base}.${i}`;
      if (!it.linkId?.trim()) add(`${p}.linkId`, '請輸入題號（linkId）');
      else if (linkIds.has(it.linkId)) add(`${p}.linkId`, `題號「${it.linkId}」重複`);
      else linkIds.set(it.linkId, it);
      if (!it.text?.trim()) add(`${p}.text`, '請輸入題目文字');
      if (!(ITEM_TYPES as readonly string[]).includes(it.type)) add(`${p}.type`, '題型不正確');
      const isChoice = it.type === 'choice' || it.type === 'open-choice';
      if (isChoice && !it.answerOptions?.length && !it.answerValueSet) add(`${p}.answerOptions`, `「${it.text}」是選擇題，請設定選項`);
      if (it.answerOptions?.length) {
        if (!isChoice && it.type !== 'boolean') add(`${p}.answerOptions`, '只有選擇題或是非題可以設定選項');
        const codes = new Set<string>();
        it.answerOptions.forEach((o, j) => {
          if (!o.code.trim()) add(`${p}.answerOptions.${j}.code`, '請輸入選項代碼');
          else if (codes.has(o.code)) add(`${p}.answerOptions.${j}.code`, `選項代碼「${o.code}」重複`);
          codes.add(o.code);
          if (!o.display.trim()) add(`${p}.answerOptions.${j}.display`, '請輸入選項文字');
          if (o.score !== undefined && !Number.isFinite(o.score)) add(`${p}.answerOptions.${j}.score`, '分數必須是數字');
        });
        if (it.type === 'boolean' && [...codes].some((c) => c !== 'true' && c !== 'false')) add(`${p}.answerOptions`, '是非題的選項代碼只能是 true 或 false');
      }
      if (it.type === 'group') {
        if (!it.items?.length) add(`${p}.items`, `題組「${it.text}」沒有題目`);
      } else if (it.items?.length) add(`${p}.items`, '只有題組可以包含子題');
      if (it.min !== undefined && it.max !== undefined && it.min > it.max) add(`${p}.max`, '最大值不可小於最小值');
      if ((it.min !== undefined || it.max !== undefined) && it.type !== 'integer' && it.type !== 'decimal') add(`${p}.min`, '只有數字題可以設定範圍');
      if (it.domain !== undefined && !domainKeys.has(it.domain)) add(`${p}.domain`, `面向「${it.domain}」不存在`);
      if (it.factor !== undefined && it.domain === undefined) add(`${p}.domain`, '計分題請指定面向');
      if (it.weight !== undefined && !Number.isFinite(it.weight)) add(`${p}.weight`, '權重必須是數字');
      if (it.items) walk(it.items, `${p}.items`);
    });
  };
  walk(def.items, 'items');

  const scoreNames = new Set<string>();
  const checkSelector = (r: { domain?: string; linkIds?: string[] }, p: string) => {
    if (r.domain !== undefined && !domainKeys.has(r.domain)) add(`${p}.domain`, `面向「${r.domain}」不存在`);
    for (const id of r.linkIds ?? []) if (!linkIds.has(id)) add(`${p}.linkIds`, `題號「${id}」不存在`);
  };
  const checkScore = (name: string, p: string) => {
    if (!scoreNames.has(name)) add(`${p}.score`, `分數「${name}」不存在，或未在此規則之前計算`);
  };
  def.rules.forEach((r: ScoringRule, i) => {
    const p = `rules.${i}`;
    switch (r.kind) {
      case 'sum':
      case 'count':
        if (!r.name.trim()) add(`${p}.name`, '請輸入分數代碼');
        else if (scoreNames.has(r.name)) add(`${p}.name`, `分數代碼「${r.name}」重複`);
        if (!r.label.trim()) add(`${p}.label`, '請輸入分數名稱');
        checkSelector(r, p);
        scoreNames.add(r.name);
        break;
      case 'band':
        checkScore(r.score, p);
        if (!r.bands.length) add(`${p}.bands`, '請至少設定一個區間');
        for (let j = 1; j < r.bands.length; j++)
          if (!(r.bands[j]!.from > r.bands[j - 1]!.from)) add(`${p}.bands.${j}.from`, '區間的起始分數須由小到大排列');
        r.bands.forEach((b, j) => {
          if (!(RISK_LEVELS as readonly string[]).includes(b.level)) add(`${p}.bands.${j}.level`, '等級不正確');
        });
        break;
      case 'floor': {
        const item = linkIds.get(r.linkId);
        if (!item) add(`${p}.linkId`, `題號「${r.linkId}」不存在`);
        else {
          const known = item.type === 'boolean' ? ['true', 'false'] : (item.answerOptions ?? []).map((o) => o.code);
          for (const c of r.codes) if (!known.includes(c)) add(`${p}.codes`, `「${item.text}」沒有選項「${c}」`);
        }
        if (!r.codes.length) add(`${p}.codes`, '請選擇至少一個關鍵答案');
        if (!(RISK_LEVELS as readonly string[]).includes(r.level)) add(`${p}.level`, '等級不正確');
        break;
      }
      case 'adjust':
        checkScore(r.score, p);
        if (!Number.isInteger(r.steps) || r.steps === 0) add(`${p}.steps`, '調整級數須為非零整數');
        break;
      default:
        add(`${p}.kind`, '計分規則種類不正確');
    }
  });
  return issues;
}

export interface AnswerIssue {
  linkId: string;
  message: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Everything wrong with a set of answers to a definition, in zh-TW; empty when they can be saved. */
export function validateAnswers(def: InstrumentDefinition, answers: ResponseItem[]): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const add = (linkId: string, message: string) => issues.push({ linkId, message });
  const walk = (items: InstrumentItem[], given: ResponseItem[], present: boolean) => {
    const known = new Set(items.map((i) => i.linkId));
    for (const r of given) if (!known.has(r.linkId)) add(r.linkId, `題號「${r.linkId}」不在此評估表中`);
    for (const item of items) {
      const mine = given.filter((r) => r.linkId === item.linkId);
      if (item.type === 'group') {
        if (mine.length > 1 && !item.repeats) add(item.linkId, `「${item.text}」只能填一份`);
        if (!mine.length && item.required && present) add(item.linkId, `「${item.text}」為必填`);
        for (const rep of mine) {
          if (rep.answers?.length) add(item.linkId, `「${item.text}」是題組，不能直接作答`);
          walk(item.items ?? [], rep.items ?? [], true);
        }
        continue;
      }
      if (item.type === 'display') {
        if (mine.some((r) => r.answers?.length)) add(item.linkId, `「${item.text}」是說明文字，不能作答`);
        continue;
      }
      if (mine.some((r) => r.items?.length)) add(item.linkId, `「${item.text}」不是題組，不能包含子題`);
      const values = mine.flatMap((r) => r.answers ?? []);
      if (!values.length) {
        if (item.required && present) add(item.linkId, `「${item.text}」為必填`);
        continue;
      }
      if (values.length > 1 && !item.repeats) add(item.linkId, `「${item.text}」只能選一個答案`);
      const allowed = QUESTION_VALUE_KEYS[item.type] ?? [];
      for (const v of values) {
        const keys = (Object.keys(v) as (keyof AnswerValue)[]).filter((k) => v[k] !== undefined);
        if (keys.length !== 1 || !allowed.includes(keys[0]!)) {
          add(item.linkId, `「${item.text}」的答案格式不正確`);
          continue;
        }
        if (v.code !== undefined && item.answerOptions?.length && !item.answerOptions.some((o) => o.code === v.code))
          add(item.linkId, `「${item.text}」沒有「${v.code}」這個選項`);
        const n = v.integer ?? v.decimal;
        if (n !== undefined) {
          if (!Number.isFinite(n) || (item.type === 'integer' && !Number.isInteger(n))) add(item.linkId, `「${item.text}」須為${item.type === 'integer' ? '整數' : '數字'}`);
          else if (item.min !== undefined && n < item.min) add(item.linkId, `「${item.text}」不可小於 ${item.min}`);
          else if (item.max !== undefined && n > item.max) add(item.linkId, `「${item.text}」不可大於 ${item.max}`);
        }
        if (v.date !== undefined && !ISO_DATE.test(v.date)) add(item.linkId, `「${item.text}」日期格式不正確`);
        if (v.string !== undefined && !v.string.trim()) add(item.linkId, `「${item.text}」不可為空白`);
      }
    }
  };
  walk(def.items, answers, true);
  return issues;
}
