/**
 * 身分證字號 and 居留證號 (resident certificate) validation.
 *
 * - 身分證字號:        letter + [12] + 8 digits
 * - new 居留證 (2021+): letter + [89] + 8 digits
 * - old 居留證:         letter + [A-D] + 8 digits
 *
 * Checksum: the first letter becomes a two-digit number (A=10 … see LETTER_CODES); then
 * tens×1 + units×9 + d2×8 + d3×7 + … + d9×1 + check×1 must be divisible by 10. In the old 居留證 the
 * second letter stands in for d2 as the units digit of its own number (A→0, B→1, C→2, D→3).
 *
 * Pure module: no Node or DOM imports.
 */

export type NationalIdKind = 'national' | 'resident-new' | 'resident-old';

export type NationalIdResult = { ok: true; id: string; kind: NationalIdKind } | { ok: false; message: string };

/** Second character of the ID: 1/2 national, 8/9 new 居留證, A–D old 居留證. */
export type NationalIdSecondChar = '1' | '2' | '8' | '9' | 'A' | 'B' | 'C' | 'D';

// Not alphabetical after H: I, O, W… were added later and got the higher numbers.
const LETTER_CODES: Readonly<Record<string, number>> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};

export const NATIONAL_ID_FORMAT_MESSAGE = '格式不符：身分證字號為1個英文字母加9個數字，如 A123456789';
const OLD_RESIDENT_FORMAT_MESSAGE = '格式不符：舊式居留證號為2個英文字母加8個數字，第2碼為A到D，如 AC01234567';
const SECOND_DIGIT_MESSAGE = '格式不符：第2碼須為1、2（身分證）或8、9（居留證）';
export const NATIONAL_ID_CHECKSUM_MESSAGE = '檢查碼錯誤，請再核對一次';

/** Trim, full-width → half-width, uppercase. `ａ１２３４５６７８９ ` → `A123456789`. */
export function normalizeNationalId(input: string): string {
  return input
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .trim()
    .toUpperCase();
}

function kindOf(secondChar: string): NationalIdKind | null {
  if (secondChar === '1' || secondChar === '2') return 'national';
  if (secondChar === '8' || secondChar === '9') return 'resident-new';
  if (secondChar >= 'A' && secondChar <= 'D') return 'resident-old';
  return null;
}

/** Weighted sum of the first nine characters (everything except the check digit). */
// Callers have already checked the shape, so every character is a known letter or a digit.
function weightedSum(first9: string): number {
  const code = LETTER_CODES[first9.charAt(0)] ?? 0;
  const second = first9.charAt(1);
  const d2 = second >= 'A' && second <= 'D' ? (LETTER_CODES[second] ?? 0) % 10 : Number(second);
  let sum = Math.floor(code / 10) + (code % 10) * 9 + d2 * 8;
  for (let i = 2; i < 9; i++) sum += Number(first9.charAt(i)) * (9 - i);
  return sum;
}

/** The check digit that completes a 9-character prefix (letter, second char, 7 digits). */
export function nationalIdCheckDigit(first9: string): number {
  const prefix = normalizeNationalId(first9);
  if (!/^[A-Z][1289A-D]\d{7}$/.test(prefix)) {
    throw new RangeError(`Not a national ID prefix (letter, [12 89 A-D], 7 digits): ${JSON.stringify(first9)}`);
  }
  return (10 - (weightedSum(prefix) % 10)) % 10;
}

export function validateNationalId(input: string): NationalIdResult {
  const id = normalizeNationalId(input);
  if (id === '') return { ok: false, message: '請輸入身分證字號' };

  if (/^[A-Z][A-Z]/.test(id)) {
    // Two letters: someone typing an old 居留證; tell them that format rather than the ID one.
    if (!/^[A-Z][A-D]\d{8}$/.test(id)) return { ok: false, message: OLD_RESIDENT_FORMAT_MESSAGE };
  } else if (!/^[A-Z]\d{9}$/.test(id)) {
    return { ok: false, message: NATIONAL_ID_FORMAT_MESSAGE };
  }

  const kind = kindOf(id.charAt(1));
  if (!kind) return { ok: false, message: SECOND_DIGIT_MESSAGE };
  if ((weightedSum(id) + Number(id.charAt(9))) % 10 !== 0) {
    return { ok: false, message: NATIONAL_ID_CHECKSUM_MESSAGE };
  }
  return { ok: true, id, kind };
}

export function isValidNationalId(input: string): boolean {
  return validateNationalId(input).ok;
}

/**
 * Builds a checksum-valid ID, e.g. for fictional demo data:
 * `makeNationalId('A', '1', '2345678')` → `A123456789`.
 */
export function makeNationalId(letter: string, secondChar: NationalIdSecondChar, sevenDigits: string): string {
  const prefix = `${letter}${secondChar}${sevenDigits}`.toUpperCase();
  return `${prefix}${nationalIdCheckDigit(prefix)}`;
}

/** `A123456789` → `A12****789`, the form lists show. */
export function maskNationalId(input: string | null | undefined): string {
  if (!input) return '';
  const id = normalizeNationalId(input);
  if (id.length >= 7) return `${id.slice(0, 3)}${'*'.repeat(id.length - 6)}${id.slice(-3)}`;
  // Too short to be a real ID; still never show it in full.
  return `${id.slice(0, 1)}${'*'.repeat(Math.max(id.length - 1, 0))}`;
}
