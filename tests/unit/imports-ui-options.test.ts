import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { optionDefaults, optionInputs, optionsPayload, optionsZod } from '../../renderer/features/imports/optionsSchema';

/**
 * The import screen's options form is built from each kind's options as JSON Schema (imports.kinds
 * optionsSchema): a date becomes an ROC date input, an enum a select with the contract's labels, a short
 * description the label, and the browser's check says what is missing in zh-TW beside the field.
 */
const kindOptions = z.object({
  list: z.enum(['vulnerability'], { error: '請選擇代碼表' }).describe('代碼表'),
  effectiveFrom: z.string().refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v), 'x').describe('生效日期（須晚於目前最新版本的生效日）'),
  note: z.string().trim().max(200).nullable().optional().describe('說明'),
  period: z.iso.date(),
  teamId: z.number().int().positive().nullable().optional().describe('新案件列入哪一組的待分派清單（督導未選時為自己的組）'),
});
const schema = z.toJSONSchema(kindOptions, { unrepresentable: 'any', io: 'input' });

describe('import options form from JSON Schema', () => {
  it('turns each option into a labelled input of the right kind', () => {
    const inputs = optionInputs(schema);
    expect(inputs.map((i) => [i.key, i.type, i.label, i.required])).toEqual([
      ['list', 'select', '代碼表', true],
      ['effectiveFrom', 'date', '生效日期', true],
      ['note', 'text', '說明', false],
      ['period', 'date', '名冊資料月份（起日）', true],
      ['teamId', 'number', '組別', false],
    ]);
    expect(inputs[0]).toMatchObject({ choices: [{ value: 'vulnerability', label: '脆弱性因子' }] });
    expect(inputs[1]?.hint).toBe('須晚於目前最新版本的生效日');
    expect(inputs[4]).toMatchObject({ min: 1, integer: true, hint: '新案件列入哪一組的待分派清單（督導未選時為自己的組）' });
  });

  it('checks required options in zh-TW and sends only what was filled', () => {
    const inputs = optionInputs(schema);
    const empty = optionDefaults(schema, inputs);
    // The one code list there is comes chosen.
    expect(empty).toEqual({ list: 'vulnerability', effectiveFrom: null, note: '', period: null, teamId: '' });
    const r = optionsZod(inputs).safeParse({ ...empty, list: '' });
    expect(r.success).toBe(false);
    const messages = Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
    expect(messages).toEqual({ list: '請選擇代碼表', effectiveFrom: '請選擇生效日期', period: '請選擇名冊資料月份（起日）' });
    const filled = { ...empty, effectiveFrom: '2026-06-01', period: '2026-05-01', teamId: '3' };
    expect(optionsZod(inputs).safeParse(filled).success).toBe(true);
    expect(optionsPayload(inputs, filled)).toEqual({ list: 'vulnerability', effectiveFrom: '2026-06-01', period: '2026-05-01', teamId: 3 });
  });

  it('has no inputs for a kind without options', () => {
    expect(optionInputs(z.toJSONSchema(z.object({})))).toEqual([]);
  });
});
