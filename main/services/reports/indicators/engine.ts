/**
 * The query engine behind every indicator. An indicator names a *source* (the
 * rows it counts: cases, service records, participants, ...), a condition, what
 * it counts (distinct subjects or every row) and which breakdowns it allows; the
 * engine adds only the joins the requested breakdowns and filters need, then asks
 * the database for the total and the grouped figures.
 *
 * Portability: everything is Kysely's builder plus standard SQL fragments (CASE,
 * COALESCE, EXISTS, COUNT(DISTINCT), SUBSTR); GROUP BY uses output aliases, which
 * SQLite and PostgreSQL both accept, so parameterised CASE expressions need not be
 * repeated. Nothing here is SQLite-only.
 *
 * Multi-valued dimensions (脆弱面向: a case may have several) join one row per
 * value; counts then use COUNT(DISTINCT subject) or a DISTINCT sub-select, so a
 * case or a service is counted once per 面向 and once in the total.
 */
import { sql, type Kysely, type QueryCreator, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../../../db/schema';
import { AGE_BANDS, REPORT_DIMENSION_LABELS } from '../../../contract/types-reports';
import { VALUE_ORDER } from './labels';
import { bornBy, bounds, monthsOf, taipeiDayStartUtc, type Bounds } from './period';
import {
  IndicatorInputError,
  type ComputeInput,
  type Dim,
  type Figure,
  type Indicator,
  type IndicatorMeta,
  type IndicatorResult,
  type Keys,
  type Period,
  type ResultRow,
} from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- dynamic aliases and grouping: the builder is typed loosely here and the tests pin the SQL down */
export type AnyQB = SelectQueryBuilder<any, any, any>;
export type AnyDB = Kysely<any>;
type AnyCreator = QueryCreator<any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface QueryCtx extends Bounds {
  period: Period;
}

export interface MultiDim {
  /** The column whose values the dimension hangs off (a case id). */
  ref: string;
  /**
   * Adds the joins that yield one row per value (possibly repeated: counts are DISTINCT-safe), hung off
   * `on` (default `ref`). The first join reads case_factors by its primary key (case_id, code).
   */
  join(qb: AnyQB, on?: string): AnyQB;
  /** The value expression over the joined aliases. */
  expr: RawBuilder<unknown>;
  /** A filter that does not multiply rows. */
  exists(values: readonly string[]): RawBuilder<SqlBool>;
  /** A faster equivalent for this database's current data (e.g. a code list read once), if any. */
  resolve?(db: AnyDB): Promise<MultiDim>;
}

export interface DimImpl {
  /** Named joins of the source this dimension reads. */
  needs?: readonly string[];
  expr?: (q: QueryCtx) => RawBuilder<unknown>;
  multi?: MultiDim;
  /** Integer ids (worker, team): filter values are converted to numbers. */
  numeric?: boolean;
}

export interface Source {
  name: string;
  /** The column identifying a source row, when there is one (COUNT(DISTINCT key) is then COUNT(*)). */
  key?: string;
  from(db: AnyDB): AnyQB;
  /** Optional joins, applied in declaration order (later ones may use earlier ones). */
  joins: Record<string, (qb: AnyQB) => AnyQB>;
  /**
   * Joins that hang off one column only (persons by the participant's person_id), which a breakdown may
   * make after reducing the rows to distinct values of that column: one lookup per person, not per row.
   * `join` adds the same alias as the entry of the same name in `joins`, hung off `on`.
   */
  late?: Record<string, { on: string; join: (qb: AnyQB, on: string) => AnyQB }>;
  dims: Partial<Record<Dim, DimImpl>>;
  /** The team a row belongs to, for a supervisor's view: a column, or a condition of its own. */
  team: { needs?: readonly string[]; ref: string } | { needs?: readonly string[]; where: (teams: readonly number[]) => RawBuilder<SqlBool> };
}

// ---------------------------------------------------------------------------
// Reusable dimension implementations

export const ref = (r: string): RawBuilder<unknown> => sql`${sql.ref(r)}`;

export function column(r: string, needs?: readonly string[], numeric = false): DimImpl {
  return { expr: () => ref(r), ...(needs ? { needs } : {}), ...(numeric ? { numeric } : {}) };
}

/** Month of an event (Taipei calendar), as `2026-03`, by comparing against each month's start. */
export function monthDim(event: { ref: string; kind: 'timestamp' | 'date' }, needs?: readonly string[]): DimImpl {
  return {
    ...(needs ? { needs } : {}),
    expr: (q) => {
      const months = monthsOf(q.period);
      const last = months[months.length - 1];
      if (!last) return sql`null`;
      if (months.length === 1) return sql`${last.key}`;
      const col = sql.ref(event.ref);
      const whens = months
        .slice(0, -1)
        .map((m) => sql`when ${col} < ${event.kind === 'timestamp' ? taipeiDayStartUtc(m.next) : m.next} then ${m.key}`);
      return sql`case ${sql.join(whens, sql` `)} else ${last.key} end`;
    },
  };
}

/** Age band on the period's last day, from an ISO birth date (text comparison only). */
export function ageBandDim(birthRef: string, needs?: readonly string[]): DimImpl {
  return {
    ...(needs ? { needs } : {}),
    expr: (q) => {
      const b = sql.ref(birthRef);
      const end = q.period.to;
      const edges: [number, string][] = [
        [6, '0-5'],
        [12, '6-11'],
        [18, '12-17'],
        [30, '18-29'],
        [45, '30-44'],
        [65, '45-64'],
      ];
      const whens = edges.map(([years, band]) => sql`when ${b} > ${bornBy(end, years)} then ${band}`);
      return sql`case when ${b} is null then ${'unknown'} ${sql.join(whens, sql` `)} else ${'65+'} end`;
    },
  };
}

/**
 * 脆弱面向 of the case in `caseRef`: the factor's group in the case's code-list
 * version (a dimension code itself counts as its own group), falling back to the
 * factor code's first character when the code is in no version.
 *
 * As written this joins each factor to its case and code-list item. `resolve`
 * reads the vulnerability code lists once (cached until they change): when every
 * code belongs to the same 面向 in every version, which is how the lists are
 * kept, the 面向 is a CASE over the factor code and only case_factors is read.
 */
export function vulnerabilityDim(caseRef: string): DimImpl {
  const general: MultiDim = {
    ref: caseRef,
    join: (qb, on = caseRef) =>
      qb
        .leftJoin('case_factors as fd_f', 'fd_f.case_id', on)
        .leftJoin('cases as fd_c', 'fd_c.id', 'fd_f.case_id')
        .leftJoin('code_list_items as fd_i', (j) => j.onRef('fd_i.version_id', '=', 'fd_c.code_list_version_id').onRef('fd_i.code', '=', 'fd_f.code')),
    expr: sql`coalesce(fd_i.group_code, fd_i.code, substr(fd_f.code, 1, 1))`,
    exists: (values) =>
      sql<SqlBool>`exists (select 1 from case_factors xf inner join cases xc on xc.id = xf.case_id left join code_list_items xi on xi.version_id = xc.code_list_version_id and xi.code = xf.code where xf.case_id = ${sql.ref(caseRef)} and coalesce(xi.group_code, xi.code, substr(xf.code, 1, 1)) in (${sql.join(values.map((v) => sql`${v}`))}))`,
    async resolve(db) {
      const groups = await vulnerabilityGroups(db);
      if (!groups) return general;
      const dimOf = (col: string) =>
        groups.size === 0
          ? sql`substr(${sql.ref(col)}, 1, 1)`
          : sql`(case ${sql.ref(col)} ${sql.join([...groups].map(([code, g]) => sql`when ${code} then ${g}`), sql` `)} else substr(${sql.ref(col)}, 1, 1) end)`;
      return {
        ref: caseRef,
        join: (qb, on = caseRef) => qb.leftJoin('case_factors as fd_f', 'fd_f.case_id', on),
        expr: dimOf('fd_f.code'),
        exists: (values) => sql<SqlBool>`exists (select 1 from case_factors xf where xf.case_id = ${sql.ref(caseRef)} and ${dimOf('xf.code')} in (${sql.join(values.map((v) => sql`${v}`))}))`,
      };
    },
  };
  return { multi: general };
}

const groupCache = new WeakMap<object, { stamp: string; groups: Map<string, string> | null }>();

/**
 * code → 面向 over every version of the vulnerability list, or null when some code
 * belongs to different 面向 in different versions (then the general join is used).
 */
async function vulnerabilityGroups(db: AnyDB): Promise<Map<string, string> | null> {
  const head = (await db
    .selectFrom('code_list_items')
    .select([sql<number>`count(*)`.as('n'), sql<number>`max(id)`.as('m')])
    .executeTakeFirst()) as { n: number; m: number | null } | undefined;
  const stamp = `${head?.n ?? 0}/${head?.m ?? 0}`;
  const cached = groupCache.get(db);
  if (cached && cached.stamp === stamp) return cached.groups;
  const rows = (await db
    .selectFrom('code_list_items as i')
    .innerJoin('code_list_versions as v', 'v.id', 'i.version_id')
    .select(['i.code as code', 'i.group_code as group_code'])
    .where('v.list', '=', 'vulnerability')
    .execute()) as { code: string; group_code: string | null }[];
  let groups: Map<string, string> | null = new Map();
  for (const r of rows) {
    const g = r.group_code ?? r.code;
    const prev = groups.get(r.code);
    if (prev !== undefined && prev !== g) {
      groups = null;
      break;
    }
    groups.set(r.code, g);
  }
  groupCache.set(db, { stamp, groups });
  return groups;
}

// ---------------------------------------------------------------------------
// Indicator builders

interface BaseSpec extends Omit<IndicatorMeta, 'breakdowns'> {
  source: Source;
  /** The indicator's own condition (period, status, ...), portable SQL over the source's aliases. */
  where: (q: QueryCtx) => RawBuilder<SqlBool>;
  /** Joins the condition needs. */
  needs?: readonly string[];
  /** The event that places a row in the period; enables the `month` breakdown. */
  event?: { ref: string; kind: 'timestamp' | 'date'; needs?: readonly string[] };
  /** Dimension implementations that differ from the source's (e.g. status at period end). */
  dims?: Partial<Record<Dim, DimImpl>>;
  breakdowns: readonly Dim[];
}

export interface CountSpec extends BaseSpec {
  counting: 'people' | 'households' | 'cases' | 'occurrences';
  /** Counts distinct values of this column (people, households, cases). */
  distinct?: string;
  /** For occurrences: the columns identifying one occurrence (default: the row). */
  key?: readonly string[];
}

export interface RowsSpec extends BaseSpec {
  /** The subject counted once (a case, a household). */
  subject: string;
  /** Extra columns the classifier reads. */
  columns: (q: QueryCtx) => Record<string, RawBuilder<unknown>>;
  /** Whether the row counts (denominator for a rate) and, for a rate, whether it is in the numerator. */
  classify: (row: Record<string, unknown>, q: QueryCtx) => { include: boolean; numerator?: boolean };
  /** Decimal places of a rate's percentage. */
  decimals?: number;
}

function dimImpl(spec: BaseSpec, d: Dim): DimImpl | undefined {
  const own = spec.dims?.[d];
  if (own) return own;
  if (d === 'month' && spec.event) return monthDim(spec.event, spec.event.needs);
  return spec.source.dims[d];
}

type ImplOf = (d: Dim) => DimImpl | undefined;

/** The dimension implementations of one computation, multi-valued ones resolved against the database. */
async function resolveDims(db: AnyDB, spec: BaseSpec, dims: readonly Dim[]): Promise<ImplOf> {
  const resolved = new Map<Dim, DimImpl>();
  for (const d of new Set(dims)) {
    const impl = dimImpl(spec, d);
    if (impl?.multi?.resolve) resolved.set(d, { ...impl, multi: await impl.multi.resolve(db) });
  }
  return (d) => resolved.get(d) ?? dimImpl(spec, d);
}

function validate(spec: BaseSpec, input: ComputeInput): Dim[] {
  const breakdown = input.breakdown ?? [];
  if (breakdown.length > 3) throw new IndicatorInputError('最多只能選擇三個分類維度。');
  if (new Set(breakdown).size !== breakdown.length) throw new IndicatorInputError('分類維度重複。');
  const asked = [...breakdown, ...(Object.keys(input.filters ?? {}) as Dim[])];
  for (const d of asked) {
    if (!spec.breakdowns.includes(d) || !dimImpl(spec, d)) {
      throw new IndicatorInputError(`指標「${spec.name}」不能依「${REPORT_DIMENSION_LABELS[d] ?? d}」分類或篩選。`);
    }
  }
  if (input.period.from > input.period.to) throw new IndicatorInputError('期間的起日晚於迄日。');
  return breakdown;
}

function filterValues(v: string | string[] | undefined, numeric: boolean): (string | number)[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return numeric ? list.map((x) => Number(x)).filter((n) => Number.isInteger(n)) : list;
}

const FALSE = sql<SqlBool>`1 = 0`;

/** The source rows after the indicator's condition, filters, team restriction and the joins they need. */
function prepare(db: AnyDB, spec: BaseSpec, input: ComputeInput, q: QueryCtx, breakdown: readonly Dim[], implOf: ImplOf): AnyQB {
  const needed = new Set<string>(spec.needs ?? []);
  const filters = Object.entries(input.filters ?? {}) as [Dim, string | string[]][];
  for (const d of [...breakdown, ...filters.map(([d]) => d)]) for (const n of implOf(d)?.needs ?? []) needed.add(n);
  if (input.teams) for (const n of spec.source.team.needs ?? []) needed.add(n);
  let qb = spec.source.from(db);
  for (const [name, join] of Object.entries(spec.source.joins)) if (needed.has(name)) qb = join(qb);
  qb = qb.where(spec.where(q));
  for (const [d, v] of filters) {
    const impl = implOf(d) as DimImpl;
    const values = filterValues(v, impl.numeric ?? false);
    if (values.length === 0) {
      qb = qb.where(FALSE);
    } else if (impl.multi) {
      qb = qb.where(impl.multi.exists(values.map(String)));
    } else if (impl.expr) {
      qb = qb.where(sql<SqlBool>`${impl.expr(q)} in (${sql.join(values.map((x) => sql`${x}`))})`);
    }
  }
  if (input.teams) {
    const team = spec.source.team;
    if (input.teams.length === 0) qb = qb.where(FALSE);
    else if ('where' in team) qb = qb.where(team.where(input.teams));
    else qb = qb.where(sql<SqlBool>`${sql.ref(team.ref)} in (${sql.join(input.teams.map((t) => sql`${t}`))})`);
  }
  return qb;
}

function keyExprs(implOf: ImplOf, breakdown: readonly Dim[], q: QueryCtx, qb: AnyQB): { qb: AnyQB; exprs: RawBuilder<unknown>[]; multi: boolean } {
  let out = qb;
  let multi = false;
  const exprs = breakdown.map((d) => {
    const impl = implOf(d) as DimImpl;
    if (impl.multi) {
      multi = true;
      out = impl.multi.join(out);
      return impl.multi.expr;
    }
    return (impl.expr as (q: QueryCtx) => RawBuilder<unknown>)(q);
  });
  return { qb: out, exprs, multi };
}

const kAlias = (i: number) => `k${i}`;

function ctxOf(input: ComputeInput): QueryCtx {
  return { period: input.period, ...bounds(input.period) };
}

/** The declaration fields every kind of indicator carries over from its spec. */
function metaOf(spec: BaseSpec): IndicatorMeta {
  return {
    id: spec.id,
    name: spec.name,
    unit: spec.unit,
    counting: spec.counting,
    measure: spec.measure,
    breakdowns: spec.breakdowns,
    description: spec.description,
    group: spec.group,
  };
}

/** What every compute starts with: checked breakdowns, the period context, dimensions, the filtered base query. */
async function begin(db: Kysely<Database>, spec: BaseSpec, input: ComputeInput) {
  const breakdown = validate(spec, input);
  const q = ctxOf(input);
  const anyDb = db as unknown as AnyDB;
  const implOf = await resolveDims(anyDb, spec, [...breakdown, ...(Object.keys(input.filters ?? {}) as Dim[])]);
  return { breakdown, q, anyDb, implOf, base: (dims: readonly Dim[]) => prepare(anyDb, spec, input, q, dims, implOf) };
}

/** How a breakdown's groups are measured. */
type Measure = { kind: 'distinct'; subj: string } | { kind: 'rows' } | { kind: 'rate'; subj: string; isNum: RawBuilder<unknown> };

/**
 * The figures of a breakdown at several levels (each a list of breakdown indices; [] is the total) in one
 * statement, so that a cross-tab's cells, row totals, column totals and grand total are one computation:
 *
 *   x0  the source rows reduced to distinct (early keys, case of the 面向, late join columns, subject) —
 *       or, counting rows, grouped to those keys with their count;
 *   x1  x0 with the late joins made once per distinct value (persons per person, not per participant);
 *   x2  x1 with each group's case's 面向, read through the case_factors primary key for each group, distinct
 *       so a group counts once per 面向 however many factors share it. (Joining a materialised set of
 *       (case, 面向) rows instead is fast only while SQLite builds an automatic index on it; once ANALYZE
 *       has run it becomes a nested loop over both sets: the city quarter's report went from 0.6 s to
 *       > 240 s. tests/unit/query-plans.test.ts pins this plan down.) Joining every source row to its
 *       case's factors directly would cost a lookup per row and factor; this costs one per group;
 *
 * then each level from the smallest of them that has its keys: counts of distinct subjects (a family in
 * two 面向 counts once in the total), or sums of the row counts. Returns each level's rows with k0.. (null
 * for the dimensions the level leaves out) and n, or num and den for a rate.
 */
async function levelFigures(
  db: AnyDB,
  spec: BaseSpec,
  input: ComputeInput,
  q: QueryCtx,
  breakdown: readonly Dim[],
  implOf: ImplOf,
  base: (dims: readonly Dim[]) => AnyQB,
  measure: Measure,
  levels: readonly (readonly number[])[],
): Promise<Record<string, unknown>[][]> {
  const impls = breakdown.map((d) => implOf(d) as DimImpl);
  const multiAt = impls.flatMap((impl, i) => (impl.multi ? [i] : []));
  if (multiAt.length > 1) throw new IndicatorInputError('最多只能選擇一個可複選的分類維度。');
  const mi = multiAt[0] ?? -1;
  const multi = mi >= 0 ? (impls[mi]?.multi as MultiDim) : null;
  // Joins the condition, the filters or the team restriction need are made on every row anyway.
  const early = new Set<string>(spec.needs ?? []);
  for (const d of Object.keys(input.filters ?? {}) as Dim[]) for (const n of implOf(d)?.needs ?? []) early.add(n);
  if (input.teams) for (const n of spec.source.team.needs ?? []) early.add(n);
  const lateJoins = spec.source.late ?? {};
  const isLate = impls.map((impl, i) => i !== mi && (impl.needs?.length ?? 0) > 0 && (impl.needs ?? []).every((n) => lateJoins[n] && !early.has(n)));
  const lateNames = [...new Set(impls.flatMap((impl, i) => (isLate[i] ? (impl.needs ?? []) : [])))];
  const expr = (i: number) => (impls[i]?.expr as (q: QueryCtx) => RawBuilder<unknown>)(q);

  // x0
  const cols: string[] = [];
  const sel: ReturnType<RawBuilder<unknown>['as']>[] = [];
  impls.forEach((_, i) => {
    if (i === mi || isLate[i]) return;
    sel.push(expr(i).as(`s${i}`));
    cols.push(`s${i}`);
  });
  if (multi) {
    sel.push(sql.ref(multi.ref).as('mref'));
    cols.push('mref');
  }
  for (const n of lateNames) {
    sel.push(sql.ref((lateJoins[n] as { on: string }).on).as(`l_${n}`));
    cols.push(`l_${n}`);
  }
  const rows0 = base(breakdown.filter((_, i) => i !== mi && !isLate[i]));
  let x0: AnyQB;
  let carried: string[];
  if (measure.kind === 'rows') {
    // Grouped by the output aliases (accepted by SQLite and PostgreSQL, as elsewhere here).
    x0 = rows0.select([...sel, sql<number>`count(*)`.as('n')]).groupBy(cols.map((c) => sql.ref(c)) as never);
    carried = [...cols, 'n'];
  } else {
    const extra = [sql.ref(measure.subj).as('subj'), ...(measure.kind === 'rate' ? [sql<number>`case when ${measure.isNum} then 1 else 0 end`.as('isnum')] : [])];
    x0 = rows0.select([...sel, ...extra]).distinct();
    carried = [...cols, 'subj', ...(measure.kind === 'rate' ? ['isnum'] : [])];
  }
  // A query creator carrying the CTEs (typed loosely, as the rest of the dynamic builder here).
  let w = db.with('x0', () => x0) as unknown as AnyDB;
  if (lateNames.length > 0) {
    w = w.with('x1', (c: AnyCreator) => {
      let qb = c.selectFrom('x0');
      for (const n of lateNames) qb = (lateJoins[n] as { join: (qb: AnyQB, on: string) => AnyQB }).join(qb, `x0.l_${n}`);
      return qb.select([...carried.map((c2) => sql.ref(`x0.${c2}`).as(c2)), ...impls.flatMap((_, i) => (isLate[i] ? [expr(i).as(`s${i}`)] : []))]);
    }) as unknown as AnyDB;
  }
  const x1 = lateNames.length > 0 ? 'x1' : 'x0';
  const x1cols = [...carried, ...impls.flatMap((_, i) => (isLate[i] ? [`s${i}`] : []))];
  if (multi) {
    w = w.with('x2', (c: AnyCreator) =>
      multi
        .join(c.selectFrom(`${x1} as t`), 't.mref')
        .select([...x1cols.map((c2) => sql.ref(`t.${c2}`).as(c2)), multi.expr.as('v')])
        .distinct(),
    ) as unknown as AnyDB;
  }
  const measures =
    measure.kind === 'rows'
      ? [sql<number>`sum(n)`.as('n')]
      : measure.kind === 'distinct'
        ? [sql<number>`count(distinct subj)`.as('n')]
        : [sql<number>`count(distinct subj)`.as('den'), sql<number>`count(distinct case when isnum = 1 then subj end)`.as('num')];
  const branch = (from: AnyDB, level: readonly number[], g: number): AnyQB => {
    const src = level.includes(mi) ? 'x2' : level.some((i) => isLate[i]) ? x1 : 'x0';
    const key = (i: number) => sql.ref(`${src}.${i === mi ? 'v' : `s${i}`}`);
    const qb = from
      .selectFrom(src)
      .select([sql.lit(g).as('g'), ...breakdown.map((_, i) => (level.includes(i) ? key(i) : sql`null`).as(kAlias(i))), ...measures]);
    return level.length > 0 ? qb.groupBy(level.map(key) as never) : qb;
  };
  let query = branch(w, levels[0] as readonly number[], 0);
  levels.slice(1).forEach((level, j) => {
    query = query.unionAll(branch(db, level, j + 1));
  });
  const all = (await query.execute()) as Record<string, unknown>[];
  return levels.map((_, g) => all.filter((r) => Number(r.g) === g));
}

/** The levels a breakdown computes: all its dimensions, the total, and with margins the row and column totals. */
function levelsOf(breakdown: readonly Dim[], margins: boolean): number[][] {
  const all = breakdown.map((_, i) => i);
  const out = [all, []];
  if (margins && breakdown.length > 1) out.push(all.slice(0, -1), [all.length - 1]);
  return out;
}

function keysAt(breakdown: readonly Dim[], level: readonly number[], row: Record<string, unknown>): Keys {
  const keys: Keys = {};
  for (const i of level) {
    const v = row[kAlias(i)];
    keys[breakdown[i] as Dim] = v === null || v === undefined ? null : String(v);
  }
  return keys;
}

/** A percentage (× 100, rounded to `decimals`), null when nothing is in the denominator. */
function rateFigure(num: number, den: number, decimals: number): Figure {
  const factor = 10 ** decimals;
  return { value: den === 0 ? null : Math.round((num / den) * 100 * factor) / factor, numerator: num, denominator: den };
}

/** An indicator that counts in the database: distinct subjects, or every occurrence. */
export function countIndicator(spec: CountSpec): Indicator {
  const rowIsSubject = spec.distinct !== undefined && spec.distinct === spec.source.key;
  const totalExpr = (): RawBuilder<number> => (spec.distinct && !rowIsSubject ? sql<number>`count(distinct ${sql.ref(spec.distinct)})` : sql<number>`count(*)`);
  return {
    ...metaOf(spec),
    async compute(db: Kysely<Database>, input: ComputeInput): Promise<IndicatorResult> {
      const { breakdown, q, anyDb, implOf, base } = await begin(db, spec, input);
      if (breakdown.length === 0) {
        const totalRow = await base([]).select(totalExpr().as('n')).executeTakeFirst();
        return { indicatorId: spec.id, period: input.period, breakdown, rows: [], total: { value: Number((totalRow as { n?: unknown } | undefined)?.n ?? 0) } };
      }
      const levels = levelsOf(breakdown, input.margins ?? false);
      const measure: Measure = spec.distinct ? { kind: 'distinct', subj: spec.distinct } : { kind: 'rows' };
      const figures = await levelFigures(anyDb, spec, input, q, breakdown, implOf, base, measure, levels);
      const rowsAt = (g: number): ResultRow[] =>
        sortRows(
          (figures[g] ?? []).map((r) => ({ keys: keysAt(breakdown, levels[g] as number[], r), value: Number(r.n ?? 0) })),
          (levels[g] as number[]).map((i) => breakdown[i] as Dim),
        );
      const total: Figure = { value: Number(figures[1]?.[0]?.n ?? 0) };
      return {
        indicatorId: spec.id,
        period: input.period,
        breakdown,
        rows: rowsAt(0),
        total,
        ...(levels.length > 2 ? { margins: { rows: rowsAt(2), columns: rowsAt(3) } } : {}),
      };
    },
  };
}

export interface RateSpec extends BaseSpec {
  counting: 'rate';
  /** The subject counted once in the denominator (a case). */
  subject: string;
  /** Portable SQL: whether the row's subject is in the numerator. */
  numerator: (q: QueryCtx) => RawBuilder<SqlBool>;
  /** Decimal places of the percentage (default 1). */
  decimals?: number;
}

/** A percentage counted in the database: subjects meeting `numerator` over all subjects, × 100. */
export function rateIndicator(spec: RateSpec): Indicator {
  const decimals = spec.decimals ?? 1;
  const rowIsSubject = spec.subject === spec.source.key;
  const figure = (num: number, den: number): Figure => rateFigure(num, den, decimals);
  const measures = (subj: RawBuilder<unknown>, isNum: RawBuilder<unknown>, unique: boolean) =>
    unique
      ? [sql<number>`count(*)`.as('den'), sql<number>`coalesce(sum(case when ${isNum} then 1 else 0 end), 0)`.as('num')]
      : [sql<number>`count(distinct ${subj})`.as('den'), sql<number>`count(distinct case when ${isNum} then ${subj} end)`.as('num')];
  return {
    ...metaOf(spec),
    async compute(db: Kysely<Database>, input: ComputeInput): Promise<IndicatorResult> {
      const { breakdown, q, anyDb, implOf, base } = await begin(db, spec, input);
      if (breakdown.length === 0) {
        const subj = sql`${sql.ref(spec.subject)}`;
        const totalRow = (await base([]).select(measures(subj, spec.numerator(q), rowIsSubject)).executeTakeFirst()) as { den?: unknown; num?: unknown } | undefined;
        return { indicatorId: spec.id, period: input.period, breakdown, rows: [], total: figure(Number(totalRow?.num ?? 0), Number(totalRow?.den ?? 0)) };
      }
      const levels = levelsOf(breakdown, input.margins ?? false);
      const figures = await levelFigures(anyDb, spec, input, q, breakdown, implOf, base, { kind: 'rate', subj: spec.subject, isNum: spec.numerator(q) }, levels);
      const rowsAt = (g: number): ResultRow[] =>
        sortRows(
          (figures[g] ?? []).map((r) => ({ keys: keysAt(breakdown, levels[g] as number[], r), ...figure(Number(r.num ?? 0), Number(r.den ?? 0)) })),
          (levels[g] as number[]).map((i) => breakdown[i] as Dim),
        );
      const t = figures[1]?.[0];
      return {
        indicatorId: spec.id,
        period: input.period,
        breakdown,
        rows: rowsAt(0),
        total: figure(Number(t?.num ?? 0), Number(t?.den ?? 0)),
        ...(levels.length > 2 ? { margins: { rows: rowsAt(2), columns: rowsAt(3) } } : {}),
      };
    },
  };
}

/**
 * An indicator the database cannot count alone (a time difference, a due date
 * from a visit frequency): the database returns one row per subject and breakdown
 * value, and the classifier decides. Used for rates (numerator over denominator).
 */
export function rowsIndicator(spec: RowsSpec & { counting: 'rate' | 'people' | 'households' | 'cases' }): Indicator {
  const isRate = spec.counting === 'rate';
  const decimals = spec.decimals ?? 1;
  const figure = (num: number, den: number): Figure => (isRate ? rateFigure(num, den, decimals) : { value: den });
  return {
    ...metaOf(spec),
    async compute(db: Kysely<Database>, input: ComputeInput): Promise<IndicatorResult> {
      const { breakdown, q, implOf, base } = await begin(db, spec, input);
      const { qb, exprs } = keyExprs(implOf, breakdown, q, base(breakdown));
      const extra = spec.columns(q);
      const rows = (await qb
        .select([sql`${sql.ref(spec.subject)}`.as('subj'), ...exprs.map((e, i) => e.as(kAlias(i))), ...Object.entries(extra).map(([k, e]) => e.as(k))])
        .execute()) as Record<string, unknown>[];
      // Without a multi-valued join, a source keyed by the subject returns each subject once: plain counters.
      const unique = spec.subject === spec.source.key && !breakdown.some((d) => implOf(d)?.multi);
      const totalDen = new Set<unknown>();
      const totalNum = new Set<unknown>();
      let den = 0;
      let num = 0;
      // The breakdown's groups, and with margins those by all but the last dimension and by the last alone.
      const levels = levelsOf(breakdown, input.margins ?? false).filter((l) => l.length > 0);
      const groupsAt = levels.map(() => new Map<string, { keys: Keys; den: Set<unknown>; num: Set<unknown> }>());
      const verdicts = new Map<unknown, { include: boolean; numerator?: boolean }>();
      for (const r of rows) {
        let v = unique ? undefined : verdicts.get(r.subj);
        if (!v) {
          v = spec.classify(r, q);
          if (!unique) verdicts.set(r.subj, v);
        }
        if (!v.include) continue;
        if (unique) {
          den++;
          if (v.numerator) num++;
        } else {
          totalDen.add(r.subj);
          if (v.numerator) totalNum.add(r.subj);
        }
        levels.forEach((level, li) => {
          const groups = groupsAt[li] as Map<string, { keys: Keys; den: Set<unknown>; num: Set<unknown> }>;
          const keys = keysAt(breakdown, level, r);
          const id = JSON.stringify(level.map((i) => keys[breakdown[i] as Dim] ?? null));
          let g = groups.get(id);
          if (!g) {
            g = { keys, den: new Set(), num: new Set() };
            groups.set(id, g);
          }
          g.den.add(r.subj);
          if (v.numerator) g.num.add(r.subj);
        });
      }
      if (!unique) {
        den = totalDen.size;
        num = totalNum.size;
      }
      const rowsAt = (li: number): ResultRow[] =>
        sortRows(
          [...(groupsAt[li]?.values() ?? [])].map((g) => ({ keys: g.keys, ...figure(g.num.size, g.den.size) })),
          (levels[li] ?? []).map((i) => breakdown[i] as Dim),
        );
      return {
        indicatorId: spec.id,
        period: input.period,
        breakdown,
        rows: breakdown.length > 0 ? rowsAt(0) : [],
        total: figure(num, den),
        ...(levels.length > 2 ? { margins: { rows: rowsAt(1), columns: rowsAt(2) } } : {}),
      };
    },
  };
}

// ---------------------------------------------------------------------------
// Ordering of breakdown values

const KNOWN_ORDER: Partial<Record<Dim, readonly string[]>> = { ageBand: AGE_BANDS, ...VALUE_ORDER };

export function compareKeys(d: Dim, a: string | null, b: string | null, order?: readonly string[]): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const known = order ?? KNOWN_ORDER[d];
  if (known) {
    const ia = known.indexOf(a);
    const ib = known.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
  }
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : 1;
}

export function sortRows(rows: ResultRow[], breakdown: readonly Dim[]): ResultRow[] {
  return rows.sort((x, y) => {
    for (const d of breakdown) {
      const c = compareKeys(d, x.keys[d] ?? null, y.keys[d] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** Picks the figure for a combination of keys out of a breakdown result (zero, or no rate, when absent). */
export function pick(result: IndicatorResult, keys: Keys, rate: boolean): Figure {
  const row = result.rows.find((r) => result.breakdown.every((d) => (r.keys[d] ?? null) === (keys[d] ?? null)));
  if (row) return { value: row.value, ...(row.numerator !== undefined ? { numerator: row.numerator, denominator: row.denominator } : {}) };
  return rate ? { value: null, numerator: 0, denominator: 0 } : { value: 0 };
}
