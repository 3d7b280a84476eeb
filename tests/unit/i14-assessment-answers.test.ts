import { describe, expect, it } from 'vitest';
import type { InstrumentItem, ResponseItem } from '../../main/contract/types-assessments';
import { answeredLinkIds, putAnswers, putEntries, pruneAnswers } from '../../renderer/features/assessments/answers';
import { signed } from '../../renderer/features/assessments/signed';

/** The assessment form's answer bookkeeping (renderer/features/assessments/answers.ts). */
const defItems: InstrumentItem[] = [
  { linkId: '1', text: '居住', type: 'choice' },
  { linkId: '2', text: '關係人', type: 'group', repeats: true, items: [{ linkId: '2.1', text: '姓名', type: 'string' }] },
  { linkId: '3', text: '備註', type: 'text' },
];

describe('assessment form answers', () => {
  it('keeps the definition order whatever order the answers were given in', () => {
    let list: ResponseItem[] = [];
    list = putAnswers(defItems, list, '3', [{ string: '備註' }]);
    list = putAnswers(defItems, list, '1', [{ code: 'a' }]);
    expect(list.map((r) => r.linkId)).toEqual(['1', '3']);
  });

  it('replaces all repetitions of a repeating group at once, keeping their order', () => {
    const reps: ResponseItem[] = [
      { linkId: '2', items: [{ linkId: '2.1', answers: [{ string: '甲' }] }] },
      { linkId: '2', items: [{ linkId: '2.1', answers: [{ string: '乙' }] }] },
    ];
    let list = putEntries(defItems, [{ linkId: '3', answers: [{ string: 'x' }] }], '2', reps);
    expect(list.map((r) => r.linkId)).toEqual(['2', '2', '3']);
    list = putEntries(defItems, list, '2', [reps[1]!]);
    expect(list.filter((r) => r.linkId === '2')).toEqual([reps[1]]);
  });

  it('no answers removes the question', () => {
    const list = putAnswers(defItems, [{ linkId: '1', answers: [{ code: 'a' }] }], '1', []);
    expect(list).toEqual([]);
  });

  it('drops blank answers and groups left empty before saving, trimming text', () => {
    const list: ResponseItem[] = [
      { linkId: '1', answers: [{ code: 'a' }] },
      { linkId: '2', items: [] },
      { linkId: '2', items: [{ linkId: '2.1', answers: [{ string: '  ' }] }] },
      { linkId: '2', items: [{ linkId: '2.1', answers: [{ string: ' 乙 ' }] }] },
      { linkId: '3', answers: [{ string: '' }] },
    ];
    expect(pruneAnswers(list)).toEqual([
      { linkId: '1', answers: [{ code: 'a' }] },
      { linkId: '2', items: [{ linkId: '2.1', answers: [{ string: '乙' }] }] },
    ]);
    expect(answeredLinkIds(pruneAnswers(list)).sort()).toEqual(['1', '2.1']);
  });

  it('shows a change with its sign and a true minus', () => {
    expect(signed(2)).toBe('+2');
    expect(signed(-1.5)).toBe('−1.5');
    expect(signed(0)).toBe('0');
  });
});
