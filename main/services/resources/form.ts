/**
 * The 轉介單 (referral form, issue 14 §3): what the receiving unit needs and nothing more.
 *
 * Content: the referring center (name, address, phone when set) and worker; the date (ROC on paper); the
 * receiving unit (from the map: its contact, phone, address, email); the person(s) referred - the
 * service record's participants, or the household's 戶長 when the record named none - with name, sex,
 * birth date, phone, the household's address and the national ID MASKED (A12****789, the app's one
 * masking); the reason and the services requested. Never the narrative, never other members, never
 * case details beyond the case number.
 *
 * Scope: the referral must be visible to the caller (records/service.ts getReferral, the standard
 * not-found otherwise). Viewing is audited as 'view', the download as 'export' (entity referral_form,
 * the referral's id and household; never a name or an ID number).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { maskNationalId } from '../../contract/national-id';
import { formatRocDate } from '../../contract/roc-date';
import type { ExportedFile } from '../../contract/types-reports';
import { SEX_LABELS } from '../../contract/types-reports';
import type { ReferralFormPerson, ReferralFormView } from '../../contract/types-resources';
import { excelJs } from '../../lib/sheet-libraries';
import type { Scope } from '../access/scope';
import { auditOutsideCall } from '../call-hooks';
import type { Actor } from '../context';
import { addressView, divisionNames } from '../households/service';
import { getReferral } from '../records/service';
import { safeFileName, sha256Hex, toBase64 } from '../reports/common';
import { readSettings } from '../settings/service';

async function centerPhone(db: Kysely<Database>): Promise<string | null> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', 'center.phone').executeTakeFirst();
  const v = r ? (JSON.parse(r.value) as unknown) : null;
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** Builds the form; throws the standard not-found when the referral is outside the caller's scope. */
export async function buildReferralForm(db: Kysely<Database>, scope: Scope, referralId: number): Promise<ReferralFormView> {
  const ref = await getReferral(db, scope, referralId);
  const row = await db.selectFrom('referrals').select(['resource_id', 'service_id', 'created_by']).where('id', '=', referralId).executeTakeFirstOrThrow();
  const [settings, phone, resource, worker, household] = await Promise.all([
    readSettings(db),
    centerPhone(db),
    row.resource_id === null ? null : db.selectFrom('resources').selectAll().where('id', '=', row.resource_id).executeTakeFirst(),
    row.created_by === null ? null : db.selectFrom('users').select('display_name').where('id', '=', row.created_by).executeTakeFirst(),
    db.selectFrom('households').select(['county_code', 'town_code', 'village_code', 'neighborhood', 'street', 'phone']).where('id', '=', ref.householdId).executeTakeFirstOrThrow(),
  ]);
  const services = row.resource_id === null ? [] : await db.selectFrom('resource_services').select('service_type').where('resource_id', '=', row.resource_id).execute();
  const address = addressView(household, await divisionNames(db, [household.county_code, household.town_code, household.village_code])).text;

  // The persons referred: the record's participants who belong to this household, else its 戶長.
  const personCols = ['p.id', 'p.name', 'p.sex', 'p.birth_date', 'p.national_id', 'p.phone'] as const;
  let persons = row.service_id === null
    ? []
    : await db
        .selectFrom('service_participants as sp')
        .innerJoin('persons as p', 'p.id', 'sp.person_id')
        .innerJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'p.id').on('hm.household_id', '=', ref.householdId))
        .select(personCols)
        .distinct()
        .where('sp.service_id', '=', row.service_id)
        .orderBy('p.id')
        .execute();
  if (persons.length === 0) {
    persons = await db
      .selectFrom('household_members as hm')
      .innerJoin('persons as p', 'p.id', 'hm.person_id')
      .select(personCols)
      .where('hm.household_id', '=', ref.householdId)
      .where('hm.left_on', 'is', null)
      .orderBy((eb) => eb.case().when('hm.relation', '=', '戶長').then(0).else(1).end())
      .orderBy('hm.id')
      .limit(1)
      .execute();
  }
  const people: ReferralFormPerson[] = persons.map((p) => ({
    name: p.name,
    sex: p.sex ? (SEX_LABELS[p.sex] ?? '') : '',
    birthDate: p.birth_date,
    nationalIdMasked: maskNationalId(p.national_id),
    phone: p.phone ?? household.phone,
    address,
  }));

  return {
    referralId: ref.id,
    referredOn: ref.referredOn,
    status: ref.status,
    center: { name: settings.centerName, address: settings.centerAddress, phone },
    worker: { name: worker?.display_name ?? ref.createdBy?.name ?? '' },
    receiving: {
      unitKind: ref.unitKind,
      name: ref.unitName,
      resourceId: row.resource_id,
      contactPerson: resource?.contact_person ?? null,
      phone: resource?.phone ?? null,
      address: resource?.address ?? null,
      email: resource?.email ?? null,
    },
    persons: people,
    reason: ref.reason,
    requestedServices: services.map((s) => s.service_type),
    caseNo: ref.caseNo,
  };
}

