/**
 * Issue 14 §1: the pure scoring and validation of assessment instruments (main/contract/assessment-scoring.ts),
 * each rule kind on a small definition where the expected score is counted by hand, and the instrument
 * format expressing every module of the draft TWSS Base guide's Questionnaire-assessment-modules.fsh
 * (居住狀況, 家庭評估, 關係人風險狀況, 健康與疾病, 身心障礙狀況, 福利與經濟現況, 訪視紀錄) with a response
 * round-tripping through the QuestionnaireResponse shape.
 */
import { describe, expect, it } from 'vitest';
import { scoreAssessment, validateAnswers, validateDefinition } from '../../main/contract/assessment-scoring';
import type { InstrumentDefinition, ResponseItem } from '../../main/contract/types-assessments';
import { FAMILY_ASSESSMENT, SIX_FACETS, WELFARE_ECONOMIC_STATUS } from '../../db/migrations/2026-12-07-0028-assessments';
import { fromFhirResponseItems, toFhirQuestionnaire, toFhirResponseItems } from '../../main/services/assessments/fhir';

const SCALE = [
  { code: 'a', display: '無', score: 0 },
  { code: 'b', display: '有些', score: 1 },
  { code: 'c', display: '嚴重', score: 3 },
];

/** Two domains; risk items r1 (choice), r2 (integer 0-5, weight 2), crit (boolean); protective p1 (choice), p2 (boolean); a repeating group g with risk gr. */
const DEF: InstrumentDefinition = {
  domains: [
    { key: 'd1', label: '經濟' },
    { key: 'd2', label: '關係' },
  ],
  items: [
    { linkId: 'r1', text: '收入不足', type: 'choice', answerOptions: SCALE, domain: 'd1', factor: 'risk' },
    { linkId: 'r2', text: '負債月數', type: 'integer', min: 0, max: 5, domain: 'd1', factor: 'risk', weight: 2 },
    { linkId: 'crit', text: '有家暴疑慮', type: 'boolean', domain: 'd2', factor: 'risk' },
    { linkId: 'p1', text: '親友支持', type: 'choice', answerOptions: SCALE, domain: 'd2', factor: 'protective' },
    { linkId: 'p2', text: '有穩定工作', type: 'boolean', domain: 'd1', factor: 'protective' },
    { linkId: 'note', text: '備註', type: 'text' },
    {
      linkId: 'g',
      text: '關係人',
      type: 'group',
      repeats: true,
      items: [{ linkId: 'gr', text: '關係人風險', type: 'choice', repeats: true, answerOptions: SCALE, domain: 'd2', factor: 'risk' }],
    },
  ],
  rules: [],
};

const a = (linkId: string, ...answers: ResponseItem['answers'] & object) => ({ linkId, answers });
const ANSWERS: ResponseItem[] = [
  a('r1', { code: 'c' }), // 3
  a('r2', { integer: 4 }), // 4 × weight 2 = 8
  a('crit', { boolean: false }), // 0
  a('p1', { code: 'b' }), // 1
  a('p2', { boolean: true }), // 1
  a('note', { string: '無' }),
  { linkId: 'g', items: [a('gr', { code: 'b' }, { code: 'c' })] }, // 1 + 3 = 4
  { linkId: 'g', items: [a('gr', { code: 'c' })] }, // 3
];
const withRules = (rules: InstrumentDefinition['rules']): InstrumentDefinition => ({ ...DEF, rules });

