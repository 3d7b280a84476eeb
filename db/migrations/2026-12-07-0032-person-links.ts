import { sql, type Kysely } from 'kysely';

/**
 * Linked families (issue 14 §5): person_links, a relation between two persons, normally of different
 * households (a parent living elsewhere, a sibling's household, a grandparent caregiver, an ex-spouse).
 * One row per link, in a canonical direction: `relation` is what person_b is to person_a, from the
 * stored half of the list (父母, 手足, 祖父母, 配偶, 前配偶, 照顧者, 其他親屬); 子女, 孫子女 and 受照顧者
 * are stored as their inverse with the persons swapped, and the symmetric ones with person_a < person_b,
 * so one relation between two persons has one row. No self-link; one active row per pair and relation
 * (an ended link stays, with its date and reason code, and the same relation may be linked again).
 * Only the schema builder and a partial index: portable to SQLite and PostgreSQL.
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('person_links')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('person_a', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('person_b', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('ended_on', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('ended_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('person_links_not_self_ck', sql`person_a <> person_b`)
    .addCheckConstraint('person_links_relation_ck', sql`relation in ('父母', '手足', '祖父母', '配偶', '前配偶', '照顧者', '其他親屬')`)
    .addCheckConstraint('person_links_symmetric_ck', sql`relation in ('父母', '祖父母', '照顧者') or person_a < person_b`)
    .addCheckConstraint('person_links_end_ck', sql`(ended_on is null and end_reason is null) or (ended_on is not null and end_reason is not null and end_reason in ('關係已結束', '資料誤植', '當事人死亡', '其他'))`)
    .execute();
  await db.schema
    .createIndex('person_links_active_uq')
    .on('person_links')
    .columns(['person_a', 'person_b', 'relation'])
    .unique()
    .where(sql.ref('ended_on'), 'is', null)
    .execute();
  await db.schema.createIndex('person_links_b_idx').on('person_links').column('person_b').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('person_links_b_idx').execute();
  await db.schema.dropIndex('person_links_active_uq').execute();
  await db.schema.dropTable('person_links').execute();
}
