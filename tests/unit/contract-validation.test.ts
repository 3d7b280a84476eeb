/**
 * The contract's boundary: every method in `api` (including the ones other domains add later, since this
 * file iterates the table) refuses malformed, missing, oversized and wrongly typed payloads with a typed
 * zh-TW error, and nothing is written to the database when it does.
 *
 * Calls go through the real dispatcher with transport 'http' (what the browser host hands it), signed in
 * as the administrator where the administrator may call the method, otherwise as a user of a role that
 * may, so the payload really reaches the zod parse. Valid payloads are never sent: the valid baseline
 * built from the schema is only ever sent with one field broken.
 *
 * "Nothing written" is checked by a digest of every table before and after each call. The one write a
 * refused call may make is the audit row for denied access (action 'denied', entity 'api', the method's
 * name as entity id, the caller as actor): exactly one such row and nothing else.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { api, METHOD_NAMES, type MethodName } from '../../main/contract/api';
import { DEFAULT_MAX_BYTES, type Access } from '../../main/contract/define';
import type { ApiErrorCode, Envelope } from '../../main/contract/envelope';
import { ROLES, type Role } from '../../main/contract/roles';
import { createTestApp, type TestApp } from '../helpers/app';
import { row as dbRow, rows as dbRows } from '../helpers/db';

// ---------------------------------------------------------------------------
// Zod introspection (zod v4 keeps the definition at schema._zod.def).

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  element?: z.ZodType;
  checks?: unknown[];
}
const defOf = (s: z.ZodType): ZodDef => (s as unknown as { _zod: { def: ZodDef } })._zod.def;

/** The z.object schemas an input is made of (through pipes, wrappers and unions). */
function objectSchemas(s: z.ZodType): z.ZodType[] {
  const d = defOf(s);
  switch (d.type) {
    case 'object':
      return [s];
    case 'pipe':
      return d.in ? objectSchemas(d.in) : [];
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return d.innerType ? objectSchemas(d.innerType) : [];
    case 'union':
      return (d.options ?? []).flatMap(objectSchemas);
    default:
      return [];
  }
}

const NONE = Symbol('none');
const STRING_CANDIDATES = [
  'user01', 'Abc12345x', '2026-03-05', '測試中心', 'A123456789', 'x', 'abc', 'https://example.org/', '115/03/05',
  '2026-03-05T02:00:00.000Z', '2026-03-05T10:00', '2026-03-05 10:00', '10:00',
];
const NUMBER_CANDIDATES = [1, 2, 10, 100, 0, 115, 2026, 0.5];
const ANY_CANDIDATES: unknown[] = [...STRING_CANDIDATES, ...NUMBER_CANDIDATES, true, false, null, [], {}];

/** A value the schema accepts, built from its definition, or NONE when that is beyond this little generator. */
function sample(s: z.ZodType): unknown {
  const d = defOf(s);
  const ok = (v: unknown) => s.safeParse(v).success;
  let value: unknown = NONE;
  switch (d.type) {
    case 'nullable':
      value = null;
      break;
    case 'optional':
    case 'default':
    case 'prefault':
      value = undefined;
      break;
    case 'boolean':
      value = true;
      break;
    case 'enum':
      value = Object.values(d.entries ?? {})[0] ?? NONE;
      break;
    case 'literal':
      value = d.values?.[0] ?? NONE;
      break;
    case 'array':
      value = ok([]) ? [] : d.element ? [sample(d.element)] : NONE;
      break;
    case 'object': {
      // Required fields only; failing that (a rule across fields: "this one or that one"), with all the
      // optional ones, then with each optional one alone.
      const entries = Object.entries(d.shape ?? {});
      const fill = (withOptional: (key: string) => boolean): unknown => {
        const out: Record<string, unknown> = {};
        for (const [key, field] of entries) {
          const optional = field.safeParse(undefined).success;
          if (optional && !withOptional(key)) continue;
          const inner = optional ? defOf(field).innerType : undefined;
          const v = sample(inner ?? field);
          if (v === NONE) {
            if (optional) continue;
            return NONE;
          }
          if (v !== undefined) out[key] = v;
        }
        return out;
      };
      const attempts = [() => false, () => true, ...entries.map(([only]) => (key: string) => key === only)];
      for (const attempt of attempts) {
        value = fill(attempt);
        if (value !== NONE && ok(value)) break;
      }
      break;
    }
    case 'union':
      for (const option of d.options ?? []) {
        const v = sample(option);
        if (v !== NONE && ok(v)) return v;
      }
      return NONE;
    case 'pipe':
      value = d.in ? sample(d.in) : NONE;
      break;
    case 'string':
      value = STRING_CANDIDATES.find(ok) ?? NONE;
      break;
    case 'number':
    case 'int':
      value = NUMBER_CANDIDATES.find(ok) ?? NONE;
      break;
    default:
      value = ANY_CANDIDATES.find(ok) ?? NONE;
  }
  return value !== NONE && ok(value) ? value : NONE;
}

