/**
 * The shared form layer (issue 11 §3): forms built from the contract's zod schemas on @mantine/form, so every
 * field shows its own zh-TW message beside it, labels come from ONE registry (./field-labels), and a server
 * refusal is put back beside the fields it names. No native `required` validation (the browser's English
 * "Please fill out this field"): mark required inputs with `withAsterisk` (field() does it) and render the
 * <form> with `noValidate` (formProps() does it).
 *
 * Usage:
 *
 *   import { z } from 'zod';
 *   import { createUserInput } from '../../../main/contract/methods/users';   // a contract schema
 *   import { FormError, useContractForm, useUnsavedGuard, ConfirmAction } from '../../lib/form';
 *
 *   const f = useContractForm(createUserInput, {
 *     initialValues: { username: '', displayName: '', role: 'worker', initialPassword: '' },
 *     labels: { initialPassword: '初始密碼' },            // optional, overrides the registry for this form
 *     required: ['username', 'displayName', 'initialPassword'],
 *     // toInput: (v) => ({ ...v, quantity: Number(v.quantity) }),  // when form values differ from the input
 *     // paths: { 'head.newPerson.': '' },                        // server/schema path → form path (prefix ends in '.')
 *   });
 *   const leaveGuard = useUnsavedGuard(f.form.isDirty());
 *   return (
 *     <form {...f.formProps(async (input) => { await call('users.create', input); f.form.resetDirty(); })}>
 *       {leaveGuard}
 *       <TextInput {...f.field('username')} />            // label 帳號 + value/onChange/error + asterisk
 *       <Select {...f.field('role')} data={roles} />
 *       <FormError message={f.formError} />                // what belongs to no field (and CONFLICT etc.)
 *       <Button type="submit" loading={f.busy}>儲存</Button>
 *     </form>
 *   );
 *
 * `f.showServerError(err)` maps any ApiCallError by hand (for calls made outside formProps' submit).
 */
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { zhTWErrorMap } from '../../main/contract/zod-zh';
import { FormError } from '../components/FormError';
import { ApiCallError } from './api';
import { fieldLabel, fieldMessage } from './field-labels';
import { formsMsg } from './messages-forms';

export { FormError } from '../components/FormError';
export { ConfirmAction } from '../components/ConfirmAction';
export { useUnsavedGuard } from './unsaved';
export { fieldLabel, fieldMessage, FIELD_LABELS } from './field-labels';

// zod's default messages in plain zh-TW wherever a contract schema names none (the same map as the server's).
z.config({ localeError: zhTWErrorMap });

type Values = Record<string, unknown>;

/** Spread on a <form> (or Stack component="form") that is not a contract form: no native required check. */
export const NO_VALIDATE = { noValidate: true } as Record<never, never>;

export interface ContractFormOptions<V extends Values, I> {
  initialValues: V;
  /** Label overrides for this form; the registry (main/contract/field-labels.ts) is used otherwise. */
  labels?: Readonly<Record<string, string>>;
  /** Form values → the method's input (numbers typed as text, names that differ...). Identity by default. */
  toInput?: (values: V) => I;
  /** Schema/server path → form path. A key ending in '.' is a prefix ('head.newPerson.' → ''). */
  paths?: Readonly<Record<string, string>>;
  /** Fields shown with an asterisk (never the browser's own required check). */
  required?: readonly string[];
  /** Checks the schema cannot express (cross-field, form-only); path → message. */
  extra?: (values: V) => Record<string, string>;
  /** Validate a field when it is left (default true). */
  validateOnBlur?: boolean;
}

function readPath(values: unknown, path: string): unknown {
  let cur: unknown = values;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Maps a schema/server path to a form path with the form's `paths` (exact first, then the longest prefix). */
export function mapFieldPath(path: string, paths?: Readonly<Record<string, string>>): string {
  if (!paths) return path;
  if (path in paths) return paths[path]!;
  let best: string | null = null;
  for (const k of Object.keys(paths)) {
    if (k.endsWith('.') && path.startsWith(k) && (best === null || k.length > best.length)) best = k;
  }
  return best === null ? path : paths[best]! + path.slice(best.length);
}

/**
 * Splits a refusal's field errors into those a form shows beside a field (`hasField`) and the rest, each
 * named by its label (never by its path). Pure: unit-tested.
 */
export function splitFieldErrors(
  fields: Readonly<Record<string, string>>,
  hasField: (path: string) => boolean,
  opts?: { paths?: Readonly<Record<string, string>>; labels?: Readonly<Record<string, string>> },
): { byField: Record<string, string>; rest: string[] } {
  const byField: Record<string, string> = {};
  const rest: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const to = mapFieldPath(path, opts?.paths);
    if (to !== '' && to !== '_' && hasField(to)) byField[to] ??= message;
    else rest.push(fieldMessage(path, message, opts?.labels));
  }
  return { byField, rest };
}

