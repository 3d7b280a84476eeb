import { sql, type Kysely } from 'kysely';

/**
 * The case workflow on top of the caseload schema (issue 3). Frozen: never edit
 * after release; add a new migration.
 *
 * - case_requests.from_status: the case status a request was made from, so a
 *   returned (退回) request puts the case back exactly where it was (a close
 *   request can come from 處遇中 or 短期服務).
 * - Partial indexes for the worklists (SQLite and PostgreSQL both accept
 *   `create index ... where`).
 * - The vulnerability-factor code list (脆弱性因子), two versions: effective
 *   2021-01-01 and the revision effective 2025-07-01 (114-07-01). They are
 *   historical facts, so they ship as data here rather than being written at
 *   app start: every database, new or old, has both exactly once, and an
 *   administrator adds later revisions through codelists.addVersion.
 *   Labels are this project's paraphrase, not the official wording.
 */

type Item = [code: string, group: string | null, label: string];

const DIMENSIONS: Item[] = [
  ['1', null, '家庭經濟陷困'],
  ['2', null, '家庭遭逢變故致功能受損'],
  ['3', null, '家庭關係衝突或疏離'],
  ['4', null, '兒少發展不利處境'],
  ['5', null, '家庭成員身心障礙或傷病失能'],
  ['6', null, '個人生活適應困難'],
];

const FACTORS_2021: Item[] = [
  ['1-01', '1', '家庭主要收入者失業、待業或工作不穩定'],
  ['1-02', '1', '家庭負債或財務管理困難'],
  ['1-03', '1', '家庭收入不足以支應基本生活'],
  ['1-04', '1', '居住環境不佳或面臨無處可住'],
  ['1-05', '1', '急難事件致經濟陷困'],
  ['2-01', '2', '家庭成員死亡、失蹤或入獄服刑'],
  ['2-02', '2', '家庭遭逢重大意外或天災'],
  ['2-03', '2', '主要照顧者離家或無法照顧'],
  ['2-04', '2', '家庭成員有自殺風險或自殺行為'],
  ['3-01', '3', '家庭成員間關係緊張或衝突'],
  ['3-02', '3', '婚姻或伴侶關係衝突、離婚或分居'],
  ['3-03', '3', '親子關係疏離或衝突'],
  ['3-04', '3', '家庭缺乏支持系統或社會孤立'],
  ['4-01', '4', '兒少照顧者照顧功能不足'],
  ['4-02', '4', '兒少中輟、長期缺課或學習適應困難'],
  ['4-03', '4', '兒少偏差行為或與不良友伴往來'],
  ['4-04', '4', '未成年懷孕或未成年父母'],
  ['4-05', '4', '六歲以下兒童未按時接受預防接種或健康檢查'],
  ['5-01', '5', '家庭成員身心障礙致照顧負荷沉重'],
  ['5-02', '5', '家庭成員罹患重大傷病或長期疾病'],
  ['5-03', '5', '家庭成員有精神疾病或疑似精神疾病'],
  ['5-04', '5', '家庭成員失能需長期照顧'],
  ['6-01', '6', '酒癮、藥癮或其他成癮問題'],
  ['6-02', '6', '新住民或移居者生活適應困難'],
  ['6-03', '6', '獨居或缺乏照顧之長者'],
  ['6-04', '6', '出監或離開矯正機關後適應困難'],
  ['6-05', '6', '個人情緒困擾或人際適應問題'],
];

