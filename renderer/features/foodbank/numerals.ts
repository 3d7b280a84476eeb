/** Amounts in Chinese capital numerals (大寫數字) as receipts write them: 12345 → 壹萬貳仟參佰肆拾伍. Pure. */
const DIGITS = ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'] as const;
const UNITS = ['', '拾', '佰', '仟'] as const;
const SECTIONS = ['', '萬', '億', '兆'] as const;

/** One group of four digits (0 < n < 10000), with 零 where a zero sits between digits. */
function section(n: number): string {
  let out = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const d = Math.floor(n / 10 ** i) % 10;
    if (d === 0) {
      if (out !== '') zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += `${DIGITS[d] as string}${UNITS[i] as string}`;
  }
  return out;
}

/** A non-negative whole number (below 10^16) in capital numerals; 0 → 零. */
export function toChineseCapital(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e16) throw new RangeError(`Not a whole amount: ${n}`);
  if (n === 0) return DIGITS[0];
  let out = '';
  let needZero = false;
  for (let s = SECTIONS.length - 1; s >= 0; s--) {
    const part = Math.floor(n / 10_000 ** s) % 10_000;
    if (part === 0) {
      if (out !== '') needZero = true;
      continue;
    }
    // A zero between sections, or a section below 1000 after a higher one: 壹萬零伍佰.
    if (out !== '' && (needZero || part < 1000)) out += '零';
    needZero = false;
    out += section(part) + SECTIONS[s];
  }
  return out;
}

/** 新臺幣壹萬貳仟參佰肆拾伍元整 for a receipt; the amount rounded to the whole 元. */
export function ntdInWords(amount: number): string {
  return `新臺幣${toChineseCapital(Math.round(amount))}元整`;
}
