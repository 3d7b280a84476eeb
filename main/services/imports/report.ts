/**
 * The result report of a batch: one xlsx row per data row of the file (列, 狀態, 說明, 結果), with the batch's
 * number, source and ROC dates above. Its file name carries the batch number (「匯入結果-匯入-115-0007.xlsx」).
 */
import type { Kysely } from 'kysely';
import type { ImportResultFile } from '../../contract/methods/imports';
import { formatRocDateTime } from '../../contract/roc-date';
import { sheetJs } from '../../lib/sheet-libraries';
import type { Database } from '../../../db/schema';
import { auditOutsideCall } from '../call-hooks';
import type { Actor } from '../context';
import { batchView, loadBatch, rowView, userNames } from './batches';

export async function resultReport(db: Kysely<Database>, actor: Actor, batchId: number, now: Date): Promise<ImportResultFile> {
  const { batch } = await loadBatch(db, batchId, actor);
  const view = batchView(batch, await userNames(db, [batch.created_by, batch.committed_by, batch.undone_by]), null);
  const mapping = JSON.parse(batch.mapping) as Record<string, string>;
  const aoa: (string | number)[][] = [
    [`匯入結果\u3000${view.batchNo}\u3000${view.kindLabel}`],
    ['來源', view.source, '檔案', view.fileName],
    ['試匯入', `${view.createdAt}\u3000${view.createdBy}`, '狀態', view.stateLabel],
    ['匯入', view.committedAt ? `${view.committedAt}\u3000${view.committedBy ?? ''}` : '尚未匯入', '報表產生', formatRocDateTime(now.toISOString())],
    [],
    ['列', '狀態', '說明', '結果'],
  ];
  let rows = 0;
  for (let after = 0; ; ) {
    const chunk = await db.selectFrom('import_rows').selectAll().where('batch_id', '=', batch.id).where('line', '>', after).orderBy('line').limit(2000).execute();
    if (chunk.length === 0) break;
    for (const r of chunk) {
      const v = rowView(r, mapping);
      const notes = [
        v.summary,
        ...v.problems,
        ...v.flags,
        ...v.changes.map((c) => `${c.field}：${c.from || '（空白）'} → ${c.to || '（空白）'}`),
        v.ofLine !== null ? `與第 ${v.ofLine} 列重複` : '',
        v.reason ?? '',
        v.question && v.decision ? `${v.question}：${v.options.find((o) => o.value === v.decision)?.label ?? v.decision}` : '',
      ].filter((s) => s !== '');
      const result = v.outcome ?? (v.excluded ? '已排除' : batch.state === 'dryrun' ? '尚未匯入' : '未寫入');
      aoa.push([v.line, v.excluded ? `${v.statusLabel}（已排除）` : v.statusLabel, notes.join('\n'), result]);
      rows++;
    }
    after = (chunk[chunk.length - 1] as { line: number }).line;
  }
  const XLSX = sheetJs();
  const sheet = XLSX.utils.aoa_to_sheet(aoa);
  sheet['!cols'] = [{ wch: 6 }, { wch: 14 }, { wch: 60 }, { wch: 40 }];
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '匯入結果');
  const dataBase64 = XLSX.write(book, { type: 'base64', bookType: 'xlsx', compression: true }) as string;
  await auditOutsideCall(db, { actor, action: 'export', entity: 'import_batch', entityId: batch.batch_no, detail: { report: 'result', rows } }, now);
  return { fileName: `匯入結果-${batch.batch_no}.xlsx`, dataBase64 };
}
