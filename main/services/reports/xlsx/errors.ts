/**
 * Typed errors for the quarterly-template module.
 *
 * `TemplateFileError` means "this file cannot be used as a template" (wrong format, damaged, encrypted,
 * too large, ...). `TemplateFillError` means "the file is fine but this request does not fit it"
 * (unknown sheet, a formula cell, a bad value, ...). Both carry a stable `code` for the UI and a zh-TW
 * `message` that tells the user what to do.
 */

export type TemplateFileErrorCode =
  | 'empty-file'
  | 'not-xlsx'
  | 'legacy-xls'
  | 'encrypted'
  | 'unsupported-format'
  | 'corrupt-ole'
  | 'corrupt-zip'
  | 'corrupt-xml'
  | 'missing-workbook'
  | 'no-sheets'
  | 'too-large'
  | 'zip-bomb'
  | 'too-many-cells'
  | 'absurd-dimension'
  | 'unreadable';

export interface TemplateFileErrorDetails {
  /** The zip part concerned, if any (e.g. `xl/worksheets/sheet1.xml`). */
  part?: string;
  /** The sheet concerned, if any. */
  sheet?: string;
  /** Short technical reason in English, for logs (never shown as the main message). */
  reason?: string;
}

export class TemplateFileError extends Error {
  readonly code: TemplateFileErrorCode;
  readonly details: TemplateFileErrorDetails;

  constructor(code: TemplateFileErrorCode, message: string, details: TemplateFileErrorDetails = {}) {
    super(message);
    this.name = 'TemplateFileError';
    this.code = code;
    this.details = details;
  }
}

export type TemplateFillErrorCode =
  | 'sheet-not-found'
  | 'not-a-worksheet'
  | 'invalid-cell'
  | 'formula-cell'
  | 'merged-cell'
  | 'invalid-value'
  | 'duplicate-fill';

export class TemplateFillError extends Error {
  readonly code: TemplateFillErrorCode;
  readonly sheet: string | null;
  readonly cell: string | null;

  constructor(code: TemplateFillErrorCode, message: string, sheet: string | null = null, cell: string | null = null) {
    super(message);
    this.name = 'TemplateFillError';
    this.code = code;
    this.sheet = sheet;
    this.cell = cell;
  }
}

const RESAVE = '請用 Excel 開啟後，選「另存新檔」→「Excel 活頁簿 (*.xlsx)」，再匯入另存的檔案。';

function mib(n: number): string {
  return `${Math.round((n / 1048576) * 10) / 10} MB`;
}

