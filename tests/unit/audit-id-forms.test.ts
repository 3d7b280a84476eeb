/**
 * Issue 9 §7: a national ID typed in another form (full-width, lower case, spaces, dashes,
 * zero-width characters between the characters) must not reach the append-only audit log
 * unmasked. Each form goes in through real API calls: as the username of a failed sign-in, and
 * inside a programme name the audit detail carries. Then the audit_log table is read back, and
 * read the way someone hunting IDs would: NFKC, invisible characters and separators dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCenter, type Center } from './households-fixture';

const ID = 'A123456789';
const OLD_RESIDENT = 'AC01234567';
const FORMS: Record<string, string> = {
  'plain': ID,
  'lower case': ID.toLowerCase(),
  'full-width': 'Ａ１２３４５６７８９',
  'full-width lower case': 'ａ１２３４５６７８９',
  'spaces': 'A 123 456 789',
  'ideographic spaces': 'A\u3000123\u3000456\u3000789',
  'dashes': 'A12-345-6789',
  'full-width dashes': 'A12－345－6789',
  'other dashes': 'A12\u2010345\u20136789',
  'zero-width between every character': [...ID].join('\u200B'),
  'word joiners and soft hyphens': 'A1\u206023\u00AD456789',
  'dots and slashes': 'A.123/456.789',
  'old resident certificate, lower case, spaced': 'ac 0123 4567',
};

/** What a reader of the log could recover: NFKC, upper case, everything but letters and digits gone. */
const recoverable = (s: string) => s.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9*]/g, '');

describe('issue 9 §7: national IDs in other forms never reach the audit log unmasked', () => {
  let c: Center;
  beforeAll(async () => {
    c = await createCenter();
  });
  afterAll(async () => {
    await c.t.close();
  });

  it.each(Object.entries(FORMS))('%s, typed as a sign-in username', async (_form, typed) => {
    c.t.clock.advanceMinutes(30); // apart, so no throttle on repeated failures stands in the way
    const env = await c.t.raw('auth.login', { username: typed, password: 'Wrong12345' });
    expect(env.ok).toBe(false);
    const row = await c.t.app.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'login.failed').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const text = `${row.actor_name} ${row.entity_id ?? ''} ${row.detail ?? ''}`;
    expect(recoverable(text)).not.toContain(ID);
    expect(recoverable(text)).not.toContain(OLD_RESIDENT);
    // No account has that name, so the log keeps its first two characters only: the auditor still sees an attempt.
    expect(row.actor_name).toMatch(/^.{2}…（不存在的帳號）$/u);
  });

  it.each(Object.entries(FORMS))('%s, inside text an audit detail carries', async (_form, typed) => {
    await c.t.call('programmes.create', { name: `方案 ${typed} 專用`, type: '團體工作', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'running' }, c.admin);
    const row = await c.t.app.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'programme').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(recoverable(row.detail ?? '')).not.toContain(ID);
    expect(recoverable(row.detail ?? '')).not.toContain(OLD_RESIDENT);
    expect(JSON.parse(row.detail ?? '{}').name).toMatch(/^方案 .*\*{4}.* 專用$/);
  });

  it('text that only looks like numbers is left alone: phone numbers, case numbers, dates', async () => {
    await c.t.call('programmes.create', { name: '電話 0912-345-678 案號 115-000123 日期 115/03/05', type: '團體工作', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'running' }, c.admin);
    const row = await c.t.app.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'programme').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(JSON.parse(row.detail ?? '{}').name).toBe('電話 0912-345-678 案號 115-000123 日期 115/03/05');
  });

  it('the chain still verifies', async () => {
    expect((await c.t.call('audit.verify', {}, c.admin)).ok).toBe(true);
  });
});
