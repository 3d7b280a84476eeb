/**
 * An audit row's detail JSON as readable zh-TW lines: "變更欄位：姓名、電話", "狀態：處遇中 → 結案",
 * dates in ROC. Never JSON: nested values are flattened into labelled lines, unknown keys show as
 * 其他（key）. Shared by the screen and its export so both read the same.
 */
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS } from '../../lib/messages';
import { AUDIT_DETAIL_LABELS, AUDIT_ENTITY_EXTRA, AUDIT_FIELD_LABELS, AUDIT_VALUE_LABELS, msgAudit } from '../../lib/messages-audit';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const HEX = /^[0-9a-f]{32,}$/i;
/** Keys whose values are field names. */
const FIELD_LISTS = new Set(['fields', 'changed']);

export function entityLabel(entity: string): string {
  return AUDIT_ENTITY_LABELS[entity] ?? AUDIT_ENTITY_EXTRA[entity] ?? msgAudit.other(entity);
}

export function actionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? msgAudit.other(action);
}

/** A backup file's name (welfare-desk-20260520T020000Z[-tag].wdbak) read as the ROC time it was made. */
const BACKUP_NAME = /^welfare-desk-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-[a-z0-9-]+)?\.wdbak$/;

/** "家戶 王小明（南投市中興里）", or "家戶 #806" when the caller may not see the name; a backup by its ROC time. */
export function targetText(row: { entity: string; entityId: string | null; targetName: string | null }): string {
  const label = entityLabel(row.entity);
  if (row.targetName) return `${label} ${row.targetName}`;
  const backup = row.entity === 'backup' && row.entityId ? BACKUP_NAME.exec(row.entityId) : null;
  if (backup) {
    const [, y, mo, d, h, mi, sec] = backup;
    return `${label}（${formatRocDateTime(`${y}-${mo}-${d}T${h}:${mi}:${sec}Z`)} 製作）`;
  }
  return row.entityId ? `${label} #${row.entityId}` : label;
}

function keyLabel(key: string): string {
  return AUDIT_DETAIL_LABELS[key] ?? AUDIT_FIELD_LABELS[key] ?? msgAudit.other(key);
}

function scalar(key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return msgAudit.none;
  if (typeof v === 'boolean') return v ? msgAudit.yes : msgAudit.no;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return String(v);
  if (FIELD_LISTS.has(key)) return AUDIT_FIELD_LABELS[v] ?? v;
  if (key === 'action') return actionLabel(v);
  if (key === 'entity') return entityLabel(v);
  const mapped = AUDIT_VALUE_LABELS[key]?.[v];
  if (mapped) return mapped;
  if (ISO_DAY.test(v)) return formatRocDate(v);
  if (ISO_TIME.test(v) && !Number.isNaN(Date.parse(v))) return formatRocDateTime(v);
  // Fingerprints are long and mean nothing to a reader beyond their start.
  if (HEX.test(v)) return `${v.slice(0, 12)}…`;
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One value on one line: arrays joined with 、, small objects as "標籤 值，標籤 值". */
function inline(key: string, v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? msgAudit.none : v.map((x) => inline(key, x)).join('、');
  if (isPlainObject(v)) {
    const parts = Object.entries(v).map(([k, x]) => `${keyLabel(k)} ${inline(k, x)}`);
    return parts.length === 0 ? msgAudit.none : parts.join('，');
  }
  return scalar(key, v);
}

/**
 * The lines of one detail object. `before`/`after` pairs become "欄位：舊 → 新"; a nested object
 * becomes lines prefixed with its label ("篩選條件．期間：…"); everything else "標籤：值".
 */
export function detailLines(detail: Record<string, unknown> | null): string[] {
  if (!detail) return [];
  const lines: string[] = [];
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    const before = obj.before;
    const after = obj.after;
    const paired = isPlainObject(before) && isPlainObject(after);
    if (paired) {
      const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
      for (const k of keys) {
        const a = inline(k, before[k]);
        const b = inline(k, after[k]);
        lines.push(`${prefix}${keyLabel(k)}：${a === b ? b : `${a}${msgAudit.arrow}${b}`}`);
      }
    }
    for (const [k, v] of Object.entries(obj)) {
      if (paired && (k === 'before' || k === 'after')) continue;
      if (isPlainObject(v) && Object.keys(v).length > 0 && Object.values(v).some((x) => isPlainObject(x) || Array.isArray(x))) {
        walk(v, `${prefix}${keyLabel(k)}．`);
      } else {
        lines.push(`${prefix}${keyLabel(k)}：${inline(k, v)}`);
      }
    }
  };
  walk(detail, '');
  return lines;
}