/** Values that are the wrong type (or out of range) for a field; each one the field itself refuses. */
const WRONG_CANDIDATES: unknown[] = [12345, -1, 1.5, 'wrong-type', '', true, [], [1, 2], { nested: 1 }, null];
function wrongValuesFor(field: z.ZodType): unknown[] {
  return WRONG_CANDIDATES.filter((v) => !field.safeParse(v).success);
}

// ---------------------------------------------------------------------------
// Database snapshots.

interface Snapshot {
  /** SQLite's count of rows inserted, updated or deleted on the app's connection (every app write goes through it). */
  changes: number | null;
  auditMaxId: number;
  auditCount: number;
}

/** Cheap enough to take around every call. `changes` is SQLite's own count (null on PostgreSQL, where the digests stand in). */
async function snapshot(t: TestApp): Promise<Snapshot> {
  const changes = t.app.database.engine === 'sqlite' ? (t.app.database.sqlite.prepare('select total_changes() as changes').get() as { changes: number }).changes : null;
  const audit = (await dbRow<{ n: number; maxId: number }>(t.app, 'select count(*) as n, coalesce(max(id), 0) as "maxId" from audit_log'))!;
  return { changes, auditMaxId: audit.maxId, auditCount: audit.n };
}

/** A digest of every row of every table but the audit log (and its head marker), taken around each method's tests. */
async function tableDigests(t: TestApp): Promise<Record<string, string>> {
  const names = (
    t.app.database.engine === 'sqlite'
      ? await dbRows<{ name: string }>(t.app, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      : await dbRows<{ name: string }>(t.app, "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name")
  ).map((r) => r.name);
  const tables: Record<string, string> = {};
  for (const name of names) {
    if (name === 'audit_log') continue;
    const rows = name === 'settings' ? await dbRows(t.app, "select * from settings where key != 'audit.head'") : await dbRows(t.app, `select * from "${name}"`);
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    tables[name] = `${rows.length}:${createHash('sha256').update(JSON.stringify(lines)).digest('hex')}`;
  }
  return tables;
}

const CJK = /[\u3400-\u9fff]/;

// ---------------------------------------------------------------------------

describe('every contract method refuses malformed payloads, and nothing is written', () => {
  let t: TestApp;
  let adminToken: string;
  const adminId = 1;
  const tokens = new Map<Role, { id: number; token: string }>();
  let digestsAtStart: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    adminToken = await t.setupAdmin();
    tokens.set('admin', { id: adminId, token: adminToken });
    digestsAtStart = await tableDigests(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const allows = (access: Access, role: Role) => access === 'public' || access === 'session' || access.includes(role);

  /** A signed-in caller who passes the method's access check: the admin if allowed, else the first allowed role. */
  async function callerFor(name: MethodName): Promise<{ id: number; token: string; role: Role }> {
    const access = api[name].access;
    const role: Role = allows(access, 'admin') ? 'admin' : (ROLES.find((r) => allows(access, r)) ?? 'admin');
    let user = tokens.get(role);
    if (!user) {
      user = await t.createUser(adminToken, `v-${role}`, role);
      tokens.set(role, user);
    }
    return { ...user, role };
  }

  /**
   * Sends one payload and checks the whole story: refused with the expected code, a zh-TW message (and
   * zh-TW field messages), and the database exactly as before (bar one 'denied' audit row on FORBIDDEN).
   */
  async function expectRefused(
    name: string,
    payload: unknown,
    expected: ApiErrorCode,
    caller: { id: number; token: string } | null,
  ): Promise<Envelope<unknown> & { ok: false }> {
    const before = await snapshot(t);
    const env = await t.raw(name, payload, caller?.token ?? null, 'http');
    const after = await snapshot(t);
    expect(env.ok, `${name} accepted ${describePayload(payload)}`).toBe(false);
    if (env.ok) throw new Error('unreachable');
    expect(env.error.code, `${name} ${describePayload(payload)}: ${env.error.message}`).toBe(expected);
    expect(env.error.message).toMatch(CJK);
    for (const [path, message] of Object.entries(env.error.fields ?? {})) {
      expect(message, `field ${path} of ${name}`).toMatch(CJK);
    }
    if (expected === 'FORBIDDEN' && caller) {
      // Exactly the refusal's audit row: one insert into audit_log, one update of the chain's head marker.
      // SQLite counts the changes; on PostgreSQL each method's 'leaves every row of every table' test stands in.
      if (after.changes !== null && before.changes !== null) expect(after.changes - before.changes).toBe(2);
      expect(after.auditCount).toBe(before.auditCount + 1);
      expect(after.auditMaxId).toBe(before.auditMaxId + 1);
      const row = (await dbRow(t.app, 'select * from audit_log where id = ?', after.auditMaxId)) as Record<string, unknown>;
      expect(row).toMatchObject({ action: 'denied', entity: 'api', entity_id: name, actor_id: caller.id, detail: null });
    } else {
      expect(after).toEqual(before);
    }
    return env;
  }

  function describePayload(p: unknown): string {
    try {
      const s = JSON.stringify(p);
      return s === undefined ? String(p) : s.length > 80 ? `${s.slice(0, 80)}…` : s;
    } catch {
      return '(cyclic)';
    }
  }

  it('the contract has methods, and every input is a strict object (unknown keys are refused, never stripped)', () => {
    expect(METHOD_NAMES.length).toBeGreaterThanOrEqual(20);
    for (const name of METHOD_NAMES) {
      const objects = objectSchemas(api[name].input);
      expect(objects.length, `${name}: input is not built from z.object`).toBeGreaterThan(0);
      for (const o of objects) expect(defOf(defOf(o).catchall as z.ZodType)?.type, `${name}: use z.strictObject`).toBe('never');
    }
  });

  it('unknown method names, including Object.prototype members, are UNKNOWN_METHOD', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'users.delete', 'users', '', 'auth.login ', 'AUTH.LOGIN']) {
      for (const token of [adminToken, null]) {
        const before = await snapshot(t);
        const env = await t.raw(name, {}, token, 'http');
        expect(env, name).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
        if (!env.ok) expect(env.error.message).toMatch(CJK);
        expect(await snapshot(t)).toEqual(before);
        expect(await tableDigests(t)).toEqual(digestsAtStart);
      }
    }
    for (const notAString of [undefined, null, 42, ['auth.login'], { toString: () => 'auth.login' }]) {
      const env = await t.app.dispatcher.dispatch({ method: notAString as unknown as string, payload: {}, token: adminToken, transport: 'http' });
      expect(env).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  for (const name of METHOD_NAMES) {
    describe(name, () => {
      const spec = api[name];
      const maxBytes = spec.maxBytes ?? DEFAULT_MAX_BYTES;
      const shapes = objectSchemas(spec.input).map((o) => defOf(o).shape ?? {});
      const fieldNames = [...new Set(shapes.flatMap((s) => Object.keys(s)))];
      const emptyIsValid = spec.input.safeParse({}).success;
      const baseline = sample(spec.input);
      const hasBaseline = baseline !== NONE && typeof baseline === 'object' && baseline !== null;
      // Rules across fields (a .refine on the object) may name another field too.
      const crossFieldRules = objectSchemas(spec.input).some((o) => (defOf(o).checks ?? []).length > 0);
      let digestsBefore: Record<string, string>;
      beforeAll(async () => {
        await callerFor(name); // may create the caller's account: before the digest, not during the tests
        digestsBefore = await tableDigests(t);
      });

      it('refuses payloads that are not an object: null, a string, an array, a number, a boolean', async () => {
        const caller = await callerFor(name);
        const code = allows(spec.access, caller.role) ? 'VALIDATION' : 'FORBIDDEN';
        for (const payload of [null, 'auth', '{}', [], [{}], 0, 42, true, false]) {
          await expectRefused(name, payload, code, caller);
        }
      });

      it('refuses unknown keys, also an own "__proto__" key and alongside otherwise valid fields', async () => {
        const caller = await callerFor(name);
        const base = hasBaseline ? (baseline as Record<string, unknown>) : {};
        const env = await expectRefused(name, { ...base, unexpectedField: 'x' }, 'VALIDATION', caller);
        expect(JSON.stringify(env.error.fields)).toContain('unexpectedField');
        for (const key of ['__proto__', 'constructor', 'role', 'actorId']) {
          if (fieldNames.includes(key)) continue;
          const payload: Record<string, unknown> = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
          Object.defineProperty(payload, key, { value: { role: 'admin' }, enumerable: true, configurable: true, writable: true });
          await expectRefused(name, payload, 'VALIDATION', caller);
        }
      });

      if (!emptyIsValid) {
        it('refuses {} and names every missing required field', async () => {
          const caller = await callerFor(name);
          const env = await expectRefused(name, {}, 'VALIDATION', caller);
          const required = Object.entries(shapes[0] ?? {}).filter(([, f]) => !f.safeParse(undefined).success).map(([k]) => k);
          if (shapes.length === 1) {
            for (const key of required) expect(env.error.fields, `${name}.${key}`).toHaveProperty([key]);
          }
        });
      }

      if (hasBaseline && fieldNames.length > 0) {
        it('refuses the valid baseline with any one required field left out', async () => {
          const caller = await callerFor(name);
          // The baseline really is valid, so that each refusal below is down to the one field.
          expect(spec.input.safeParse(baseline).success).toBe(true);
          for (const key of Object.keys(baseline as object)) {
            const payload = { ...(baseline as Record<string, unknown>) };
            delete payload[key];
            if (spec.input.safeParse(payload).success) continue; // optional after all
            const env = await expectRefused(name, payload, 'VALIDATION', caller);
            expect(env.error.fields, `${name} without ${key}`).toHaveProperty([key]);
          }
        });
      }

      if (fieldNames.length > 0) {
        it('refuses each field given a wrong type or an out-of-range value, and names that field', async () => {
          const caller = await callerFor(name);
          const base = hasBaseline ? (baseline as Record<string, unknown>) : {};
          let sent = 0;
          for (const shape of shapes) {
            for (const [key, field] of Object.entries(shape)) {
              for (const wrong of wrongValuesFor(field)) {
                const payload = { ...base, [key]: wrong };
                if (spec.input.safeParse(payload).success) continue; // e.g. a union option that takes it
                const env = await expectRefused(name, payload, 'VALIDATION', caller);
                const paths = Object.keys(env.error.fields ?? {});
                // The field itself, or a path under it (an array's items: `factors.0`).
                expect(paths.some((p) => p === key || p.startsWith(`${key}.`)), `${name}.${key} = ${JSON.stringify(wrong)}: ${paths.join(', ')}`).toBe(true);
                if (hasBaseline && !crossFieldRules) {
                  // Only this field is wrong, so only it (or a path under it) is reported.
                  for (const path of paths) expect(path === key || path.startsWith(`${key}.`), path).toBe(true);
                }
                sent++;
              }
            }
          }
          expect(sent).toBeGreaterThan(0);
        });
      }

      it(`refuses payloads over its limit (${maxBytes} bytes of JSON), counted in bytes, before looking at the session`, async () => {
        const caller = await callerFor(name);
        const base = hasBaseline ? (baseline as Record<string, unknown>) : {};
        await expectRefused(name, { ...base, padding: 'x'.repeat(maxBytes) }, 'PAYLOAD_TOO_LARGE', caller);
        // 3 bytes per character in UTF-8: fewer characters than the limit, more bytes.
        const chars = Math.ceil(maxBytes / 3) + 16;
        expect(chars).toBeLessThan(maxBytes);
        await expectRefused(name, { ...base, padding: '中'.repeat(chars) }, 'PAYLOAD_TOO_LARGE', caller);
        await expectRefused(name, Array.from({ length: maxBytes }, () => 1), 'PAYLOAD_TOO_LARGE', caller);
        // Size is checked first: no session and no rights still get PAYLOAD_TOO_LARGE, and nothing is audited.
        await expectRefused(name, { padding: 'x'.repeat(maxBytes) }, 'PAYLOAD_TOO_LARGE', null);
      });

      it('does not refuse a payload of exactly the limit as too large', async () => {
        const caller = await callerFor(name);
        const frame = JSON.stringify({ padding: '' }).length;
        const payload = { padding: 'x'.repeat(maxBytes - frame) };
        expect(Buffer.byteLength(JSON.stringify(payload))).toBe(maxBytes);
        await expectRefused(name, payload, allows(spec.access, caller.role) ? 'VALIDATION' : 'FORBIDDEN', caller);
      });

      it('refuses a cyclic object and a BigInt without crashing', async () => {
        const caller = await callerFor(name);
        const cyclic: Record<string, unknown> = { ...(hasBaseline ? (baseline as Record<string, unknown>) : {}) };
        cyclic.self = cyclic;
        await expectRefused(name, cyclic, 'PAYLOAD_TOO_LARGE', caller);
        await expectRefused(name, { big: 10n }, 'PAYLOAD_TOO_LARGE', caller);
      });

      if (spec.access !== 'public') {
        it('without a session: UNAUTHENTICATED, and no audit row', async () => {
          await expectRefused(name, { unexpectedField: 1 }, 'UNAUTHENTICATED', null);
          await expectRefused(name, null, 'UNAUTHENTICATED', { id: 0, token: 'not-a-real-token' });
        });
      }

      if (!allows(spec.access, 'admin')) {
        it("as the administrator, whose role is not listed: FORBIDDEN and exactly one 'denied' audit row", async () => {
          await expectRefused(name, hasBaseline ? baseline : {}, 'FORBIDDEN', { id: adminId, token: adminToken });
        });
      }

      it('leaves every row of every table as it was (the audit log aside)', async () => {
        expect(await tableDigests(t)).toEqual(digestsBefore);
      });
    });
  }

  it('after all that, the administrator is still signed in and unlocked, and the audit chain is intact', async () => {
    const status = await t.call('auth.status', {}, adminToken);
    expect(status.session).toMatchObject({ locked: false, user: { id: adminId, role: 'admin' } });
    const verify = await t.call('audit.verify', {}, adminToken);
    expect(verify).toMatchObject({ ok: true, problems: [] });
  });
});
