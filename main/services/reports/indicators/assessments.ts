/**
 * Assessment indicators (issue 14 §1), from the assessments table (migration 0028):
 * - assessments.confirmed: 評估完成數, confirmed assessments dated in the period;
 * - households.riskLevel: 風險等級分布, households by the level of their latest confirmed assessment at the
 *   period's end (a stock).
 * An assessment's team is the one saved with it (the case's team, else the worker's); its worker is the
 * one who filled it. Dates are calendar dates (assessed_on); a confirmation counts once made before the
 * period's end.
 */
import { sql, type SqlBool } from 'kysely';
import { countIndicator, column, type QueryCtx, type Source } from './engine';
import { currentCodeSql } from '../../divisions/crosswalk';
import type { Dim } from './types';

/** assessments as a (+ h households). */
export const assessmentSource: Source = {
  name: 'assessments',
  key: 'a.id',
  from: (db) => db.selectFrom('assessments as a'),
  joins: { h: (qb) => qb.innerJoin('households as h', 'h.id', 'a.household_id') },
  dims: {
    worker: column('a.worker_id', undefined, true),
    team: column('a.team_id', undefined, true),
    district: { needs: ['h'], expr: (q) => currentCodeSql('h.town_code', q.period.to) },
    village: { needs: ['h'], expr: (q) => currentCodeSql('h.village_code', q.period.to) },
    householdType: column('h.household_type', ['h']),
    riskLevel: column('a.confirmed_level'),
    assessmentStage: column('a.stage'),
  },
  team: { ref: 'a.team_id' },
};

/** Confirmed before the period's end. */
const confirmedBy = (q: QueryCtx) => sql<SqlBool>`a.confirmed_at is not null and a.confirmed_at < ${q.toTs}`;

const DIMS: Dim[] = ['worker', 'team', 'district', 'village', 'householdType', 'riskLevel', 'assessmentStage'];

export const ASSESSMENT_INDICATORS = [
  countIndicator({
    id: 'assessments.confirmed',
    name: '評估完成數',
    unit: '次',
    counting: 'occurrences',
    measure: 'flow',
    group: '評估',
    description: '評估日期在期間內、且在期末前已確認風險等級的評估，每次評估計 1 次（草稿不計）。可依社工（填寫人）、組別、評估時機、確認等級等分類。',
    source: assessmentSource,
    where: (q) => sql<SqlBool>`a.assessed_on >= ${q.period.from} and a.assessed_on <= ${q.period.to} and ${confirmedBy(q)}`,
    event: { ref: 'a.assessed_on', kind: 'date' },
    breakdowns: [...DIMS, 'month'],
  }),
  countIndicator({
    id: 'households.riskLevel',
    name: '風險等級分布',
    unit: '戶',
    counting: 'households',
    measure: 'stock',
    group: '評估',
    description:
      '期末時各戶最近一次已確認評估（評估日期最晚者，同日取最後建立者）的風險等級，每戶計 1 戶；期末前沒有已確認評估的家戶不計。依「風險等級」分類即為分布。',
    source: assessmentSource,
    where: (q) =>
      sql<SqlBool>`a.assessed_on <= ${q.period.to} and ${confirmedBy(q)} and not exists (select 1 from assessments a2 where a2.household_id = a.household_id and a2.confirmed_at is not null and a2.confirmed_at < ${q.toTs} and a2.assessed_on <= ${q.period.to} and (a2.assessed_on > a.assessed_on or (a2.assessed_on = a.assessed_on and a2.id > a.id)))`,
    distinct: 'a.household_id',
    breakdowns: DIMS,
  }),
];
