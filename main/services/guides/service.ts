/**
 * Work guides in context (作業指引, issue 14 §2). Each save is a new version in effect from its date
 * until the next one's (the code lists' rule); the version in effect on a day is the one with the
 * latest effective date on or before it, a same-day correction (a later id) winning over the version
 * it corrects. Versions are never changed or deleted, so the history shows what a worker was shown on
 * any day. Staff read; only the 管理者 writes. The audit row names the key and the date, not the text.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { addDays, formatRocDate, todayIso } from '../../contract/roc-date';
import { GUIDE_KEYS, guideKind, guideLabel, type GuideKey, type GuideSummary, type GuideVersionView } from '../../contract/types-guides';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';

const STAFF_ROLES = new Set(['worker', 'supervisor', 'admin']);

/** The second gate (the contract's access list is the first): staff read, the 管理者 writes. */
export function assertGuideAccess(actor: Pick<Actor, 'role'>, write: boolean): void {
  if (write ? actor.role === 'admin' : STAFF_ROLES.has(actor.role)) return;
  throw new ApiError('FORBIDDEN', write ? '只有管理者可以編寫作業指引。' : '您的角色不能檢視作業指引。');
}

interface Row {
  id: number;
  guide_key: string;
  body: string;
  effective_from: string;
  note: string | null;
  created_at: string;
  created_by: number | null;
}

/** Versions in the order they apply: by effective date, then by id (a same-day correction last). */
async function rowsOf(db: Kysely<Database>, key?: GuideKey): Promise<Row[]> {
  let q = db.selectFrom('work_guide_versions').selectAll();
  if (key !== undefined) q = q.where('guide_key', '=', key);
  return q.orderBy('guide_key').orderBy('effective_from').orderBy('id').execute();
}

/**
 * Views of rows (grouped by key, each key's in applying order): a version's end is the day before the next different
 * date; a version replaced on its own first day (a same-day correction) ends the day before it began.
 */
async function views(db: Kysely<Database>, rows: Row[]): Promise<GuideVersionView[]> {
  const ids = [...new Set(rows.map((r) => r.created_by).filter((x): x is number => x !== null))];
  const names = ids.length ? new Map((await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute()).map((u) => [u.id, u.display_name])) : new Map<number, string>();
  return rows.map((r, i) => {
    const next = rows[i + 1]?.guide_key === r.guide_key ? rows[i + 1] : undefined;
    return {
      id: r.id,
      key: r.guide_key as GuideKey,
      body: r.body,
      effectiveFrom: r.effective_from,
      effectiveTo: next ? addDays(next.effective_from, -1) : null,
      note: r.note,
      createdAt: r.created_at,
      createdBy: r.created_by !== null ? { id: r.created_by, name: names.get(r.created_by) ?? '' } : null,
    };
  });
}

/** The version in effect on `day` among one key's versions (in applying order), if any. */
function inEffect(versions: GuideVersionView[], day: string): GuideVersionView | null {
  let found: GuideVersionView | null = null;
  for (const v of versions) if (v.effectiveFrom <= day) found = v;
  return found;
}

export async function listGuides(db: Kysely<Database>, today: string): Promise<GuideSummary[]> {
  const all = await views(db, await rowsOf(db));
  return GUIDE_KEYS.map((key) => {
    const versions = all.filter((v) => v.key === key);
    const upcoming = versions.find((v) => v.effectiveFrom > today);
    return {
      key,
      label: guideLabel(key),
      kind: guideKind(key),
      current: inEffect(versions, today),
      upcoming: upcoming ? { effectiveFrom: upcoming.effectiveFrom } : null,
      versionCount: versions.length,
    };
  });
}

export async function getGuide(db: Kysely<Database>, key: GuideKey, on: string): Promise<GuideVersionView | null> {
  return inEffect(await views(db, await rowsOf(db, key)), on);
}

export async function guideHistory(db: Kysely<Database>, key: GuideKey): Promise<GuideVersionView[]> {
  return views(db, await rowsOf(db, key));
}

export interface NewGuideVersion {
  key: GuideKey;
  body: string;
  effectiveFrom: string;
  note?: string | undefined;
}

/**
 * Saves a new version (管理者). It takes effect today or later (what a worker was shown is never
 * rewritten) and not before the newest version (the order of versions is the order they apply).
 */
export async function saveGuide(trx: Kysely<Database>, actor: Actor, input: NewGuideVersion, now: Date): Promise<number> {
  assertGuideAccess(actor, true);
  const today = todayIso(now);
  if (input.effectiveFrom < today) {
    throw new ApiError('RULE', `生效日不可早於今天（${formatRocDate(today)}）：已顯示過的指引不能改寫，請改為今天或以後。`, {
      fields: { effectiveFrom: `不可早於 ${formatRocDate(today)}` },
    });
  }
  const rows = await rowsOf(trx, input.key);
  const newest = rows[rows.length - 1];
  if (newest && input.effectiveFrom < newest.effective_from) {
    throw new ApiError('RULE', `已有自 ${formatRocDate(newest.effective_from)} 起生效的版本，新版本的生效日不可早於它。`, {
      fields: { effectiveFrom: `不可早於 ${formatRocDate(newest.effective_from)}` },
    });
  }
  const body = input.body.replace(/\r\n?/g, '\n').trim();
  if (newest && newest.body === body) {
    throw new ApiError('RULE', '內容與目前最新的版本相同，沒有需要儲存的修改。', { fields: { body: '內容未修改' } });
  }
  const row = await trx
    .insertInto('work_guide_versions')
    .values({ guide_key: input.key, body, effective_from: input.effectiveFrom, note: input.note?.trim() || null, created_at: now.toISOString(), created_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'create', entity: 'work_guide_version', entityId: row.id, detail: { key: input.key, effectiveFrom: input.effectiveFrom, chars: body.length } }, now);
  return row.id;
}

/** One saved version, by id. */
export async function guideVersion(db: Kysely<Database>, key: GuideKey, id: number): Promise<GuideVersionView> {
  const v = (await guideHistory(db, key)).find((x) => x.id === id);
  if (!v) throw new ApiError('NOT_FOUND', '找不到這個版本的作業指引。');
  return v;
}