export async function viewReferralForm(db: Kysely<Database>, scope: Scope, actor: Actor, referralId: number, now: Date): Promise<ReferralFormView> {
  const form = await buildReferralForm(db, scope, referralId);
  await auditOutsideCall(db, { actor, action: 'view', entity: 'referral_form', entityId: referralId, detail: { resourceId: form.receiving.resourceId, persons: form.persons.length } }, now);
  return form;
}

/** The form's lines as (label, value) pairs: the one layout of the xlsx (the print view has its own HTML). */
export function formLines(f: ReferralFormView): [string, string][] {
  const lines: [string, string][] = [
    ['轉介日期', formatRocDate(f.referredOn)],
    ['轉介單位', f.center.name],
    ['轉介單位地址', f.center.address],
    ['轉介單位電話', f.center.phone ?? ''],
    ['承辦社工', f.worker.name],
    ['受轉介單位', `${f.receiving.name}（${f.receiving.unitKind}）`],
    ['受轉介單位聯絡人', f.receiving.contactPerson ?? ''],
    ['受轉介單位電話', f.receiving.phone ?? ''],
    ['受轉介單位地址', f.receiving.address ?? ''],
    ['受轉介單位電子郵件', f.receiving.email ?? ''],
  ];
  f.persons.forEach((p, i) => {
    const n = f.persons.length > 1 ? `（${i + 1}）` : '';
    lines.push(
      [`被轉介人${n}姓名`, p.name],
      [`被轉介人${n}性別`, p.sex],
      [`被轉介人${n}出生日期`, formatRocDate(p.birthDate)],
      [`被轉介人${n}身分證字號`, p.nationalIdMasked],
      [`被轉介人${n}電話`, p.phone ?? ''],
      [`被轉介人${n}地址`, p.address],
    );
  });
  lines.push(['轉介原因', f.reason], ['需求服務', f.requestedServices.join('、')]);
  return lines;
}

export async function referralFormWorkbook(f: ReferralFormView, now: Date): Promise<Uint8Array> {
  const { Workbook } = await excelJs();
  const wb = new Workbook();
  wb.creator = f.center.name;
  wb.created = now;
  const ws = wb.addWorksheet('轉介單', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = [{ width: 22 }, { width: 60 }];
  const font = { name: '標楷體', size: 12 };
  const border = { top: { style: 'thin' as const }, left: { style: 'thin' as const }, bottom: { style: 'thin' as const }, right: { style: 'thin' as const } };
  const title = ws.addRow([`${f.center.name} 轉介單`]);
  ws.mergeCells(title.number, 1, title.number, 2);
  title.getCell(1).font = { ...font, bold: true, size: 16 };
  title.getCell(1).alignment = { horizontal: 'center' };
  for (const [label, value] of formLines(f)) {
    const row = ws.addRow([label, value]);
    row.getCell(1).font = { ...font, bold: true };
    row.getCell(2).font = font;
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(1).border = border;
    row.getCell(2).border = border;
  }
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}

export async function exportReferralForm(db: Kysely<Database>, scope: Scope, actor: Actor, referralId: number, now: Date): Promise<ExportedFile> {
  const form = await buildReferralForm(db, scope, referralId);
  const bytes = await referralFormWorkbook(form, now);
  const sha = sha256Hex(bytes);
  await auditOutsideCall(db, { actor, action: 'export', entity: 'referral_form', entityId: referralId, detail: { resourceId: form.receiving.resourceId, format: 'xlsx', sha256: sha } }, now);
  return {
    fileName: `${safeFileName(`轉介單_${form.receiving.name}_${formatRocDate(form.referredOn).replace(/\//g, '')}`)}.xlsx`,
    fileBase64: toBase64(bytes),
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    sha256: sha,
  };
}
