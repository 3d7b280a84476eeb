/**
 * Reads just enough of styles.xml (and the theme's colour scheme) to draw a readable grid:
 * bold/italic, font size and colour, fill colour, alignment, wrap, border presence, number format.
 */
import { builtinFormat, isDateFormat } from './format';
import { TOK_CLOSE, TOK_END, TOK_OPEN, XmlScanner } from './xml';

export interface BorderHint {
  top: boolean;
  right: boolean;
  bottom: boolean;
  left: boolean;
}

export interface StyleHint {
  bold: boolean;
  italic: boolean;
  /** Font size in points, when known. */
  fontSize: number | null;
  /** `#RRGGBB`, when known and set. */
  fontColor: string | null;
  /** `#RRGGBB` background of a patterned/solid fill, when known. */
  fillColor: string | null;
  horizontal: string | null;
  vertical: string | null;
  wrapText: boolean;
  border: BorderHint;
  numFmtId: number;
  numFmt: string;
  isDate: boolean;
}

interface ColorSpec {
  rgb: string | null;
  theme: number | null;
  indexed: number | null;
  tint: number;
  auto: boolean;
}

interface FontRec {
  bold: boolean;
  italic: boolean;
  size: number | null;
  color: ColorSpec | null;
}

interface XfRaw {
  numFmtId: number;
  fontId: number;
  fillId: number;
  borderId: number;
  horizontal: string | null;
  vertical: string | null;
  wrap: boolean;
}

interface FillRec {
  pattern: string | null;
  fg: ColorSpec | null;
  bg: ColorSpec | null;
}

// Excel's default indexed palette (0-63); 64 = system foreground, 65 = system background.
const DEFAULT_INDEXED = (
  '000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF 000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF ' +
  '800000 008000 000080 808000 800080 008080 C0C0C0 808080 9999FF 993366 FFFFCC CCFFFF 660066 FF8080 0066CC CCCCFF ' +
  '000080 FF00FF FFFF00 00FFFF 800080 800000 008080 0000FF 00CCFF CCFFFF CCFFCC FFFF99 99CCFF FF99CC CC99FF FFCC99 ' +
  '3366FF 33CCCC 99CC00 FFCC00 FF9900 FF6600 666699 969696 003366 339966 003300 333300 993300 993366 333399 333333'
).split(' ');

const DEFAULT_THEME = ['FFFFFF', '000000', 'E7E6E6', '44546A', '4472C4', 'ED7D31', 'A5A5A5', 'FFC000', '5B9BD5', '70AD47', '0563C1', '954F72'];

function readColor(sc: XmlScanner): ColorSpec {
  const rgb = sc.attr('rgb');
  const theme = sc.attr('theme');
  const indexed = sc.attr('indexed');
  const tint = sc.attr('tint');
  const auto = sc.attr('auto');
  return {
    rgb: rgb && /^[0-9A-Fa-f]{6,8}$/.test(rgb) ? rgb.slice(-6).toUpperCase() : null,
    theme: theme !== null && /^\d+$/.test(theme) ? Number(theme) : null,
    indexed: indexed !== null && /^\d+$/.test(indexed) ? Number(indexed) : null,
    tint: tint !== null && Number.isFinite(Number(tint)) ? Number(tint) : 0,
    auto: auto === '1' || auto === 'true',
  };
}

