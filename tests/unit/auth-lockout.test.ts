/**
 * Issue 9, item 1: guessing passwords in parallel. Every attack goes through the real dispatcher on a
 * real database; `verificationCount()` counts the scrypt hashes the process actually checked, which is
 * what an attacker gets out of a burst. Time moves with the test clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../main/contract/envelope';
import { verificationCount } from '../../main/services/auth/passwords';
import { ADMIN_PASSWORD, createTestApp, USER_PASSWORD, type TestApp } from '../helpers/app';
import { row as dbRow, rows as dbRows } from '../helpers/db';

function errorOf(env: Envelope<unknown>): { code: string; message: string } {
  if (env.ok) throw new Error(`expected a refusal, got ${JSON.stringify(env.value)}`);
  return env.error;
}

/** Prints the figure for the closing note (vitest shows console output of a failing test). */
function figure(label: string, value: unknown): void {
  console.info(`[issue 9 figure] ${label}: ${JSON.stringify(value)}`);
}

describe('parallel guessing (issue 9, item 1)', () => {
  let t: TestApp;
  let adminToken: string;
  let worker: { id: number; token: string };

  beforeEach(async () => {
    t = await createTestApp();
    adminToken = await t.setupAdmin();
    worker = await t.createUser(adminToken, 'chen', 'worker');
  });
  afterEach(async () => {
    await t.close();
  });

  const login = (username: string, password: string, source = '10.0.0.9') => t.raw('auth.login', { username, password }, null, 'http', source);

  it('299 wrong passwords at once: at most 5 are checked, the right one sent in the same burst is refused, and it works after the lock', async () => {
    const before = verificationCount();
    const burst = Array.from({ length: 299 }, (_, i) => login('chen', `Wrong${i}pass`));
    const right = login('chen', USER_PASSWORD);
    const results = await Promise.all([...burst, right]);
    const checked = verificationCount() - before;
    const succeeded = results.filter((r) => r.ok).length;
    figure('299 parallel wrong + 1 right login: hashes checked', checked);
    figure('299 parallel wrong + 1 right login: successes', succeeded);
    expect(checked).toBeLessThanOrEqual(5);
    expect(succeeded).toBe(0);
    expect(new Set(results.map((r) => errorOf(r).code))).toEqual(new Set(['BAD_CREDENTIALS', 'ACCOUNT_LOCKED']));
    // Still locked afterwards, even with the right password, and the refusal costs no hash.
    const later = verificationCount();
    expect(errorOf(await login('chen', USER_PASSWORD)).code).toBe('ACCOUNT_LOCKED');
    expect(verificationCount()).toBe(later);
    t.clock.advanceMinutes(15);
    expect((await login('chen', USER_PASSWORD)).ok).toBe(true);
  }, 120_000);

  it('a success never clears a lock set while its hash was being checked', async () => {
    // Four wrong in a row, then the right password racing a fifth wrong one.
    for (let i = 0; i < 4; i++) expect(errorOf(await login('chen', `Bad${i}pass1`)).code).toBe('BAD_CREDENTIALS');
    const [right, wrong] = await Promise.all([login('chen', USER_PASSWORD), login('chen', 'Bad5pass1')]);
    // Either the right one was counted first (and wins, the wrong one only starts a new count) or the lock
    // came first; never both a success and a lock left behind.
    const row = (await dbRow(t.app, 'select locked_until from users where id = ?', worker.id)) as { locked_until: string | null };
    if (right.ok) {
      expect(errorOf(wrong).code).toBe('BAD_CREDENTIALS');
      expect(row.locked_until).toBeNull();
    } else {
      expect(errorOf(right).code).toBe('ACCOUNT_LOCKED');
      expect(row.locked_until).not.toBeNull();
    }
  });

  it('50 wrong passwords at the lock screen at once: at most 5 are checked, the session ends, the right one does not unlock', async () => {
    await t.call('auth.lock', {}, worker.token);
    const before = verificationCount();
    const burst = Array.from({ length: 50 }, (_, i) => t.raw('auth.unlock', { password: `Guess${i}abc` }, worker.token, 'http', '10.0.0.9'));
    const right = t.raw('auth.unlock', { password: USER_PASSWORD }, worker.token, 'http', '10.0.0.9');
    const results = await Promise.all([...burst, right]);
    const checked = verificationCount() - before;
    figure('50 parallel wrong + 1 right unlock: hashes checked', checked);
    figure('50 parallel wrong + 1 right unlock: successes', results.filter((r) => r.ok).length);
    expect(checked).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.ok)).toHaveLength(0);
    expect(errorOf(await t.raw('settings.get', {}, worker.token, 'http')).code).toBe('UNAUTHENTICATED');
  }, 60_000);

  it('50 wrong current passwords at "change password" at once: at most 5 are checked, the password stays', async () => {
    const before = verificationCount();
    const burst = Array.from({ length: 50 }, (_, i) =>
      t.raw('auth.changePassword', { currentPassword: `Guess${i}abc`, newPassword: 'Taken12345' }, worker.token, 'http', '10.0.0.9'),
    );
    const results = await Promise.all(burst);
    const checked = verificationCount() - before;
    figure('50 parallel wrong changePassword: hashes checked', checked);
    expect(checked).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.ok)).toHaveLength(0);
    t.clock.advanceMinutes(15);
    expect((await login('chen', USER_PASSWORD)).ok).toBe(true);
  }, 60_000);

  it('an unknown username gets exactly the answers a real one gets, also after the fifth try', async () => {
    const answers = async (username: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) {
        const e = errorOf(await login(username, `Nope${i}pass`, `10.1.0.${username.length}`));
        out.push(`${e.code} ${e.message}`);
      }
      return out;
    };
    const known = await answers('chen');
    const unknown = await answers('ghost');
    figure('answers to 7 wrong tries, known vs unknown username identical', JSON.stringify(known) === JSON.stringify(unknown));
    expect(known[4]).toMatch(/^ACCOUNT_LOCKED /);
    expect(unknown).toEqual(known);
  });

  it('a locked account answers about as slowly as a wrong password, without hashing', async () => {
    const timed = async (username: string, source: string) => {
      const started = performance.now();
      const env = await login(username, 'Wrong12345', source);
      return { code: errorOf(env).code, ms: performance.now() - started };
    };
    for (let i = 0; i < 5; i++) await timed('chen', '10.0.9.1');
    const wrong: number[] = [];
    const locked: number[] = [];
    for (let i = 0; i < 3; i++) {
      wrong.push((await timed(`nobody${i}`, `10.0.9.${10 + i}`)).ms);
      const before = verificationCount();
      const l = await timed('chen', '10.0.9.1');
      expect(l.code).toBe('ACCOUNT_LOCKED');
      expect(verificationCount()).toBe(before);
      locked.push(l.ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] as number;
    figure('median ms: wrong password vs locked account', { wrong: Math.round(median(wrong)), locked: Math.round(median(locked)) });
    expect(median(locked)).toBeGreaterThan(median(wrong) * 0.5);
  });

  it('guesses from one address lock the administrator out from that address only, and only for 15 minutes', async () => {
    for (let i = 0; i < 5; i++) await login('admin', `Evil${i}pass`, '10.0.0.66');
    expect(errorOf(await login('admin', ADMIN_PASSWORD, '10.0.0.66')).code).toBe('ACCOUNT_LOCKED');
    // The administrator at another PC, or at the desktop window, still signs in.
    expect((await login('admin', ADMIN_PASSWORD, '10.0.0.5')).ok).toBe(true);
    expect((await t.raw('auth.login', { username: 'admin', password: ADMIN_PASSWORD }, null, 'ipc')).ok).toBe(true);
    t.clock.advanceMinutes(15);
    expect((await login('admin', ADMIN_PASSWORD, '10.0.0.66')).ok).toBe(true);
  });

  it('guesses from many addresses lock the account everywhere, but for 15 minutes, and an administrator can lift it', async () => {
    for (let s = 0; s < 4; s++) for (let i = 0; i < 5; i++) await login('chen', `Evil${i}pass`, `10.0.3.${s}`);
    expect(errorOf(await login('chen', USER_PASSWORD, '10.0.0.5')).code).toBe('ACCOUNT_LOCKED');
    expect(errorOf(await t.raw('auth.login', { username: 'chen', password: USER_PASSWORD }, null, 'ipc')).code).toBe('ACCOUNT_LOCKED');
    const admin = await t.raw('auth.login', { username: 'admin', password: ADMIN_PASSWORD }, null, 'ipc');
    if (!admin.ok) throw new Error('admin sign-in failed');
    await t.call('users.unlock', { id: worker.id }, (admin.value as { token: string }).token);
    expect((await login('chen', USER_PASSWORD, '10.0.0.5')).ok).toBe(true);
  });

  it('one address spraying one guess at many usernames is throttled; another address is not', async () => {
    const before = verificationCount();
    const answers: string[] = [];
    for (let i = 0; i < 40; i++) answers.push(errorOf(await login(`user${i}`, 'Spring2026', '10.0.0.77')).code);
    const checked = verificationCount() - before;
    figure('40 usernames x 1 guess from one address: hashes checked', checked);
    expect(checked).toBeLessThanOrEqual(30);
    expect(answers.at(-1)).toBe('ACCOUNT_LOCKED');
    // Even the right password of a real account is refused from that address, unchecked.
    const n = verificationCount();
    expect(errorOf(await login('chen', USER_PASSWORD, '10.0.0.77')).code).toBe('ACCOUNT_LOCKED');
    expect(verificationCount()).toBe(n);
    expect((await login('chen', USER_PASSWORD, '10.0.0.78')).ok).toBe(true);
    // A day later the sprayed names' counts are gone at the next sign-in.
    const rows = async () => ((await dbRow(t.app, 'select count(*) as n from auth_throttle')) as { n: number }).n;
    expect((await rows())).toBeGreaterThan(60);
    t.clock.advanceMinutes(25 * 60);
    expect((await login('chen', USER_PASSWORD, '10.0.0.78')).ok).toBe(true);
    expect((await rows())).toBeLessThan(10);
  });
});

