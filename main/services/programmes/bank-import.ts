/**
 * Deposits imported from a bank's spreadsheet (issue 6 §4). The columns holding
 * the account number, the deposit date and the amount are mapped once (by header
 * text) and kept in child_import_mappings, so the next month's file imports with
 * the same mapping. SheetJS reads the file; only the first sheet is read.
 *
 * All or nothing: every row goes through the same rules as a deposit typed by
 * hand (recordDeposit) inside one transaction. Rows already recorded (same
 * account, date and amount) are skipped; any other problem refuses the whole
 * file, naming the rows, and nothing is written. A preview runs the same import
 * and rolls it back.
 */
import type { Kysely } from 'kysely';
import type * as XLSX from 'xlsx';
import type { Database } from '../../../db/schema';
import { inDeclaredSavepoint } from '../call-hooks';
import { ApiError } from '../../contract/envelope';
import { sheetJs } from '../../lib/sheet-libraries';
import { isIsoDate, parseRocDate } from '../../contract/roc-date';
import type { BankImportMapping, BankImportResult } from '../../contract/types-programmes';
import type { Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { recordDeposit } from './accounts';

const MAPPING_KEY = 'bank';
const MAX_ROWS = 5000;

interface Sheet {
  headers: string[];
  rows: { row: number; cells: unknown[] }[];
}

function readSheet(base64: string): Sheet {
  const buf = Buffer.from(base64, 'base64');
  if (buf.length === 0) throw new ApiError('RULE', '檔案是空的，請選擇銀行提供的 Excel 檔（.xlsx）。');
  if (buf.subarray(0, 2).toString('latin1') !== 'PK') throw new ApiError('RULE', '這不是 Excel 檔（.xlsx），請選擇銀行提供的存款明細檔。');
  let wb: XLSX.WorkBook;
  try {
    wb = sheetJs().read(buf, { type: 'buffer', cellDates: true, dense: true });
  } catch {
    throw new ApiError('RULE', '無法讀取這個 Excel 檔，檔案可能已損毀或有密碼保護。');
  }
  const name = wb.SheetNames[0];
  const ws = name ? wb.Sheets[name] : undefined;
  if (!ws) throw new ApiError('RULE', '這個 Excel 檔沒有工作表。');
  const all = sheetJs().utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: true, defval: null, blankrows: false });
  const headerIndex = all.findIndex((r) => Array.isArray(r) && r.some((c) => c !== null && String(c).trim() !== ''));
  if (headerIndex < 0) throw new ApiError('RULE', '這個 Excel 檔沒有資料。');
  const headers = (all[headerIndex] as unknown[]).map((c) => (c === null ? '' : String(c).trim()));
  const rows = all
    .slice(headerIndex + 1)
    .map((cells, i) => ({ row: headerIndex + i + 2, cells: cells as unknown[] }))
    .filter((r) => r.cells.some((c) => c !== null && String(c).trim() !== ''));
  if (rows.length === 0) throw new ApiError('RULE', '這個 Excel 檔只有標題列，沒有存款資料。');
  if (rows.length > MAX_ROWS) throw new ApiError('RULE', `一次最多匯入 ${MAX_ROWS} 筆，請分檔匯入。`);
  return { headers, rows };
}

export async function savedMapping(db: Kysely<Database>): Promise<BankImportMapping | null> {
  const row = await db.selectFrom('child_import_mappings').select('mapping').where('name', '=', MAPPING_KEY).executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.mapping) as BankImportMapping;
  } catch {
    return null;
  }
}

function dateOf(v: unknown): string | null {
  if (v instanceof Date && !Number.isNaN(v.getTime())) {
    // SheetJS gives dates at local midnight; read the calendar date back the same way.
    const y = v.getFullYear();
    const m = v.getMonth() + 1;
    const d = v.getDate();
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  if (typeof v === 'string') {
    const s = v.trim().replace(/\//g, '-');
    if (isIsoDate(s)) return s;
    const r = parseRocDate(v.trim());
    return r.ok ? r.iso : null;
  }
  return null;
}

function amountOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const n = Number(v.replace(/[,\s元NT$]/g, ''));
    return Number.isFinite(n) && v.trim() !== '' ? n : null;
  }
  return null;
}

