import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput } from '../../main/contract/api';
import type { ServiceRecordView } from '../../main/contract/types-cases';
import { createFixture, refused, type Fixture } from './cases-fixture';

/**
 * Correcting a service record (issue 11 §1): the earlier state is kept with who, when and why; a
 * stale save is refused; only the author and the team's 督導 may correct it and read the earlier
 * narrative; the audit log never carries a narrative.
 */
describe('correcting a service record', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  const ORIGINAL = '案母表示失眠三週，談到想帶孩子回娘家。';
  const CORRECTED = '案母表示失眠兩週，暫不考慮搬回娘家。';

  /** A record by w1 on a case of team 1 on which w2 is 協力 (so w2 may open it, but did not write it). */
  async function recordWithAssistant(): Promise<{ rec: ServiceRecordView; caseId: number; householdId: number; persons: number[] }> {
    const c = await f.caseIn('處遇中');
    await f.call(f.sup1, 'cases.assign', { id: c.id, leadWorkerId: f.w1.id, assistantIds: [f.w2.id] });
    const persons = (await f.t.app.ctx.db.selectFrom('household_members').select('person_id').where('household_id', '=', c.householdId).orderBy('id').execute()).map((m) => m.person_id);
    const rec = await f.call(f.w1, 'records.create', {
      householdId: c.householdId,
      caseId: c.id,
      occurredAt: f.ago(120),
      method: '面訪家庭',
      participants: [persons[0] as number],
      minutes: 60,
      items: ['福利諮詢'],
      narrative: ORIGINAL,
      nextFollowUp: null,
    });
    return { rec, caseId: c.id, householdId: c.householdId, persons };
  }

  const correction = (rec: ServiceRecordView, extra: Partial<ApiInput<'records.update'>> = {}): ApiInput<'records.update'> => ({
    id: rec.id,
    version: rec.version,
    occurredAt: rec.occurredAt,
    method: rec.method,
    participants: rec.participants.map((p) => p.id),
    minutes: rec.minutes,
    items: rec.items,
    nextFollowUp: rec.nextFollowUp,
    reason: '誤植服務時間與內容',
    ...extra,
  });

  it('a correction keeps the original in the history with who, when and why; the record says it was edited', async () => {
    const { rec, persons } = await recordWithAssistant();
    f.t.clock.advanceMinutes(10);
    const after = await f.call(f.w1, 'records.update', correction(rec, { minutes: 45, method: '電訪家庭', participants: [persons[1] as number, persons[0] as number], narrative: CORRECTED }));
    expect(after).toMatchObject({ minutes: 45, method: '電訪家庭', version: rec.version + 1, editCount: 1, lastEditedAt: f.t.clock.now.toISOString(), canEdit: true });
    expect((await f.call(f.w1, 'records.narrative', { id: rec.id })).narrative).toBe(CORRECTED);

    const h = await f.call(f.w1, 'records.history', { id: rec.id });
    expect(h.narrativeVisible).toBe(true);
    expect(h.edits).toHaveLength(1);
    const e = h.edits[0]!;
    expect(e).toMatchObject({ at: f.t.clock.now.toISOString(), by: { id: f.w1.id, name: '張社工' }, reason: '誤植服務時間與內容' });
    expect(e.changed).toEqual(['method', 'minutes', 'participants', 'narrative']);
    expect(e.before).toMatchObject({ version: 1, minutes: 60, method: '面訪家庭', narrative: ORIGINAL, writtenBy: { id: f.w1.id } });
    expect(e.before.participants.map((p) => p.id)).toEqual([persons[0]]);
    expect(e.after).toMatchObject({ version: 2, minutes: 45, method: '電訪家庭', narrative: CORRECTED });
    expect(e.after.participants).toHaveLength(2);

    // A second correction without the narrative leaves it alone and adds a second earlier state.
    f.t.clock.advanceMinutes(5);
    const again = await f.call(f.w1, 'records.update', correction(after, { minutes: 50, reason: '分鐘數再更正' }));
    expect(again.editCount).toBe(2);
    const h2 = await f.call(f.w1, 'records.history', { id: rec.id });
    expect(h2.edits.map((x) => x.reason)).toEqual(['分鐘數再更正', '誤植服務時間與內容']);
    expect(h2.edits[0]!.changed).toEqual(['minutes']);
    expect(h2.edits[0]!.before.narrative).toBe(CORRECTED);
    const rows = await f.t.app.ctx.db.selectFrom('service_record_versions').selectAll().where('record_id', '=', rec.id).orderBy('version').execute();
    expect(rows.map((r) => [r.version, r.minutes, r.narrative])).toEqual([
      [1, 60, ORIGINAL],
      [2, 45, CORRECTED],
    ]);
  });

  it('a reason is required, beside its field; a correction that changes nothing is refused', async () => {
    const { rec } = await recordWithAssistant();
    for (const reason of [undefined, '   ']) {
      const input = { ...correction(rec, { minutes: 30 }), reason } as unknown as ApiInput<'records.update'>;
      const env = await f.raw(f.w1, 'records.update', input);
      expect(env.ok).toBe(false);
      if (!env.ok) {
        expect(env.error.code).toBe('VALIDATION');
        expect(env.error.fields?.reason).toBe('請填寫修改原因');
      }
    }
    const same = await refused(f.call(f.w1, 'records.update', correction(rec)));
    expect(same.code).toBe('RULE');
    expect(same.message).toContain('沒有任何變更');
    expect(await f.t.app.ctx.db.selectFrom('service_record_versions').select('id').where('record_id', '=', rec.id).execute()).toEqual([]);
  });

  it('a save over a newer version is refused with who saved it and when, and keeps nothing', async () => {
    const { rec } = await recordWithAssistant();
    f.t.clock.advanceMinutes(2);
    await f.call(f.sup1, 'records.update', correction(rec, { minutes: 40, reason: '督導更正' }));
    const stale = await refused(f.call(f.w1, 'records.update', correction(rec, { minutes: 70, narrative: '後來的修改' })));
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toMatch(/^這筆服務紀錄已由 王督導 於 \d{3}\/\d{2}\/\d{2} \d{2}:\d{2} 修改過/);
    const rows = await f.t.app.ctx.db.selectFrom('service_record_versions').select(['version', 'reason']).where('record_id', '=', rec.id).execute();
    expect(rows).toEqual([{ version: 1, reason: '督導更正' }]);
    expect((await f.call(f.w1, 'records.narrative', { id: rec.id })).narrative).toBe(ORIGINAL);
  });

  it('who may correct: the author and the team 督導; not a 協力 worker, another team, the 管理者; not on a closed case', async () => {
    const { rec } = await recordWithAssistant();
    expect((await f.call(f.w2, 'records.list', { caseId: rec.caseId as number })).rows[0]).toMatchObject({ id: rec.id, canEdit: false });
    expect((await f.call(f.sup1, 'records.list', { caseId: rec.caseId as number })).rows[0]).toMatchObject({ canEdit: true });
    expect((await refused(f.call(f.w2, 'records.update', correction(rec, { minutes: 20 })))).code).toBe('FORBIDDEN');
    expect((await refused(f.call(f.sup2, 'records.update', correction(rec, { minutes: 20 })))).code).toBe('NOT_FOUND');
    expect((await refused(f.call(f.w3, 'records.update', correction(rec, { minutes: 20 })))).code).toBe('NOT_FOUND');
    expect((await refused(f.call(f.admin, 'records.update', correction(rec, { minutes: 20 })))).code).toBe('FORBIDDEN');
    const bySup = await f.call(f.sup1, 'records.update', correction(rec, { minutes: 20 }));
    expect(bySup.minutes).toBe(20);

    // A record on a case whose closing was approved is locked with the case.
    const c = await f.caseIn('結案審查中');
    const onClosing = await f.call(f.w1, 'records.create', { householdId: c.householdId, caseId: c.id, occurredAt: f.ago(30), method: '電訪家庭', participants: [], minutes: 10, items: ['福利諮詢'], narrative: '結案前電訪' });
    await f.call(f.sup1, 'cases.decide', { requestId: c.pendingRequest?.id as number, approve: true, comment: '同意結案' });
    const locked = await refused(f.call(f.w1, 'records.update', correction(onClosing, { minutes: 15 })));
    expect(locked.code).toBe('RULE');
    expect(locked.message).toContain('已結案');
    expect(locked.message).toContain('鎖定');
    expect((await f.call(f.w1, 'records.list', { caseId: c.id })).rows[0]?.canEdit).toBe(false);
  });

  it('the earlier narrative reaches the author and the 督導 only, through every call that returns the history', async () => {
    const { rec, caseId, householdId } = await recordWithAssistant();
    await f.call(f.w1, 'records.update', correction(rec, { minutes: 45, narrative: CORRECTED }));

    const bySup = await f.call(f.sup1, 'records.history', { id: rec.id });
    expect(bySup.narrativeVisible).toBe(true);
    expect(bySup.edits[0]?.before.narrative).toBe(ORIGINAL);

    // w2 (協力) opens the record and its current narrative, but never the earlier text.
    const byOther = await f.call(f.w2, 'records.history', { id: rec.id });
    expect(byOther.narrativeVisible).toBe(false);
    expect(byOther.edits).toHaveLength(1);
    expect(byOther.edits[0]).toMatchObject({ reason: '誤植服務時間與內容', changed: ['minutes', 'narrative'], by: { name: '張社工' } });
    expect(byOther.edits[0]?.before).not.toHaveProperty('narrative');
    const seenByOther = JSON.stringify([
      byOther,
      await f.call(f.w2, 'records.list', { caseId }),
      await f.call(f.w2, 'records.list', { householdId }),
      await f.call(f.w2, 'households.page', { id: householdId }),
      await f.call(f.w2, 'households.timeline', { id: householdId }),
    ]);
    expect(seenByOther).not.toContain('失眠三週');
    expect(seenByOther).not.toContain('娘家');
    expect((await f.call(f.w2, 'records.narrative', { id: rec.id })).narrative).toBe(CORRECTED);
    expect((await f.call(f.w2, 'records.list', { caseId })).rows[0]).toMatchObject({ editCount: 1 });

    // The 管理者 reads the record but is neither its author nor its 督導.
    const byAdmin = await f.call(f.admin, 'records.history', { id: rec.id });
    expect(byAdmin.narrativeVisible).toBe(false);
    expect(JSON.stringify(byAdmin)).not.toContain('失眠');
    // Other teams do not learn the record exists.
    expect((await refused(f.call(f.sup2, 'records.history', { id: rec.id }))).code).toBe('NOT_FOUND');
    expect((await refused(f.call(f.clerk, 'records.history', { id: rec.id }))).code).toBe('FORBIDDEN');
  });

  it('audit rows name the fields and the versions, never a narrative or the reason', async () => {
    const { rec } = await recordWithAssistant();
    await f.call(f.w1, 'records.update', correction(rec, { minutes: 45, narrative: CORRECTED, reason: '案母來電更正：失眠兩週' }));
    await f.call(f.w2, 'records.history', { id: rec.id });
    await f.call(f.sup1, 'records.history', { id: rec.id });
    const rows = await f.t.app.ctx.db.selectFrom('audit_log').selectAll().where('entity_id', '=', String(rec.id)).where('entity', 'like', 'service_record%').orderBy('id').execute();
    expect(rows.map((r) => [r.action, r.entity])).toEqual([
      ['create', 'service_record'],
      ['update', 'service_record'],
      ['view', 'service_record.history'],
      ['view', 'service_record.history'],
    ]);
    expect(JSON.parse(rows[1]!.detail ?? '{}')).toMatchObject({ changed: ['minutes', 'narrative'], version: { from: 1, to: 2 } });
    const all = JSON.stringify(await f.t.app.ctx.db.selectFrom('audit_log').selectAll().execute());
    expect(all).not.toContain('失眠');
    expect(all).not.toContain('娘家');
  });
});