describe('usernames typed in other forms (issue 9, item 7)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    const adminToken = await t.setupAdmin();
    await t.createUser(adminToken, 'chen', 'worker');
  });
  afterEach(async () => {
    await t.close();
  });

  it('a full-width username with zero-width characters signs in as the plain one', async () => {
    const s = await t.call('auth.login', { username: 'ＣＨ\u200bＥＮ', password: USER_PASSWORD });
    expect(s.user.username).toBe('chen');
  });

  it.each([
    ['full-width', 'Ａ１２３４５６７８９'],
    ['spaces', 'A 123 456 789'],
    ['dashes', 'A-123-456-789'],
    ['zero-width', 'A1234\u200b56789'],
    ['plain', 'a123456789'],
  ])('a national ID typed as the username (%s) never reaches the audit log', async (_label, typed) => {
    await t.raw('auth.login', { username: typed, password: 'Wrong12345' }, null, 'http');
    const rows = (await dbRows(t.app, "select actor_name, detail from audit_log where action = 'login.failed'")) as { actor_name: string; detail: string }[];
    // Compared in NFKC with invisible characters dropped: full-width digits are the same digits.
    const text = JSON.stringify(rows).normalize('NFKC').replace(/[\u200b-\u200f\ufeff]/g, '');
    figure(`audit text after typing an ID (${_label})`, rows.at(-1));
    expect(text.replace(/[^0-9]/g, '')).not.toContain('3456789');
    expect(text).not.toMatch(/123.?456.?789/);
  });
});
