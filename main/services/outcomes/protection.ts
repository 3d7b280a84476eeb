/**
 * Protection reports (保護通報) on a household (issue 13 §6): when a household was reported to the
 * protection system, by whom (source) and for what (kind), optionally naming the household's persons
 * concerned. They feed cases.protectionWithin3m. No narrative is kept; the audit log holds the
 * report and household ids, the changed field names and a deletion's reason code, never a value.
 *
 * Access: the household's access rules (services/access/scope.ts): a 社工 the households of their
 * cases, concerns or own intake, a 督導 their teams', a 管理者 all; 實物銀行 and 稽核 none.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { todayIso } from '../../contract/roc-date';
import type { ProtectionDeleteReason, ProtectionKind, ProtectionReportView, ProtectionSource } from '../../contract/types-outcomes';
import { householdVisible, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { assertMayReadCaseContent, assertMayWrite, assertVersion, NOT_FOUND_MESSAGE, userNames } from '../households/common';

export interface ProtectionReportInput {
  reportedOn: string;
  source: ProtectionSource;
  kind: ProtectionKind;
  personIds: number[];
}

async function assertHousehold(db: Kysely<Database>, scope: Scope, householdId: number): Promise<void> {
  assertMayReadCaseContent(scope);
  const row = await db.selectFrom('households').select('id').where('id', '=', householdId).where(householdVisible(scope)).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
}

/** The report, after checking its household is visible (NOT_FOUND otherwise: existence is sensitive). */
async function reportFor(db: Kysely<Database>, scope: Scope, id: number) {
  assertMayReadCaseContent(scope);
  const row = await db.selectFrom('protection_reports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  await assertHousehold(db, scope, row.household_id);
  return row;
}

/** Field checks that need the database or the clock: the date not in the future, the persons members of the household. */
async function checkInput(db: Kysely<Database>, householdId: number, input: ProtectionReportInput, now: Date): Promise<void> {
  const fields: Record<string, string> = {};
  if (input.reportedOn > todayIso(now)) fields.reportedOn = '通報日期不能晚於今天';
  const wanted = [...new Set(input.personIds)];
  if (wanted.length > 0) {
    const members = await db.selectFrom('household_members').select('person_id').distinct().where('household_id', '=', householdId).where('person_id', 'in', wanted).execute();
    const known = new Set(members.map((m) => m.person_id));
    if (wanted.some((p) => !known.has(p))) fields.personIds = '被通報的人須為本戶的成員';
  }
  const first = Object.keys(fields)[0];
  if (first) throw new ApiError('VALIDATION', fields[first] as string, { fields });
}

async function setPersons(trx: Kysely<Database>, reportId: number, personIds: number[]): Promise<void> {
  await trx.deleteFrom('protection_report_persons').where('report_id', '=', reportId).execute();
  const ids = [...new Set(personIds)];
  if (ids.length > 0) await trx.insertInto('protection_report_persons').values(ids.map((person_id) => ({ report_id: reportId, person_id }))).execute();
}

async function views(db: Kysely<Database>, rows: Awaited<ReturnType<typeof loadRows>>): Promise<ProtectionReportView[]> {
  if (rows.length === 0) return [];
  const persons = await db
    .selectFrom('protection_report_persons as rp')
    .innerJoin('persons as p', 'p.id', 'rp.person_id')
    .select(['rp.report_id', 'p.id', 'p.name'])
    .where(
      'rp.report_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('p.id')
    .execute();
  const names = await userNames(db, rows.flatMap((r) => [r.created_by, r.updated_by]));
  return rows.map((r) => ({
    id: r.id,
    householdId: r.household_id,
    reportedOn: r.reported_on,
    source: r.source as ProtectionSource,
    kind: r.kind as ProtectionKind,
    persons: persons.filter((p) => p.report_id === r.id).map((p) => ({ personId: p.id, name: p.name })),
    createdAt: r.created_at,
    createdByName: r.created_by === null ? null : (names.get(r.created_by) ?? null),
    updatedAt: r.updated_at,
    updatedByName: r.updated_by === null ? null : (names.get(r.updated_by) ?? null),
    version: r.version,
  }));
}

function loadRows(db: Kysely<Database>, where: { householdId?: number; id?: number }) {
  let q = db.selectFrom('protection_reports').selectAll();
  if (where.householdId !== undefined) q = q.where('household_id', '=', where.householdId);
  if (where.id !== undefined) q = q.where('id', '=', where.id);
  return q.orderBy('reported_on', 'desc').orderBy('id', 'desc').execute();
}

/** The household's reports, newest first. Not audited as a view: the household page's own view row covers it. */
export async function listProtectionReports(db: Kysely<Database>, scope: Scope, householdId: number): Promise<ProtectionReportView[]> {
  await assertHousehold(db, scope, householdId);
  return views(db, await loadRows(db, { householdId }));
}

export async function getProtectionReport(db: Kysely<Database>, scope: Scope, id: number): Promise<ProtectionReportView> {
  await reportFor(db, scope, id);
  const [view] = await views(db, await loadRows(db, { id }));
  if (!view) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  return view;
}

export async function recordProtectionReport(trx: Kysely<Database>, scope: Scope, actor: Actor, input: ProtectionReportInput & { householdId: number }, now: Date): Promise<number> {
  assertMayWrite(scope);
  await assertHousehold(trx, scope, input.householdId);
  await checkInput(trx, input.householdId, input, now);
  const ts = now.toISOString();
  const row = await trx
    .insertInto('protection_reports')
    .values({ household_id: input.householdId, reported_on: input.reportedOn, source: input.source, kind: input.kind, created_at: ts, created_by: actor.userId, updated_at: ts, updated_by: actor.userId, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setPersons(trx, row.id, input.personIds);
  await appendAudit(trx, { actor, action: 'create', entity: 'protection_report', entityId: row.id, detail: { householdId: input.householdId } }, now);
  return row.id;
}

export async function correctProtectionReport(trx: Kysely<Database>, scope: Scope, actor: Actor, input: ProtectionReportInput & { id: number; version: number }, now: Date): Promise<void> {
  assertMayWrite(scope);
  const row = await reportFor(trx, scope, input.id);
  await assertVersion(trx, '保護通報', row, input.version);
  await checkInput(trx, row.household_id, input, now);
  const before = (await views(trx, [row]))[0] as ProtectionReportView;
  const changed: string[] = [];
  if (before.reportedOn !== input.reportedOn) changed.push('reportedOn');
  if (before.source !== input.source) changed.push('source');
  if (before.kind !== input.kind) changed.push('kind');
  const beforePersons = before.persons.map((p) => p.personId).sort((a, b) => a - b);
  const afterPersons = [...new Set(input.personIds)].sort((a, b) => a - b);
  if (beforePersons.join() !== afterPersons.join()) changed.push('personIds');
  if (changed.length === 0) return;
  await trx
    .updateTable('protection_reports')
    .set({ reported_on: input.reportedOn, source: input.source, kind: input.kind, updated_at: now.toISOString(), updated_by: actor.userId, version: row.version + 1 })
    .where('id', '=', row.id)
    .execute();
  if (changed.includes('personIds')) await setPersons(trx, row.id, afterPersons);
  await appendAudit(trx, { actor, action: 'update', entity: 'protection_report', entityId: row.id, detail: { householdId: row.household_id, fields: changed } }, now);
}

export async function deleteProtectionReport(trx: Kysely<Database>, scope: Scope, actor: Actor, input: { id: number; version: number; reason: ProtectionDeleteReason }, now: Date): Promise<void> {
  assertMayWrite(scope);
  const row = await reportFor(trx, scope, input.id);
  await assertVersion(trx, '保護通報', row, input.version);
  await trx.deleteFrom('protection_report_persons').where('report_id', '=', row.id).execute();
  await trx.deleteFrom('protection_reports').where('id', '=', row.id).execute();
  await appendAudit(trx, { actor, action: 'delete', entity: 'protection_report', entityId: row.id, detail: { householdId: row.household_id, reason: input.reason } }, now);
}