/** Factory functions, so every message is written once. */
export const fileErrors = {
  empty(): TemplateFileError {
    return new TemplateFileError('empty-file', '檔案是空的（0 位元組），可能下載或複製不完整。請重新取得報表範本檔案後再匯入。');
  },
  notXlsx(kind: 'csv' | 'pdf' | 'html' | 'xml2003' | 'text' | 'unknown'): TemplateFileError {
    const what: Record<typeof kind, string> = {
      csv: '這個檔案看起來是 CSV 或純文字檔，不是 Excel 活頁簿（.xlsx），沒有格式與儲存格位置可對應。',
      pdf: '這個檔案是 PDF，不是 Excel 活頁簿（.xlsx）。請向寄件單位索取 Excel 格式的報表範本。',
      html: '這個檔案是網頁（HTML）格式，只是副檔名像 Excel，不是真正的 Excel 活頁簿（.xlsx）。',
      xml2003: '這個檔案是舊版「XML 試算表 2003」格式，不是 Excel 活頁簿（.xlsx）。',
      text: '這個檔案是純文字檔，不是 Excel 活頁簿（.xlsx）。',
      unknown: '無法辨識這個檔案的格式，它不是 Excel 活頁簿（.xlsx）。',
    };
    const tail = kind === 'pdf' ? '' : RESAVE;
    return new TemplateFileError('not-xlsx', what[kind] + tail, { reason: `sniffed as ${kind}` });
  },
  legacyXls(reason: string): TemplateFileError {
    return new TemplateFileError(
      'legacy-xls',
      `這是舊版 Excel 97-2003 活頁簿（.xls），系統只能讀取 .xlsx 格式。${RESAVE}`,
      { reason },
    );
  },
  encrypted(reason: string): TemplateFileError {
    return new TemplateFileError(
      'encrypted',
      '這個活頁簿設有開啟密碼（已加密），系統無法讀取。請用 Excel 輸入密碼開啟，到「檔案」→「資訊」→「保護活頁簿」→「以密碼加密」把密碼清空並存檔，再匯入沒有密碼的檔案。',
      { reason },
    );
  },
  unsupported(kind: 'xlsb' | 'ods' | 'docx' | 'pptx' | 'zip'): TemplateFileError {
    const what: Record<typeof kind, string> = {
      xlsb: '這是 Excel 二進位活頁簿（.xlsb），系統只能讀取 .xlsx 格式。',
      ods: '這是 OpenDocument 試算表（.ods），系統只能讀取 .xlsx 格式。',
      docx: '這是 Word 文件，不是 Excel 活頁簿（.xlsx）。請確認選到的是報表範本。',
      pptx: '這是 PowerPoint 簡報，不是 Excel 活頁簿（.xlsx）。請確認選到的是報表範本。',
      zip: '這是一般壓縮檔（.zip），不是 Excel 活頁簿（.xlsx）。若範本放在壓縮檔裡，請先解壓縮再匯入其中的 .xlsx。',
    };
    const code = kind === 'zip' ? 'missing-workbook' : 'unsupported-format';
    const tail = kind === 'xlsb' || kind === 'ods' ? RESAVE : '';
    return new TemplateFileError(code, what[kind] + tail, { reason: `zip holds ${kind}` });
  },
  corruptOle(reason: string): TemplateFileError {
    return new TemplateFileError(
      'corrupt-ole',
      '檔案已損毀：它看起來是舊版 Excel（.xls）或加密活頁簿的容器格式，但內部結構無法讀取。請向寄件單位重新索取檔案；若 Excel 仍能開啟，請另存為「Excel 活頁簿 (*.xlsx)」後再匯入。',
      { reason },
    );
  },
  corruptZip(reason: string, part?: string): TemplateFileError {
    return new TemplateFileError(
      'corrupt-zip',
      '檔案已損毀或不完整（壓縮內容無法正確讀取），可能是下載或複製時中斷。請重新下載或向寄件單位重新索取檔案；若 Excel 能開啟，也可以另存一份新的 .xlsx 再匯入。',
      part === undefined ? { reason } : { reason, part },
    );
  },
  corruptXml(part: string, reason: string): TemplateFileError {
    return new TemplateFileError(
      'corrupt-xml',
      `檔案內容有錯誤（${part} 不是正確的格式），可能已損毀或由不相容的程式產生。${RESAVE}`,
      { part, reason },
    );
  },
  missingWorkbook(reason: string): TemplateFileError {
    return new TemplateFileError(
      'missing-workbook',
      '這個檔案雖然是壓縮格式，但裡面找不到 Excel 活頁簿的內容（xl/workbook.xml），不是有效的 .xlsx。請確認選到的是報表範本，或用 Excel 開啟後另存為 .xlsx 再匯入。',
      { reason },
    );
  },
  noSheets(): TemplateFileError {
    return new TemplateFileError('no-sheets', '這個活頁簿沒有任何工作表，無法作為報表範本。請確認檔案內容是否正確。');
  },
  tooLarge(what: 'file' | 'total' | 'part' | 'entries', size: number, limit: number, part?: string): TemplateFileError {
    const desc: Record<typeof what, string> = {
      file: `檔案太大（${mib(size)}），超過上限 ${mib(limit)}。`,
      total: `檔案解壓縮後的內容太大（${mib(size)}），超過上限 ${mib(limit)}。`,
      part: `檔案中的「${part ?? ''}」解壓縮後太大（${mib(size)}），超過上限 ${mib(limit)}。`,
      entries: `檔案內含的項目太多（${size} 個，上限 ${limit} 個）。`,
    };
    return new TemplateFileError(
      'too-large',
      `${desc[what]}報表範本通常只有幾百 KB，請確認選到的檔案正確；若範本含有大量圖片或資料，請刪除不需要的內容後另存再匯入。`,
      part === undefined ? { reason: `${what} ${size} > ${limit}` } : { reason: `${what} ${size} > ${limit}`, part },
    );
  },
  zipBomb(part: string, reason: string): TemplateFileError {
    return new TemplateFileError(
      'zip-bomb',
      `檔案中的「${part}」壓縮比例異常或宣告的大小不合理，可能是惡意或損毀的檔案，系統已拒絕開啟。請向寄件單位重新索取報表範本。`,
      { part, reason },
    );
  },
  tooManyCells(sheet: string, limit: number): TemplateFileError {
    return new TemplateFileError(
      'too-many-cells',
      `工作表「${sheet}」的儲存格太多（超過 ${limit.toLocaleString('en-US')} 格），不像是報表範本。請確認選到的檔案正確，或刪除多餘的列與欄後另存再匯入。`,
      { sheet, reason: `cells > ${limit}` },
    );
  },
  unreadable(reason: string): TemplateFileError {
    return new TemplateFileError(
      'unreadable',
      `系統無法讀取這個檔案的內容，可能已損毀或含有不支援的內容。${RESAVE}若仍無法匯入，請將檔案提供給系統管理者。`,
      { reason },
    );
  },
  absurdDimension(sheet: string, ref: string): TemplateFileError {
    return new TemplateFileError(
      'absurd-dimension',
      `工作表「${sheet}」的範圍（${ref}）超出 Excel 的列數或欄數上限，檔案可能已損毀。${RESAVE}`,
      { sheet, reason: `bad ref ${ref}` },
    );
  },
};
