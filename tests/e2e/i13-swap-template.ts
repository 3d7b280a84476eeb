/**
 * For tests/e2e/i13-manage.spec.ts: replaces a stored template's file in a data folder (as if the
 * central template under a definition had been swapped for a new year's, whose sheet was renamed), so
 * the screen's 產製 meets a template that no longer matches the definition's mapping.
 * `tsx tests/e2e/i13-swap-template.ts <dataDir> <templateId> <file.xlsx>`
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openDataFolder } from '../../main/api/data-folder';

const [dataDir, id, file] = process.argv.slice(2) as [string, string, string];
const bytes = readFileSync(file);
const { handle } = await openDataFolder({ dataDir, onSlowQuery: () => undefined });
try {
  await handle.db
    .updateTable('report_templates')
    .set({ bytes, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') })
    .where('id', '=', Number(id))
    .execute();
} finally {
  await handle.close();
}
