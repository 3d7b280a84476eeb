import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { ActionIcon, Popover, TextInput } from '@mantine/core';
import { DatePicker } from '@mantine/dates';
import { formatRocDate, formatRocLong, parseRocDate, rocMonthLabel, todayIso } from '../../main/contract/roc-date';

export interface RocDateInputProps {
  label?: ReactNode;
  /** ISO `YYYY-MM-DD`, or null when empty. */
  value: string | null;
  /** Called with an ISO date, or null when the field is emptied or holds text that is not a date. */
  onChange: (iso: string | null) => void;
  required?: boolean;
  /** The same asterisk as `required` (never a native check), under the name Mantine's inputs use. */
  withAsterisk?: boolean;
  /** Error from the surrounding form; a parse error of the typed text takes precedence. */
  error?: ReactNode;
  description?: ReactNode;
  placeholder?: string;
  disabled?: boolean;
  /** Earliest / latest selectable date in the calendar, ISO. */
  minDate?: string;
  maxDate?: string;
  'data-testid'?: string;
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

// Mantine passes `YYYY-MM-DD` strings to its label callbacks; slice defensively in case a time is appended.
const isoOf = (date: string): string => date.slice(0, 10);
const rocYearOf = (date: string): number => Number(isoOf(date).slice(0, 4)) - 1911;

// Label functions for Mantine's DatePicker so every level of the calendar reads in ROC years and zh-TW,
// without loading a dayjs locale.
export const rocCalendarLabels = {
  monthLabelFormat: (date: string) => rocMonthLabel(isoOf(date)),
  yearLabelFormat: (date: string) => `${rocYearOf(date)}年`,
  decadeLabelFormat: (start: string, end: string) => `${rocYearOf(start)}年 – ${rocYearOf(end)}年`,
  yearsListFormat: (date: string) => `${rocYearOf(date)}年`,
  monthsListFormat: (date: string) => `${Number(isoOf(date).slice(5, 7))}月`,
  weekdayFormat: (date: string) => WEEKDAYS[new Date(`${isoOf(date)}T00:00:00Z`).getUTCDay()] ?? '',
  getDayAriaLabel: (date: string) => formatRocLong(isoOf(date)),
  ariaLabels: {
    monthLevelControl: '切換為選擇月份',
    yearLevelControl: '切換為選擇年份',
    nextMonth: '下個月',
    previousMonth: '上個月',
    nextYear: '下一年',
    previousYear: '上一年',
    nextDecade: '後十年',
    previousDecade: '前十年',
  },
};

function CalendarIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <rect x="3" y="5" width="18" height="16" rx="2" />
      <path d="M16 3v4M8 3v4M3 11h18" />
    </svg>
  );
}

/**
 * Date field that shows and accepts ROC dates. The user may type any format parseRocDate understands
 * (115/3/5, 1150305, 2026-03-05, full-width digits…); on blur or Enter the text is normalised to
 * `115/03/05`, or the zh-TW reason it is not a date is shown. The value stays ISO.
 */
export function RocDateInput({
  label,
  value,
  onChange,
  required,
  withAsterisk,
  error,
  description,
  placeholder = '例：115/3/5',
  disabled,
  minDate,
  maxDate,
  'data-testid': testId,
}: RocDateInputProps) {
  const [text, setText] = useState(() => formatRocDate(value));
  const [parseError, setParseError] = useState<string | null>(null);
  const [pickerOpen, setPickerOpen] = useState(false);
  // The value our text currently reflects. When the parent passes anything else (form reset, loaded
  // record), the text is replaced; when it echoes back what we emitted, the user's text is kept —
  // including invalid text, which we report as null but must not wipe.
  const [syncedValue, setSyncedValue] = useState(value);
  if (value !== syncedValue) {
    setSyncedValue(value);
    setText(formatRocDate(value));
    setParseError(null);
  }

  const emit = (iso: string | null) => {
    setSyncedValue(iso);
    if (iso !== value) onChange(iso);
  };

  const commit = (raw: string) => {
    if (raw.trim() === '') {
      setText('');
      setParseError(null);
      emit(null);
      return;
    }
    const result = parseRocDate(raw);
    if (result.ok) {
      setText(formatRocDate(result.iso));
      setParseError(null);
      emit(result.iso);
    } else {
      setParseError(result.message);
      emit(null);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      // Enter confirms the date only; it must not submit a half-filled form around it.
      event.preventDefault();
      commit(event.currentTarget.value);
    }
  };

  const pick = (iso: string | null) => {
    setPickerOpen(false);
    if (iso) commit(formatRocDate(isoOf(iso)));
  };

  const picker = (
    <Popover opened={pickerOpen} onChange={setPickerOpen} position="bottom-end" shadow="md" trapFocus returnFocus>
      <Popover.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label="開啟日曆"
          title="開啟日曆"
          disabled={disabled}
          onClick={() => setPickerOpen((open) => !open)}
        >
          <CalendarIcon />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <DatePicker
          value={value}
          onChange={pick}
          defaultDate={value ?? todayIso()}
          firstDayOfWeek={0}
          minDate={minDate}
          maxDate={maxDate}
          nextLabel="下一頁"
          previousLabel="上一頁"
          {...rocCalendarLabels}
        />
      </Popover.Dropdown>
    </Popover>
  );

  return (
    <TextInput
      label={label}
      description={description}
      withAsterisk={required ?? withAsterisk}
      disabled={disabled}
      placeholder={placeholder}
      value={text}
      onChange={(event) => setText(event.currentTarget.value)}
      onBlur={(event) => commit(event.currentTarget.value)}
      onKeyDown={onKeyDown}
      error={parseError ?? error}
      autoComplete="off"
      rightSection={picker}
      rightSectionPointerEvents="all"
      data-testid={testId}
    />
  );
}
