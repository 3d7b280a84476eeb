/**
 * The audit screen's questions, answered by the real dispatcher on a real database (SQLite, and
 * PostgreSQL in the PostgreSQL run): each filter (Taipei day range, user, action, record), readable
 * targets only within the caller's scope, and "who saw this person" including the views of their
 * household and its cases while they were a member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNationalId } from '../../main/contract/national-id';
import { scopeOf } from '../../main/services/access/scope';
import { resolveTargets } from '../../main/services/audit/targets';
import type { Actor } from '../../main/services/context';
import { openSession } from '../helpers/app';
import { auditRows, createCenter, household, insertCase, person, type Center } from './households-fixture';

describe('audit.list: filters, readable targets, who saw this person', () => {
  let c: Center;
  let hhA: number;
  let hhB: number;
  let caseA: { id: number; caseNo: string };
  let p: number;
  const pid = makeNationalId('B', '1', '2345678');
  /** Rows written by the story, keyed by what happened. */
  const mark = {} as Record<string, number> & { supView: number; reveal: number; caseView: number; lateView: number };
  const lastId = async () => (await auditRows(c)).at(-1)?.id as number;
  /** Moves the clock and signs everyone in again (a session lasts less than the days this story spans). */
  const advance = async (minutes: number) => {
    c.t.clock.advanceMinutes(minutes);
    const now = c.t.clock.now;
    for (const u of [c.w1, c.w3, c.sup1, c.auditor]) u.token = await openSession(c.t.app, u.id, now);
    c.admin = await openSession(c.t.app, c.adminId, now);
  };
  const list = (input: Parameters<Center['t']['call']>[1] & object, token = c.admin) => c.t.call('audit.list', { limit: 500, ...input } as never, token);

  beforeAll(async () => {
    c = await createCenter();
    // 2026-03-05 10:00 Taipei. Household A (team 1, sw1's case), household B (team 2).
    hhA = (await household(c, c.w1.token, { name: '陳志明' })).id;
    caseA = await insertCase(c, hhA, c.w1.id, c.team1);
    hhB = (await household(c, c.w3.token, { name: '林美玲' })).id;
    await c.t.call('households.page', { id: hhA }, c.w1.token);
    mark.viewBeforeJoin = await lastId();
    await advance(5);
    // 王小明 is entered the same day, joining from the next day.
    p = (await person(c, c.w1.token, { name: '王小明', nationalId: pid })).id;
    mark.personCreate = await lastId();
    await c.t.call('households.addMember', { householdId: hhA, personId: p, relation: '子女', joinedOn: '2026-03-06' }, c.w1.token);
    mark.addMember = await lastId();
    // 2026-03-06 10:00 Taipei.
    await advance(24 * 60);
    await c.t.call('households.page', { id: hhA }, c.sup1.token);
    mark.supView = await lastId();
    await c.t.call('cases.get', { id: caseA.id }, c.w1.token);
    mark.caseView = await lastId();
    await c.t.call('households.page', { id: hhB }, c.w3.token);
    mark.otherView = await lastId();
    await c.t.call('persons.revealId', { personId: p }, c.admin);
    mark.reveal = await lastId();
    // 2026-03-07 23:30 Taipei (15:30 UTC), then 2026-03-08 00:30 Taipei (still 03-07 in UTC).
    await advance(24 * 60 + 13 * 60 + 30);
    await c.t.call('households.page', { id: hhA }, c.w1.token);
    mark.lateView = await lastId();
    await advance(60);
    await c.t.call('households.page', { id: hhB }, c.w3.token);
    mark.afterMidnight = await lastId();
  });
  afterAll(async () => {
    await c?.t.close();
  });

  it('a day range is in Taipei days, both ends inclusive', async () => {
    const day7 = await list({ from: '2026-03-07', to: '2026-03-07' });
    expect(day7.rows.map((r) => r.id)).toEqual([mark.lateView]);
    const day8 = await list({ from: '2026-03-08', to: '2026-03-08', entity: 'household' });
    expect(day8.rows.map((r) => r.id)).toEqual([mark.afterMidnight]);
    const both = await list({ from: '2026-03-06', to: '2026-03-08', entity: 'household', action: 'view' });
    expect(both.rows.map((r) => r.id)).toEqual([mark.afterMidnight, mark.lateView, mark.otherView, mark.supView]);
    expect(both.total).toBe(4);
  });

  it('an end before the start is refused beside the end date', async () => {
    const env = await c.t.raw('audit.list', { from: '2026-03-07', to: '2026-03-06' }, c.admin);
    expect(env.ok).toBe(false);
    if (!env.ok) expect(JSON.stringify(env.error)).toContain('結束日期不能早於開始日期');
  });

  it('by user: only that user\'s rows, and all of them', async () => {
    const r = await list({ actorId: c.w3.id });
    const all = (await auditRows(c)).filter((a) => a.actor_id === c.w3.id);
    expect(r.total).toBe(all.length);
    expect(r.rows.map((x) => x.id).sort((a, b) => a - b)).toEqual(all.map((a) => a.id));
    expect(r.rows.map((x) => x.id)).toContain(mark.otherView);
  });

  it('by action and by record', async () => {
    const caseViews = await list({ action: 'view', entity: 'case' });
    expect(caseViews.rows.map((x) => x.id)).toEqual([mark.caseView]);
    const ofA = await list({ entity: 'household', entityId: String(hhA) });
    expect(ofA.rows.length).toBeGreaterThanOrEqual(4);
    expect(ofA.rows.every((x) => x.entity === 'household' && x.entityId === String(hhA))).toBe(true);
    const ofB = await list({ entity: 'household', entityId: String(hhB) });
    expect(ofB.rows.map((x) => x.id)).not.toContain(mark.lateView);
  });

  it('the administrator reads names: household head and place, the person masked, the case number', async () => {
    const r = await list({});
    const byId = new Map(r.rows.map((x) => [x.id, x]));
    expect(byId.get(mark.supView as number)?.targetName).toBe('陳志明（南投市中興里）');
    expect(byId.get(mark.reveal as number)?.targetName).toBe(`王小明（${pid.slice(0, 3)}****${pid.slice(7)}）`);
    expect(byId.get(mark.caseView as number)?.targetName).toBe(`${caseA.caseNo} 陳志明（南投市中興里）`);
    expect(JSON.stringify(r)).not.toContain(pid);
  });

  it('the 稽核 role sees every row but no name of a household, person or case', async () => {
    const r = await list({}, c.auditor.token);
    expect(r.rows.map((x) => x.id)).toContain(mark.reveal);
    for (const row of r.rows.filter((x) => ['household', 'person', 'case', 'concern', 'care_load'].includes(x.entity))) expect(row.targetName).toBeNull();
    const text = JSON.stringify(r);
    for (const name of ['陳志明', '王小明', '林美玲']) expect(text).not.toContain(name);
  });

  it('names resolve only within the caller\'s scope: a worker of another team sees no name of household A', async () => {
    const rows = (await auditRows(c)).map((a) => ({ entity: a.entity, entityId: a.entity_id }));
    const scopeFor = async (id: number) => {
      const u = await c.t.app.ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return scopeOf(c.t.app.ctx.db, { userId: u.id, username: u.username, displayName: u.display_name, role: u.role, teamId: u.team_id } as Actor);
    };
    const w3 = [...(await resolveTargets(c.t.app.ctx.db, await scopeFor(c.w3.id), rows)).entries()];
    const w3Text = JSON.stringify(w3);
    expect(w3Text).not.toContain('陳志明');
    expect(w3Text).not.toContain('王小明');
    expect(w3.some(([k]) => k === `household:${hhA}` || k === `person:${p}` || k === `case:${caseA.id}`)).toBe(false);
    // The same worker does get the names of their own household, and sw1 those of household A.
    expect(w3Text).toContain('林美玲');
    const w1Text = JSON.stringify([...(await resolveTargets(c.t.app.ctx.db, await scopeFor(c.w1.id), rows)).entries()]);
    expect(w1Text).toContain('陳志明');
    expect(w1Text).not.toContain('林美玲');
  });

  it('who saw this person: the person, and their household and its case while a member; not before, not other households', async () => {
    const r = await list({ subject: { kind: 'person', id: p } });
    const ids = r.rows.map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining([mark.personCreate, mark.addMember, mark.supView, mark.caseView, mark.reveal, mark.lateView]));
    expect(ids).not.toContain(mark.viewBeforeJoin);
    expect(ids).not.toContain(mark.otherView);
    expect(ids).not.toContain(mark.afterMidnight);
    expect(r.subjectName).toBe(`王小明（${pid.slice(0, 3)}****${pid.slice(7)}）`);
    // With a range: only what falls within it.
    const day6 = await list({ subject: { kind: 'person', id: p }, from: '2026-03-06', to: '2026-03-06' });
    expect(day6.rows.map((x) => x.id).sort((a, b) => a - b)).toEqual([mark.supView, mark.caseView, mark.reveal]);
    // The question itself is kept in the log.
    const asked = (await auditRows(c)).filter((a) => a.entity === 'audit_log').at(-1);
    expect(JSON.parse(asked?.detail ?? '{}')).toMatchObject({ subject: { kind: 'person', id: p }, from: '2026-03-06' });
  });

  it('who saw this household: every view of it, of its case and of its members', async () => {
    const r = await list({ subject: { kind: 'household', id: hhA } });
    const ids = r.rows.map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining([mark.viewBeforeJoin, mark.supView, mark.caseView, mark.reveal, mark.lateView, mark.personCreate]));
    expect(ids).not.toContain(mark.otherView);
    expect(r.subjectName).toBe('陳志明（南投市中興里）');
  });

  it('paging: offset and limit over the filtered rows, newest first', async () => {
    // Household views only: every audit.list call adds a view of the log itself.
    const all = await list({ action: 'view', entity: 'household' });
    const page2 = await list({ action: 'view', entity: 'household', offset: 2, limit: 2 });
    expect(page2.total).toBe(all.total);
    expect(page2.rows.map((x) => x.id)).toEqual(all.rows.slice(2, 4).map((x) => x.id));
  });

  it('the user filter lists accounts for 稽核 and 管理者 only', async () => {
    const actors = await c.t.call('audit.actors', {}, c.auditor.token);
    expect(actors.find((a) => a.id === c.w1.id)?.name).toBe('sw1姓名（sw1）');
    const env = await c.t.raw('audit.actors', {}, c.w1.token);
    expect(env.ok).toBe(false);
  });
});
