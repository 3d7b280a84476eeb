/**
 * The reader's small pieces: text folding, column letters, Excel serials to ISO dates (both date systems
 * and the phantom 1900-02-29), which number formats are dates, and the CSV parser's edge cases.
 */
import { describe, expect, it } from 'vitest';
import { colIndex, colLetter, foldText, formatHasDate, isBlank, serialToIso } from '../../../main/services/imports/read/normalize';
import { decodeText, parseDelimited, sniffDelimiter } from '../../../main/services/imports/read/text';

describe('foldText', () => {
  it('folds full-width ASCII and U+3000, trims, keeps CJK, CJK punctuation and non-BMP characters', () => {
    expect(foldText('　Ａ１２３４５６７８９　')).toBe('A123456789');
    expect(foldText('中興路１２號（３樓）')).toBe('中興路12號(3樓)');
    expect(foldText('０９１２－３４５－６７８')).toBe('0912-345-678');
    expect(foldText('石𥕢里、瓦磘里。「台」')).toBe('石𥕢里、瓦磘里。「台」');
    expect(foldText('林　大同')).toBe('林 大同');
    expect(foldText('ｂｉｇ５！')).toBe('big5!');
    expect(foldText('\u00a0 x \t')).toBe('x');
  });

  it('isBlank agrees with foldText on white space of every kind', () => {
    for (const s of ['', ' ', '\t\r\n', '　', '\u00a0', '\ufeff', '\u2003', ' 　 ', 'x', ' x', '\u0001', '\u200b', '０']) {
      expect(isBlank(s), JSON.stringify(s)).toBe(foldText(s) === '');
    }
  });
});

describe('column letters', () => {
  it('round-trips', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702, 16383].map(colLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']);
    for (const c of [0, 25, 26, 701, 702, 16383]) expect(colIndex(colLetter(c))).toBe(c);
    expect(colIndex('ab')).toBe(27);
    expect(colIndex('A1')).toBe(-1);
  });
});

describe('serialToIso', () => {
  it('1900 system, with the phantom 1900-02-29 (serial 60)', () => {
    expect(serialToIso(1, false)).toBe('1900-01-01');
    expect(serialToIso(59, false)).toBe('1900-02-28');
    expect(serialToIso(60, false)).toBeUndefined();
    expect(serialToIso(61, false)).toBe('1900-03-01');
    expect(serialToIso(46086, false)).toBe('2026-03-05');
    expect(serialToIso(46086.75, false)).toBe('2026-03-05');
    // Float noise just under midnight is the next day.
    expect(serialToIso(46086.999999999, false)).toBe('2026-03-06');
    expect(serialToIso(0, false)).toBeUndefined();
    expect(serialToIso(0.5, false)).toBeUndefined();
    expect(serialToIso(-3, false)).toBeUndefined();
    expect(serialToIso(2_958_465, false)).toBe('9999-12-31');
    expect(serialToIso(3_000_000, false)).toBeUndefined();
    expect(serialToIso(Number.NaN, false)).toBeUndefined();
  });

  it('1904 system: four years and a day later for the same serial', () => {
    expect(serialToIso(0, true)).toBe('1904-01-01');
    expect(serialToIso(1, true)).toBe('1904-01-02');
    expect(serialToIso(42735, true)).toBe('2021-01-01');
    expect(serialToIso(42735, false)).toBe('2016-12-31');
    expect(serialToIso(46086 - 1462, true)).toBe('2026-03-05');
  });
});

describe('formatHasDate', () => {
  it('dates (also ROC era and CJK formats) yes; times, durations, numbers, text no', () => {
    for (const f of ['yyyy/mm/dd', 'm/d/yy', 'yyyy-MM-dd HH:mm:ss', '[$-404]e/m/d', '[$-zh-TW]e"年"m"月"d"日"', '[DBNum1][$-804]yyyy"年"m"月"d"日"', 'd-mmm', 'mmm-yy']) {
      expect(formatHasDate(f), f).toBe(true);
    }
    for (const f of ['General', 'h:mm:ss', '[hh]:mm:ss', 'mm:ss', '0.00', '#,##0', '0000000000', '@', '"年"0', '0.00E+00', '"$"#,##0_);\\("$"#,##0\\)']) {
      expect(formatHasDate(f), f).toBe(false);
    }
  });
});

describe('CSV parsing', () => {
  it('quoted fields, doubled quotes, embedded newlines and delimiters, CR/LF/CRLF, a last line without newline', () => {
    expect(parseDelimited('a,"b,1","c ""q"""\r\n"x\ny",,z\rlast', ',')).toEqual([
      ['a', 'b,1', 'c "q"'],
      ['x\ny', '', 'z'],
      ['last'],
    ]);
    expect(parseDelimited('a,b,\n', ',')).toEqual([['a', 'b', '']]);
    expect(parseDelimited('', ',')).toEqual([]);
    expect(parseDelimited('\n\n', ',')).toEqual([[''], ['']]);
    // An unterminated quote takes the rest of the file; text after a closing quote is kept.
    expect(parseDelimited('a,"open\nrest', ',')).toEqual([['a', 'open\nrest']]);
    expect(parseDelimited('"a"b,c', ',')).toEqual([['ab', 'c']]);
  });

  it('sniffs the delimiter from the first line', () => {
    expect(sniffDelimiter('a,b,c\n1;2')).toBe(',');
    expect(sniffDelimiter('a\tb\tc\n')).toBe('\t');
    expect(sniffDelimiter('a;b;c\n')).toBe(';');
    expect(sniffDelimiter('"a,b";c;d\n')).toBe(';');
    expect(sniffDelimiter('single')).toBe(',');
  });

  it('decodes: a BOM wins, the caller wins over detection, invalid UTF-8 is Big5', () => {
    const big5 = new Uint8Array([0xa4, 0xa4, 0xa4, 0xe5]); // 中文
    expect(decodeText(big5, undefined)).toMatchObject({ text: '中文', encoding: 'big5', guessed: true, replaced: 0 });
    expect(decodeText(new TextEncoder().encode('中文'), undefined)).toMatchObject({ text: '中文', encoding: 'utf-8', guessed: true });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('中文')]), 'big5')).toMatchObject({ text: '中文', encoding: 'utf-8', guessed: false });
    expect(decodeText(big5, 'big5')).toMatchObject({ text: '中文', encoding: 'big5', guessed: false });
  });
});