/** Imports (or, with dryRun, checks) a bank file. Throws RULE with the rows' problems; writes nothing then. */
export async function importBankFile(
  db: Kysely<Database>,
  scope: Scope,
  actor: Actor,
  input: { fileBase64: string; mapping?: BankImportMapping | undefined; dryRun: boolean },
  now: Date,
): Promise<BankImportResult> {
  const sheet = readSheet(input.fileBase64);
  const mapping = input.mapping ?? (await savedMapping(db));
  const base = { headers: sheet.headers, mapping, rows: sheet.rows.length, imported: 0, skipped: 0, problems: [] as { row: number; message: string }[] };
  if (!mapping) {
    if (input.dryRun) return base;
    throw new ApiError('RULE', '請先對應帳號、存款日期與金額欄位。');
  }
  const col = (h: string, label: string) => {
    const i = sheet.headers.indexOf(h);
    if (i < 0) throw new ApiError('RULE', `檔案中找不到「${h}」欄（${label}）。銀行檔案的欄位可能已變更，請重新對應欄位。`, { details: { headers: sheet.headers } });
    return i;
  };
  const iAcc = col(mapping.accountNo, '帳號');
  const iDate = col(mapping.date, '存款日期');
  const iAmount = col(mapping.amount, '金額');
  const ROLLBACK = new Error('dry run');
  let result: BankImportResult = base;
  try {
    await inDeclaredSavepoint(db, async (trx) => {
      const problems: { row: number; message: string }[] = [];
      let imported = 0;
      let skipped = 0;
      const accounts = new Map((await trx.selectFrom('child_accounts').select(['id', 'account_no']).where('account_no', 'is not', null).execute()).map((a) => [String(a.account_no).trim(), a.id]));
      for (const r of sheet.rows) {
        const accNo = r.cells[iAcc] === null || r.cells[iAcc] === undefined ? '' : String(r.cells[iAcc]).trim();
        const date = dateOf(r.cells[iDate]);
        const amount = amountOf(r.cells[iAmount]);
        const accountId = accounts.get(accNo);
        if (!accNo || accountId === undefined) {
          problems.push({ row: r.row, message: accNo ? `找不到帳號 ${accNo} 的兒少帳戶` : '帳號空白' });
          continue;
        }
        if (!date) {
          problems.push({ row: r.row, message: '存款日期無法辨識' });
          continue;
        }
        if (amount === null || !Number.isInteger(amount)) {
          problems.push({ row: r.row, message: '金額無法辨識' });
          continue;
        }
        const same = await trx.selectFrom('child_deposits').select('id').where('account_id', '=', accountId).where('deposited_on', '=', date).where('amount', '=', amount).executeTakeFirst();
        if (same) {
          skipped++;
          continue;
        }
        try {
          await recordDeposit(trx, scope, actor, { accountId, depositedOn: date, amount }, now, 'import');
          imported++;
        } catch (e) {
          if (e instanceof ApiError) problems.push({ row: r.row, message: e.message.replace(/。$/, '') });
          else throw e;
        }
      }
      result = { ...base, imported, skipped, problems };
      if (problems.length > 0) {
        if (input.dryRun) throw ROLLBACK;
        const list = problems
          .slice(0, 5)
          .map((p) => `第 ${p.row} 列：${p.message}`)
          .join('；');
        throw new ApiError('RULE', `匯入失敗，沒有寫入任何資料。${list}${problems.length > 5 ? `；另有 ${problems.length - 5} 列有問題` : ''}。`, { details: { problems } });
      }
      if (!input.dryRun) {
        await trx
          .insertInto('child_import_mappings')
          .values({ name: MAPPING_KEY, mapping: JSON.stringify(mapping), updated_at: now.toISOString(), updated_by: actor.userId })
          .onConflict((oc) => oc.column('name').doUpdateSet({ mapping: JSON.stringify(mapping), updated_at: now.toISOString(), updated_by: actor.userId }))
          .execute();
        await appendAudit(trx, { actor, action: 'import', entity: 'child_deposit', detail: { rows: sheet.rows.length, imported, skipped } }, now);
      } else {
        throw ROLLBACK;
      }
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return result;
}