describe('scoreAssessment', () => {
  it('domain sums and their maxima count every repetition, several answers, weights and booleans', () => {
    const r = scoreAssessment(DEF, ANSWERS);
    // d1 risk: r1 3 + r2 8 = 11; max r1 3 + r2 5×2 = 13. d1 protective: p2 1 of 1.
    // d2 risk: crit 0 + gr 4 + gr 3 = 7; max crit 1 + gr (1+3) × 2 repetitions = 9. d2 protective: p1 1 of 3.
    expect(r.domains).toEqual([
      { key: 'd1', label: '經濟', risk: 11, riskMax: 13, protective: 1, protectiveMax: 1 },
      { key: 'd2', label: '關係', risk: 7, riskMax: 9, protective: 1, protectiveMax: 3 },
    ]);
    expect(r.level).toBeNull();
    expect(r.reasons).toEqual([]);
  });

  it('sum: by factor, by domain, by linkIds', () => {
    const r = scoreAssessment(
      withRules([
        { kind: 'sum', name: 'risk', label: '風險總分', factor: 'risk' },
        { kind: 'sum', name: 'd2risk', label: '關係風險', domain: 'd2', factor: 'risk' },
        { kind: 'sum', name: 'picked', label: '指定題', linkIds: ['r1', 'p1'] },
      ]),
      ANSWERS,
    );
    expect(r.scores).toEqual({ risk: 18, d2risk: 7, picked: 4 });
    expect(r.reasons).toEqual(['風險總分：18 分', '關係風險：7 分', '指定題：4 分']);
  });

  it('count: items scoring at least N (each repetition), or answered with given codes', () => {
    const r = scoreAssessment(
      withRules([
        { kind: 'count', name: 'severe', label: '嚴重題數', factor: 'risk', atLeast: 3 },
        { kind: 'count', name: 'any', label: '有風險題數', factor: 'risk' },
        { kind: 'count', name: 'coded', label: '答嚴重', codes: ['c'] },
      ]),
      ANSWERS,
    );
    // atLeast 3: r1 (3), r2 (4), gr rep 1 (4), gr rep 2 (3) = 4; crit false 0 does not count.
    // atLeast 1: the same 4. codes ['c']: r1, gr rep 1, gr rep 2 = 3.
    expect(r.scores).toEqual({ severe: 4, any: 4, coded: 3 });
  });

  it('band: the last band whose start is reached; below every band leaves no level', () => {
    const rules: InstrumentDefinition['rules'] = [
      { kind: 'sum', name: 'risk', label: '風險總分', factor: 'risk' },
      { kind: 'band', score: 'risk', bands: [{ from: 5, level: '低' }, { from: 10, level: '中' }, { from: 18, level: '高' }] },
    ];
    const r = scoreAssessment(withRules(rules), ANSWERS);
    expect(r.level).toBe('高');
    expect(r.reasons[1]).toBe('風險總分 18，落在 18 分以上：高');
    expect(scoreAssessment(withRules(rules), [a('r1', { code: 'c' }), a('r2', { integer: 3 })]).level).toBe('低'); // 3 + 2×3 = 9
    expect(scoreAssessment(withRules(rules), [a('r1', { code: 'c' }), a('r2', { integer: 4 })]).level).toBe('中'); // 3 + 2×4 = 11
    const none = scoreAssessment(withRules(rules), [a('r1', { code: 'b' })]); // 1 < 5
    expect(none.level).toBeNull();
    expect(none.reasons).toEqual(['風險總分：1 分']);
  });

  it('floor: a critical answer lifts the level, never lowers it', () => {
    const rules: InstrumentDefinition['rules'] = [
      { kind: 'sum', name: 'risk', label: '風險總分', factor: 'risk' },
      { kind: 'band', score: 'risk', bands: [{ from: 0, level: '低' }, { from: 30, level: '高' }] },
      { kind: 'floor', linkId: 'crit', codes: ['true'], level: '中' },
    ];
    expect(scoreAssessment(withRules(rules), ANSWERS).level).toBe('低');
    const hit = scoreAssessment(withRules(rules), [a('crit', { boolean: true })]);
    expect(hit.level).toBe('中');
    expect(hit.reasons).toContain('「有家暴疑慮」答「是」：至少為中');
    const high: InstrumentDefinition['rules'] = [{ kind: 'floor', linkId: 'r1', codes: ['c'], level: '高' }, { kind: 'floor', linkId: 'crit', codes: ['true'], level: '中' }];
    expect(scoreAssessment(withRules(high), [a('r1', { code: 'c' }), a('crit', { boolean: true })]).level).toBe('高');
  });

  it('adjust: moves the level by steps within 低..高 when the score is reached', () => {
    const rules: InstrumentDefinition['rules'] = [
      { kind: 'sum', name: 'risk', label: '風險總分', factor: 'risk' },
      { kind: 'sum', name: 'prot', label: '保護總分', factor: 'protective' },
      { kind: 'band', score: 'risk', bands: [{ from: 0, level: '低' }, { from: 10, level: '中' }] },
      { kind: 'adjust', score: 'prot', atLeast: 2, steps: -1 },
      { kind: 'adjust', score: 'risk', atLeast: 15, steps: 5 },
    ];
    const r = scoreAssessment(withRules(rules), ANSWERS);
    // band 中 (18); protective 2 ≥ 2: down to 低; risk 18 ≥ 15: up 5 steps, capped at 高.
    expect(r.level).toBe('高');
    expect(r.reasons.slice(3)).toEqual(['保護總分 2（達 2）：由中調降為低', '風險總分 18（達 15）：由低調升為高']);
    const lower = scoreAssessment(withRules(rules.slice(0, 4)), [a('r1', { code: 'a' }), a('p1', { code: 'b' }), a('p2', { boolean: true })]);
    expect(lower.level).toBe('低'); // already 低: stays
  });

  it('the seeded 六大面向 instrument: low, overridden by a critical answer, and lifted by several severe items', () => {
    const def = SIX_FACETS as InstrumentDefinition;
    const all = (code: string, p: string): ResponseItem[] =>
      def.items.map((g) => ({
        linkId: g.linkId,
        items: (g.items ?? []).map((i) => (i.type === 'boolean' ? a(i.linkId, { boolean: false }) : a(i.linkId, { code: i.factor === 'risk' ? code : p }))),
      }));
    expect(scoreAssessment(def, all('0', '2')).level).toBe('低');
    expect(scoreAssessment(def, all('1', '0')).level).toBe('中'); // 12 risk items × 1 = 12 ≥ 8
    expect(scoreAssessment(def, all('2', '0')).level).toBe('高'); // 24 ≥ 16
    const crit = all('0', '2');
    crit[2]!.items![2] = a('3.3', { boolean: true });
    expect(scoreAssessment(def, crit).level).toBe('高');
  });
});

