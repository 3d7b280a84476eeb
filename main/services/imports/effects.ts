/**
 * The effect log of a commit and its replay by undo. A kind's commit records every insert (the new row's
 * primary key) and update (the old values of the columns it changed); the core stores them with each row's
 * `version` after the commit (tables that have one). Undo refuses after IMPORT_UNDO_DAYS, when a recorded row's
 * version moved or the row is gone, and for every reason the kind gives; otherwise it replays the log
 * backwards in the caller's transaction: inserted rows deleted by key, updated rows given their old values.
 */
import { sql, type Kysely } from 'kysely';
import { IMPORT_UNDO_DAYS } from '../../contract/methods/imports';
import { formatRocDateTime } from '../../contract/roc-date';
import { engineOf } from '../../../db/engine';
import type { Database } from '../../../db/schema';
import { type BatchRow, undoDeadlineMs } from './batches';
import type { EffectLog, ImportKind, RecordedEffect } from './types';

export interface PendingEffect extends RecordedEffect {
  seq: number;
}

export function collectEffects(): { log: EffectLog; list: PendingEffect[] } {
  const list: PendingEffect[] = [];
  return {
    list,
    log: {
      inserted(table, key) {
        list.push({ seq: list.length + 1, table, key: { ...key }, action: 'insert', before: null });
      },
      updated(table, key, before) {
        list.push({ seq: list.length + 1, table, key: { ...key }, action: 'update', before: { ...before } });
      },
    },
  };
}

const versionTables = new WeakMap<object, Promise<Set<string>>>();

/** Tables with a `version` column (read once per database handle's executor adapter). */
export function tablesWithVersion(db: Kysely<Database>): Promise<Set<string>> {
  const key = db.getExecutor().adapter;
  let p = versionTables.get(key);
  if (!p) {
    p = db.introspection.getTables().then((ts) => new Set(ts.filter((t) => t.columns.some((c) => c.name === 'version')).map((t) => t.name)));
    versionTables.set(key, p);
  }
  return p;
}

/** Current `version` of each effect's row, by effect seq (rows gone: absent). Queries by IN lists on single-column keys. */
async function currentVersions(db: Kysely<Database>, effects: readonly PendingEffect[]): Promise<Map<number, number>> {
  const withVersion = await tablesWithVersion(db);
  const out = new Map<number, number>();
  const groups = new Map<string, PendingEffect[]>();
  for (const e of effects) {
    if (!withVersion.has(e.table)) continue;
    const cols = Object.keys(e.key);
    const g = cols.length === 1 ? `${e.table}\u0000${cols[0]}` : `${e.table}\u0000*`;
    (groups.get(g) ?? groups.set(g, []).get(g))!.push(e);
  }
  const anyDb = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  for (const [g, list] of groups) {
    const [table, col] = g.split('\u0000') as [string, string];
    if (col !== '*') {
      for (let i = 0; i < list.length; i += 500) {
        const chunk = list.slice(i, i + 500);
        const rows = await anyDb
          .selectFrom(table)
          .select([col, 'version'])
          .where(col, 'in', chunk.map((e) => e.key[col] as string | number))
          .execute();
        const byKey = new Map(rows.map((r) => [String(r[col]), Number(r.version)]));
        for (const e of chunk) {
          const v = byKey.get(String(e.key[col]));
          if (v !== undefined) out.set(e.seq, v);
        }
      }
    } else {
      for (const e of list) {
        let q = anyDb.selectFrom(table).select('version');
        for (const [k, v] of Object.entries(e.key)) q = q.where(k, '=', v);
        const r = await q.executeTakeFirst();
        if (r) out.set(e.seq, Number(r.version));
      }
    }
  }
  return out;
}

