/**
 * The values a filter of each dimension may take (issue 13 §3): the pick lists of the mapping
 * screen, and the check at save that every filter value is one of them.
 *
 * Who sees which values: 管理者 all; 督導 the workers and teams of the teams they supervise (other
 * dimensions are the same for everyone). Districts and 村里 are the divisions in use (by name, with
 * the code); retired codes are listed as retired, after the current ones.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { DimensionValue } from '../../contract/report-blocks';
import { CASE_STATUSES, CASE_TYPES, REFERRAL_STATUSES, SERVICE_METHODS } from '../../contract/types-cases';
import { CONCERN_REASONS, HOUSEHOLD_TYPES, SEXES } from '../../contract/types-households';
import {
  AGE_BANDS,
  AGE_BAND_LABELS,
  REPORT_DIMENSION_LABELS,
  SEX_LABELS,
  VULNERABILITY_DIMENSION_LABELS,
  type IndicatorFilters,
  type ReportDimension,
} from '../../contract/types-reports';
import { FUNDING_LINES, FUNDING_LINE_LABELS } from '../../contract/types-staffing';
import { ASSESSMENT_STAGES, ASSESSMENT_STAGE_LABELS } from '../../contract/types-assessments';
import { scopeOf } from '../access/scope';
import type { Actor } from '../context';
import { reportScope } from './access';

const same = (list: readonly string[]): DimensionValue[] => list.map((v) => ({ value: v, label: v }));

const CLOSED: Partial<Record<ReportDimension, () => DimensionValue[]>> = {
  caseType: () => same(CASE_TYPES),
  householdType: () => same(HOUSEHOLD_TYPES),
  method: () => same(SERVICE_METHODS),
  caseStatus: () => same(CASE_STATUSES),
  referralStatus: () => same(REFERRAL_STATUSES),
  concernReason: () => same(CONCERN_REASONS),
  dimension: () => Object.entries(VULNERABILITY_DIMENSION_LABELS).map(([value, label]) => ({ value, label })),
  ageBand: () => AGE_BANDS.map((b) => ({ value: b, label: AGE_BAND_LABELS[b] })),
  sex: () => SEXES.map((s) => ({ value: s, label: SEX_LABELS[s] ?? s })),
  fundingLine: () => FUNDING_LINES.map((l) => ({ value: l, label: FUNDING_LINE_LABELS[l] })),
  riskLevel: () => same(['高', '中', '低']),
  assessmentStage: () => ASSESSMENT_STAGES.map((s) => ({ value: s, label: ASSESSMENT_STAGE_LABELS[s] })),
};

/** The teams `actor` may pick (null: all). */
async function pickableTeams(db: Kysely<Database>, actor: Actor): Promise<number[] | null> {
  if (actor.role === 'admin') return null;
  if (actor.role === 'supervisor') return (await scopeOf(db, actor)).teamIds;
  return [];
}

/**
 * The values of `dimension`, or of it only among `only` (the check at save asks for the values it
 * was given, one query per dimension). Months are free (YYYY-MM): no list.
 */
