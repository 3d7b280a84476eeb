import { sql, type Kysely } from 'kysely';

/**
 * Assessments (評估, issue 14 §1):
 * - instruments: an assessment tool an administrator defines (stable `code`, name, archived flag).
 * - instrument_versions: its versions, each a definition (JSON text shaped after FHIR Questionnaire, see
 *   main/contract/types-assessments.ts) in effect from `effective_from` to `effective_to` (null = open);
 *   numbered per instrument.
 * - assessments: one filling of a version for a household (optionally its case or concern), at a stage
 *   (intake / review / closing), on a day; answers (JSON, QuestionnaireResponse.item-shaped) and the
 *   score (JSON) as saved; the suggested level, then the confirmed level with the override reason when
 *   they differ; when the next assessment is due. A confirmed assessment is read-only.
 * - visit_frequency_rules: per risk level, how often a case is visited and reassessed (administrator).
 *   Seeded: 高 every 14 days / reassess after 90, 中 30 / 180, 低 90 / 365 (the practice of 004's
 *   tracking levels: high-risk households seen fortnightly, low-risk quarterly).
 * Seeded instruments (effective 2025-01-01, 114/01/01): 六大面向風險與保護因子評估 (the six 面向 of the
 * vulnerability list, risk and protective items per 面向), and 家庭評估 and 福利與經濟現況 taken from the
 * draft TWSS Base FHIR guide (sfaassn2025-source/base): same linkIds, texts, types and canonical URLs.
 * Portable to SQLite and PostgreSQL (schema builder, booleans as integers).
 * Frozen: never edit after release; add a new migration.
 */

const SEEDED_AT = '2026-12-07T00:00:00.000Z';
const EFFECTIVE_FROM = '2025-01-01';

const RISK_SCALE = [
  { code: '0', display: '無', score: 0 },
  { code: '1', display: '輕微', score: 1 },
  { code: '2', display: '明顯', score: 2 },
  { code: '3', display: '嚴重', score: 3 },
];
const PROTECTIVE_SCALE = [
  { code: '0', display: '沒有', score: 0 },
  { code: '1', display: '部分', score: 1 },
  { code: '2', display: '充足', score: 2 },
];

const risk = (domain: string, linkId: string, text: string, help?: string) => ({
  linkId,
  text,
  type: 'choice',
  required: true,
  answerOptions: RISK_SCALE,
  domain,
  factor: 'risk',
  ...(help ? { help } : {}),
});
const protective = (domain: string, linkId: string, text: string) => ({
  linkId,
  text,
  type: 'choice',
  required: true,
  answerOptions: PROTECTIVE_SCALE,
  domain,
  factor: 'protective',
});
const critical = (domain: string, linkId: string, text: string) => ({ linkId, text, type: 'boolean', required: true, domain, factor: 'risk', weight: 3 });

