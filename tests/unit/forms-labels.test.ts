/**
 * Issue 11 §3: field labels come from one registry; a refusal carries its field paths in `fields` and its
 * message never names an internal path ("（欄位 lots.2.quantity）") nor shows English type names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldLabel, fieldMessage } from '../../main/contract/field-labels';
import { zhTWErrorMap } from '../../main/contract/zod-zh';
import { mapFieldPath, splitFieldErrors } from '../../renderer/lib/form';
import { createTestApp, type TestApp } from '../helpers/app';

const PATH_IN_MESSAGE = /欄位\s*[A-Za-z_]/;
const ENGLISH = /[A-Za-z]{3,}/;

describe('label registry', () => {
  it('names paths by their labels, with the line number of a list item', () => {
    expect(fieldLabel('lots.2.quantity')).toBe('第 3 筆的數量');
    expect(fieldLabel('head.newPerson.name')).toBe('姓名');
    expect(fieldLabel('address.townCode')).toBe('鄉鎮市區');
    expect(fieldLabel('head')).toBe('戶長');
    expect(fieldLabel('nosuchfield')).toBeNull();
    expect(fieldLabel('_')).toBeNull();
    expect(fieldLabel('reason', { reason: '列管原因' })).toBe('列管原因');
    expect(fieldMessage('lots.0.quantity', '不可小於 1')).toBe('第 1 筆的數量：不可小於 1');
    expect(fieldMessage('nosuchfield', '格式不正確')).toBe('格式不正確');
  });

  it('maps server paths to form paths and names the rest by label, never by path', () => {
    expect(mapFieldPath('head.newPerson.name', { 'head.newPerson.': '' })).toBe('name');
    expect(mapFieldPath('address.townCode', { 'address.townCode': 'townCode' })).toBe('townCode');
    const known = new Set(['name', 'birthDate']);
    const { byField, rest } = splitFieldErrors(
      { 'head.newPerson.name': '請輸入姓名', 'lots.2.quantity': '不可小於 1', zzz: '格式不正確' },
      (p) => known.has(p),
      { paths: { 'head.newPerson.': '' } },
    );
    expect(byField).toEqual({ name: '請輸入姓名' });
    expect(rest).toEqual(['第 3 筆的數量：不可小於 1', '格式不正確']);
    for (const m of rest) expect(m).not.toMatch(PATH_IN_MESSAGE);
  });

  it("zod's default messages are plain zh-TW (no English type names)", () => {
    const schemas = [
      z.object({ a: z.string() }),
      z.object({ a: z.number().int().positive() }),
      z.object({ a: z.enum(['x', 'y']) }),
      z.object({ a: z.string().max(3) }),
      z.object({ a: z.array(z.number()).min(1) }),
      z.object({ a: z.boolean() }),
    ];
    const inputs = [{}, { a: 'abcd' }, { a: 1.5 }, { a: [] }, { a: -1 }];
    let seen = 0;
    for (const s of schemas) {
      for (const v of inputs) {
        const r = s.safeParse(v, { error: zhTWErrorMap });
        if (r.success) continue;
        for (const issue of r.error.issues) {
          seen++;
          expect(issue.message, JSON.stringify(v)).not.toMatch(ENGLISH);
          expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
        }
      }
    }
    expect(seen).toBeGreaterThan(20);
  });
});

describe('VALIDATION refusals through the dispatcher', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.setupAdmin();
  });
  afterAll(async () => t.close());

  it('carries the paths in fields and names no path in the message', async () => {
    const bad: Array<[string, unknown]> = [
      ['users.create', { username: 'ab', displayName: '', role: 'worker', initialPassword: 'x' }],
      ['users.create', {}],
      ['foodbank.receive', { receivedOn: '2026-05-20', lots: [{ itemId: 1, quantity: 1 }, { itemId: 1, quantity: 1 }, { itemId: 1, quantity: -3 }] }],
      ['households.create', { head: { newPerson: { name: 12 } } }],
    ];
    for (const [method, payload] of bad) {
      const env = await t.raw(method, payload, admin);
      expect(env.ok, method).toBe(false);
      if (env.ok) continue;
      expect(env.error.code, method).toBe('VALIDATION');
      expect(Object.keys(env.error.fields ?? {}).length, method).toBeGreaterThan(0);
      expect(env.error.message, method).not.toMatch(PATH_IN_MESSAGE);
      expect(env.error.message, method).not.toMatch(/（欄位/);
      expect(env.error.message, method).not.toMatch(ENGLISH);
      for (const m of Object.values(env.error.fields ?? {})) expect(m, method).not.toMatch(ENGLISH);
    }
    const lots = await t.raw('foodbank.receive', { receivedOn: '2026-05-20', lots: [{ itemId: 1, quantity: 1 }, { itemId: 1, quantity: 1 }, { itemId: 1, quantity: -3 }] }, admin);
    if (!lots.ok) {
      expect(Object.keys(lots.error.fields ?? {}).some((k) => k.startsWith('lots.'))).toBe(true);
    }
  });
});