/** Stores the effect log of a batch (inside the commit's transaction), with each row's version now. */
export async function storeEffects(trx: Kysely<Database>, batchId: number, effects: readonly PendingEffect[], tick: () => Promise<void>): Promise<void> {
  const versions = await currentVersions(trx, effects);
  for (let i = 0; i < effects.length; i += 1000) {
    await trx
      .insertInto('import_effects')
      .values(
        effects.slice(i, i + 1000).map((e) => ({
          batch_id: batchId,
          seq: e.seq,
          table_name: e.table,
          key: JSON.stringify(e.key),
          action: e.action,
          before: e.before === null ? null : JSON.stringify(e.before),
          version_after: versions.get(e.seq) ?? null,
        })),
      )
      .execute();
    if (i % 5000 === 0) await tick();
  }
}

interface StoredEffect extends PendingEffect {
  versionAfter: number | null;
}

export async function loadEffects(db: Kysely<Database>, batchId: number): Promise<StoredEffect[]> {
  const rows = await db.selectFrom('import_effects').selectAll().where('batch_id', '=', batchId).orderBy('seq').execute();
  return rows.map((r) => ({
    seq: r.seq,
    table: r.table_name,
    key: JSON.parse(r.key) as Record<string, string | number>,
    action: r.action as 'insert' | 'update',
    before: r.before === null ? null : (JSON.parse(r.before) as Record<string, unknown>),
    versionAfter: r.version_after,
  }));
}

/**
 * The recorded rows whose `version` is no longer the one the commit left (or that are gone). One join per
 * table for single-column keys (the key read out of the stored JSON: json_extract on SQLite, ->> on
 * PostgreSQL), so a 50,000-row batch is checked in a few statements; composite keys one by one.
 */
async function changedSince(db: Kysely<Database>, batchId: number): Promise<{ table: string; id: string; gone: boolean }[]> {
  const tables = await db.selectFrom('import_effects').select('table_name').distinct().where('batch_id', '=', batchId).where('version_after', 'is not', null).execute();
  const postgres = engineOf(db) === 'postgres';
  const out: { table: string; id: string; gone: boolean }[] = [];
  for (const { table_name: table } of tables) {
    const sampleKey = await db.selectFrom('import_effects').select('key').where('batch_id', '=', batchId).where('table_name', '=', table).limit(1).executeTakeFirstOrThrow();
    const cols = Object.keys(JSON.parse(sampleKey.key) as object);
    if (cols.length === 1 && /^[a-z_]+$/.test(cols[0] as string) && /^[a-z_]+$/.test(table)) {
      const col = cols[0] as string;
      const numeric = typeof (JSON.parse(sampleKey.key) as Record<string, unknown>)[col] === 'number';
      const raw = postgres ? sql`(e.key::json ->> ${col})` : sql`json_extract(e.key, ${`$.${col}`})`;
      // Compared in the key column's own type, so the table's primary key index is used.
      const keyExpr = numeric ? sql`cast(${raw} as integer)` : sql`cast(${raw} as text)`;
      const r = await sql<{ id: string | number; version: number | null }>`
        select ${keyExpr} as id, t.version as version from import_effects e
        left join ${sql.table(table)} t on t.${sql.ref(col)} = ${keyExpr}
        where e.batch_id = ${batchId} and e.table_name = ${table} and e.version_after is not null
          and (t.version is null or t.version <> e.version_after)
        order by e.seq`.execute(db);
      for (const row of r.rows) out.push({ table, id: String(row.id), gone: row.version === null });
      continue;
    }
    const effects = (await loadEffects(db, batchId)).filter((e) => e.table === table && e.versionAfter !== null);
    const versions = await currentVersions(db, effects);
    for (const e of effects) {
      const v = versions.get(e.seq);
      if (v !== e.versionAfter) out.push({ table, id: Object.values(e.key).join('/'), gone: v === undefined });
    }
  }
  return out;
}

/** zh-TW names of the tables an import writes, for the blockers. */
const TABLE_LABELS: Record<string, string> = {
  persons: '個人',
  households: '家戶',
  household_members: '家戶成員',
  cases: '個案',
  long_term_concerns: '長期關懷戶',
  person_income_status: '福利身分期間',
  divisions: '村里代碼',
  division_code_changes: '代碼異動',
  code_list_versions: '代碼表版本',
  code_list_items: '代碼',
  external_aid: '外單位救助紀錄',
};