export interface ContractForm<V extends Values, I> {
  form: UseFormReturnType<V>;
  /** getInputProps + the registry's label + asterisk for required fields. */
  field: (path: string, opts?: { type?: 'input' | 'checkbox' }) => ReturnType<UseFormReturnType<V>['getInputProps']> & { label: string; withAsterisk?: boolean };
  label: (path: string) => string;
  /** value / onChange / error for an input of our own (RocDateInput, RocDateTimeInput, pickers). */
  control: <T>(path: string) => { value: T; onChange: (v: T) => void; error?: string; onBlur?: () => void };
  /** The message shown beside `path`, if any. */
  errorOf: (path: string) => string | undefined;
  /**
   * Spread on the <form> (or <Stack component="form">): submit that validates, calls `fn` with the input and
   * maps refusals. Also carries `noValidate` (untyped, so it spreads onto Mantine's polymorphic Stack too).
   */
  formProps: (fn: (input: I, values: V) => Promise<unknown>) => { onSubmit: (e?: FormEvent<HTMLElement>) => void };
  /** The message for what belongs to no field (a refusal's message, CONFLICT, ...). */
  formError: string | null;
  setFormError: (m: string | null) => void;
  showServerError: (err: unknown) => void;
  busy: boolean;
}

export function useContractForm<S extends z.ZodType, V extends Values = Values>(
  schema: S,
  options: ContractFormOptions<V, z.input<S>>,
): ContractForm<V, z.input<S>> {
  const { labels, toInput, paths, required, extra } = options;
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const validate = useCallback(
    (values: V) => {
      const input = toInput ? toInput(values) : values;
      const errors: Record<string, string> = {};
      const result = schema.safeParse(input);
      const issues: Record<string, string> = {};
      if (!result.success) {
        for (const issue of result.error.issues) issues[issue.path.map(String).join('.')] ??= issue.message;
      }
      Object.assign(issues, extra ? extra(values) : {});
      const { byField, rest } = splitFieldErrors(issues, (p) => readPath(values, p) !== undefined, { paths, labels });
      Object.assign(errors, byField);
      // What the form shows beside no field still stops the submit, and is named by its label.
      if (rest.length > 0) errors._form = rest.join('；');
      return errors;
    },
    [schema, toInput, paths, labels, extra],
  );

  const form = useForm<V>({
    mode: 'controlled',
    initialValues: options.initialValues,
    validate,
    validateInputOnBlur: options.validateOnBlur ?? true,
  });

  const label = useCallback((path: string) => labels?.[path] ?? fieldLabel(path, labels) ?? '', [labels]);

  const showServerError = useCallback(
    (err: unknown) => {
      if (!(err instanceof ApiCallError)) {
        setFormError(err instanceof Error ? err.message : String(err));
        return;
      }
      const values = form.getValues();
      const { byField, rest } = splitFieldErrors(err.fields, (p) => readPath(values, p) !== undefined, { paths, labels });
      for (const [p, m] of Object.entries(byField)) form.setFieldError(p, m);
      const shownBeside = Object.keys(byField).length > 0;
      // A refusal with field errors all shown beside their fields needs no second message above the buttons.
      if (!shownBeside) setFormError(err.message);
      else setFormError(rest.length > 0 ? rest.join('；') : null);
    },
    [form, paths, labels],
  );

  const requiredSet = useMemo(() => new Set(required ?? []), [required]);

  const field: ContractForm<V, z.input<S>>['field'] = (path, opts) => {
    const props = form.getInputProps(path, opts?.type === 'checkbox' ? { type: 'checkbox' } : undefined);
    return { ...props, label: label(path), ...(requiredSet.has(path) ? { withAsterisk: true } : {}) };
  };

  const errorOf = (path: string): string | undefined => {
    const e = form.errors[path];
    return e === undefined || e === null ? undefined : String(e);
  };

  const control = <T,>(path: string) => {
    const props = form.getInputProps(path);
    return { value: props.value as T, onChange: props.onChange as (v: T) => void, error: errorOf(path), onBlur: props.onBlur as () => void };
  };

  const formProps: ContractForm<V, z.input<S>>['formProps'] = (fn) => {
    const handler = form.onSubmit(
      async (values) => {
        setFormError(null);
        setBusy(true);
        try {
          await fn((toInput ? toInput(values) : values) as z.input<S>, values);
        } catch (err) {
          showServerError(err);
        } finally {
          setBusy(false);
        }
      },
      (errors) => {
        const formLevel = errors._form;
        setFormError(typeof formLevel === 'string' ? formLevel : formsMsg.formInvalid);
      },
    );
    return { ...NO_VALIDATE, onSubmit: (e?: FormEvent<HTMLElement>) => handler(e as FormEvent<HTMLFormElement> | undefined) };
  };

  return { form, field, label, control, errorOf, formProps, formError, setFormError, showServerError, busy };
}

/** The form-level message of a contract form (its refusal or what belongs to no field). */
export function ContractFormError({ form }: { form: Pick<ContractForm<Values, unknown>, 'formError'> }) {
  return <FormError message={form.formError} />;
}
