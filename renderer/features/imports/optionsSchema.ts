/**
 * A kind's options arrive as JSON Schema (zod's toJSONSchema of the kind's `options`). This turns it into the
 * inputs of the options form and a zod schema that checks them in the browser with zh-TW messages; the
 * server checks them again and its refusal lands beside the same fields (`options.<key>`).
 */
import { z } from 'zod';
import { isIsoDate } from '../../../main/contract/roc-date';
import { CODE_LIST_LABELS } from '../../../main/contract/types-cases';
import { fieldLabel } from '../../lib/field-labels';

/** Labels of option keys whose schema names none (the registry has the rest). */
const OPTION_LABELS: Readonly<Record<string, string>> = { period: '名冊資料月份（起日）', effectiveFrom: '生效日期', list: '代碼表' };
/** Labels of enum values the contract already names (a code list's name). */
const CHOICE_LABELS: Readonly<Record<string, string>> = { ...CODE_LIST_LABELS };
const DATE_LABEL = /日期|起日|迄日|生效日/;

export type OptionInput =
  | { key: string; label: string; required: boolean; hint: string | null; type: 'date' }
  | { key: string; label: string; required: boolean; hint: string | null; type: 'text'; maxLength: number | null }
  | { key: string; label: string; required: boolean; hint: string | null; type: 'number'; min: number | null; max: number | null; integer: boolean }
  | { key: string; label: string; required: boolean; hint: string | null; type: 'boolean' }
  | { key: string; label: string; required: boolean; hint: string | null; type: 'select'; choices: { value: string; label: string }[] };

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The non-null branch of `anyOf: [X, {type: 'null'}]` (an optional/nullable option). */
function unwrap(s: Json): Json {
  const alts = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : null) as unknown[] | null;
  if (alts) {
    const rest = alts.filter((a) => isObj(a) && a.type !== 'null');
    if (rest.length === 1 && isObj(rest[0])) return { ...rest[0], title: s.title ?? rest[0].title, description: s.description ?? rest[0].description };
  }
  return s;
}

function choicesOf(s: Json): { value: string; label: string }[] | null {
  if (Array.isArray(s.enum)) return s.enum.map((v) => ({ value: String(v), label: CHOICE_LABELS[String(v)] ?? String(v) }));
  const alts = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : null) as unknown[] | null;
  if (alts && alts.every((a) => isObj(a) && 'const' in a)) {
    return alts.map((a) => {
      const o = a as Json;
      return { value: String(o.const), label: String(o.title ?? o.description ?? o.const) };
    });
  }
  return null;
}

/** The inputs of an options form, in the schema's property order. Unknown shapes become text inputs. */
export function optionInputs(schema: unknown): OptionInput[] {
  if (!isObj(schema) || !isObj(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(schema.properties).map(([key, raw]): OptionInput => {
    const s = isObj(raw) ? unwrap(raw) : {};
    // A short description names the option (「生效日期（須晚於…）」: the name, then the hint in brackets).
    const desc = typeof s.description === 'string' ? s.description : null;
    const head = desc ? (/^([^（(]{1,12})[（(](.+)[）)]$/.exec(desc) ?? null) : null;
    const label = String(s.title ?? (head ? head[1] : desc && desc.length <= 12 ? desc : null) ?? OPTION_LABELS[key] ?? fieldLabel(key) ?? key);
    const hint = head && !s.title ? (head[2] ?? null) : desc !== null && desc !== label ? desc : null;
    const base = { key, label, required: required.has(key) && !('default' in s), hint };
    const choices = choicesOf(s);
    if (choices) return { ...base, type: 'select', choices };
    if (s.type === 'boolean') return { ...base, type: 'boolean' };
    if (s.type === 'integer' || s.type === 'number') {
      const min = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (s.type === 'integer' ? 1 : 0) : null;
      const max = typeof s.maximum === 'number' && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : null;
      return { ...base, type: 'number', integer: s.type === 'integer', min, max };
    }
    if (s.format === 'date' || (s.type === 'string' && DATE_LABEL.test(label))) return { ...base, type: 'date' };
    return { ...base, type: 'text', maxLength: typeof s.maxLength === 'number' ? s.maxLength : null };
  });
}

/** Empty form values for the inputs ('' / null / false), or the schema's defaults. */
export function optionDefaults(schema: unknown, inputs: readonly OptionInput[]): Record<string, unknown> {
  const props = isObj(schema) && isObj(schema.properties) ? schema.properties : {};
  const out: Record<string, unknown> = {};
  for (const i of inputs) {
    const s = isObj(props[i.key]) ? unwrap(props[i.key] as Json) : {};
    const d = (props[i.key] as Json | undefined)?.default ?? s.default;
    if (d !== undefined) out[i.key] = i.type === 'number' ? d : i.type === 'boolean' ? Boolean(d) : String(d);
    // A required choice with one possible answer comes answered (the one code list there is).
    else if (i.type === 'select' && i.required && i.choices.length === 1) out[i.key] = i.choices[0]?.value ?? '';
    else out[i.key] = i.type === 'boolean' ? false : i.type === 'date' ? null : '';
  }
  return out;
}

/** Form values → the options object sent to the server (empty optional values left out). */
export function optionsPayload(inputs: readonly OptionInput[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const i of inputs) {
    const v = values[i.key];
    if (v === null || v === undefined || v === '') continue;
    out[i.key] = i.type === 'number' ? Number(v) : v;
  }
  return out;
}

/** A zod schema of the form's values with zh-TW messages beside each input. */
export function optionsZod(inputs: readonly OptionInput[]): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const i of inputs) {
    const missing = i.type === 'select' || i.type === 'date' ? `請選擇${i.label}` : `請輸入${i.label}`;
    let s: z.ZodType;
    switch (i.type) {
      case 'date':
        s = z.string({ error: missing }).refine((v) => isIsoDate(v), '日期格式不正確');
        break;
      case 'select': {
        const values = i.choices.map((c) => c.value);
        s = z.string({ error: missing }).refine((v) => values.includes(v), missing);
        break;
      }
      case 'number': {
        let n = z.coerce.number({ error: `${i.label}須為數字` });
        if (i.integer) n = n.int(`${i.label}須為整數`);
        if (i.min !== null) n = n.min(i.min, `${i.label}不得小於 ${i.min}`);
        if (i.max !== null) n = n.max(i.max, `${i.label}不得大於 ${i.max}`);
        s = n;
        break;
      }
      case 'boolean':
        s = z.boolean();
        break;
      case 'text': {
        let t = z.string({ error: missing }).trim().min(1, missing);
        if (i.maxLength !== null) t = t.max(i.maxLength, `${i.label}最多 ${i.maxLength} 個字`);
        s = t;
        break;
      }
      default: {
        const never: never = i;
        throw new Error(`unknown option input ${String(never)}`);
      }
    }
    shape[i.key] = i.required || i.type === 'boolean' ? s : z.union([z.literal(''), z.null(), z.undefined(), s]);
  }
  return z.object(shape) as unknown as z.ZodType<Record<string, unknown>>;
}
