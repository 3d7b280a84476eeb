/**
 * Managing what was made (issue 13 §7): rename and delete templates and definitions.
 *
 * A definition that a submitted period used (locked, or submitted once and unlocked since) is the
 * center's record of what it sent: deleting it archives it instead (hidden from the lists, its
 * snapshots still downloadable through reports.snapshot). One without submissions is deleted with
 * its mappings. A template is deleted only when no definition uses it: a live definition refuses the
 * delete (named), archived ones keep it (hidden from the list, said so). Each change is one
 * transaction with its audit row.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import type { DeleteOutcome } from '../../contract/types-reports';
import { appendAudit } from '../audit/log';
import { inDeclaredWrite } from '../call-hooks';
import type { Actor } from '../context';
import { archivedName, DEFINITION_ARCHIVED, shownName } from './definitions';

const TEMPLATE_GONE = '找不到這個報表範本，可能已被刪除，請重新整理。';
const DEFINITION_GONE = '找不到這個報表定義，可能已被刪除，請重新整理。';

function quoted(names: readonly string[]): string {
  return names.map((n) => `「${n}」`).join('、');
}

async function templateRow(trx: Kysely<Database>, id: number) {
  const row = await trx.selectFrom('report_templates').select(['id', 'file_name', 'archived_at']).where('id', '=', id).executeTakeFirst();
  if (!row || row.archived_at !== null) throw new ApiError('NOT_FOUND', TEMPLATE_GONE);
  return row;
}

async function definitionRow(trx: Kysely<Database>, id: number, version: number) {
  const row = await trx.selectFrom('report_definitions').select(['id', 'name', 'version', 'archived_at', 'updated_at', 'template_id']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', DEFINITION_GONE);
  if (row.archived_at !== null) throw new ApiError('RULE', DEFINITION_ARCHIVED(shownName(row)));
  if (row.version !== version) {
    throw new ApiError('CONFLICT', `這個報表定義已於 ${row.updated_at.slice(0, 16).replace('T', ' ')}（UTC）被修改，請重新整理後再試一次。`);
  }
  return row;
}

/** The template's display name (its file name) changes; the file itself does not. */
export async function renameTemplate(db: Kysely<Database>, actor: Actor, templateId: number, fileName: string, now: Date): Promise<{ id: number; fileName: string }> {
  return inDeclaredWrite(db, async (trx) => {
    const row = await templateRow(trx, templateId);
    const name = fileName.trim();
    if (name === row.file_name) return { id: row.id, fileName: name };
    await trx.updateTable('report_templates').set({ file_name: name }).where('id', '=', row.id).execute();
    await appendAudit(trx, { actor, action: 'update', entity: 'report_template', entityId: row.id, detail: { before: { fileName: row.file_name }, after: { fileName: name } } }, now);
    return { id: row.id, fileName: name };
  });
}

export async function deleteTemplate(db: Kysely<Database>, actor: Actor, templateId: number, now: Date): Promise<DeleteOutcome> {
  return inDeclaredWrite(db, async (trx) => {
    const row = await templateRow(trx, templateId);
    const users = await trx.selectFrom('report_definitions').select(['id', 'name', 'archived_at']).where('template_id', '=', row.id).orderBy('name').execute();
    const live = users.filter((d) => d.archived_at === null);
    if (live.length > 0) {
      throw new ApiError('RULE', `範本「${row.file_name}」仍由報表定義${quoted(live.map(shownName))}使用，不能刪除。請先刪除這些報表定義，或讓它們改用其他範本。`, {
        details: { definitions: live.map((d) => ({ id: d.id, name: shownName(d) })) },
      });
    }
    if (users.length > 0) {
      await trx.updateTable('report_templates').set({ archived_at: now.toISOString() }).where('id', '=', row.id).execute();
      await appendAudit(trx, { actor, action: 'delete', entity: 'report_template', entityId: row.id, detail: { fileName: row.file_name, kept: true, archivedDefinitions: users.map((d) => d.id) } }, now);
      return {
        outcome: 'kept',
        message: `範本「${row.file_name}」是已封存的報表定義${quoted(users.map(shownName))}的範本，為保留其已送出的報表而保留在系統中，不再列於範本清單。`,
      };
    }
    await trx.deleteFrom('report_templates').where('id', '=', row.id).execute();
    await appendAudit(trx, { actor, action: 'delete', entity: 'report_template', entityId: row.id, detail: { fileName: row.file_name } }, now);
    return { outcome: 'deleted', message: `已刪除範本「${row.file_name}」。` };
  });
}

