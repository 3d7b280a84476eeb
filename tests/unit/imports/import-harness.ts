/**
 * What the dispatch and code-list import tests share until the pipeline core runs them: SourceRows built
 * from { field: text } objects, a kind run through parse → classify → commit in one write transaction
 * with a recording EffectLog, and the effects replayed backwards (what undo does) against a snapshot.
 */
import type { Kysely } from 'kysely';
import { writeTransaction } from '../../../db/tx';
import type { Database } from '../../../db/schema';
import type { Classification, CommitRow, ImportKind, KindContext, ParsedRow, RecordedEffect, RowOutcome, RowProblem, SourceCell, SourceRow } from '../../../main/services/imports/types';

export type CellInput = string | { text?: string; date?: string; number?: number };

/** A data row: each field gets its own column letter (A, B, C... in the order given). */
export function sourceRow(line: number, fields: Record<string, CellInput | undefined>): SourceRow {
  const cells: Partial<Record<string, SourceCell>> = {};
  Object.entries(fields).forEach(([key, v], i) => {
    if (v === undefined) return;
    const col = String.fromCharCode(65 + i);
    cells[key] = typeof v === 'string' ? { col, text: v } : { col, text: v.text ?? '', ...(v.date ? { date: v.date } : {}), ...(v.number !== undefined ? { number: v.number } : {}) };
  });
  return { line, cells };
}

export interface Parsed<P> {
  ok: ParsedRow<P>[];
  errors: { line: number; problems: RowProblem[] }[];
}

export function parseAll<P>(kind: ImportKind<P>, rows: SourceRow[], ctx: KindContext): Parsed<P> {
  const out: Parsed<P> = { ok: [], errors: [] };
  for (const r of rows) {
    const p = kind.parse(r, ctx);
    if (p.ok) out.ok.push({ line: r.line, value: p.value });
    else out.errors.push({ line: r.line, problems: p.problems });
  }
  return out;
}

/** Commits the parsed rows (all but duplicates, errors and follow-ups) in one write transaction; returns outcomes and the effect log. */
export async function commitAll<P>(
  db: Kysely<Database>,
  kind: ImportKind<P>,
  rows: readonly ParsedRow<P>[],
  classes: readonly Classification[],
  ctx: KindContext,
  decisions: Record<number, string> = {},
): Promise<{ outcomes: RowOutcome[]; effects: RecordedEffect[]; progress: number[] }> {
  const effects: RecordedEffect[] = [];
  const progress: number[] = [];
  const commitRows: CommitRow<P>[] = [];
  rows.forEach((r, i) => {
    const c = classes[i] as Classification;
    if (c.status === 'new' || c.status === 'match' || c.status === 'decide') commitRows.push({ line: r.line, value: r.value, classification: c, decision: decisions[r.line] ?? null });
  });
  const outcomes = await writeTransaction(db, (trx) =>
    kind.commit(
      trx,
      commitRows,
      ctx,
      {
        inserted: (table, key) => effects.push({ table, key, action: 'insert', before: null }),
        updated: (table, key, before) => effects.push({ table, key, action: 'update', before }),
      },
      async (done) => {
        progress.push(done);
      },
    ),
  );
  return { outcomes, effects, progress };
}

/** Undo as the core does it: the effects backwards, deleting inserted rows and restoring updated columns. */
export async function replayBackwards(db: Kysely<Database>, effects: readonly RecordedEffect[]): Promise<void> {
  await writeTransaction(db, async (trx) => {
    for (const e of [...effects].reverse()) {
      const table = e.table as keyof Database & string;
      if (e.action === 'insert') {
        let q = trx.deleteFrom(table as never);
        for (const [k, v] of Object.entries(e.key)) q = q.where(k as never, '=', v as never);
        await q.execute();
      } else {
        let q = trx.updateTable(table as never).set(e.before as never);
        for (const [k, v] of Object.entries(e.key)) q = q.where(k as never, '=', v as never);
        await q.execute();
      }
    }
  });
}

/** Every row of the tables, ordered, for before/after comparisons. */
export async function snapshot(db: Kysely<Database>, tables: readonly (keyof Database & string)[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const rows = (await db.selectFrom(t as never).selectAll().execute()) as Record<string, unknown>[];
    out[t] = rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();
  }
  return out;
}