function applyTint(hex: string, tint: number): string {
  if (!tint) return hex;
  const r = parseInt(hex.slice(0, 2), 16) / 255;
  const g = parseInt(hex.slice(2, 4), 16) / 255;
  const b = parseInt(hex.slice(4, 6), 16) / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  let h = 0;
  let s = 0;
  let l = (max + min) / 2;
  if (max !== min) {
    const d = max - min;
    s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
    h = max === r ? (g - b) / d + (g < b ? 6 : 0) : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
    h /= 6;
  }
  l = tint < 0 ? l * (1 + tint) : l * (1 - tint) + tint;
  const hue = (p: number, q: number, t0: number): number => {
    let t = t0;
    if (t < 0) t += 1;
    if (t > 1) t -= 1;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  let rr = l;
  let gg = l;
  let bb = l;
  if (s !== 0) {
    const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
    const p = 2 * l - q;
    rr = hue(p, q, h + 1 / 3);
    gg = hue(p, q, h);
    bb = hue(p, q, h - 1 / 3);
  }
  const to = (x: number): string => Math.round(Math.min(1, Math.max(0, x)) * 255).toString(16).padStart(2, '0').toUpperCase();
  return to(rr) + to(gg) + to(bb);
}

/** Reads the theme's colour scheme in Excel's theme-index order (lt1, dk1, lt2, dk2, accents, links). */
export function parseThemeColors(xml: string): string[] {
  const sc = new XmlScanner(xml);
  const found: Record<string, string> = {};
  let slot: string | null = null;
  let inScheme = false;
  for (let t = sc.next(); t !== TOK_END; t = sc.next()) {
    if (t === TOK_OPEN) {
      if (sc.local === 'clrScheme') inScheme = true;
      else if (inScheme && slot === null && sc.parentLocal() === 'clrScheme') slot = sc.local;
      else if (inScheme && slot !== null && (sc.local === 'srgbClr' || sc.local === 'sysClr')) {
        const v = sc.local === 'srgbClr' ? sc.attr('val') : sc.attr('lastClr');
        if (v && /^[0-9A-Fa-f]{6}$/.test(v) && found[slot] === undefined) found[slot] = v.toUpperCase();
      }
      if (sc.selfClosing && sc.local === slot) slot = null;
    } else if (t === TOK_CLOSE) {
      if (sc.local === 'clrScheme') inScheme = false;
      else if (sc.local === slot) slot = null;
    }
  }
  const order = ['lt1', 'dk1', 'lt2', 'dk2', 'accent1', 'accent2', 'accent3', 'accent4', 'accent5', 'accent6', 'hlink', 'folHlink'];
  return order.map((k, i) => found[k] ?? (DEFAULT_THEME[i] as string));
}

export interface StyleTable {
  /** Indexed by the cell's `s` attribute (cellXfs index). */
  hints: StyleHint[];
}

const PLAIN: StyleHint = Object.freeze({
  bold: false,
  italic: false,
  fontSize: null,
  fontColor: null,
  fillColor: null,
  horizontal: null,
  vertical: null,
  wrapText: false,
  border: Object.freeze({ top: false, right: false, bottom: false, left: false }),
  numFmtId: 0,
  numFmt: 'General',
  isDate: false,
}) as StyleHint;

export function plainStyle(): StyleHint {
  return PLAIN;
}

export function parseStyles(xml: string | null, themeColors: string[] | null): StyleTable {
  if (xml === null) return { hints: [PLAIN] };
  const theme = themeColors ?? DEFAULT_THEME;
  let indexedPalette = DEFAULT_INDEXED.slice();
  const customIndexed: string[] = [];
  const numFmts = new Map<number, string>();
  const fonts: FontRec[] = [];
  const fills: FillRec[] = [];
  const borders: BorderHint[] = [];
  const xfs: StyleHint[] = [];

  const resolve = (c: ColorSpec | null): string | null => {
    if (!c || c.auto) return null;
    let hex: string | null = null;
    if (c.rgb) hex = c.rgb;
    else if (c.theme !== null) hex = theme[c.theme] ?? null;
    else if (c.indexed !== null) hex = c.indexed === 64 ? '000000' : c.indexed === 65 ? 'FFFFFF' : (indexedPalette[c.indexed] ?? null);
    if (!hex) return null;
    return '#' + applyTint(hex, c.tint);
  };

  const sc = new XmlScanner(xml);
  let section = '';
  let font: FontRec | null = null;
  let fill: FillRec | null = null;
  let border: BorderHint | null = null;
  let borderSide: keyof BorderHint | null = null;
  let xfPending: XfRaw | null = null;
  const rawXfs: XfRaw[] = [];

  const num = (v: string | null): number => (v !== null && /^\d+$/.test(v) ? Number(v) : 0);

  for (let t = sc.next(); t !== TOK_END; t = sc.next()) {
    if (t === TOK_OPEN) {
      const l = sc.local;
      const parent = sc.parentLocal();
      if (l === 'numFmt' && parent === 'numFmts') {
        const id = sc.attr('numFmtId');
        const code = sc.attr('formatCode');
        if (id !== null && code !== null && /^\d+$/.test(id)) numFmts.set(Number(id), code);
      } else if (l === 'fonts' || l === 'fills' || l === 'borders' || l === 'cellXfs' || l === 'indexedColors' || l === 'cellStyleXfs' || l === 'dxfs') {
        section = l;
      } else if (section === 'indexedColors' && l === 'rgbColor') {
        const rgb = sc.attr('rgb');
        customIndexed.push(rgb && /^[0-9A-Fa-f]{6,8}$/.test(rgb) ? rgb.slice(-6).toUpperCase() : '000000');
      } else if (section === 'fonts' && l === 'font' && parent === 'fonts') {
        font = { bold: false, italic: false, size: null, color: null };
        if (sc.selfClosing) {
          fonts.push(font);
          font = null;
        }
      } else if (font && parent === 'font') {
        const val = sc.attr('val');
        const on = val === null || (val !== '0' && val !== 'false');
        if (l === 'b') font.bold = on;
        else if (l === 'i') font.italic = on;
        else if (l === 'sz' && val !== null && Number.isFinite(Number(val))) font.size = Number(val);
        else if (l === 'color') font.color = readColor(sc);
      } else if (section === 'fills' && l === 'fill' && parent === 'fills') {
        fill = { pattern: null, fg: null, bg: null };
        if (sc.selfClosing) {
          fills.push(fill);
          fill = null;
        }
      } else if (fill && l === 'patternFill') {
        fill.pattern = sc.attr('patternType') ?? (sc.selfClosing ? 'none' : 'solid');
      } else if (fill && l === 'fgColor') fill.fg = readColor(sc);
      else if (fill && l === 'bgColor') fill.bg = readColor(sc);
      else if (fill && l === 'gradientFill') fill.pattern = 'gradient';
      else if (fill && l === 'color' && parent === 'stop' && fill.fg === null) fill.fg = readColor(sc);
      else if (section === 'borders' && l === 'border' && parent === 'borders') {
        border = { top: false, right: false, bottom: false, left: false };
        if (sc.selfClosing) {
          borders.push(border);
          border = null;
        }
      } else if (border && parent === 'border' && (l === 'top' || l === 'bottom' || l === 'left' || l === 'right' || l === 'start' || l === 'end')) {
        const side: keyof BorderHint = l === 'start' ? 'left' : l === 'end' ? 'right' : l;
        const style = sc.attr('style');
        if (style !== null && style !== 'none') border[side] = true;
        borderSide = sc.selfClosing ? null : side;
      } else if (section === 'cellXfs' && l === 'xf' && parent === 'cellXfs') {
        xfPending = {
          numFmtId: num(sc.attr('numFmtId')),
          fontId: num(sc.attr('fontId')),
          fillId: num(sc.attr('fillId')),
          borderId: num(sc.attr('borderId')),
          horizontal: null,
          vertical: null,
          wrap: false,
        };
        if (sc.selfClosing) {
          rawXfs.push(xfPending);
          xfPending = null;
        }
      } else if (xfPending && l === 'alignment') {
        xfPending.horizontal = sc.attr('horizontal');
        xfPending.vertical = sc.attr('vertical');
        const w = sc.attr('wrapText');
        xfPending.wrap = w === '1' || w === 'true';
      }
    } else if (t === TOK_CLOSE) {
      const l = sc.local;
      if (l === section) section = '';
      else if (l === 'font' && font) {
        fonts.push(font);
        font = null;
      } else if (l === 'fill' && fill) {
        fills.push(fill);
        fill = null;
      } else if (l === 'border' && border) {
        borders.push(border);
        border = null;
      } else if (l === borderSide) borderSide = null;
      else if (l === 'xf' && xfPending) {
        rawXfs.push(xfPending);
        xfPending = null;
      }
    }
  }
  if (customIndexed.length) indexedPalette = customIndexed.concat(indexedPalette.slice(customIndexed.length));

  for (const x of rawXfs) {
    const f = fonts[x.fontId];
    const fl = fills[x.fillId];
    const b = borders[x.borderId];
    const code = numFmts.get(x.numFmtId) ?? builtinFormat(x.numFmtId);
    let fillColor: string | null = null;
    if (fl && fl.pattern && fl.pattern !== 'none') {
      if (fl.pattern === 'solid' || fl.pattern === 'gradient') fillColor = resolve(fl.fg) ?? resolve(fl.bg);
      else fillColor = resolve(fl.fg);
    }
    const fontColor = f ? resolve(f.color) : null;
    xfs.push({
      bold: f?.bold ?? false,
      italic: f?.italic ?? false,
      fontSize: f?.size ?? null,
      fontColor: fontColor === '#000000' ? null : fontColor,
      fillColor,
      horizontal: x.horizontal,
      vertical: x.vertical,
      wrapText: x.wrap,
      border: b ? { ...b } : { top: false, right: false, bottom: false, left: false },
      numFmtId: x.numFmtId,
      numFmt: code,
      isDate: isDateFormat(x.numFmtId, code),
    });
  }
  if (xfs.length === 0) xfs.push(PLAIN);
  return { hints: xfs };
}
