import { Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { formatRocDateTime, todayIso } from '../../main/contract/roc-date';
import { RocDateInput } from './RocDateInput';

/** A moment as a form holds it: the Taipei calendar date (ISO) and the time as typed (`14:07`). */
export interface DateTimeValue {
  date: string | null;
  time: string;
}

const TIME_MESSAGE = '時間格式不正確，請輸入如 14:07';

/** `14:07`, `1407`, `9:30`, `930`, `９：３０` → `HH:mm`; null when it is not a time of day. */
export function parseTime(input: string): string | null {
  const s = input
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .trim();
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(s) ?? /^(\d{1,2})$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = m[2] !== undefined ? Number(m[2]) : 0;
  if (h > 23 || mi > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`;
}

/** The Taipei date and time of a stored UTC timestamp. */
export function splitTimestamp(ts: string | null | undefined): DateTimeValue {
  if (!ts) return { date: null, time: '' };
  const shown = formatRocDateTime(ts);
  return { date: todayIso(new Date(ts)), time: shown.slice(-5) };
}

/** Now, in Taipei, to the minute. */
export function nowDateTime(): DateTimeValue {
  return splitTimestamp(new Date().toISOString());
}

/** `2026-03-05T14:07:00+08:00`, or null when the date is missing or the time is not a time. */
export function joinTimestamp(v: DateTimeValue): string | null {
  const t = parseTime(v.time);
  if (!v.date || !t) return null;
  return `${v.date}T${t}:00+08:00`;
}

export interface RocDateTimeInputProps {
  /** e.g. 收案 → fields 收案日期 and 收案時間. */
  label: string;
  value: DateTimeValue;
  onChange(v: DateTimeValue): void;
  required?: boolean;
  error?: ReactNode;
  disabled?: boolean;
  description?: ReactNode;
}

/** An ROC date field and a 24-hour time field side by side (Taipei time). */
export function RocDateTimeInput({ label, value, onChange, required, error, disabled, description }: RocDateTimeInputProps) {
  const [timeError, setTimeError] = useState<string | null>(null);
  return (
    <Stack gap={2}>
    <Group align="flex-start" gap="xs" wrap="nowrap">
      <div style={{ flex: 1 }}>
        <RocDateInput
          label={`${label}日期`}
          value={value.date}
          onChange={(date) => onChange({ ...value, date })}
          required={required}
          error={error}
          disabled={disabled}
        />
      </div>
      <TextInput
        w={110}
        label={`${label}時間`}
        placeholder="14:07"
        withAsterisk={required}
        disabled={disabled}
        value={value.time}
        autoComplete="off"
        inputMode="numeric"
        onChange={(e) => onChange({ ...value, time: e.currentTarget.value })}
        onBlur={(e) => {
          const raw = e.currentTarget.value;
          if (raw.trim() === '') {
            setTimeError(null);
            return;
          }
          const t = parseTime(raw);
          setTimeError(t ? null : TIME_MESSAGE);
          if (t && t !== raw) onChange({ ...value, time: t });
        }}
        error={timeError}
      />
    </Group>
    {description && (
      <Text size="xs" c="dimmed">
        {description}
      </Text>
    )}
    </Stack>
  );
}
