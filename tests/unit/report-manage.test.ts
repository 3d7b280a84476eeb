/**
 * Managing what was made (issue 13 §7), through the API on the hand-counted center: an administrator
 * renames a template and a definition, deletes a definition never submitted (gone with its mappings),
 * deletes one whose quarter was submitted (archived: hidden, its snapshot still downloadable, its name
 * free again), is refused deleting a template a live definition uses, and sees a template only archived
 * definitions use kept. Runs on SQLite and PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MappingInput } from '../../main/contract/types-reports';
import { createReportsApp, type ReportsApp } from './reports-fixture';

const TEMPLATE = fileURLToPath(new URL('../../../shared/fixtures/templates/季報-範例.xlsx', import.meta.url));
const SHEET = '脆弱家庭服務';
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
const MAPPINGS: MappingInput[] = [
  { sheet: SHEET, cell: 'B10', indicatorId: 'cases.received' },
  { sheet: SHEET, cell: 'B11', indicatorId: 'cases.received', filters: { dimension: '1' } },
];

let r: ReportsApp;
let templateId = 0;

function form(name: string, tId = templateId) {
  return { templateId: tId, name, formNo: '10930-01-01-2', agency: '南投縣政府', deadline: '次季終了後20日內', periodCell: null, mappings: MAPPINGS };
}

async function refusal(method: string, input: unknown): Promise<{ code: string; message: string }> {
  const env = await r.raw(r.d.admin, method, input);
  if (env.ok) throw new Error(`${method} was not refused`);
  return env.error;
}

async function audit(entity: string, id: number) {
  return r.db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', entity).where('entity_id', '=', String(id)).orderBy('id').execute();
}

beforeAll(async () => {
  r = await createReportsApp();
  templateId = (await r.call(r.d.admin, 'reports.importTemplate', { fileName: '季報-範例.xlsx', bytesBase64: b64(new Uint8Array(readFileSync(TEMPLATE))) })).id;
});
afterAll(async () => {
  await r?.close();
});

describe('renaming', () => {
  it('renames a template (its display name) and a definition, audited, with the version checked', async () => {
    const t = await r.call(r.d.admin, 'reports.renameTemplate', { templateId, fileName: '  114年度季報範本.xlsx ' });
    expect(t.fileName).toBe('114年度季報範本.xlsx');
    expect((await r.call(r.d.admin, 'reports.listTemplates', {})).map((x) => x.fileName)).toEqual(['114年度季報範本.xlsx']);
    expect((await audit('report_template', templateId)).at(-1)).toMatchObject({ action: 'update' });

    const a = await r.call(r.d.admin, 'reports.saveDefinition', form('季報甲'));
    const b = await r.call(r.d.admin, 'reports.saveDefinition', form('季報乙'));
    const renamed = await r.call(r.d.admin, 'reports.renameDefinition', { id: a.id, version: a.version, name: '脆弱家庭季報' });
    expect(renamed).toMatchObject({ name: '脆弱家庭季報', version: a.version + 1, templateFileName: '114年度季報範本.xlsx', mappingCount: 2 });
    expect((await audit('report_definition', a.id)).at(-1)?.action).toBe('update');

    // Unique among live definitions; the version last read; 管理者 only.
    expect(await refusal('reports.renameDefinition', { id: b.id, version: b.version, name: '脆弱家庭季報' })).toMatchObject({ code: 'RULE', message: expect.stringContaining('已有名為「脆弱家庭季報」') });
    expect((await refusal('reports.renameDefinition', { id: a.id, version: a.version, name: '又一個名稱' })).code).toBe('CONFLICT');
    const env = await r.raw(r.d.sup1, 'reports.renameDefinition', { id: a.id, version: renamed.version, name: '督導改名' });
    expect(env.ok ? null : env.error.code).toBe('FORBIDDEN');
    expect((await refusal('reports.renameTemplate', { templateId, fileName: '   ' })).code).toBe('VALIDATION');
  });
});

describe('deleting', () => {
  it('deletes a definition never submitted, with its mappings, in one audited step', async () => {
    const d = await r.call(r.d.admin, 'reports.saveDefinition', form('試作報表'));
    const out = await r.call(r.d.admin, 'reports.deleteDefinition', { id: d.id, version: d.version });
    expect(out).toEqual({ outcome: 'deleted', message: '已刪除報表定義「試作報表」及其 2 格儲存格對應。' });
    expect(await r.db.selectFrom('report_mappings').select('id').where('definition_id', '=', d.id).execute()).toEqual([]);
    expect(await r.db.selectFrom('report_definitions').select('id').where('id', '=', d.id).execute()).toEqual([]);
    expect((await r.call(r.d.admin, 'reports.listDefinitions', { includeArchived: true })).map((x) => x.name)).not.toContain('試作報表');
    expect((await audit('report_definition', d.id)).at(-1)).toMatchObject({ action: 'delete' });
    expect(JSON.parse((await audit('report_definition', d.id)).at(-1)?.detail ?? '{}')).toMatchObject({ name: '試作報表', archived: false, mappings: 2 });
    expect((await refusal('reports.deleteDefinition', { id: d.id, version: d.version })).code).toBe('NOT_FOUND');
  });

  it('archives a definition whose quarter was submitted: hidden, its snapshot still downloadable, its name free', async () => {
    const d = await r.call(r.d.admin, 'reports.saveDefinition', form('已送出季報'));
    await r.call(r.d.admin, 'reports.submit', { definitionId: d.id, period: '115Q1' });
    const submitted = await r.call(r.d.admin, 'reports.snapshot', { definitionId: d.id, period: '115Q1' });
    const version = (await r.call(r.d.admin, 'reports.getDefinition', { id: d.id })).version;

    const out = await r.call(r.d.admin, 'reports.deleteDefinition', { id: d.id, version });
    expect(out.outcome).toBe('archived');
    expect(out.message).toContain('報表定義「已送出季報」已有送出的報表（1 期），因此改為封存');
    expect((await r.call(r.d.admin, 'reports.listDefinitions', {})).map((x) => x.name)).not.toContain('已送出季報');
    const all = await r.call(r.d.admin, 'reports.listDefinitions', { includeArchived: true });
    const archived = all.find((x) => x.id === d.id);
    expect(archived).toMatchObject({ name: '已送出季報', archivedAt: r.t.clock.now.toISOString(), lastSubmitted: '115Q1' });
    expect(all.filter((x) => x.id !== d.id).every((x) => x.archivedAt === null)).toBe(true);

    // The submitted file is still there, byte for byte, under the definition's own name.
    const again = await r.call(r.d.admin, 'reports.snapshot', { definitionId: d.id, period: '115Q1' });
    expect([again.sha256, again.fileBase64, again.fileName]).toEqual([submitted.sha256, submitted.fileBase64, submitted.fileName]);
    expect((await r.call(r.d.admin, 'reports.periods', { definitionId: d.id, count: 8 })).find((p) => p.period === '115Q1')?.state).toBe('locked');

    // Nothing more is made with it.
    for (const [m, input] of [
      ['reports.generate', { definitionId: d.id, period: '115Q2' }],
      ['reports.submit', { definitionId: d.id, period: '115Q2' }],
      ['reports.unlock', { definitionId: d.id, period: '115Q1', reason: '改正數字' }],
      ['reports.renameDefinition', { id: d.id, version: version + 1, name: '新名稱' }],
      ['reports.deleteDefinition', { id: d.id, version: version + 1 }],
      ['reports.saveDefinition', { ...form('已送出季報'), id: d.id, version: version + 1 }],
    ] as const) {
      expect(await refusal(m, input), m).toMatchObject({ code: 'RULE', message: expect.stringContaining('已封存') });
    }
    expect(JSON.parse((await audit('report_definition', d.id)).at(-1)?.detail ?? '{}')).toMatchObject({ name: '已送出季報', archived: true, submittedPeriods: 1 });

    // The name is unique among live definitions only.
    const reborn = await r.call(r.d.admin, 'reports.saveDefinition', form('已送出季報'));
    expect(reborn.name).toBe('已送出季報');
    await r.call(r.d.admin, 'reports.deleteDefinition', { id: reborn.id, version: reborn.version });
  });

  it('archives a definition whose quarter was submitted and unlocked since', async () => {
    const d = await r.call(r.d.admin, 'reports.saveDefinition', form('解鎖過的季報'));
    await r.call(r.d.admin, 'reports.submit', { definitionId: d.id, period: '115Q1' });
    await r.call(r.d.admin, 'reports.unlock', { definitionId: d.id, period: '115Q1', reason: '數字有誤' });
    const out = await r.call(r.d.admin, 'reports.deleteDefinition', { id: d.id, version: d.version });
    expect(out.outcome).toBe('archived');
  });

  it('refuses deleting a template a live definition uses, naming it; keeps one only archived definitions use', async () => {
    const env = await refusal('reports.deleteTemplate', { templateId });
    expect(env.code).toBe('RULE');
    expect(env.message).toBe('範本「114年度季報範本.xlsx」仍由報表定義「季報乙」、「脆弱家庭季報」使用，不能刪除。請先刪除這些報表定義，或讓它們改用其他範本。');

    for (const d of await r.call(r.d.admin, 'reports.listDefinitions', {})) await r.call(r.d.admin, 'reports.deleteDefinition', { id: d.id, version: d.version });
    const kept = await r.call(r.d.admin, 'reports.deleteTemplate', { templateId });
    expect(kept.outcome).toBe('kept');
    expect(kept.message).toBe('範本「114年度季報範本.xlsx」是已封存的報表定義「已送出季報」、「解鎖過的季報」的範本，為保留其已送出的報表而保留在系統中，不再列於範本清單。');
    expect(await r.call(r.d.admin, 'reports.listTemplates', {})).toEqual([]);
    expect((await r.db.selectFrom('report_templates').select('id').execute()).length).toBe(1);
    const archived = (await r.call(r.d.admin, 'reports.listDefinitions', { includeArchived: true })).find((x) => x.name === '已送出季報');
    expect((await r.call(r.d.admin, 'reports.snapshot', { definitionId: archived?.id ?? 0, period: '115Q1' })).sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await refusal('reports.deleteTemplate', { templateId })).code).toBe('NOT_FOUND');

    // The same file imported again is back in the list.
    const back = await r.call(r.d.admin, 'reports.importTemplate', { fileName: '季報-範例.xlsx', bytesBase64: b64(new Uint8Array(readFileSync(TEMPLATE))) });
    expect(back).toMatchObject({ id: templateId, reused: true });
    expect((await r.call(r.d.admin, 'reports.listTemplates', {})).map((t) => t.id)).toEqual([templateId]);
  });

  it('deletes a template no definition uses', async () => {
    // Another file: the example re-zipped (other bytes, same sheets).
    const other = zipSync(unzipSync(new Uint8Array(readFileSync(TEMPLATE))), { level: 1 });
    const t = await r.call(r.d.admin, 'reports.importTemplate', { fileName: '另一份.xlsx', bytesBase64: b64(other) });
    expect(t.reused).toBeUndefined();
    expect(await r.call(r.d.admin, 'reports.deleteTemplate', { templateId: t.id })).toEqual({ outcome: 'deleted', message: '已刪除範本「另一份.xlsx」。' });
    expect(await r.db.selectFrom('report_templates').select('id').where('id', '=', t.id).execute()).toEqual([]);
    expect((await audit('report_template', t.id)).map((a) => a.action)).toEqual(['import', 'delete']);
    const env = await r.raw(r.d.w1, 'reports.deleteTemplate', { templateId });
    expect(env.ok ? null : env.error.code).toBe('FORBIDDEN');
  });
});