export const SIX_FACETS = {
  domains: [
    { key: 'economic', label: '家庭經濟陷困' },
    { key: 'crisis', label: '家庭遭逢變故致功能受損' },
    { key: 'relation', label: '家庭關係衝突或疏離' },
    { key: 'child', label: '兒少發展不利處境' },
    { key: 'disability', label: '家庭成員身心障礙或傷病失能' },
    { key: 'adaptation', label: '個人生活適應困難' },
  ],
  items: [
    {
      linkId: '1',
      text: '家庭經濟陷困',
      type: 'group',
      items: [
        risk('economic', '1.1', '家庭收入不足以支應基本生活開銷', '以近三個月的收支估計；含積欠房租、水電費。'),
        risk('economic', '1.2', '負債或失業造成生活困難'),
        protective('economic', '1.3', '有穩定收入來源或已取得福利補助'),
      ],
    },
    {
      linkId: '2',
      text: '家庭遭逢變故致功能受損',
      type: 'group',
      items: [
        risk('crisis', '2.1', '家庭成員死亡、入獄、失蹤或重大意外之影響'),
        risk('crisis', '2.2', '照顧者因變故無法維持家務或照顧功能'),
        critical('crisis', '2.3', '主要照顧者或經濟支柱近三個月內死亡、入獄或失蹤'),
        protective('crisis', '2.4', '親友能提供臨時照顧或協助'),
      ],
    },
    {
      linkId: '3',
      text: '家庭關係衝突或疏離',
      type: 'group',
      items: [
        risk('relation', '3.1', '家庭成員間衝突（爭吵、肢體衝突）'),
        risk('relation', '3.2', '家庭成員間疏離、缺乏互動'),
        critical('relation', '3.3', '有家庭暴力或兒少保護疑慮'),
        protective('relation', '3.4', '家庭成員能溝通並共同解決問題'),
      ],
    },
    {
      linkId: '4',
      text: '兒少發展不利處境',
      type: 'group',
      items: [
        risk('child', '4.1', '兒少照顧疏忽（飲食、衛生、就醫）'),
        risk('child', '4.2', '兒少就學不穩定、中輟或學習落後'),
        critical('child', '4.3', '兒少有立即安全疑慮（無人照顧、受虐跡象）'),
        protective('child', '4.4', '兒少有穩定的照顧者與學校支持'),
      ],
    },
    {
      linkId: '5',
      text: '家庭成員身心障礙或傷病失能',
      type: 'group',
      items: [
        risk('disability', '5.1', '家庭成員身心障礙、重大傷病或失能之照顧負荷'),
        risk('disability', '5.2', '照顧者身心狀況不佳'),
        protective('disability', '5.3', '已使用長照、身障或醫療資源'),
      ],
    },
    {
      linkId: '6',
      text: '個人生活適應困難',
      type: 'group',
      items: [
        risk('adaptation', '6.1', '情緒困擾、自傷風險或精神疾病未就醫'),
        risk('adaptation', '6.2', '物質濫用（酒、藥物）'),
        protective('adaptation', '6.3', '具因應能力或求助意願'),
        protective('adaptation', '6.4', '有可信任的支持者（親友、鄰里、宗教團體）'),
      ],
    },
  ],
  rules: [
    { kind: 'sum', name: 'risk', label: '風險總分', factor: 'risk' },
    { kind: 'sum', name: 'protective', label: '保護總分', factor: 'protective' },
    { kind: 'count', name: 'severe', label: '嚴重風險題數', factor: 'risk', atLeast: 3 },
    {
      kind: 'band',
      score: 'risk',
      bands: [
        { from: 0, level: '低' },
        { from: 8, level: '中' },
        { from: 16, level: '高' },
      ],
    },
    { kind: 'adjust', score: 'severe', atLeast: 2, steps: 1 },
    { kind: 'adjust', score: 'protective', atLeast: 10, steps: -1 },
    { kind: 'floor', linkId: '3.3', codes: ['true'], level: '高' },
    { kind: 'floor', linkId: '4.3', codes: ['true'], level: '高' },
    { kind: 'floor', linkId: '2.3', codes: ['true'], level: '中' },
  ],
};

/** TWSS Base 家庭評估 (Questionnaire/family-assessment): linkIds 2, 2.1, 2.2 as the guide; our scale 0-5. */
export const FAMILY_ASSESSMENT = {
  url: 'https://sfaa.gov.tw/base/Questionnaire/family-assessment',
  domains: [
    { key: 'environment', label: '家庭環境' },
    { key: 'support', label: '外部支持' },
  ],
  items: [
    {
      linkId: '2',
      text: '家庭評估',
      type: 'group',
      required: true,
      items: [
        { linkId: '2.1', text: '家庭環境', type: 'integer', required: true, min: 0, max: 5, domain: 'environment', factor: 'protective', help: '0 分最差，5 分最佳。' },
        { linkId: '2.2', text: '外部支持', type: 'integer', required: true, min: 0, max: 5, domain: 'support', factor: 'protective', help: '0 分最差，5 分最佳。' },
      ],
    },
  ],
  rules: [
    { kind: 'sum', name: 'protective', label: '家庭評估總分', factor: 'protective' },
    {
      kind: 'band',
      score: 'protective',
      bands: [
        { from: 0, level: '高' },
        { from: 4, level: '中' },
        { from: 7, level: '低' },
      ],
    },
  ],
};

