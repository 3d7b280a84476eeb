/**
 * Best-effort display text for numeric cells: General, fixed decimals, thousands separators,
 * percentages, scientific, literal prefixes/suffixes, and dates/times (shown as ISO text). This is for
 * drawing a readable grid on the import screen, not a full Excel number-format engine.
 */

const BUILTIN_FORMATS: Readonly<Record<number, string>> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  5: '#,##0;-#,##0',
  6: '#,##0;-#,##0',
  7: '#,##0.00;-#,##0.00',
  8: '#,##0.00;-#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'yyyy-mm-dd',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'yyyy-mm-dd h:mm',
  37: '#,##0;(#,##0)',
  38: '#,##0;(#,##0)',
  39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;(#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mm:ss.0',
  48: '##0.0E+0',
  49: '@',
};

/** Built-in ids that are dates/times in every locale (27-36 and 50-58 are CJK date formats). */
function isBuiltinDateId(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58) || (id >= 71 && id <= 81);
}

export function builtinFormat(id: number): string {
  if (BUILTIN_FORMATS[id] !== undefined) return BUILTIN_FORMATS[id] as string;
  if (isBuiltinDateId(id)) return 'yyyy-mm-dd';
  return 'General';
}

/** Removes quoted literals, escapes and bracketed parts (except elapsed-time [h]/[m]/[s]). */
function stripLiterals(code: string): string {
  let out = '';
  for (let i = 0; i < code.length; i++) {
    const c = code[i] as string;
    if (c === '"') {
      const j = code.indexOf('"', i + 1);
      i = j < 0 ? code.length : j;
    } else if (c === '\\' || c === '_' || c === '*') {
      i++;
    } else if (c === '[') {
      const j = code.indexOf(']', i + 1);
      const inner = j < 0 ? '' : code.slice(i + 1, j).toLowerCase();
      if (/^(h+|m+|s+)$/.test(inner)) out += inner;
      i = j < 0 ? code.length : j;
    } else {
      out += c;
    }
  }
  return out;
}

export function isDateFormat(id: number, code: string): boolean {
  if (isBuiltinDateId(id)) return true;
  if (code === 'General' || code === '@') return false;
  const first = splitSections(code)[0] ?? '';
  const s = stripLiterals(first).toLowerCase();
  return /[ydhs]/.test(s) || (/m/.test(s) && !/[0#?]/.test(s));
}

function splitSections(code: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i] as string;
    if (c === '"') inQuote = !inQuote;
    if (!inQuote && c === '\\') {
      cur += c + (code[i + 1] ?? '');
      i++;
      continue;
    }
    if (!inQuote && c === ';') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function formatGeneral(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e11 || abs < 1e-9)) {
    return v.toExponential(5).replace(/\.?0+e/, 'e').replace('e', 'E');
  }
  // 10 significant digits, like a default-width Excel column, without float noise.
  return String(Number(v.toPrecision(10)));
}

