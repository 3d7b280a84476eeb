import { z } from 'zod';
import { ROLES } from './roles';
import { normalizeInput } from './text';

/** Reusable field schemas with zh-TW messages. */
export const idSchema = z.number({ error: '編號必須是數字' }).int('編號必須是整數').positive('編號必須大於 0');
export const versionSchema = z.number().int().nonnegative();

/**
 * What a search box sends (issue 9 §6): normalised here, once, for every search method: NFKC
 * (full-width → half-width), zero-width and control characters removed, spaces folded and trimmed.
 */
export function searchTextSchema(max: number) {
  return z.string().max(max, `搜尋文字最多 ${max} 個字`).transform(normalizeInput);
}

export const usernameSchema = z
  .string({ error: '請輸入帳號' })
  .trim()
  .min(3, '帳號至少 3 個字元')
  .max(32, '帳號最多 32 個字元')
  .regex(/^[A-Za-z0-9._-]+$/, '帳號只能使用英文字母、數字、點、底線或連字號');

export const displayNameSchema = z.string({ error: '請輸入姓名' }).trim().min(1, '請輸入姓名').max(40, '姓名最多 40 個字');

export const passwordSchema = z
  .string({ error: '請輸入密碼' })
  .min(8, '密碼至少需 8 個字元')
  .max(128, '密碼最多 128 個字元')
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), '密碼需同時包含英文字母與數字');

/** Sign-in takes any string: the password rules apply when one is set, not when one is tried. */
export const anyPasswordSchema = z.string({ error: '請輸入密碼' }).min(1, '請輸入密碼').max(128, '密碼最多 128 個字元');

export const roleSchema = z.enum(ROLES, { error: '角色不正確' });

export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式應為 YYYY-MM-DD');