const MAX_LISTED = 5;

/**
 * Why a batch cannot be undone now (zh-TW, empty: it can). `now` is the app's clock.
 * Not committed → the state says it; past the window; a recorded row changed or gone since; the kind's reasons.
 */
export async function undoBlockers(db: Kysely<Database>, batch: BatchRow, kind: ImportKind<unknown>, now: Date): Promise<string[]> {
  if (batch.state === 'undone') return ['這批資料已經復原過了。'];
  if (batch.state !== 'committed') return ['這批資料尚未匯入，不需復原。'];
  const deadline = undoDeadlineMs(batch) as number;
  if (now.getTime() > deadline) return [`已超過 ${IMPORT_UNDO_DAYS} 天的復原期限（${formatRocDateTime(new Date(deadline).toISOString())} 止）。`];
  const out: string[] = [];
  let more = 0;
  for (const c of await changedSince(db, batch.id)) {
    if (out.length >= MAX_LISTED) {
      more++;
      continue;
    }
    const label = TABLE_LABELS[c.table] ?? '資料';
    out.push(c.gone ? `${label} #${c.id} 已在匯入後刪除。` : `${label} #${c.id} 已在匯入後修改。`);
  }
  if (more > 0) out.push(`另有 ${more} 筆資料已在匯入後修改或刪除。`);
  out.push(...(await kind.undoBlockers(db, await loadEffects(db, batch.id))));
  return out;
}

/** Replays the effect log backwards on `trx`: deletes what was inserted, restores what was updated. */
export async function replayBackwards(trx: Kysely<Database>, batchId: number): Promise<{ deleted: number; restored: number }> {
  const effects = (await loadEffects(trx, batchId)).reverse();
  const withVersion = await tablesWithVersion(trx);
  const anyDb = trx as unknown as Kysely<Record<string, Record<string, unknown>>>;
  let deleted = 0;
  let restored = 0;
  for (let i = 0; i < effects.length; ) {
    const e = effects[i] as StoredEffect;
    const cols = Object.keys(e.key);
    if (e.action === 'insert') {
      // A run of inserts into the same table by the same key columns: one statement per 500 keys
      // (a row-value IN for a two-column key such as search_terms, which is most of a caseload batch).
      const sameKey = (f: StoredEffect) => f.action === 'insert' && f.table === e.table && Object.keys(f.key).length === cols.length && cols.every((c) => c in f.key);
      let j = i;
      const keys: Record<string, string | number>[] = [];
      while (j < effects.length && keys.length < 500 && sameKey(effects[j] as StoredEffect)) {
        keys.push((effects[j] as StoredEffect).key);
        j++;
      }
      if (cols.length === 1) {
        const col = cols[0] as string;
        const r = await anyDb.deleteFrom(e.table).where(col, 'in', keys.map((k) => k[col] as string | number)).executeTakeFirst();
        deleted += Number(r.numDeletedRows);
      } else {
        const tuple = sql.join(cols.map((c) => sql.ref(c)));
        const values = sql.join(keys.map((k) => sql`(${sql.join(cols.map((c) => k[c]))})`));
        const r = await sql`delete from ${sql.table(e.table)} where (${tuple}) in (${values})`.execute(trx);
        deleted += Number(r.numAffectedRows ?? 0n);
      }
      i = j;
      continue;
    }
    const set: Record<string, unknown> = { ...(e.before ?? {}) };
    if (withVersion.has(e.table) && !('version' in set)) set.version = sql`version + 1`;
    let q = anyDb.updateTable(e.table).set(set);
    for (const [k, v] of Object.entries(e.key)) q = q.where(k, '=', v);
    restored += Number((await q.executeTakeFirst()).numUpdatedRows);
    i++;
  }
  return { deleted, restored };
}