const SUBSIDY_TYPES = [
  '自立生活適應協助方案補助-房租費',
  '自立生活適應協助方案補助-房租押金',
  '自立生活適應協助方案補助-生活費',
  '自立生活適應協助方案補助-交通費',
  '自立生活適應協助方案補助-學雜費',
  '自立生活適應協助方案補助-職業訓練津貼',
  '自立生活適應協助方案補助-參加汽車駕駛訓練費',
  '自立生活適應協助方案補助-考證照報名費',
  '自立生活適應協助方案補助-其他',
  '自立少年生活適應協助方案補助',
  '低收入戶家庭生活補助',
  '低收入戶身心障礙者生活補助',
  '低收入戶兒童生活補助',
  '低收入戶高中職生活補助',
  '中低收入戶身心障礙者生活補助',
  '身心障礙者生活補助',
  '身心障礙者日間照顧及住宿式照顧費用補助',
  '特殊境遇家庭緊急生活扶助',
  '特殊境遇家庭子女生活津貼',
  '特殊境遇家庭兒童子女教育補助',
  '特殊境遇家庭托育津貼',
  '特殊境遇家庭法律訴訟補助',
  '兒童少年生活扶助',
  '弱勢家庭兒童及少年緊急生活扶助',
  '未滿2歲兒童育兒津貼',
  '5歲至入國民小學前幼兒就學補助',
  '2歲以上未滿5歲幼兒育兒津貼',
  '國保遺屬年金',
  '托育補助',
  '特殊境遇家庭傷病醫療補助',
  '特殊境遇家庭創業貸款補助',
  '低收入戶',
].map((display, i) => ({ code: String(i), display }));

const INSURANCE: [string, string][] = [
  ['1', '勞工保險'],
  ['2', '公教人員保險'],
  ['3', '退休人員保險'],
  ['4', '農漁民健康保險'],
  ['5', '軍人保險'],
  ['6', '全民健康保險'],
  ['7', '無'],
  ['8', '國民年金保險'],
  ['9', '低收入戶健保補助（福保）'],
  ['10', '學生團體平安保險'],
  ['11', '商業保險'],
  ['12', '團體傷害險'],
  ['99', '其他（含不詳）'],
];
const WELFARE_TYPES: [string, string][] = [
  ['0', '一般戶'],
  ['1', '低收入戶'],
  ['2', '中低收入戶'],
  ['3', '特殊境遇家庭'],
  ['4', '領有身心障礙補助'],
  ['5', '不詳'],
  ['6', '家庭總收入平均未達每人每月最低生活費用1.5倍'],
  ['7', '家庭總收入平均未達每人每月最低生活費用2.5倍'],
  ['99', '其他'],
];
const options = (list: [string, string][]) => list.map(([code, display]) => ({ code, display }));

/** TWSS Base 福利與經濟現況 (Questionnaire/welfare-economic-status): recorded, not scored. */
export const WELFARE_ECONOMIC_STATUS = {
  url: 'https://sfaa.gov.tw/base/Questionnaire/welfare-economic-status',
  domains: [],
  items: [
    {
      linkId: '10.1',
      text: '已取得補助',
      type: 'group',
      repeats: true,
      items: [
        { linkId: '10.1.1', text: '已取得補助類型', type: 'choice', required: true, answerValueSet: 'https://sfaa.gov.tw/base/ValueSet/twss-received-subsidy-type-vs', answerOptions: SUBSIDY_TYPES },
        { linkId: '10.1.2', text: '已取得補助金額', type: 'decimal', min: 0 },
      ],
    },
    { linkId: '10.2', text: '保險狀況', type: 'choice', repeats: true, answerValueSet: 'https://sfaa.gov.tw/base/ValueSet/twss-insurance-status-vs', answerOptions: options(INSURANCE) },
    { linkId: '10.3', text: '福利身分別', type: 'choice', repeats: true, answerValueSet: 'https://sfaa.gov.tw/base/ValueSet/twss-welfare-identity-type-vs', answerOptions: options(WELFARE_TYPES) },
    { linkId: '10.4', text: '每月租金', type: 'decimal', min: 0 },
  ],
  rules: [],
};

