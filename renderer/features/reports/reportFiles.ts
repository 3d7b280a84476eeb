import { quarterOf, rocMonthLabel, rocQuarterLabel, todayIso } from '../../../main/contract/roc-date';

/** Reads a File as base64 (without the data: prefix). */
export function readFileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const s = String(reader.result ?? '');
      resolve(s.slice(s.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

export function readFileText(file: File): Promise<string> {
  return file.text();
}

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Offers a file for download through a blob: URL and <a download>. */
export function downloadBlob(fileName: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function downloadBase64(fileName: string, b64: string, mime = XLSX_MIME): void {
  downloadBlob(fileName, new Blob([base64ToBytes(b64)], { type: mime }));
}

/** The last `count` quarters up to the current one, newest first: value `115Q1`, label `115年第1季`. */
export function quarterOptions(count = 8): { value: string; label: string }[] {
  const cur = quarterOf(todayIso());
  let y = cur.gregorianYear;
  let q: number = cur.quarter;
  const out: { value: string; label: string }[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ value: `${y - 1911}Q${q}`, label: rocQuarterLabel(y, q) });
    q -= 1;
    if (q === 0) {
      q = 4;
      y -= 1;
    }
  }
  return out;
}

/** The last `count` months, newest first: value `2026-03`, label `115年3月`. */
export function monthOptions(count = 18): { value: string; label: string }[] {
  const today = todayIso();
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7));
  const out: { value: string; label: string }[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ value: `${y}-${String(m).padStart(2, '0')}`, label: rocMonthLabel(y, m) });
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A download's name with its period in 民國 as the screen shows it, e.g. `季報-115年第1季.xlsx`; characters
 * Windows does not allow in a file name become ＿.
 */
export function reportFileName(kind: string, periodLabel: string, ext: string): string {
  return `${kind}-${periodLabel}.${ext}`.replace(/[\\/:*?"<>|]/g, '＿');
}
