import { describe, it, expect } from 'vitest';
import {
  isValidNationalId,
  makeNationalId,
  maskNationalId,
  NATIONAL_ID_CHECKSUM_MESSAGE,
  NATIONAL_ID_FORMAT_MESSAGE,
  nationalIdCheckDigit,
  normalizeNationalId,
  validateNationalId,
} from '../../main/contract/national-id';

describe('normalizeNationalId', () => {
  it('trims, uppercases and converts full-width characters', () => {
    expect(normalizeNationalId('  a123456789 ')).toBe('A123456789');
    expect(normalizeNationalId('Ａ１２３４５６７８９')).toBe('A123456789');
    expect(normalizeNationalId('\u3000ａｃ０１２３４５６７\u3000')).toBe('AC01234567');
  });
});

describe('validateNationalId', () => {
  it('accepts the DOMAIN.md examples with their kinds', () => {
    expect(validateNationalId('A123456789')).toEqual({ ok: true, id: 'A123456789', kind: 'national' });
    expect(validateNationalId('A800000014')).toEqual({ ok: true, id: 'A800000014', kind: 'resident-new' });
    expect(validateNationalId('AC01234567')).toEqual({ ok: true, id: 'AC01234567', kind: 'resident-old' });
  });

  // Expected values computed independently of the module under test.
  it.each([
    ['F131245633', 'national'],
    ['Z200000004', 'national'],
    ['I188888889', 'national'], // I = 34: out of alphabetical order
    ['O900000000', 'resident-new'], // O = 35
    ['W212345679', 'national'], // W = 32
    ['A812345671', 'resident-new'],
    ['BD12345672', 'resident-old'], // D counts as 3
  ] as const)('accepts %s as %s', (id, kind) => {
    expect(validateNationalId(id)).toEqual({ ok: true, id, kind });
  });

  it('normalises lowercase and full-width input before validating', () => {
    expect(validateNationalId('a123456789')).toEqual({ ok: true, id: 'A123456789', kind: 'national' });
    expect(validateNationalId('Ａ１２３４５６７８９')).toEqual({ ok: true, id: 'A123456789', kind: 'national' });
    expect(validateNationalId(' ac01234567 ')).toEqual({ ok: true, id: 'AC01234567', kind: 'resident-old' });
  });

  it('reports a failed checksum separately from a bad format', () => {
    expect(NATIONAL_ID_CHECKSUM_MESSAGE).toBe('檢查碼錯誤，請再核對一次');
    for (const id of ['A123456788', 'B123456789', 'A800000015', 'AC01234568', 'AD01234567']) {
      expect(validateNationalId(id)).toEqual({ ok: false, message: NATIONAL_ID_CHECKSUM_MESSAGE });
    }
  });

  it('reports a bad format with an example', () => {
    expect(NATIONAL_ID_FORMAT_MESSAGE).toBe('格式不符：身分證字號為1個英文字母加9個數字，如 A123456789');
    for (const id of ['A12345678', 'A1234567890', '1123456789', 'A12345678X', 'A-123456789', 'A 123456789']) {
      expect(validateNationalId(id)).toEqual({ ok: false, message: NATIONAL_ID_FORMAT_MESSAGE });
    }
  });

  it('explains the old resident-certificate format when two letters are typed', () => {
    for (const id of ['AE01234567', 'AC0123456', 'ACD1234567']) {
      expect(validateNationalId(id)).toEqual({
        ok: false,
        message: '格式不符：舊式居留證號為2個英文字母加8個數字，第2碼為A到D，如 AC01234567',
      });
    }
  });

  it('rejects a second digit other than 1, 2, 8 or 9', () => {
    for (const id of ['A323456789', 'A023456789', 'A723456789']) {
      expect(validateNationalId(id)).toEqual({
        ok: false,
        message: '格式不符：第2碼須為1、2（身分證）或8、9（居留證）',
      });
    }
  });

  it('asks for input when empty', () => {
    expect(validateNationalId('')).toEqual({ ok: false, message: '請輸入身分證字號' });
    expect(validateNationalId('   ')).toEqual({ ok: false, message: '請輸入身分證字號' });
  });

  it('has a boolean shorthand', () => {
    expect(isValidNationalId('A123456789')).toBe(true);
    expect(isValidNationalId('A123456780')).toBe(false);
  });
});

describe('makeNationalId', () => {
  it('computes the check digit', () => {
    expect(makeNationalId('A', '1', '2345678')).toBe('A123456789');
    expect(makeNationalId('A', '8', '0000001')).toBe('A800000014');
    expect(makeNationalId('A', 'C', '0123456')).toBe('AC01234567');
    expect(makeNationalId('f', '1', '3124563')).toBe('F131245633');
    expect(nationalIdCheckDigit('O90000000')).toBe(0);
  });

  it('always produces IDs that validate', () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const seconds = ['1', '2', '8', '9', 'A', 'B', 'C', 'D'] as const;
    for (let i = 0; i < 26 * 8; i++) {
      const letter = letters[i % 26] ?? 'A';
      const second = seconds[i % 8] ?? '1';
      const serial = String((i * 7919) % 10_000_000).padStart(7, '0');
      const id = makeNationalId(letter, second, serial);
      expect(validateNationalId(id).ok, id).toBe(true);
    }
  });

  it('rejects malformed parts', () => {
    expect(() => makeNationalId('A', '1', '234567')).toThrow(RangeError);
    expect(() => makeNationalId('1', '1', '2345678')).toThrow(RangeError);
  });
});

describe('maskNationalId', () => {
  it('keeps the first three and last three characters', () => {
    expect(maskNationalId('A123456789')).toBe('A12****789');
    expect(maskNationalId('AC01234567')).toBe('AC0****567');
    expect(maskNationalId(' a123456789 ')).toBe('A12****789');
  });

  it('never shows short input in full', () => {
    expect(maskNationalId('A1234')).toBe('A****');
    expect(maskNationalId('')).toBe('');
    expect(maskNationalId(null)).toBe('');
  });
});