const INSTRUMENTS = [
  { code: 'six-facets', name: '六大面向風險與保護因子評估', description: '依脆弱家庭六大面向評估風險因子與保護因子，建議風險等級。', definition: SIX_FACETS },
  { code: 'family-assessment', name: '家庭評估', description: '社家署資料交換指引（草案）家庭評估：家庭環境與外部支持。', definition: FAMILY_ASSESSMENT },
  { code: 'welfare-economic-status', name: '福利與經濟現況', description: '社家署資料交換指引（草案）福利與經濟現況：既有補助、保險與福利身分。', definition: WELFARE_ECONOMIC_STATUS },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('instruments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('instrument_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('instrument_id', 'integer', (c) => c.notNull().references('instruments.id'))
    .addColumn('version_no', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('effective_to', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addUniqueConstraint('instrument_versions_no_uq', ['instrument_id', 'version_no'])
    .execute();
  await db.schema.createIndex('instrument_versions_from_idx').on('instrument_versions').columns(['instrument_id', 'effective_from']).execute();
  await db.schema
    .createTable('assessments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('case_id', 'integer', (c) => c.references('cases.id'))
    .addColumn('concern_id', 'integer', (c) => c.references('long_term_concerns.id'))
    .addColumn('instrument_version_id', 'integer', (c) => c.notNull().references('instrument_versions.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('assessed_on', 'text', (c) => c.notNull())
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id'))
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('suggested_level', 'text')
    .addColumn('confirmed_level', 'text')
    .addColumn('override_reason', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('confirmed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('reassess_due', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('assessments_stage_ck', sql`stage in ('intake', 'review', 'closing')`)
    .addCheckConstraint('assessments_suggested_ck', sql`suggested_level is null or suggested_level in ('低', '中', '高')`)
    .addCheckConstraint('assessments_confirmed_ck', sql`confirmed_level is null or confirmed_level in ('低', '中', '高')`)
    .execute();
  await db.schema.createIndex('assessments_household_idx').on('assessments').columns(['household_id', 'assessed_on']).execute();
  await db.schema.createIndex('assessments_case_idx').on('assessments').columns(['case_id', 'assessed_on']).execute();
  await db.schema.createIndex('assessments_reassess_due_idx').on('assessments').columns(['reassess_due']).execute();
  await db.schema.createIndex('assessments_assessed_on_idx').on('assessments').columns(['assessed_on']).execute();
  await db.schema
    .createTable('visit_frequency_rules')
    .addColumn('level', 'text', (c) => c.primaryKey())
    .addColumn('visit_every_days', 'integer', (c) => c.notNull())
    .addColumn('reassess_every_days', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addCheckConstraint('visit_frequency_rules_level_ck', sql`level in ('低', '中', '高')`)
    .execute();

  await db
    .insertInto('visit_frequency_rules')
    .values([
      { level: '高', visit_every_days: 14, reassess_every_days: 90, updated_at: SEEDED_AT, updated_by: null },
      { level: '中', visit_every_days: 30, reassess_every_days: 180, updated_at: SEEDED_AT, updated_by: null },
      { level: '低', visit_every_days: 90, reassess_every_days: 365, updated_at: SEEDED_AT, updated_by: null },
    ])
    .execute();
  for (const ins of INSTRUMENTS) {
    const row = await db
      .insertInto('instruments')
      .values({ code: ins.code, name: ins.name, description: ins.description, archived: 0, created_at: SEEDED_AT, created_by: null, updated_at: SEEDED_AT, updated_by: null, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('instrument_versions')
      .values({
        instrument_id: (row as { id: number }).id,
        version_no: 1,
        definition: JSON.stringify(ins.definition),
        effective_from: EFFECTIVE_FROM,
        effective_to: null,
        note: '系統預設版本',
        created_at: SEEDED_AT,
        created_by: null,
      })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('visit_frequency_rules').execute();
  await db.schema.dropIndex('assessments_assessed_on_idx').execute();
  await db.schema.dropIndex('assessments_reassess_due_idx').execute();
  await db.schema.dropIndex('assessments_case_idx').execute();
  await db.schema.dropIndex('assessments_household_idx').execute();
  await db.schema.dropTable('assessments').execute();
  await db.schema.dropIndex('instrument_versions_from_idx').execute();
  await db.schema.dropTable('instrument_versions').execute();
  await db.schema.dropTable('instruments').execute();
}