describe('validateDefinition', () => {
  it('accepts the seeded instruments and a correct definition', () => {
    for (const d of [SIX_FACETS, FAMILY_ASSESSMENT, WELFARE_ECONOMIC_STATUS, DEF]) expect(validateDefinition(d as InstrumentDefinition)).toEqual([]);
  });

  it('names each problem at its path, in zh-TW', () => {
    const bad: InstrumentDefinition = {
      domains: [{ key: 'd1', label: '經濟' }, { key: 'd1', label: '重複' }],
      items: [
        { linkId: 'x', text: '甲', type: 'choice' },
        { linkId: 'x', text: '乙', type: 'integer', min: 5, max: 1, domain: 'nope', factor: 'risk' },
        { linkId: 'g', text: '空題組', type: 'group' },
      ],
      rules: [
        { kind: 'band', score: 'missing', bands: [{ from: 5, level: '中' }, { from: 5, level: '高' }] },
        { kind: 'sum', name: 's', label: '總分', domain: 'zz', linkIds: ['nope'] },
        { kind: 'floor', linkId: 'x', codes: ['q'], level: '高' },
        { kind: 'adjust', score: 's', atLeast: 1, steps: 0 },
      ],
    };
    expect(validateDefinition(bad)).toEqual([
      { path: 'domains.1.key', message: '面向代碼「d1」重複' },
      { path: 'items.0.answerOptions', message: '「甲」是選擇題，請設定選項' },
      { path: 'items.1.linkId', message: '題號「x」重複' },
      { path: 'items.1.max', message: '最大值不可小於最小值' },
      { path: 'items.1.domain', message: '面向「nope」不存在' },
      { path: 'items.2.items', message: '題組「空題組」沒有題目' },
      { path: 'rules.0.score', message: '分數「missing」不存在，或未在此規則之前計算' },
      { path: 'rules.0.bands.1.from', message: '區間的起始分數須由小到大排列' },
      { path: 'rules.1.domain', message: '面向「zz」不存在' },
      { path: 'rules.1.linkIds', message: '題號「nope」不存在' },
      { path: 'rules.2.codes', message: '「甲」沒有選項「q」' },
      { path: 'rules.3.steps', message: '調整級數須為非零整數' },
    ]);
  });
});

