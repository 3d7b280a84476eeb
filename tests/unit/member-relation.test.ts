import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows, createCenter, errorOf, household, insertCase, type Center } from './households-fixture';

/**
 * A member's relation to the 戶長 corrected in place (issue 11 §1): the membership (its id, its
 * joined date) stays, the earlier relation is kept and shown on the household timeline, the change is
 * audited, and a save over a newer version is refused with who saved it.
 */
describe('households.updateRelation', () => {
  let c: Center;
  beforeAll(async () => {
    c = await createCenter();
  });
  afterAll(async () => c.t.close());

  async function family() {
    const hh = await household(c, c.w1.token, { name: '陳志明' }, { others: [{ person: { name: '陳小華' }, relation: '子女' }, { person: { name: '林秀英' }, relation: '其他親屬' }] });
    await insertCase(c, hh.id, c.w1.id, c.team1);
    const kid = hh.members.find((m) => m.name === '陳小華')!;
    const grandma = hh.members.find((m) => m.name === '林秀英')!;
    return { hh, kid, grandma };
  }

  it('changes the relation in place, keeps the membership and the earlier relation, shows it on the timeline', async () => {
    const { hh, kid } = await family();
    expect(kid.version).toBe(1);
    c.t.clock.advanceMinutes(5);
    const after = await c.t.call('households.updateRelation', { membershipId: kid.membershipId, version: kid.version, relation: '孫子女', reason: '登錄時誤植' }, c.w1.token);
    const row = after.members.find((m) => m.personId === kid.personId)!;
    expect(row).toMatchObject({ membershipId: kid.membershipId, relation: '孫子女', joinedOn: kid.joinedOn, leftOn: null, version: 2 });
    expect(after.members.filter((m) => m.personId === kid.personId)).toHaveLength(1);

    const page = await c.t.call('households.page', { id: hh.id }, c.sup1.token);
    const entry = page.timeline?.rows.find((e) => e.kind === 'relation');
    expect(entry).toMatchObject({ kind: 'relation', personName: '陳小華', fromRelation: '子女', toRelation: '孫子女', reason: '登錄時誤植', byName: 'sw1姓名', at: c.t.clock.now.toISOString() });

    const audit = (await auditRows(c)).filter((a) => a.entity === 'household' && a.action === 'update' && a.entity_id === String(hh.id)).at(-1)!;
    expect(JSON.parse(audit.detail ?? '{}')).toMatchObject({ membershipId: kid.membershipId, relation: { from: '子女', to: '孫子女' } });
    const kept = await c.t.app.ctx.db.selectFrom('household_member_relations').selectAll().where('membership_id', '=', kid.membershipId).execute();
    expect(kept.map((k) => [k.from_relation, k.to_relation, k.changed_by])).toEqual([['子女', '孫子女', c.w1.id]]);
  });

  it('a save over a newer version is refused with who saved it; nothing changes', async () => {
    const { kid } = await family();
    await c.t.call('households.updateRelation', { membershipId: kid.membershipId, version: 1, relation: '孫子女' }, c.sup1.token);
    const stale = errorOf(await c.t.raw('households.updateRelation', { membershipId: kid.membershipId, version: 1, relation: '其他親屬' }, c.w1.token));
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toMatch(/^這筆成員關係已由sup1姓名於 \d{3}\/\d{2}\/\d{2} \d{2}:\d{2} 修改過/);
    const now = await c.t.app.ctx.db.selectFrom('household_members').select(['relation', 'version']).where('id', '=', kid.membershipId).executeTakeFirstOrThrow();
    expect(now).toEqual({ relation: '孫子女', version: 2 });
  });

  it('one 戶長 per household; an unchanged relation, a past member and an unseen household are refused', async () => {
    const { hh, kid, grandma } = await family();
    const twoHeads = errorOf(await c.t.raw('households.updateRelation', { membershipId: kid.membershipId, version: 1, relation: '戶長' }, c.w1.token));
    expect(twoHeads).toMatchObject({ code: 'RULE', fields: { relation: '已有戶長' } });
    const same = errorOf(await c.t.raw('households.updateRelation', { membershipId: kid.membershipId, version: 1, relation: '子女' }, c.w1.token));
    expect(same).toMatchObject({ code: 'VALIDATION', fields: { relation: '與原本相同' } });
    const blank = errorOf(await c.t.raw('households.updateRelation', { membershipId: kid.membershipId, version: 1, relation: '' }, c.w1.token));
    expect(blank).toMatchObject({ code: 'VALIDATION', fields: { relation: '請選擇與戶長的關係' } });
    await c.t.call('households.endMembership', { membershipId: grandma.membershipId, leftOn: '2026-02-01', reason: '遷出' }, c.w1.token);
    const gone = errorOf(await c.t.raw('households.updateRelation', { membershipId: grandma.membershipId, version: 1, relation: '祖父母' }, c.w1.token));
    expect(gone.code).toBe('RULE');
    expect(gone.message).toContain('115/02/01');
    const other = errorOf(await c.t.raw('households.updateRelation', { membershipId: kid.membershipId, version: 1, relation: '孫子女' }, c.w3.token));
    expect(other.code).toBe('NOT_FOUND');
    expect(await c.t.app.ctx.db.selectFrom('household_member_relations').select('id').where('household_id', '=', hh.id).execute()).toEqual([]);
  });
});
