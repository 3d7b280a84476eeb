/**
 * Every spreadsheet of the shared corpus (other people's files, some broken or
 * encrypted) through reports.importTemplate: each either imports as a template
 * or is refused with a zh-TW VALIDATION message; none crashes the call, and a
 * refusal writes nothing.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReportsApp, type ReportsApp } from './reports-fixture';

const DIR = fileURLToPath(new URL('../../../shared/corpus/spreadsheets/', import.meta.url));
const files = readdirSync(DIR).sort();

let r: ReportsApp;
beforeAll(async () => {
  r = await createReportsApp();
});
afterAll(async () => {
  await r?.close();
});

describe('the corpus through the API', () => {
  it.each(files)('%s imports or is refused with a message', async (name) => {
    const bytes = readFileSync(`${DIR}${name}`);
    const before = (await r.db.selectFrom('report_templates').select('id').execute()).length;
    const started = Date.now();
    const env = await r.raw(r.d.admin, 'reports.importTemplate', { fileName: name, bytesBase64: bytes.toString('base64') });
    expect(Date.now() - started).toBeLessThan(15_000);
    if (env.ok) {
      const v = env.value as { sheets: unknown[]; sha256: string };
      expect(v.sheets.length).toBeGreaterThan(0);
      expect(v.sha256).toMatch(/^[0-9a-f]{64}$/);
    } else {
      expect(env.error.code).toBe('VALIDATION');
      expect(env.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect((await r.db.selectFrom('report_templates').select('id').execute()).length).toBe(before);
    }
    if (name.endsWith('.xls') || name.endsWith('.csv')) expect(env.ok).toBe(false);
  });
});