/** The 114-07-01 revision: some factors split, moved, relabelled or added; 2-04 moved to 6-06. */
const FACTORS_2025: Item[] = [
  ['1-01', '1', '家庭主要收入者失業、待業或工作不穩定'],
  ['1-02', '1', '家庭負債或財務管理困難'],
  ['1-03', '1', '家庭收入不足以支應基本生活'],
  ['1-04', '1', '居住環境不佳或居家安全堪虞'],
  ['1-05', '1', '因急難事件或重大傷病致經濟陷困'],
  ['1-06', '1', '面臨無處可住或租屋困難'],
  ['2-01', '2', '家庭成員死亡、失蹤或入獄服刑'],
  ['2-02', '2', '家庭遭逢重大意外或天災'],
  ['2-03', '2', '主要照顧者離家或無法照顧'],
  ['3-01', '3', '家庭成員間關係緊張或衝突'],
  ['3-02', '3', '婚姻或伴侶關係衝突、離婚或分居'],
  ['3-03', '3', '親子關係疏離或衝突'],
  ['3-04', '3', '家庭缺乏支持系統或社會孤立'],
  ['3-05', '3', '家庭成員有暴力傾向但未達保護案件標準'],
  ['4-01', '4', '兒少照顧者照顧功能不足'],
  ['4-02', '4', '兒少中輟、長期缺課或學習適應困難'],
  ['4-03', '4', '兒少偏差行為或與不良友伴往來'],
  ['4-04', '4', '未成年懷孕或未成年父母'],
  ['4-05', '4', '學齡前兒童照顧資源不足或未接受健康檢查'],
  ['4-06', '4', '兒少網路沉迷或數位使用問題'],
  ['5-01', '5', '家庭成員身心障礙致照顧負荷沉重'],
  ['5-02', '5', '家庭成員罹患重大傷病或長期疾病'],
  ['5-03', '5', '家庭成員有精神疾病或疑似精神疾病'],
  ['5-04', '5', '家庭成員失能需長期照顧'],
  ['5-05', '5', '主要照顧者照顧負荷過重'],
  ['6-01', '6', '酒癮、藥癮或其他成癮問題'],
  ['6-02', '6', '新住民或移居者生活適應困難'],
  ['6-03', '6', '獨居長者或缺乏照顧者'],
  ['6-04', '6', '出監或離開矯正機關後適應困難'],
  ['6-05', '6', '個人情緒困擾或人際適應問題'],
  ['6-06', '6', '有自殺意念或自殺行為'],
];

const SEEDED_AT = '2026-11-22T00:00:00.000Z';

async function seedVersion(db: Kysely<any>, effectiveFrom: string, note: string, factors: Item[]): Promise<void> {
  const exists = await db
    .selectFrom('code_list_versions')
    .select('id')
    .where('list', '=', 'vulnerability')
    .where('effective_from', '=', effectiveFrom)
    .executeTakeFirst();
  if (exists) return;
  const v = await db
    .insertInto('code_list_versions')
    .values({ list: 'vulnerability', effective_from: effectiveFrom, note, created_at: SEEDED_AT, created_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const items = [...DIMENSIONS, ...factors].map(([code, group, label], i) => ({
    version_id: (v as { id: number }).id,
    code,
    group_code: group,
    label,
    sort: i + 1,
  }));
  await db.insertInto('code_list_items').values(items).execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_requests').addColumn('from_status', 'text').execute();

  // Worklists: dispatched cases not yet contacted; follow-ups falling due.
  await sql`create index cases_uncontacted_idx on cases (dispatched_at) where first_contact_at is null and dispatched_at is not null`.execute(db);
  await sql`create index service_records_follow_up_idx on service_records (next_follow_up) where next_follow_up is not null`.execute(db);
  // One pending request per case at a time.
  await sql`create unique index case_requests_one_pending on case_requests (case_id) where state = 'pending'`.execute(db);
  // A case is reopened at most once (the chain stays a line).
  await sql`create unique index cases_previous_unique on cases (previous_case_id) where previous_case_id is not null`.execute(db);

  await seedVersion(db, '2021-01-01', '脆弱家庭脆弱性因子（110年版）', FACTORS_2021);
  await seedVersion(db, '2025-07-01', '脆弱家庭脆弱性因子（114年7月1日修正）', FACTORS_2025);
}

export async function down(db: Kysely<any>): Promise<void> {
  const versions = await db.selectFrom('code_list_versions').select('id').where('list', '=', 'vulnerability').where('created_by', 'is', null).execute();
  for (const v of versions as { id: number }[]) {
    await db.deleteFrom('code_list_items').where('version_id', '=', v.id).execute();
    await db.deleteFrom('code_list_versions').where('id', '=', v.id).execute();
  }
  await sql`drop index if exists cases_previous_unique`.execute(db);
  await sql`drop index if exists case_requests_one_pending`.execute(db);
  await sql`drop index if exists service_records_follow_up_idx`.execute(db);
  await sql`drop index if exists cases_uncontacted_idx`.execute(db);
  await db.schema.alterTable('case_requests').dropColumn('from_status').execute();
}
