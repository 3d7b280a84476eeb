/**
 * Resource-map indicators (issue 14 §3): referrals to the resources of the map (資源使用) and what came
 * of them (轉介結果), by resource (the `resource` dimension: a resources.id, labelled by its name).
 *
 * - resources.referrals counts referrals picked from the map (referrals.resource_id set) whose
 *   referral date is in the period; broken down by `referralStatus` it is the 轉介結果 table, with
 *   each referral under its status at the end of the period (the last status recorded by then).
 * - resources.acceptRate is the share of those referrals the unit took (受案 recorded by the end of
 *   the period, whatever followed: 轉介完成 or a later 轉介失敗).
 * Referrals to units typed by hand are not counted here (referrals.count counts every referral).
 */
import { sql, type SqlBool } from 'kysely';
import { dateIn } from './caseload';
import { column, countIndicator, rateIndicator, type DimImpl, type QueryCtx } from './engine';
import { referralSource } from './sources';
import type { Dim, Indicator } from './types';

const statusAtEnd: DimImpl = {
  expr: (q) => sql`coalesce((select rh.status from referral_status_history rh where rh.referral_id = r.id and rh.at < ${q.toTs} order by rh.at desc, rh.id desc limit 1), r.status)`,
};

const fromMap = (q: QueryCtx) => sql<SqlBool>`r.resource_id is not null and ${dateIn('r.referred_on', q)}`;

const DIMS: Dim[] = ['resource', 'worker', 'team', 'district', 'village', 'householdType', 'caseType'];

export const RESOURCE_INDICATORS: Indicator[] = [
  countIndicator({
    id: 'resources.referrals',
    name: '資源轉介件數（資源使用）',
    unit: '件',
    counting: 'occurrences',
    measure: 'flow',
    group: '資源地圖',
    description:
      '轉介日期在期間內、從資源地圖選擇受轉介單位的轉介，每筆計 1 件（手填單位的轉介不計）；依「資源」分類即各資源的使用件數，依「轉介狀態」分類即轉介結果（期末時的狀態：轉介等待中、受案、不受案、退回、轉介完成、轉介失敗）。',
    source: referralSource,
    where: fromMap,
    key: ['r.id'],
    event: { ref: 'r.referred_on', kind: 'date' },
    dims: { resource: column('r.resource_id', undefined, true), referralStatus: statusAtEnd },
    breakdowns: [...DIMS, 'referralStatus', 'month'],
  }),
  rateIndicator({
    id: 'resources.acceptRate',
    name: '資源轉介受案率',
    unit: '%',
    counting: 'rate',
    measure: 'flow',
    group: '資源地圖',
    description: '分母：轉介日期在期間內、從資源地圖選擇單位的轉介；分子：其中在期末以前曾被受轉介單位「受案」者（之後轉介完成或失敗皆計入）。',
    source: referralSource,
    where: fromMap,
    subject: 'r.id',
    numerator: (q) => sql<SqlBool>`exists (select 1 from referral_status_history rh where rh.referral_id = r.id and rh.status = '受案' and rh.at < ${q.toTs})`,
    event: { ref: 'r.referred_on', kind: 'date' },
    dims: { resource: column('r.resource_id', undefined, true) },
    breakdowns: [...DIMS, 'month'],
  }),
];