/** A new name, unique among live definitions (archived ones carry a suffixed stored name). */
export async function renameDefinition(db: Kysely<Database>, actor: Actor, input: { id: number; version: number; name: string }, now: Date): Promise<number> {
  return inDeclaredWrite(db, async (trx) => {
    const row = await definitionRow(trx, input.id, input.version);
    const name = input.name.trim();
    if (name === row.name) return row.id;
    const taken = await trx.selectFrom('report_definitions').select('id').where('name', '=', name).where('id', '!=', row.id).executeTakeFirst();
    if (taken) throw new ApiError('RULE', `已有名為「${name}」的報表定義，請換一個名稱。`, { fields: { name: '名稱重複' } });
    const res = await trx
      .updateTable('report_definitions')
      .set({ name, version: row.version + 1, updated_at: now.toISOString(), updated_by: actor.userId })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new ApiError('CONFLICT', '這個報表定義已被其他人修改，請重新整理後再試一次。');
    await appendAudit(trx, { actor, action: 'update', entity: 'report_definition', entityId: row.id, detail: { before: { name: row.name }, after: { name } } }, now);
    return row.id;
  });
}

export async function deleteDefinition(db: Kysely<Database>, actor: Actor, input: { id: number; version: number }, now: Date): Promise<DeleteOutcome> {
  return inDeclaredWrite(db, async (trx) => {
    const row = await definitionRow(trx, input.id, input.version);
    const submitted = await trx
      .selectFrom('report_submissions')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('period').distinct().as('periods')])
      .where('definition_id', '=', row.id)
      .executeTakeFirstOrThrow();
    const mappings = await trx.selectFrom('report_mappings').select((eb) => eb.fn.countAll<number>().as('n')).where('definition_id', '=', row.id).executeTakeFirstOrThrow();
    if (Number(submitted.n) > 0) {
      const res = await trx
        .updateTable('report_definitions')
        .set({ name: archivedName(row.name, row.id), archived_at: now.toISOString(), archived_by: actor.userId, version: row.version + 1 })
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new ApiError('CONFLICT', '這個報表定義已被其他人修改，請重新整理後再試一次。');
      await appendAudit(
        trx,
        { actor, action: 'delete', entity: 'report_definition', entityId: row.id, detail: { name: row.name, archived: true, submittedPeriods: Number(submitted.periods), mappings: Number(mappings.n) } },
        now,
      );
      return {
        outcome: 'archived',
        message: `報表定義「${row.name}」已有送出的報表（${Number(submitted.periods)} 期），因此改為封存：不再列於清單，已送出的報表仍可在「已封存」下載。`,
      };
    }
    await trx.deleteFrom('report_mappings').where('definition_id', '=', row.id).execute();
    await trx.deleteFrom('report_definitions').where('id', '=', row.id).where('version', '=', row.version).execute();
    await appendAudit(trx, { actor, action: 'delete', entity: 'report_definition', entityId: row.id, detail: { name: row.name, archived: false, mappings: Number(mappings.n), templateId: row.template_id } }, now);
    return { outcome: 'deleted', message: `已刪除報表定義「${row.name}」及其 ${Number(mappings.n)} 格儲存格對應。` };
  });
}