describe('validateAnswers', () => {
  const def: InstrumentDefinition = {
    domains: [],
    items: [
      { linkId: 'q1', text: '等級', type: 'choice', required: true, answerOptions: SCALE },
      { linkId: 'q2', text: '人數', type: 'integer', min: 0, max: 10 },
      { linkId: 'grp', text: '補助', type: 'group', repeats: true, items: [{ linkId: 'grp.1', text: '類型', type: 'string', required: true }] },
    ],
    rules: [],
  };
  it('accepts complete answers', () => {
    expect(validateAnswers(def, [a('q1', { code: 'a' }), a('q2', { integer: 3 }), { linkId: 'grp', items: [a('grp.1', { string: '租金' })] }])).toEqual([]);
  });
  it('refuses a missing required answer, an unknown code, a number out of range, an unknown linkId, a wrong value kind, a second answer', () => {
    expect(
      validateAnswers(def, [a('q2', { integer: 11 }), a('zz', { string: 'x' }), { linkId: 'grp', items: [a('grp.1', { integer: 1 })] }, { linkId: 'grp', items: [] }]),
    ).toEqual([
      { linkId: 'zz', message: '題號「zz」不在此評估表中' },
      { linkId: 'q1', message: '「等級」為必填' },
      { linkId: 'q2', message: '「人數」不可大於 10' },
      { linkId: 'grp.1', message: '「類型」的答案格式不正確' },
      { linkId: 'grp.1', message: '「類型」為必填' },
    ]);
    expect(validateAnswers(def, [a('q1', { code: 'zz' }), a('q2', { integer: -1 })])).toEqual([
      { linkId: 'q1', message: '「等級」沒有「zz」這個選項' },
      { linkId: 'q2', message: '「人數」不可小於 0' },
    ]);
    expect(validateAnswers(def, [a('q1', { code: 'a' }, { code: 'b' })])).toEqual([{ linkId: 'q1', message: '「等級」只能選一個答案' }]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Every module of the TWSS Base guide's Questionnaire-assessment-modules.fsh, in our format.

const VS = (id: string) => `https://sfaa.gov.tw/base/ValueSet/${id}`;
const Q = (id: string) => `https://sfaa.gov.tw/base/Questionnaire/${id}`;
const TWSS: Record<string, { def: InstrumentDefinition; response: ResponseItem[] }> = {
  居住狀況: {
    def: {
      url: Q('living-condition-assessment'),
      domains: [],
      rules: [],
      items: [
        {
          linkId: '1',
          text: '居住狀況',
          type: 'group',
          items: [
            { linkId: '1.1', text: '住所類型', type: 'choice', answerValueSet: VS('twss-living-type-vs') },
            { linkId: '1.2', text: '房屋類型', type: 'choice', answerValueSet: VS('twss-housing-type-vs') },
            { linkId: '1.3', text: '居住環境', type: 'choice', answerValueSet: VS('twss-living-environment-vs') },
            { linkId: '1.4', text: '是否有獨立臥房', type: 'choice', answerValueSet: VS('twss-private-bedroom-vs') },
            { linkId: '1.5', text: '目前生活情形', type: 'choice', answerValueSet: VS('twss-current-living-status-vs') },
            { linkId: '1.6', text: '同住狀況', type: 'choice', answerValueSet: VS('twss-cohabitation-status-vs') },
          ],
        },
      ],
    },
    response: [{ linkId: '1', items: [a('1.1', { code: '1' }), a('1.2', { code: '2' }), a('1.6', { code: '3' })] }],
  },
  家庭評估: { def: FAMILY_ASSESSMENT as InstrumentDefinition, response: [{ linkId: '2', items: [a('2.1', { integer: 3 }), a('2.2', { integer: 2 })] }] },
  關係人風險狀況: {
    def: {
      url: Q('related-person-risk-assessment'),
      domains: [],
      rules: [],
      items: [
        {
          linkId: '3',
          text: '關係人風險狀況',
          type: 'group',
          required: true,
          repeats: true,
          items: [
            { linkId: '3.1', text: '被評估關係人', type: 'reference', required: true },
            { linkId: '3.2', text: '關係人不良犯罪紀錄', type: 'choice', repeats: true, answerValueSet: VS('twss-relation-criminal-record-vs') },
            {
              linkId: '3.3',
              text: '關係人物質濫用',
              type: 'group',
              items: [
                { linkId: '3.3.1', text: '是否吸毒', type: 'choice', answerValueSet: VS('twss-relation-substance-use-vs') },
                { linkId: '3.3.2', text: '是否有酒癮', type: 'choice', answerValueSet: VS('twss-relation-substance-use-vs') },
                { linkId: '3.3.3', text: '是否抽菸', type: 'choice', answerValueSet: VS('twss-relation-substance-use-vs') },
              ],
            },
          ],
        },
      ],
    },
    response: [
      { linkId: '3', items: [a('3.1', { personId: 11 }), a('3.2', { code: '1' }, { code: '3' }), { linkId: '3.3', items: [a('3.3.2', { code: 'Y' })] }] },
      { linkId: '3', items: [a('3.1', { personId: 12 })] },
    ],
  },
  健康與疾病: {
    def: {
      url: Q('health-disease-status'),
      domains: [],
      rules: [],
      items: [
        { linkId: '6.1', text: '是否持有重大傷病卡', type: 'boolean', required: true },
        { linkId: '6.2', text: '重大傷病卡病名', type: 'string' },
        { linkId: '6.3', text: '健康狀況分級', type: 'choice', answerValueSet: VS('twss-health-status-level-vs') },
        { linkId: '6.4', text: '健康狀況選項', type: 'choice', repeats: true, answerValueSet: VS('twss-health-status-option-vs') },
        { linkId: '6.5', text: '疾病類型', type: 'choice', repeats: true, answerValueSet: VS('twss-disease-type-vs') },
        { linkId: '6.6', text: 'ICD編碼', type: 'open-choice', repeats: true, answerValueSet: VS('icd-10-cm-vs') },
        { linkId: '6.7', text: '用藥情形', type: 'text' },
      ],
    },
    response: [a('6.1', { boolean: true }), a('6.2', { string: '慢性腎衰竭' }), a('6.6', { code: 'N18.6' }, { string: '其他' }), a('6.7', { string: '每日服藥' })],
  },
  身心障礙狀況: {
    def: {
      url: Q('disability-status'),
      domains: [],
      rules: [],
      items: [
        {
          linkId: '7.1',
          text: '障礙分類與狀況',
          type: 'group',
          required: true,
          items: [
            { linkId: '7.1.1', text: '致障原因', type: 'choice', repeats: true, answerValueSet: VS('twss-disability-cause-vs') },
            { linkId: '7.1.2', text: '障礙部位', type: 'open-choice', repeats: true, answerValueSet: VS('twss-physical-disability-type-vs') },
            {
              linkId: '7.1.3',
              text: '新制障礙分類',
              type: 'group',
              repeats: true,
              items: [
                { linkId: '7.1.3.1', text: '新制障礙類別', type: 'choice', required: true, answerValueSet: VS('twss-disability-type-new-category-vs') },
                { linkId: '7.1.3.2', text: '新制障礙類別內容', type: 'choice', repeats: true, answerValueSet: VS('twss-new-disability-category-vs') },
              ],
            },
            { linkId: '7.1.4', text: '舊制障礙類別', type: 'choice', repeats: true, answerValueSet: VS('twss-disability-type-legacy-vs') },
            { linkId: '7.1.5', text: 'ICF編碼', type: 'choice', repeats: true, answerValueSet: VS('icf-code-vs') },
            { linkId: '7.1.6', text: '障礙程度等級', type: 'choice', answerValueSet: VS('twss-disability-severity-level-vs') },
            { linkId: '7.1.7', text: '致障時間', type: 'date' },
          ],
        },
        {
          linkId: '7.2',
          text: '身心障礙證明狀況',
          type: 'group',
          items: [
            { linkId: '7.2.1', text: '有無身心障礙證明', type: 'boolean', required: true },
            { linkId: '7.2.2', text: '未領證原因', type: 'choice', answerValueSet: VS('twss-certificate-not-issued-reason-vs') },
            { linkId: '7.2.3', text: '身心障礙永久有效', type: 'boolean' },
            { linkId: '7.2.4', text: '身心障礙鑑定日期', type: 'date' },
          ],
        },
      ],
    },
    response: [
      { linkId: '7.1', items: [{ linkId: '7.1.3', items: [a('7.1.3.1', { code: '1' }), a('7.1.3.2', { code: 'b110' }, { code: 'b117' })] }, { linkId: '7.1.3', items: [a('7.1.3.1', { code: '7' })] }, a('7.1.7', { date: '2020-03-01' })] },
      { linkId: '7.2', items: [a('7.2.1', { boolean: true }), a('7.2.4', { date: '2024-05-20' })] },
    ],
  },
  福利與經濟現況: {
    def: WELFARE_ECONOMIC_STATUS as InstrumentDefinition,
    response: [
      { linkId: '10.1', items: [a('10.1.1', { code: '10' }), a('10.1.2', { decimal: 12000 })] },
      { linkId: '10.1', items: [a('10.1.1', { code: '24' })] },
      a('10.2', { code: '6' }, { code: '1' }),
      a('10.3', { code: '1' }),
      a('10.4', { decimal: 8500 }),
    ],
  },
  訪視紀錄: {
    def: {
      url: Q('visit-record'),
      domains: [],
      rules: [],
      items: [
        { linkId: '11.1', text: '訪視對象', type: 'choice', required: true, answerValueSet: VS('twss-visit-target-vs') },
        { linkId: '11.2', text: '訪視服務方式', type: 'choice', required: true, answerValueSet: VS('twss-visit-service-method-vs') },
        { linkId: '11.3', text: '訪視開始時間', type: 'dateTime', required: true },
        { linkId: '11.4', text: '訪視結束時間', type: 'dateTime' },
        { linkId: '11.5', text: '訪視摘要', type: 'text' },
      ],
    },
    response: [a('11.1', { code: '1' }), a('11.2', { code: '2' }), a('11.3', { dateTime: '2026-03-01T10:00:00+08:00' }), a('11.5', { string: '案家狀況穩定' })],
  },
};

describe('the format expresses every module of the TWSS Base assessment guide', () => {
  for (const [name, { def, response }] of Object.entries(TWSS)) {
    it(`${name}: the definition is valid, the response validates and round-trips through QuestionnaireResponse.item`, () => {
      expect(validateDefinition(def)).toEqual([]);
      expect(validateAnswers(def, response)).toEqual([]);
      const fhir = toFhirResponseItems(def, response);
      expect(JSON.stringify(fhir)).not.toContain('"answers"');
      expect(fromFhirResponseItems(fhir)).toEqual(response);
      const q = toFhirQuestionnaire({ id: 1, code: 'x', name, versionNo: 1, effectiveFrom: '2025-01-01', effectiveTo: null, archived: false, definition: def });
      expect(q.url).toBe(def.url);
      expect(JSON.stringify(q.item).match(/"linkId"/g)?.length).toBe(JSON.stringify(def.items).match(/"linkId"/g)?.length);
    });
  }

  it('a repeating group, a nested group, a reference and a repeating choice come out as the guide writes them', () => {
    const { def, response } = TWSS['關係人風險狀況']!;
    const fhir = toFhirResponseItems(def, response);
    expect(fhir[0]).toEqual({
      linkId: '3',
      text: '關係人風險狀況',
      item: [
        { linkId: '3.1', text: '被評估關係人', answer: [{ valueReference: { reference: 'Patient/11' } }] },
        { linkId: '3.2', text: '關係人不良犯罪紀錄', answer: [{ valueCoding: { code: '1' } }, { valueCoding: { code: '3' } }] },
        { linkId: '3.3', text: '關係人物質濫用', item: [{ linkId: '3.3.2', text: '是否有酒癮', answer: [{ valueCoding: { code: 'Y' } }] }] },
      ],
    });
    expect(fhir[1]!.linkId).toBe('3');
    const q = toFhirQuestionnaire({ id: 1, code: 'related', name: '關係人風險狀況', versionNo: 2, effectiveFrom: '2025-01-01', effectiveTo: null, archived: false, definition: def });
    expect(q.item[0]).toMatchObject({ linkId: '3', type: 'group', repeats: true, required: true });
    expect(q.item[0]!.item![1]).toMatchObject({ linkId: '3.2', type: 'choice', repeats: true, answerValueSet: VS('twss-relation-criminal-record-vs') });
  });
});
