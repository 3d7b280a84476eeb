import { sql, type Kysely } from 'kysely';

/**
 * Persons, households, cases, service records, referrals and long-term concern
 * households (issue 3). Frozen: never edit after release; add a new migration.
 *
 * Conventions: dates are ISO `YYYY-MM-DD` text, timestamps ISO-8601 UTC text;
 * every record a user edits carries `version` for optimistic concurrency and
 * `created_by` / `updated_by` user ids (users are never deleted).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // 行政區 (內政部 codes): 縣市 10 digits... kept as text; level = county | town | village.
  await db.schema
    .createTable('divisions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text', (c) => c.references('divisions.code'))
    .addCheckConstraint('divisions_level_check', sql`level in ('county','town','village')`)
    .execute();
  await db.schema.createIndex('divisions_parent_idx').on('divisions').column('parent_code').execute();

  // 個人
  await db.schema
    .createTable('persons')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('national_id', 'text', (c) => c.unique())
    .addColumn('birth_date', 'text')
    .addColumn('sex', 'text') // M | F | X
    .addColumn('phone', 'text')
    .addColumn('indigenous', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('new_immigrant', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disability_level', 'text') // 輕度 | 中度 | 重度 | 極重度
    .addColumn('income_status', 'text') // low (低收入戶) | mid-low (中低收入戶)
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('persons_name_birth_idx').on('persons').columns(['name', 'birth_date']).execute();
  await db.schema.createIndex('persons_phone_idx').on('persons').column('phone').execute();

  // 家戶
  await db.schema
    .createTable('households')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('county_code', 'text', (c) => c.references('divisions.code'))
    .addColumn('town_code', 'text', (c) => c.references('divisions.code'))
    .addColumn('village_code', 'text', (c) => c.references('divisions.code'))
    .addColumn('neighborhood', 'text') // 鄰
    .addColumn('street', 'text') // street and number
    .addColumn('household_type', 'text') // 單親 | 隔代教養 | 獨居 | 雙親 | 其他
    .addColumn('phone', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('households_village_idx').on('households').column('village_code').execute();
  await db.schema.createIndex('households_town_idx').on('households').column('town_code').execute();

  // Membership with history: a person belongs to one household at a time (left_at null).
  await db.schema
    .createTable('household_members')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('relation', 'text', (c) => c.notNull()) // 戶長 | 配偶 | 子女 | 父母 | 祖父母 | 孫子女 | 兄弟姊妹 | 其他親屬 | 非親屬
    .addColumn('joined_on', 'text', (c) => c.notNull())
    .addColumn('left_on', 'text')
    .addColumn('left_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await sql`create unique index household_members_one_current on household_members (person_id) where left_on is null`.execute(db);
  await db.schema.createIndex('household_members_household_idx').on('household_members').columns(['household_id', 'left_on']).execute();

  // Versioned code lists (脆弱性因子 and later ones), each version effective from a date.
  await db.schema
    .createTable('code_list_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('list', 'text', (c) => c.notNull()) // e.g. 'vulnerability'
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addUniqueConstraint('code_list_versions_unique', ['list', 'effective_from'])
    .execute();
  await db.schema
    .createTable('code_list_items')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('version_id', 'integer', (c) => c.notNull().references('code_list_versions.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text') // 面向 1-6 for vulnerability factors
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('code_list_items_unique', ['version_id', 'code'])
    .execute();

  // 個案: one episode of service to a household.
  await db.schema
    .createTable('cases')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_no', 'text', (c) => c.notNull().unique()) // 115-000123
    .addColumn('roc_year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('previous_case_id', 'integer', (c) => c.references('cases.id')) // 再開案 link
    .addColumn('source', 'text', (c) => c.notNull()) // A-F
    .addColumn('referring_unit', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('dispatched_at', 'text')
    .addColumn('first_contact_at', 'text')
    .addColumn('case_type', 'text', (c) => c.notNull()) // 脆弱家庭 | 一般福利諮詢 | 急難紓困 | ...
    .addColumn('risk_level', 'text') // 低 | 中 | 高
    .addColumn('code_list_version_id', 'integer', (c) => c.references('code_list_versions.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lead_worker_id', 'integer', (c) => c.references('users.id'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id')) // the lead worker's team, for access and team caseloads
    .addColumn('opened_on', 'text')
    .addColumn('closed_on', 'text')
    .addColumn('close_reason', 'text')
    .addColumn('summary', 'text') // sensitive: intake summary
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('cases_year_seq_unique', ['roc_year', 'seq'])
    .addCheckConstraint(
      'cases_status_check',
      sql`status in ('待分派','評估中','開案審查中','處遇中','不開案','短期服務','結案審查中','已結案')`,
    )
    .execute();
  await db.schema.createIndex('cases_household_idx').on('cases').column('household_id').execute();
  await db.schema.createIndex('cases_lead_status_idx').on('cases').columns(['lead_worker_id', 'status']).execute();
  await db.schema.createIndex('cases_team_status_idx').on('cases').columns(['team_id', 'status']).execute();
  await db.schema.createIndex('cases_received_idx').on('cases').column('received_at').execute();

  await db.schema
    .createTable('case_assistants') // 協力 workers
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('case_assistants_pk', ['case_id', 'user_id'])
    .execute();
  await db.schema.createIndex('case_assistants_user_idx').on('case_assistants').column('user_id').execute();

  await db.schema
    .createTable('case_factors') // the factor codes a case was coded with, from its code-list version
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_factors_pk', ['case_id', 'code'])
    .execute();

  // Who, when, why of every status change.
  await db.schema
    .createTable('case_status_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_user', 'integer', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema.createIndex('case_status_history_case_idx').on('case_status_history').columns(['case_id', 'at']).execute();

  // Requests a worker makes and a supervisor decides (開案 / 不開案 / 結案 / 轉案).
  await db.schema
    .createTable('case_requests')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // open | not-open | close | transfer
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('transfer_to', 'integer', (c) => c.references('users.id'))
    .addColumn('requested_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // pending | approved | returned | withdrawn
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('decision_comment', 'text')
    .execute();
  await db.schema.createIndex('case_requests_case_idx').on('case_requests').columns(['case_id', 'state']).execute();
  await db.schema.createIndex('case_requests_state_idx').on('case_requests').column('state').execute();

  // 長期關懷戶: followed indefinitely, outside the open/close cycle.
  await db.schema
    .createTable('long_term_concerns')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('reason', 'text', (c) => c.notNull()) // 獨居長者 | 身障 | 長期經濟弱勢 | 高照顧負荷 | 其他
    .addColumn('reason_note', 'text')
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull()) // monthly | bimonthly | quarterly | half-yearly | custom
    .addColumn('interval_days', 'integer') // when frequency = custom
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('team_id', 'integer', (c) => c.references('teams.id'))
    .addColumn('next_due', 'text', (c) => c.notNull())
    .addColumn('last_visit_on', 'text')
    .addColumn('from_case_id', 'integer', (c) => c.references('cases.id'))
    .addColumn('end_date', 'text')
    .addColumn('end_reason', 'text') // 遷出 | 死亡 | 轉為個案 | 不再需要
    .addColumn('to_case_id', 'integer', (c) => c.references('cases.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`create unique index long_term_concerns_one_active on long_term_concerns (household_id) where end_date is null`.execute(db);
  await db.schema.createIndex('long_term_concerns_due_idx').on('long_term_concerns').columns(['end_date', 'next_due']).execute();
  await db.schema.createIndex('long_term_concerns_worker_idx').on('long_term_concerns').column('worker_id').execute();

  // 服務紀錄: attached to a case or to a long-term concern household (always to its household).
  await db.schema
    .createTable('service_records')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('case_id', 'integer', (c) => c.references('cases.id'))
    .addColumn('concern_id', 'integer', (c) => c.references('long_term_concerns.id'))
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull()) // 電訪家庭 | 面訪家庭 | ...
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull()) // JSON array of service items (福利諮詢, 資源轉介, ...)
    .addColumn('narrative', 'text') // sensitive: never logged; viewing it is audited
    .addColumn('next_follow_up', 'text')
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('service_records_household_idx').on('service_records').columns(['household_id', 'occurred_at']).execute();
  await db.schema.createIndex('service_records_case_idx').on('service_records').columns(['case_id', 'occurred_at']).execute();
  await db.schema.createIndex('service_records_concern_idx').on('service_records').column('concern_id').execute();
  await db.schema.createIndex('service_records_worker_idx').on('service_records').columns(['worker_id', 'occurred_at']).execute();
  await db.schema.createIndex('service_records_occurred_idx').on('service_records').column('occurred_at').execute();

  await db.schema
    .createTable('service_participants') // household members present
    .addColumn('service_id', 'integer', (c) => c.notNull().references('service_records.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addPrimaryKeyConstraint('service_participants_pk', ['service_id', 'person_id'])
    .execute();

  // 轉介
  await db.schema
    .createTable('referrals')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('case_id', 'integer', (c) => c.references('cases.id'))
    .addColumn('service_id', 'integer', (c) => c.references('service_records.id'))
    .addColumn('unit_kind', 'text', (c) => c.notNull()) // 勞政 | 衛政 | 教育 | 警政 | 民間團體 | 其他
    .addColumn('unit_name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // 轉介等待中 | 受案 | 不受案 | 退回 | 轉介完成 | 轉介失敗
    .addColumn('referred_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('referrals_case_idx').on('referrals').column('case_id').execute();
  await db.schema.createIndex('referrals_household_idx').on('referrals').column('household_id').execute();
  await db.schema
    .createTable('referral_status_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('referral_id', 'integer', (c) => c.notNull().references('referrals.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_user', 'integer', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema.createIndex('referral_status_history_ref_idx').on('referral_status_history').column('referral_id').execute();

  // Long-term care load of a household (高照顧負荷家庭).
  await db.schema
    .createTable('care_needs') // a member's care need
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // 失能 | 身障 | 失智 | 長期疾病 | 其他
    .addColumn('cms_level', 'integer') // 長照需要等級 1-8 when assessed
    .addColumn('assessed_on', 'text')
    .addColumn('note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addCheckConstraint('care_needs_cms_check', sql`cms_level is null or (cms_level between 1 and 8)`)
    .execute();
  await db.schema.createIndex('care_needs_household_idx').on('care_needs').column('household_id').execute();
  await db.schema
    .createTable('care_arrangements') // the household's primary caregiver and burden (one row per household)
    .addColumn('household_id', 'integer', (c) => c.primaryKey().references('households.id'))
    .addColumn('caregiver_person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('caregiver_note', 'text')
    .addColumn('high_burden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('ltc_services') // long-term care services already received
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('service', 'text', (c) => c.notNull()) // 居家服務 | 日間照顧 | 喘息服務 | 送餐 | 緊急救援連線 | 其他
    .addColumn('provider', 'text')
    .addColumn('since', 'text')
    .addColumn('until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('ltc_services_household_idx').on('ltc_services').column('household_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'ltc_services', 'care_arrangements', 'care_needs', 'referral_status_history', 'referrals', 'service_participants',
    'service_records', 'long_term_concerns', 'case_requests', 'case_status_history', 'case_factors', 'case_assistants',
    'cases', 'code_list_items', 'code_list_versions', 'household_members', 'households', 'persons', 'divisions',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
