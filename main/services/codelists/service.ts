/**
 * Versioned code lists (代碼表), each version in force from its effective date
 * until the next one's. A case is coded with the version in force on its
 * received date and keeps that version id, so a revision never rewrites what
 * old cases were coded with.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { addDays, formatRocDate } from '../../contract/roc-date';
import type { CodedFactor, CodeListItemView, CodeListName, CodeListVersionView, CodeListView } from '../../contract/types-cases';
import { CODE_LIST_LABELS } from '../../contract/types-cases';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';

interface VersionRow {
  id: number;
  list: string;
  effective_from: string;
  note: string | null;
  created_at: string;
  created_by: number | null;
}

async function versionRows(db: Kysely<Database>, list: CodeListName): Promise<VersionRow[]> {
  return db.selectFrom('code_list_versions').selectAll().where('list', '=', list).orderBy('effective_from').execute();
}

export async function listVersions(db: Kysely<Database>, list: CodeListName): Promise<CodeListVersionView[]> {
  const rows = await versionRows(db, list);
  const counts = await db
    .selectFrom('code_list_items')
    .innerJoin('code_list_versions', 'code_list_versions.id', 'code_list_items.version_id')
    .select(['code_list_items.version_id as id', sql<number>`count(*)`.as('n')])
    .where('code_list_versions.list', '=', list)
    .groupBy('code_list_items.version_id')
    .execute();
  const countById = new Map(counts.map((c) => [c.id, Number(c.n)]));
  const userIds = rows.map((r) => r.created_by).filter((x): x is number => x !== null);
  const names = userIds.length
    ? new Map((await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.display_name]))
    : new Map<number, string>();
  return rows.map((r, i) => {
    const next = rows[i + 1];
    return {
      id: r.id,
      list,
      effectiveFrom: r.effective_from,
      effectiveTo: next ? addDays(next.effective_from, -1) : null,
      note: r.note,
      itemCount: countById.get(r.id) ?? 0,
      createdAt: r.created_at,
      createdBy: r.created_by !== null ? { id: r.created_by, name: names.get(r.created_by) ?? '' } : null,
    };
  });
}

/** The version in force on a date, or undefined when the date is before the first version. */
export async function versionInForce(db: Kysely<Database>, list: CodeListName, onDate: string): Promise<VersionRow | undefined> {
  return db
    .selectFrom('code_list_versions')
    .selectAll()
    .where('list', '=', list)
    .where('effective_from', '<=', onDate)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

async function itemsOf(db: Kysely<Database>, versionId: number): Promise<CodeListItemView[]> {
  const rows = await db.selectFrom('code_list_items').select(['code', 'group_code', 'label', 'sort']).where('version_id', '=', versionId).orderBy('sort').execute();
  return rows.map((r) => ({ code: r.code, group: r.group_code, label: r.label, sort: r.sort }));
}

export async function getCodeList(db: Kysely<Database>, list: CodeListName, by: { onDate: string } | { versionId: number }): Promise<CodeListView> {
  const versions = await listVersions(db, list);
  let version: CodeListVersionView | undefined;
  if ('versionId' in by) {
    version = versions.find((v) => v.id === by.versionId);
    if (!version) throw new ApiError('NOT_FOUND', `找不到這個版本的${CODE_LIST_LABELS[list]}代碼表。`);
  } else {
    version = [...versions].reverse().find((v) => v.effectiveFrom <= by.onDate);
    if (!version) {
      const first = versions[0];
      throw new ApiError(
        'NOT_FOUND',
        first
          ? `${formatRocDate(by.onDate)} 尚無適用的${CODE_LIST_LABELS[list]}代碼表（最早的版本自 ${formatRocDate(first.effectiveFrom)} 起適用）。`
          : `尚未建立${CODE_LIST_LABELS[list]}代碼表，請洽管理者。`,
      );
    }
  }
  const items = await itemsOf(db, version.id);
  const groups = items
    .filter((i) => i.group === null)
    .map((g) => ({ code: g.code, label: g.label, items: items.filter((i) => i.group === g.code) }));
  return { version, groups };
}

/**
 * Checks factor codes against a version: each must be a factor (not a 面向) of
 * that version. Throws RULE naming the codes that are not.
 */
export async function assertFactorsValid(db: Kysely<Database>, versionId: number | null, codes: readonly string[], effectiveNote: string): Promise<void> {
  if (codes.length === 0) return;
  if (versionId === null) {
    throw new ApiError('RULE', `${effectiveNote}尚無適用的脆弱性因子代碼表，無法登錄脆弱性因子。`, { fields: { factors: '無適用的代碼表' } });
  }
  const rows = await db
    .selectFrom('code_list_items')
    .select('code')
    .where('version_id', '=', versionId)
    .where('group_code', 'is not', null)
    .where('code', 'in', [...codes])
    .execute();
  const known = new Set(rows.map((r) => r.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new ApiError('RULE', `脆弱性因子 ${unknown.join('、')} 不在${effectiveNote}適用的代碼表中，請重新選擇。`, {
      fields: { factors: `不適用的代碼：${unknown.join('、')}` },
    });
  }
}

/** Labels of codes as coded in a given version (a 面向's label as groupLabel). */
export async function labelFactors(db: Kysely<Database>, versionId: number | null, codes: readonly string[]): Promise<CodedFactor[]> {
  if (codes.length === 0) return [];
  if (versionId === null) return codes.map((code) => ({ code, label: code, group: null, groupLabel: null }));
  const items = await itemsOf(db, versionId);
  const byCode = new Map(items.map((i) => [i.code, i]));
  return [...codes]
    .map((code) => {
      const item = byCode.get(code);
      const group = item?.group ?? null;
      return { code, label: item?.label ?? code, group, groupLabel: group ? (byCode.get(group)?.label ?? null) : null, sort: item?.sort ?? 9999 };
    })
    .sort((a, b) => a.sort - b.sort)
    .map(({ sort: _sort, ...f }) => f);
}

export interface NewVersion {
  list: CodeListName;
  effectiveFrom: string;
  note?: string | undefined;
  items: { code: string; group: string | null; label: string }[];
}

/** Adds a version (管理者). Must take effect after the newest one: the past is never recoded. */
export async function addVersion(trx: Kysely<Database>, actor: Actor, input: NewVersion, now: Date): Promise<number> {
  const newest = await trx
    .selectFrom('code_list_versions')
    .select('effective_from')
    .where('list', '=', input.list)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (newest && input.effectiveFrom <= newest.effective_from) {
    throw new ApiError(
      'RULE',
      `新版本的生效日須晚於目前最新版本的生效日（${formatRocDate(newest.effective_from)}），請改為 ${formatRocDate(addDays(newest.effective_from, 1))} 以後。`,
      { fields: { effectiveFrom: '須晚於最新版本' } },
    );
  }
  const codes = new Set<string>();
  for (const item of input.items) {
    if (codes.has(item.code)) throw new ApiError('RULE', `代碼「${item.code}」重複，請修正後再送出。`, { fields: { items: `代碼重複：${item.code}` } });
    codes.add(item.code);
  }
  const topLevel = new Set(input.items.filter((i) => i.group === null).map((i) => i.code));
  const orphan = input.items.find((i) => i.group !== null && !topLevel.has(i.group));
  if (orphan) {
    throw new ApiError('RULE', `代碼「${orphan.code}」所屬的面向「${orphan.group}」不在此版本中。`, { fields: { items: `找不到面向：${orphan.group}` } });
  }
  const v = await trx
    .insertInto('code_list_versions')
    .values({ list: input.list, effective_from: input.effectiveFrom, note: input.note ?? null, created_at: now.toISOString(), created_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = input.items.map((i, idx) => ({ version_id: v.id, code: i.code, group_code: i.group, label: i.label, sort: idx + 1 }));
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto('code_list_items').values(rows.slice(i, i + 200)).execute();
  await appendAudit(
    trx,
    { actor, action: 'create', entity: 'code_list_version', entityId: v.id, detail: { list: input.list, effectiveFrom: input.effectiveFrom, items: rows.length } },
    now,
  );
  return v.id;
}
