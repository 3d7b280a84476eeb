/**
 * FHIR shapes of instruments and assessments (issue 14 §1), pure: an instrument version as an R4
 * `Questionnaire`, answers as `QuestionnaireResponse.item` and back. Our additions to the format (domain,
 * factor, weight, option scores) travel as extensions, so the central level reads the standard parts and
 * our own tools keep the rest.
 */
import type { FhirQuestionnaire, FhirQuestionnaireItem } from '../../contract/methods/assessments';
import type { AnswerValue, FhirAnswer, FhirResponseItem, InstrumentDefinition, InstrumentItem, ResponseItem } from '../../contract/types-assessments';
import { flattenItems } from '../../contract/assessment-scoring';

export const EXT_BASE = 'https://welfare-desk.local/fhir/StructureDefinition';
export const ORDINAL_VALUE = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';

/** The canonical of an instrument: the central Questionnaire's URL when it follows one, else ours. */
export function questionnaireUrl(def: InstrumentDefinition, code: string): string {
  return def.url ?? `https://welfare-desk.local/fhir/Questionnaire/${code}`;
}

function questionnaireItem(it: InstrumentItem): FhirQuestionnaireItem {
  const out: FhirQuestionnaireItem = { linkId: it.linkId, text: it.text, type: it.type };
  if (it.required) out.required = true;
  if (it.repeats) out.repeats = true;
  if (it.answerValueSet) out.answerValueSet = it.answerValueSet;
  if (it.answerOptions?.length)
    out.answerOption = it.answerOptions.map((o) => ({
      valueCoding: { code: o.code, display: o.display },
      ...(o.score !== undefined ? { extension: [{ url: ORDINAL_VALUE, valueDecimal: o.score }] } : {}),
    }));
  const ext: NonNullable<FhirQuestionnaireItem['extension']> = [];
  if (it.domain) ext.push({ url: `${EXT_BASE}/assessment-domain`, valueCode: it.domain });
  if (it.factor) ext.push({ url: `${EXT_BASE}/assessment-factor`, valueCode: it.factor });
  if (it.weight !== undefined) ext.push({ url: `${EXT_BASE}/assessment-weight`, valueDecimal: it.weight });
  if (it.min !== undefined) ext.push({ url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueDecimal: it.min });
  if (it.max !== undefined) ext.push({ url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueDecimal: it.max });
  if (it.help) ext.push({ url: `${EXT_BASE}/assessment-help`, valueString: it.help });
  if (ext.length) out.extension = ext;
  if (it.items?.length) out.item = it.items.map(questionnaireItem);
  return out;
}

export function toFhirQuestionnaire(v: {
  id: number;
  code: string;
  name: string;
  versionNo: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  archived: boolean;
  definition: InstrumentDefinition;
}): FhirQuestionnaire {
  return {
    resourceType: 'Questionnaire',
    id: `${v.code}-v${v.versionNo}`,
    url: questionnaireUrl(v.definition, v.code),
    version: String(v.versionNo),
    name: v.code.replace(/-/g, '_'),
    title: v.name,
    status: v.archived ? 'retired' : 'active',
    effectivePeriod: { start: v.effectiveFrom, ...(v.effectiveTo ? { end: v.effectiveTo } : {}) },
    item: v.definition.items.map(questionnaireItem),
  };
}

function fhirAnswer(item: InstrumentItem | undefined, a: AnswerValue): FhirAnswer {
  if (a.boolean !== undefined) return { valueBoolean: a.boolean };
  if (a.integer !== undefined) return item?.type === 'decimal' ? { valueDecimal: a.integer } : { valueInteger: a.integer };
  if (a.decimal !== undefined) return { valueDecimal: a.decimal };
  if (a.date !== undefined) return { valueDate: a.date };
  if (a.dateTime !== undefined) return { valueDateTime: a.dateTime };
  if (a.code !== undefined) {
    const display = item?.answerOptions?.find((o) => o.code === a.code)?.display;
    return { valueCoding: { code: a.code, ...(display ? { display } : {}) } };
  }
  if (a.personId !== undefined) return { valueReference: { reference: `Patient/${a.personId}` } };
  return { valueString: a.string ?? '' };
}

/** Our answers as QuestionnaireResponse.item (texts from the definition). */
export function toFhirResponseItems(def: InstrumentDefinition, answers: ResponseItem[]): FhirResponseItem[] {
  const byId = new Map(flattenItems(def.items).map((i) => [i.linkId, i]));
  const conv = (r: ResponseItem): FhirResponseItem => {
    const item = byId.get(r.linkId);
    const out: FhirResponseItem = { linkId: r.linkId };
    if (item) out.text = item.text;
    if (r.answers?.length) out.answer = r.answers.map((a) => fhirAnswer(item, a));
    if (r.items?.length) out.item = r.items.map(conv);
    return out;
  };
  return answers.map(conv);
}

function fromFhirAnswer(a: FhirAnswer): AnswerValue {
  if (a.valueBoolean !== undefined) return { boolean: a.valueBoolean };
  if (a.valueInteger !== undefined) return { integer: a.valueInteger };
  if (a.valueDecimal !== undefined) return { decimal: a.valueDecimal };
  if (a.valueDate !== undefined) return { date: a.valueDate };
  if (a.valueDateTime !== undefined) return { dateTime: a.valueDateTime };
  if (a.valueCoding !== undefined) return { code: a.valueCoding.code };
  if (a.valueReference !== undefined) {
    const m = /^Patient\/(\d+)$/.exec(a.valueReference.reference);
    return m ? { personId: Number(m[1]) } : { string: a.valueReference.reference };
  }
  return { string: a.valueString ?? '' };
}

/** QuestionnaireResponse.item back to our answers (the import side of exchange). */
export function fromFhirResponseItems(items: FhirResponseItem[]): ResponseItem[] {
  const conv = (r: FhirResponseItem): ResponseItem => {
    const out: ResponseItem = { linkId: r.linkId };
    if (r.answer?.length) out.answers = r.answer.map(fromFhirAnswer);
    if (r.item?.length) out.items = r.item.map(conv);
    return out;
  };
  return items.map(conv);
}
