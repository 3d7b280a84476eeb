/** Unit tests of the small building blocks of the xlsx template module. */
import { describe, expect, it } from 'vitest';
import { normaliseCellAddress, parseRange } from '../../main/services/reports/xlsx';
import { formatExcelDate, formatNumber, isDateFormat } from '../../main/services/reports/xlsx/format';
import { TOK_CLOSE, TOK_END, TOK_OPEN, TOK_TEXT, XmlError, XmlScanner, encodeOoxmlText, decodeOoxmlEscapes } from '../../main/services/reports/xlsx/xml';

describe('number display', () => {
  it.each([
    [95.5, '0.0', '95.5'],
    [1304, '#,##0', '1,304'],
    [-1304.5, '#,##0.00', '-1,304.50'],
    [0.123, '0%', '12%'],
    [12345.678, '0.00E+00', '1.23E+04'],
    [1234, '"NT$"#,##0', 'NT$1,234'],
    [-5, '#,##0;(#,##0)', '(5)'],
    [0, '#,##0;-#,##0;"-"', '-'],
    [0.1 + 0.2, 'General', '0.3'],
    [5, '000', '005'],
  ])('%s with %s shows %s', (v, fmt, shown) => {
    expect(formatNumber(v, fmt)).toBe(shown);
  });

  it('recognises and shows dates', () => {
    expect(isDateFormat(14, 'yyyy-mm-dd')).toBe(true);
    expect(isDateFormat(176, '[DBNum1][$-804]yyyy"年"m"月"d"日"')).toBe(true);
    expect(isDateFormat(177, '#,##0"天"')).toBe(false);
    expect(formatExcelDate(46086, false, 'yyyy/m/d')).toBe('2026-03-05');
    expect(formatExcelDate(46086.5, false, 'yyyy/m/d h:mm')).toBe('2026-03-05 12:00');
    expect(formatExcelDate(0.75, false, 'h:mm:ss')).toBe('18:00:00');
    expect(formatExcelDate(1, true, 'yyyy-mm-dd')).toBe('1904-01-02');
  });
});

describe('cell references', () => {
  it('normalises addresses and ranges', () => {
    expect(normaliseCellAddress('$b$10')).toBe('B10');
    expect(normaliseCellAddress('XFD1048576')).toBe('XFD1048576');
    expect(normaliseCellAddress('XFE1')).toBeNull();
    expect(normaliseCellAddress('A0')).toBeNull();
    expect(normaliseCellAddress('10B')).toBeNull();
    expect(parseRange('J8:B9')).toMatchObject({ ref: 'B8:J9', top: 8, left: 2, bottom: 9, right: 10 });
  });
});

describe('XML tokenizer', () => {
  it('reports tags, attributes and text with exact offsets', () => {
    const src = '<?xml version="1.0"?><a x:k="1 &amp; 2"><b/>t&lt;<![CDATA[<raw>]]><!-- c --></a>';
    const sc = new XmlScanner(src);
    const seen: string[] = [];
    for (let t = sc.next(); t !== TOK_END; t = sc.next()) {
      if (t === TOK_OPEN) seen.push(`open ${sc.name}${sc.selfClosing ? '/' : ''} ${src.slice(sc.start, sc.end)}`);
      if (t === TOK_CLOSE) seen.push(`close ${sc.name}`);
      if (t === TOK_TEXT) seen.push(`text ${sc.text()}`);
      if (t === TOK_OPEN && sc.name === 'a') expect(sc.attr('k')).toBe('1 & 2');
    }
    expect(seen).toEqual(['open a <a x:k="1 &amp; 2">', 'open b/ <b/>', 'text t<', 'text <raw>', 'close a']);
  });

  it.each([
    ['<a><b></a></b>'],
    ['<a x=1/>'],
    ['<a x="<"/>'],
    ['<a>&bogus;</a>'],
    ['<a/><b/>'],
    ['<a>'],
    ['<!DOCTYPE a [<!ENTITY e "x">]><a/>'],
    ['text<a/>'],
  ])('refuses %s', (src) => {
    expect(() => {
      const sc = new XmlScanner(src);
      for (let t = sc.next(); t !== TOK_END; t = sc.next()) if (t === TOK_TEXT) sc.text();
    }).toThrow(XmlError);
  });

  it('round-trips OOXML string escapes', () => {
    const s = 'a_x0041_b\u0001c 石𥕢里';
    const enc = encodeOoxmlText(s);
    expect(enc).toBe('a_x005F_x0041_b_x0001_c 石𥕢里');
    expect(decodeOoxmlEscapes(enc)).toBe('a_x0041_b\u0001c 石𥕢里');
  });
});
