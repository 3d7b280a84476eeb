import type { UseFormReturnType } from '@mantine/form';

/**
 * Glue between the contract form layer (renderer/lib/form.tsx) and the household field groups
 * (PersonFields, HouseholdFields, AddressFields), which take a value, onChange and errors by field name.
 */

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Writes only the fields that changed, one path at a time, so each field's own message clears when it is edited. */
export function setChanged(form: UseFormReturnType<never>, prefix: string, prev: object, next: object): void {
  const p = prev as Record<string, unknown>;
  const n = next as Record<string, unknown>;
  for (const key of Object.keys(n)) {
    if (p[key] === n[key]) continue;
    const path = `${prefix}${key}`;
    if (isPlainObject(p[key]) && isPlainObject(n[key])) setChanged(form, `${path}.`, p[key], n[key]);
    else (form.setFieldValue as (path: string, value: unknown) => void)(path, n[key]);
  }
}

/** The form's messages under `prefix`, keyed by the rest of the path ('head.name' → 'name' for 'head.'). */
export function errorsUnder(errors: Record<string, unknown>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith(prefix)) out[k.slice(prefix.length)] = String(v);
  }
  return out;
}
