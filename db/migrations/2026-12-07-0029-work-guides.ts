import type { Kysely } from 'kysely';

/**
 * Work guides in context (作業指引, issue 14 §2): short guidance per step of the case flow (intake,
 * contact24h, openAssessment, closing) and per service item (`item:福利諮詢`, ...), versioned like the
 * code lists.
 *
 * - work_guide_versions: one version of one guide: its key, plain-text body (lines and `- ` bullet
 *   lines; rendered as text, never HTML), the day it takes effect, a note, who wrote it and when
 *   (created_by null: the first versions below, which came with the app). The version in effect on
 *   a day is the one with the latest effective_from on or before it (ties: the later id). Rows are
 *   never updated or deleted: the history stays.
 *
 * Seeds a first version of each step's guide and of five service items' guides, in effect from
 * 2026-01-01 (115/01/01), for the administrator to revise.
 * Portable: the schema builder and plain inserts (SQLite and PostgreSQL alike).
 * Frozen: never edit after release; add a new migration.
 */
const SEEDED_AT = '2026-12-07T00:00:00.000Z';
const SEEDED_FROM = '2026-01-01';

const SEEDS: [key: string, body: string][] = [
  [
    'intake',
    [
      '受案時先確認案件來源與轉介單位，核對案家基本資料，避免重複建案。',
      '- 先查詢案家是否已有服務中的個案或長期關懷；有則先與原負責社工聯繫。',
      '- 摘要寫主訴問題與轉介原因的事實，不寫推測。',
      '- 依脆弱性因子代碼表勾選已確認的因子，初判風險等級。',
      '- 有立即危險（兒少保護、家庭暴力、自殺風險）時，立即通報並告知督導，不等分派。',
      '- 收案後請於 24 小時內完成首次聯繫。',
    ].join('\n'),
  ],
  [
    'contact24h',
    [
      '接案後 24 小時內以電話或面訪聯繫案家，確認安全與立即需求。',
      '- 先確認聯繫對象的身分，再說明來電目的與中心的角色。',
      '- 評估有無立即安全疑慮；有則依規定通報並告知督導。',
      '- 了解目前最急迫的需求（食物、住所、醫療、經濟），可先連結急難救助或實物銀行。',
      '- 聯繫不上時換時段再撥，並記錄每次嘗試；仍無法聯繫時安排家訪。',
      '- 聯繫完成後，立即在此登錄聯繫的日期與時間。',
    ].join('\n'),
  ],
  [
    'openAssessment',
    [
      '開案評估以家訪為原則，於接案後 30 日內完成。',
      '- 依六大面向（經濟、就業、居住、健康、家庭關係、社會支持）蒐集資料，分辨風險與保護因子。',
      '- 與案家共同討論需求與期待，確認服務意願。',
      '- 評估結果為開案、不開案或短期服務；不開案時寫明理由與轉介去向。',
      '- 申請開案的理由請寫明主要問題、風險等級與初步處遇方向，送督導審查。',
    ].join('\n'),
  ],
  [
    'closing',
    [
      '結案前確認服務目標已達成或已無服務需求，並與案家討論結案。',
      '- 檢視處遇計畫各項目標的達成情形，寫在結案理由中。',
      '- 確認轉介的資源已銜接，並告知案家日後有需要可再聯繫中心。',
      '- 結案前一個月內應有面訪或電訪紀錄。',
      '- 因失聯結案：至少三次不同時段聯繫未果且家訪未遇，並記錄每次嘗試。',
      '- 督導退回時，依意見補充後再申請。',
    ].join('\n'),
  ],
  [
    'item:福利諮詢',
    [
      '說明福利資格時，以案家的實際狀況對照最新的規定與門檻。',
      '- 記錄詢問的福利項目與說明重點。',
      '- 需要申請時，告知應備文件與受理窗口，必要時協助填表。',
      '- 不確定是否符合資格時不當場承諾，查證後回覆並記錄回覆日期。',
    ].join('\n'),
  ],
  [
    'item:資源轉介',
    [
      '轉介前取得案家同意，並先與接收單位確認服務對象與等候時間。',
      '- 轉介單只寫接收單位需要的資料，不附整份紀錄。',
      '- 登錄轉介單位類型、名稱與轉介原因。',
      '- 兩週內追蹤轉介結果（受案、不受案、退回），並更新轉介狀態。',
    ].join('\n'),
  ],
  [
    'item:經濟補助',
    [
      '- 核對家庭收入與財產資料，確認符合補助條件。',
      '- 先查詢近期是否已由其他單位給予相同補助，避免重複。',
      '- 記錄補助項目、金額與核定單位。',
    ].join('\n'),
  ],
  [
    'item:實物給付',
    [
      '- 依實物銀行核定的額度發放，並確認領取人身分。',
      '- 留意家庭成員的飲食限制（嬰幼兒、慢性病、宗教）。',
      '- 發放後記錄品項與數量，必要時約定下次領取日。',
    ].join('\n'),
  ],
  [
    'item:情緒支持',
    [
      '以傾聽為主，先回應情緒，再處理問題。',
      '- 留意自殺或自傷的警訊；有疑慮時依自殺防治流程通報並告知督導。',
      '- 紀錄寫觀察到的狀態與案主所述重點，不寫診斷。',
    ].join('\n'),
  ],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('work_guide_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('guide_key', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('work_guide_versions_key_idx').on('work_guide_versions').columns(['guide_key', 'effective_from']).execute();
  await db
    .insertInto('work_guide_versions')
    .values(SEEDS.map(([key, body]) => ({ guide_key: key, body, effective_from: SEEDED_FROM, note: '系統預設版本', created_at: SEEDED_AT, created_by: null })))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('work_guide_versions_key_idx').execute();
  await db.schema.dropTable('work_guide_versions').execute();
}