export async function dimensionValues(db: Kysely<Database>, actor: Actor, dimension: ReportDimension, only?: readonly string[]): Promise<DimensionValue[]> {
  if (only && only.length === 0) return [];
  const closed = CLOSED[dimension];
  if (closed) {
    const all = closed();
    return only ? all.filter((v) => only.includes(v.value)) : all;
  }
  switch (dimension) {
    case 'month':
      return [];
    case 'district':
    case 'village': {
      let q = db
        .selectFrom('divisions as d')
        .leftJoin('divisions as p', 'p.code', 'd.parent_code')
        .select(['d.code', 'd.name', 'd.valid_to', 'p.name as parent_name'])
        .where('d.level', '=', dimension === 'district' ? 'town' : 'village');
      if (only) q = q.where('d.code', 'in', [...new Set(only)]);
      const rows = await q.execute();
      return rows
        .map((r) => ({ value: r.code, label: r.name, code: r.code, ...(r.parent_name ? { group: r.parent_name } : {}), ...(r.valid_to !== null ? { retired: true } : {}) }))
        .sort((a, b) => Number(a.retired ?? false) - Number(b.retired ?? false) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    }
    case 'worker':
    case 'team': {
      const teams = await pickableTeams(db, actor);
      if (teams !== null && teams.length === 0) return [];
      const ids = only ? [...new Set(only.filter((v) => /^\d{1,9}$/.test(v)).map(Number))] : null;
      if (ids && ids.length === 0) return [];
      if (dimension === 'team') {
        let q = db.selectFrom('teams').select(['id', 'name']).orderBy('id');
        if (teams) q = q.where('id', 'in', teams);
        if (ids) q = q.where('id', 'in', ids);
        return (await q.execute()).map((t) => ({ value: String(t.id), label: t.name }));
      }
      let q = db
        .selectFrom('users as u')
        .leftJoin('teams as t', 't.id', 'u.team_id')
        .select(['u.id', 'u.display_name', 'u.disabled_at', 't.name as team_name'])
        .where('u.role', 'in', ['worker', 'supervisor'])
        .orderBy('u.id');
      if (teams) q = q.where('u.team_id', 'in', teams);
      if (ids) q = q.where('u.id', 'in', ids);
      return (await q.execute())
        .map((u) => ({ value: String(u.id), label: u.display_name, ...(u.team_name ? { group: u.team_name } : {}), ...(u.disabled_at ? { retired: true } : {}) }))
        .sort((a, b) => Number(a.retired ?? false) - Number(b.retired ?? false));
    }
    case 'resource': {
      const ids = only ? [...new Set(only.filter((v) => /^\d{1,9}$/.test(v)).map(Number))] : null;
      if (ids && ids.length === 0) return [];
      let q = db.selectFrom('resources').select(['id', 'name', 'active']).orderBy('name').orderBy('id');
      if (ids) q = q.where('id', 'in', ids);
      return (await q.execute())
        .map((r) => ({ value: String(r.id), label: r.name, ...(Number(r.active) === 1 ? {} : { retired: true }) }))
        .sort((a, b) => Number(a.retired ?? false) - Number(b.retired ?? false));
    }
    default:
      return [];
  }
}

/** The method `reports.dimensionValues`: the caller must be one who sees report figures at all. */
export async function dimensionValuesFor(db: Kysely<Database>, actor: Actor, dimension: ReportDimension): Promise<DimensionValue[]> {
  if (actor.role !== 'admin') await reportScope(db, actor);
  return dimensionValues(db, actor, dimension);
}

/** A mapping's place and its filters, for the check at save. */
export interface FilteredCell {
  sheet: string;
  cell: string;
  filters?: IndicatorFilters | undefined;
}

/**
 * Every filter value that is none of its dimension's values, as zh-TW lines naming the cell
 * (「B12：村里沒有「9999」這個值，請從清單選擇」), with the mapping's index. One query per dimension.
 */
export async function unknownFilterValues(db: Kysely<Database>, actor: Actor, cells: readonly FilteredCell[]): Promise<{ index: number; message: string }[]> {
  const wanted = new Map<ReportDimension, Set<string>>();
  for (const c of cells) {
    for (const [dim, v] of Object.entries(c.filters ?? {}) as [ReportDimension, string | string[] | undefined][]) {
      if (v === undefined || dim === 'month') continue;
      let set = wanted.get(dim);
      if (!set) wanted.set(dim, (set = new Set()));
      for (const x of Array.isArray(v) ? v : [v]) set.add(x);
    }
  }
  const known = new Map<ReportDimension, Set<string>>();
  for (const [dim, values] of wanted) {
    known.set(dim, new Set((await dimensionValues(db, actor, dim, [...values])).map((v) => v.value)));
  }
  const out: { index: number; message: string }[] = [];
  cells.forEach((c, index) => {
    for (const [dim, v] of Object.entries(c.filters ?? {}) as [ReportDimension, string | string[] | undefined][]) {
      const ok = known.get(dim);
      if (v === undefined || !ok) continue;
      for (const x of Array.isArray(v) ? v : [v]) {
        if (!ok.has(x)) out.push({ index, message: `${c.cell}：${REPORT_DIMENSION_LABELS[dim]}沒有「${x}」這個值，請從清單選擇` });
      }
    }
  });
  return out;
}
