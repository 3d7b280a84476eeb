/**
 * 統一編號 (the 8-digit business / organisation number) and the tax ID a donor's receipt carries.
 *
 * 統一編號 checksum (財政部, since 2023 divisible by 5; numbers issued before stay valid, since
 * what is divisible by 10 is divisible by 5): each digit times 1,2,1,2,1,2,4,1, the two digits of
 * each product added, and the eight results summed. When the seventh digit is 7 its product 28
 * gives 10, whose digits may count as 1 or as 0: the number is valid if either sum passes.
 *
 * Pure module: no Node or DOM imports.
 */
import { normalizeNationalId, validateNationalId, maskNationalId } from './national-id';

export const UBN_FORMAT_MESSAGE = '格式不符：統一編號為8位數字，如 22099131';
export const UBN_CHECKSUM_MESSAGE = '統一編號檢查碼錯誤，請再核對一次';

const WEIGHTS = [1, 2, 1, 2, 1, 2, 4, 1] as const;

export type UbnResult = { ok: true; id: string } | { ok: false; message: string };

export function validateUbn(input: string): UbnResult {
  const id = normalizeNationalId(input);
  if (id === '') return { ok: false, message: '請輸入統一編號' };
  if (!/^\d{8}$/.test(id)) return { ok: false, message: UBN_FORMAT_MESSAGE };
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    if (i === 6 && id.charAt(i) === '7') continue; // 7 × 4 = 28 → 10: counted as 0 here, as 1 below
    const p = Number(id.charAt(i)) * (WEIGHTS[i] as number);
    sum += Math.floor(p / 10) + (p % 10);
  }
  const ok = sum % 5 === 0 || (id.charAt(6) === '7' && (sum + 1) % 5 === 0);
  return ok ? { ok: true, id } : { ok: false, message: UBN_CHECKSUM_MESSAGE };
}

/** Donors are people (身分證字號 or 居留證號) or organisations (統一編號). */
export type TaxIdHolder = 'person' | 'organisation';

/** The donor's tax ID checked for its kind; '' or only spaces means none. */
export function validateDonorTaxId(holder: TaxIdHolder, input: string): UbnResult | { ok: true; id: null } {
  if (normalizeNationalId(input) === '') return { ok: true, id: null };
  if (holder === 'organisation') return validateUbn(input);
  const r = validateNationalId(input);
  return r.ok ? { ok: true, id: r.id } : { ok: false, message: r.message };
}

/** What a receipt or a list shows: an organisation's 統一編號 in full, a person's ID masked (A12****789). */
export function displayTaxId(holder: TaxIdHolder, id: string | null | undefined): string {
  if (!id) return '';
  return holder === 'organisation' ? id : maskNationalId(id);
}
