import { Badge } from '@mantine/core';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import {
  CASE_SOURCE_LABELS,
  CASE_SOURCES,
  CASE_TYPES,
  RISK_LEVELS,
  type CaseStatus,
  type RiskLevel,
} from '../../../main/contract/types-cases';

/** Colours of the case statuses, in the order of the flow. */
export const STATUS_COLORS: Record<CaseStatus, string> = {
  待分派: 'gray',
  評估中: 'blue',
  開案審查中: 'orange',
  處遇中: 'teal',
  不開案: 'gray',
  短期服務: 'cyan',
  結案審查中: 'orange',
  已結案: 'dark',
};

export function CaseStatusBadge({ status, size = 'md', testId }: { status: CaseStatus; size?: 'sm' | 'md' | 'lg'; testId?: string }) {
  return (
    <Badge color={STATUS_COLORS[status]} size={size} variant={status === '已結案' || status === '不開案' ? 'outline' : 'light'} data-testid={testId}>
      {status}
    </Badge>
  );
}

const RISK_COLORS: Record<RiskLevel, string> = { 低: 'green', 中: 'yellow', 高: 'red' };

export function RiskBadge({ level }: { level: RiskLevel | null }) {
  if (!level) return null;
  return (
    <Badge color={RISK_COLORS[level]} variant="light" size="sm">
      {`${level}風險`}
    </Badge>
  );
}

/** `A 自行求助` … */
export const sourceOptions = CASE_SOURCES.map((s) => ({ value: s, label: `${s} ${CASE_SOURCE_LABELS[s]}` }));
export const caseTypeOptions = CASE_TYPES.map((t) => ({ value: t, label: t }));
export const RISK_LEVEL_LIST = RISK_LEVELS;

export function sourceLabel(s: string): string {
  return s in CASE_SOURCE_LABELS ? `${s} ${CASE_SOURCE_LABELS[s as keyof typeof CASE_SOURCE_LABELS]}` : s;
}

/** The Taipei calendar date of a stored timestamp, as `115/03/05`; '' for none. */
export function rocDateOf(ts: string | null | undefined): string {
  if (!ts) return '';
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? ts : formatRocDate(todayIso(new Date(ms)));
}
