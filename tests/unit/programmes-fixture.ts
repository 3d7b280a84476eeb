/**
 * A small center (households-fixture's) with the people the programme tests use:
 * four households created by 社工 sw1 (team 1), with children of various ages and
 * income statuses. Clock: the fixture's 2026-03-05; tests move it.
 */
import type { Envelope } from '../../main/contract/envelope';
import { setIdleLockMinutes } from '../helpers/app';
import { createCenter, household, type Center } from './households-fixture';

export interface ProgrammeCenter extends Center {
  h: { h1: number; h2: number; h3: number; h4: number };
  p: Record<'a1' | 'a2' | 'a3' | 'a4' | 'k1' | 'k2' | 'k3' | 'k4' | 'k5' | 'k6', number>;
}

export async function createProgrammeCenter(): Promise<ProgrammeCenter> {
  const c = await createCenter();
  await setIdleLockMinutes(c.t.app, 365 * 24 * 60); // tests move the clock by months
  const tok = c.w1.token;
  const byName = (hh: Awaited<ReturnType<typeof household>>, name: string) => {
    const m = hh.members.find((x) => x.name === name);
    if (!m) throw new Error(`no member ${name}`);
    return m.personId;
  };
  // H1: 低收; K1 born 2018 (eligible), K2 born 2015 (too old).
  const h1 = await household(c, tok, { name: '林志明', birthDate: '1985-02-01', incomeStatus: 'low' }, {
    others: [
      { person: { name: '林小安', birthDate: '2018-05-01' }, relation: '子女' },
      { person: { name: '林小平', birthDate: '2015-06-01' }, relation: '子女' },
    ],
  });
  // H2: 中低收; K3 born 2020, K6 born 2022 (both eligible).
  const h2 = await household(c, tok, { name: '陳美玲', birthDate: '1988-03-01', incomeStatus: 'mid-low' }, {
    street: '民族路5號',
    others: [
      { person: { name: '陳小華', birthDate: '2020-01-01' }, relation: '子女' },
      { person: { name: '陳小玉', birthDate: '2022-07-01' }, relation: '子女' },
    ],
  });
  // H3: no status; K4 born 2019 (eligible only once placed).
  const h3 = await household(c, tok, { name: '黃建國', birthDate: '1980-01-01' }, { street: '復興路8號', others: [{ person: { name: '黃小明', birthDate: '2019-01-01' }, relation: '子女' }] });
  // H4: no status; K5 born 2017 (not eligible).
  const h4 = await household(c, tok, { name: '張淑芬', birthDate: '1990-01-01' }, { street: '和平路3號', others: [{ person: { name: '張小雨', birthDate: '2017-01-01' }, relation: '子女' }] });
  return {
    ...c,
    h: { h1: h1.id, h2: h2.id, h3: h3.id, h4: h4.id },
    p: {
      a1: byName(h1, '林志明'),
      k1: byName(h1, '林小安'),
      k2: byName(h1, '林小平'),
      a2: byName(h2, '陳美玲'),
      k3: byName(h2, '陳小華'),
      k6: byName(h2, '陳小玉'),
      a3: byName(h3, '黃建國'),
      k4: byName(h3, '黃小明'),
      a4: byName(h4, '張淑芬'),
      k5: byName(h4, '張小雨'),
    },
  };
}

/**
 * Moves the clock to a Taipei morning and carries the center's sessions along (a session ends
 * 12 hours after sign-in; these tests jump months, and sign-in is not what they are about).
 */
export async function setToday(c: Center, iso: string): Promise<void> {
  c.t.clock.now = new Date(`${iso}T02:00:00.000Z`);
  const now = c.t.clock.now;
  await c.t.app.database.db
    .updateTable('sessions')
    .set({ created_at: now.toISOString(), last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + 12 * 60 * 60 * 1000).toISOString() })
    .execute();
}

/** Row counts of every table this domain writes, plus the audit log: a refused call must leave them unchanged. */
export async function programmeCounts(c: Center): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'programmes',
    'programme_enrolments',
    'programme_sessions',
    'programme_attendance',
    'child_placements',
    'child_accounts',
    'child_deposits',
    'child_account_followups',
    'meetings',
    'outreach_events',
    'audit_log',
  ] as const) {
    const r = await c.t.app.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

export function refusal(env: Envelope<unknown>) {
  if (env.ok) throw new Error(`expected a refusal, got ${JSON.stringify(env.value).slice(0, 200)}`);
  return env.error;
}
