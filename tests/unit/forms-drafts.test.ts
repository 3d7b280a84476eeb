/**
 * Issue 11 §2: local drafts are encrypted under a per-user key the server derives (auth.draftKey); another
 * user's key cannot read them, a tampered or moved draft is refused, and what is stored holds no plaintext.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptDraft, encryptDraft, importDraftKey, parseStoredDraft } from '../../renderer/lib/draft-crypto';
import { DRAFT_SECRET_KEY } from '../../main/services/auth/draft-key';
import { createTestApp, type TestApp } from '../helpers/app';

describe('draft keys and draft encryption', () => {
  let t: TestApp;
  let admin: string;
  let worker: { id: number; token: string };
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.setupAdmin();
    worker = await t.createUser(admin, 'wang', 'worker');
  });
  afterAll(async () => t.close());

  it('gives each user a stable key of its own, from a secret kept in the database', async () => {
    const a1 = await t.call('auth.draftKey', {}, admin);
    const a2 = await t.call('auth.draftKey', {}, admin);
    const w = await t.call('auth.draftKey', {}, worker.token);
    expect(a1.key).toBe(a2.key);
    expect(a1.key).not.toBe(w.key);
    expect(Buffer.from(a1.key, 'base64')).toHaveLength(32);
    const secret = await t.app.database.db.selectFrom('settings').select('value').where('key', '=', DRAFT_SECRET_KEY).executeTakeFirst();
    expect(secret).toBeDefined();
    expect(secret!.value).not.toContain(a1.key);
    const anonymous = await t.raw('auth.draftKey', {}, null);
    expect(anonymous.ok).toBe(false);
  });

  it("encrypts; another user's key, another slot or a changed byte is refused", async () => {
    const mine = await importDraftKey((await t.call('auth.draftKey', {}, worker.token)).key);
    const theirs = await importDraftKey((await t.call('auth.draftKey', {}, admin)).key);
    const slot = `welfare-desk.draft.${worker.id}.record:new:1::`;
    const narrative = '案主表示近日失業，家中三名子女需要課後照顧。';
    const stored = await encryptDraft(mine, slot, narrative, '2026-05-20T02:00:00.000Z');
    const raw = JSON.stringify(stored);
    expect(raw).not.toContain('失業');
    expect(Buffer.from(stored.ct, 'base64').toString('utf8')).not.toContain('失業');
    const parsed = parseStoredDraft(raw)!;
    expect(await decryptDraft(mine, slot, parsed)).toBe(narrative);
    await expect(decryptDraft(theirs, slot, parsed)).rejects.toThrow();
    await expect(decryptDraft(mine, `${slot}x`, parsed)).rejects.toThrow();
    const ct = Buffer.from(parsed.ct, 'base64');
    ct[3] = ct[3]! ^ 0x01;
    await expect(decryptDraft(mine, slot, { ...parsed, ct: ct.toString('base64') })).rejects.toThrow();
    expect(parseStoredDraft('not json')).toBeNull();
  });
});
