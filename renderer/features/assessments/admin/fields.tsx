import { TextInput } from '@mantine/core';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { parseNumber } from './tree';

/** Error messages by path (`items.0.answerOptions.1.score`), and the number fields currently holding text that is not a number. */
export interface EditorErrors {
  at: (path: string) => string | undefined;
  /** Messages under `prefix` not shown by any field: shown together at that place. */
  under: (prefix: string, shown: string[]) => string[];
  setBad: (key: string, bad: boolean) => void;
  readOnly: boolean;
}

export const ErrorsContext = createContext<EditorErrors>({ at: () => undefined, under: () => [], setBad: () => undefined, readOnly: false });

export const useErrors = () => useContext(ErrorsContext);

/** Normalises a validation path: `definition.items[0].text` → `items.0.text`. */
export function normalisePath(path: string): string {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\.+/, '')
    .replace(/^definition\.?/, '');
}

const NOT_A_NUMBER = '請輸入數字（例：3、-1、0.5）';

/**
 * A number typed as text: the value changes only when the text is a number (or empty = absent); other text
 * stays in the field with a message beside it, and blocks saving.
 */
export function NumField(p: {
  path: string;
  label?: ReactNode;
  value: number | undefined;
  onChange: (n: number | undefined) => void;
  required?: boolean;
  w?: number | string;
  placeholder?: string;
  'aria-label'?: string;
}) {
  const errors = useErrors();
  const [text, setText] = useState(p.value === undefined ? '' : String(p.value));
  const [synced, setSynced] = useState(p.value);
  if (p.value !== synced) {
    setSynced(p.value);
    setText(p.value === undefined ? '' : String(p.value));
  }
  const parsed = parseNumber(text);
  const bad = parsed === null || (p.required === true && parsed === undefined);
  const { setBad } = errors;
  useEffect(() => {
    setBad(p.path, bad);
    return () => setBad(p.path, false);
  }, [setBad, p.path, bad]);
  return (
    <TextInput
      label={p.label}
      aria-label={p['aria-label']}
      w={p.w}
      placeholder={p.placeholder}
      value={text}
      readOnly={errors.readOnly}
      inputMode="decimal"
      error={parsed === null ? NOT_A_NUMBER : p.required === true && parsed === undefined ? '請輸入數字' : errors.at(p.path)}
      onChange={(e) => {
        const t = e.currentTarget.value;
        setText(t);
        const n = parseNumber(t);
        if (n !== null) {
          setSynced(n);
          p.onChange(n);
        }
      }}
    />
  );
}
