/** Messages beside the assessment form's fields: the shared validator's, and a refused save's. */
import { validateAnswers } from '../../../main/contract/assessment-scoring';
import type { InstrumentDefinition, InstrumentItem, ResponseItem } from '../../../main/contract/types-assessments';
import { ApiCallError } from '../../lib/api';

/** Every linkId of the definition, groups included. */
export function allLinkIds(items: InstrumentItem[]): Set<string> {
  const out = new Set<string>();
  const walk = (list: InstrumentItem[]) => {
    for (const i of list) {
      out.add(i.linkId);
      if (i.items) walk(i.items);
    }
  };
  walk(items);
  return out;
}

/** The shared validator's messages, the first per linkId. */
export function clientIssues(def: InstrumentDefinition, answers: ResponseItem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of validateAnswers(def, answers)) out[issue.linkId] ??= issue.message;
  return out;
}

/**
 * A refused call's field messages split into those that belong beside a question (keyed by its linkId,
 * however the service spelled the path: `1.2`, `answers.1.2`, `answers[1.2]`) and the rest by field name.
 */
export function serverIssues(e: unknown, def: InstrumentDefinition | null): { byLinkId: Record<string, string>; byField: Record<string, string>; message: string } {
  if (!(e instanceof ApiCallError)) return { byLinkId: {}, byField: {}, message: e instanceof Error ? e.message : String(e) };
  const ids = def ? allLinkIds(def.items) : new Set<string>();
  const byLinkId: Record<string, string> = {};
  const byField: Record<string, string> = {};
  for (const [key, text] of Object.entries(e.fields)) {
    const bare = key.replace(/^answers[.[]?/, '').replace(/\]$/, '');
    if (ids.has(key)) byLinkId[key] ??= text;
    else if (key.startsWith('answers') && ids.has(bare)) byLinkId[bare] ??= text;
    else byField[key] ??= text;
  }
  return { byLinkId, byField, message: e.message };
}
