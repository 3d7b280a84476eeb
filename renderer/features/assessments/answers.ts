/**
 * Pure helpers over QuestionnaireResponse-shaped answers (ResponseItem[]) for the assessment form: read the
 * entries of one item, replace them keeping the definition's order, and drop what is empty before saving.
 */
import type { AnswerValue, InstrumentItem, ResponseItem } from '../../../main/contract/types-assessments';

/** All entries of `linkId` in one list (a repeating group has several). */
export function entriesOf(list: ResponseItem[], linkId: string): ResponseItem[] {
  return list.filter((r) => r.linkId === linkId);
}

/** The answers of the question `linkId` in one list. */
export function answersOf(list: ResponseItem[], linkId: string): AnswerValue[] {
  return list.find((r) => r.linkId === linkId)?.answers ?? [];
}

/**
 * Replaces every entry of `linkId` by `entries`, then orders the list as the definition lists its items
 * (entries the definition does not know stay at the end, in their order).
 */
export function putEntries(defItems: InstrumentItem[], list: ResponseItem[], linkId: string, entries: ResponseItem[]): ResponseItem[] {
  const rest = list.filter((r) => r.linkId !== linkId);
  const order = new Map(defItems.map((d, i) => [d.linkId, i]));
  const all = [...rest, ...entries];
  const rank = (r: ResponseItem) => order.get(r.linkId) ?? Number.MAX_SAFE_INTEGER;
  // Array.prototype.sort is stable: repetitions of one group keep their order.
  return all.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map((x) => x.r);
}

/** Sets the answers of the question `linkId`; no answers removes its entry. */
export function putAnswers(defItems: InstrumentItem[], list: ResponseItem[], linkId: string, answers: AnswerValue[]): ResponseItem[] {
  return putEntries(defItems, list, linkId, answers.length > 0 ? [{ linkId, answers }] : []);
}

function isEmptyAnswer(a: AnswerValue): boolean {
  return Object.values(a).every((v) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (typeof v === 'number' && Number.isNaN(v)));
}

/** Drops empty answers, questions without answers and groups left empty (a repetition of nothing is nothing). */
export function pruneAnswers(list: ResponseItem[]): ResponseItem[] {
  const out: ResponseItem[] = [];
  for (const r of list) {
    if (r.items) {
      const items = pruneAnswers(r.items);
      if (items.length > 0) out.push({ linkId: r.linkId, items });
    } else if (r.answers) {
      const answers = r.answers.filter((a) => !isEmptyAnswer(a)).map((a) => (typeof a.string === 'string' ? { ...a, string: a.string.trim() } : a));
      if (answers.length > 0) out.push({ linkId: r.linkId, answers });
    }
  }
  return out;
}

/** Every question linkId answered somewhere in the tree (for the FHIR check and tests). */
export function answeredLinkIds(list: ResponseItem[]): string[] {
  const out = new Set<string>();
  const walk = (items: ResponseItem[]) => {
    for (const r of items) {
      if (r.answers && r.answers.length > 0) out.add(r.linkId);
      if (r.items) walk(r.items);
    }
  };
  walk(list);
  return [...out];
}
