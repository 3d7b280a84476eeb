/** Small pieces the report services share. */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { TemplateFileError, TemplateFillError } from './xlsx';

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Strict base64 (whitespace allowed): Buffer.from would silently skip anything else. */
export function decodeBase64(text: string, field: string): Uint8Array {
  const s = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) {
    throw new ApiError('VALIDATION', '檔案內容不是有效的 base64 編碼，請重新選擇檔案。', { fields: { [field]: '不是有效的 base64' } });
  }
  return new Uint8Array(Buffer.from(s, 'base64'));
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** SQLite hands blobs back as Buffer; the template engine takes any Uint8Array. */
export function blob(b: Uint8Array): Uint8Array {
  return b instanceof Uint8Array ? b : new Uint8Array(b as ArrayLike<number>);
}

/** Template engine refusals as API errors: a file that cannot be used, or a request that does not fit it. */
export function templateError(e: unknown, field = 'bytesBase64'): never {
  if (e instanceof TemplateFileError) throw new ApiError('VALIDATION', e.message, { fields: { [field]: e.message }, details: { code: e.code } });
  if (e instanceof TemplateFillError) {
    throw new ApiError('VALIDATION', e.message, { details: { code: e.code, sheet: e.sheet, cell: e.cell } });
  }
  throw e;
}

export async function userNames(db: Kysely<Database>, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const list = [...new Set(ids.filter((x): x is number => x !== null))];
  if (list.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', list).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export function nameOf(map: Map<number, string>, id: number | null): string {
  return id === null ? '(系統)' : (map.get(id) ?? `#${id}`);
}

/** A file name without characters Windows refuses. */
export function safeFileName(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  return s.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 120);
}