function groupThousands(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Formats a number with a (non-date) format code, best effort. */
export function formatNumber(v: number, code: string): string {
  if (!Number.isFinite(v)) return String(v);
  if (code === 'General' || code === '' || code === '@') return formatGeneral(v);
  const sections = splitSections(code);
  let section = sections[0] ?? 'General';
  let value = v;
  if (v < 0 && sections.length > 1 && (sections[1] ?? '') !== '') {
    section = sections[1] as string;
    value = -v;
  } else if (v === 0 && sections.length > 2 && (sections[2] ?? '') !== '') {
    section = sections[2] as string;
  }
  // Split the section into literal text and the numeric pattern.
  let prefix = '';
  let suffix = '';
  let pattern = '';
  let seenPattern = false;
  for (let i = 0; i < section.length; i++) {
    const c = section[i] as string;
    let lit = '';
    if (c === '"') {
      const j = section.indexOf('"', i + 1);
      lit = section.slice(i + 1, j < 0 ? section.length : j);
      i = j < 0 ? section.length : j;
    } else if (c === '\\') {
      lit = section[i + 1] ?? '';
      i++;
    } else if (c === '_') {
      lit = ' ';
      i++;
    } else if (c === '*') {
      i++;
    } else if (c === '[') {
      const j = section.indexOf(']', i + 1);
      i = j < 0 ? section.length : j;
    } else if (c === '%') {
      pattern += c;
      lit = '%';
    } else if ('0#?.,/Ee+-'.includes(c) && (c !== 'E' && c !== 'e' && c !== '+' && c !== '-' && c !== '/' ? true : seenPattern)) {
      pattern += c;
      seenPattern = true;
      continue;
    } else if (c === '@') {
      lit = formatGeneral(v);
    } else if (c === 'G' && section.slice(i, i + 7).toLowerCase() === 'general') {
      pattern += '#';
      seenPattern = true;
      i += 6;
      continue;
    } else {
      lit = c;
    }
    if (seenPattern) suffix += lit;
    else prefix += lit;
  }
  if (!/[0#?]/.test(pattern)) return prefix + suffix === '' ? formatGeneral(value) : prefix + suffix;
  if (pattern.includes('/')) return formatGeneral(v); // fractions: not worth emulating here
  const percent = (pattern.match(/%/g) ?? []).length;
  let x = value * Math.pow(100, percent);
  const expIdx = pattern.search(/[Ee][+-]/);
  if (expIdx >= 0) {
    const mant = pattern.slice(0, expIdx);
    const dot = mant.indexOf('.');
    const decimals = dot < 0 ? 0 : (mant.slice(dot + 1).match(/[0#?]/g) ?? []).length;
    const [m, e] = x.toExponential(decimals).split('e');
    const ev = Number(e);
    const digits = (pattern.slice(expIdx + 2).match(/0/g) ?? []).length || 1;
    const sign = ev < 0 ? '-' : '+';
    return prefix + (m ?? '') + 'E' + sign + String(Math.abs(ev)).padStart(digits, '0') + suffix;
  }
  const dot = pattern.indexOf('.');
  const intPat = dot < 0 ? pattern : pattern.slice(0, dot);
  const fracPat = dot < 0 ? '' : pattern.slice(dot + 1);
  // Trailing commas scale by 1000 each.
  const trailingCommas = (intPat.match(/,+$/)?.[0] ?? '').length;
  if (trailingCommas) x /= Math.pow(1000, trailingCommas);
  const thousands = /[0#?],[0#?]/.test(intPat);
  const minFrac = (fracPat.match(/0/g) ?? []).length;
  const maxFrac = (fracPat.match(/[0#?]/g) ?? []).length;
  const minInt = (intPat.match(/0/g) ?? []).length;
  const neg = x < 0;
  let s = Math.abs(x).toFixed(maxFrac);
  let [ip, fp] = s.split('.') as [string, string | undefined];
  if (fp !== undefined) {
    let cut = fp.length;
    while (cut > minFrac && fp[cut - 1] === '0') cut--;
    fp = fp.slice(0, cut);
  }
  if (ip === '0' && minInt === 0) ip = '';
  if (ip.length < minInt) ip = ip.padStart(minInt, '0');
  if (thousands) ip = groupThousands(ip);
  s = ip + (fp ? '.' + fp : dot >= 0 && maxFrac === 0 ? '.' : '');
  if (s === '') s = '0';
  return prefix + (neg && s !== '0' ? '-' : '') + s + suffix;
}

/** Converts an Excel serial date to an ISO-like string. */
export function formatExcelDate(serial: number, date1904: boolean, code: string): string {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2958466) return formatGeneral(serial);
  let days = Math.floor(serial);
  const frac = serial - days;
  let ms: number;
  if (date1904) {
    ms = Date.UTC(1904, 0, 1) + days * 86400000;
  } else {
    // 1900 system with Lotus' phantom 1900-02-29 (serial 60).
    if (days >= 60) days -= 1;
    ms = Date.UTC(1899, 11, 31) + days * 86400000;
  }
  let secs = Math.round(frac * 86400);
  if (secs >= 86400) {
    secs -= 86400;
    ms += 86400000;
  }
  const d = new Date(ms);
  const date = `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  const hh = String(Math.floor(secs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((secs % 3600) / 60)).padStart(2, '0');
  const ss = String(secs % 60).padStart(2, '0');
  const s = stripLiterals(splitSections(code)[0] ?? '').toLowerCase();
  const hasDate = /[yd]/.test(s) || (/m/.test(s) && !/[hs]/.test(s));
  const hasTime = /[hs]/.test(s);
  if (hasTime && !hasDate && serial < 1) return /s/.test(s) ? `${hh}:${mm}:${ss}` : `${hh}:${mm}`;
  if (hasTime && hasDate) return `${date} ${hh}:${mm}${/s/.test(s) ? ':' + ss : ''}`;
  if (hasTime) return `${date} ${hh}:${mm}`;
  return date;
}
