/**
 * Benchmark: the audit screen's filtered query (audit.list) on a large log.
 *
 *   npx tsx bench/audit-log.ts --dir DIR [--rows 2000000] [--runs 15]
 *
 * DIR holds a seeded demo database (e.g. a copy of the city scale from bench/search-and-household.ts).
 * Tops its audit log up to --rows rows by direct SQL (synthetic rows over three years: views, changes,
 * exports of households, persons and cases by every demo user; the hash chain of these rows is not
 * valid, so use a copy, never a real install), then calls audit.list through the real dispatcher as
 * `admin` for each filter the screen offers, first without the indexes of migration 0017, then with
 * them. Prints median / p95 ms per filter. Not part of the test suite.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openApp } from '../main/api/app';
import type { ApiInput, ApiOutput, MethodName } from '../main/contract/api';
import { DEMO_PASSWORD } from '../main/demo/users';
import { Rng } from '../main/demo/random';
import { setQuiet } from '../main/lib/logger';

setQuiet(true);

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { dir: { type: 'string' }, rows: { type: 'string', default: '2000000' }, runs: { type: 'string', default: '15' } },
});
if (!values.dir) throw new Error('--dir is required');
const TARGET = Number(values.rows);
const RUNS = Number(values.runs);

function stats(ms: number[]): { median: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? 0;
  return { median: at(0.5), p95: at(0.95) };
}

async function main(): Promise<void> {
  const app = await openApp({ dataDir: values.dir as string });
  const db = app.ctx.db;
  const call = async <N extends MethodName>(method: N, input: ApiInput<N>, token: string | null): Promise<ApiOutput<N>> => {
    const env = await app.dispatcher.dispatch({ method, payload: input, token, transport: 'cli' });
    if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
    return env.value as ApiOutput<N>;
  };
  const count = async (table: 'audit_log' | 'households' | 'persons' | 'cases') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  const users = (await db.selectFrom('users').select('id').execute()).map((u) => u.id);
  const [households, persons, cases] = [await count('households'), await count('persons'), await count('cases')];
  let have = await count('audit_log');
  const rng = new Rng(11);
  if (have < TARGET) {
    process.stdout.write(`adding ${TARGET - have} audit rows ...\n`);
    const started = Date.now();
    const last = await db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
    let id = (last?.id ?? 0) + 1;
    const end = Date.parse('2026-05-20T02:00:00Z');
    const span = 3 * 365 * 86_400_000;
    const kinds: [string, string, number][] = [
      ['view', 'household', households], ['view', 'household', households], ['view', 'case', Math.max(cases, 1)], ['view', 'person', persons],
      ['update', 'household', households], ['update', 'case', Math.max(cases, 1)], ['create', 'service_record', 1_000_000], ['view', 'service_record.narrative', 1_000_000],
      ['export', 'case_list', 1], ['print', 'household', households], ['login', 'user', users.length],
    ];
    while (have < TARGET) {
      const n = Math.min(20_000, TARGET - have);
      const batch = Array.from({ length: n }, (_, i) => {
        const [action, entity, max] = kinds[rng.int(0, kinds.length - 1)] as [string, string, number];
        // Ids grow with time, as the app allots them.
        const at = new Date(end - span + Math.floor(((have + i) / TARGET) * span)).toISOString();
        const actor = users[rng.int(0, users.length - 1)] as number;
        return { id: id++, at, actor_id: actor, actor_name: `使用者${actor}`, action, entity, entity_id: String(rng.int(1, max)), detail: '{"page":"full"}', prev_hash: 'x', hash: 'x', mac: null };
      });
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < batch.length; i += 500) await trx.insertInto('audit_log').values(batch.slice(i, i + 500)).execute();
      });
      have += n;
    }
    process.stdout.write(`added in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  await sql`analyze`.execute(db);
  process.stdout.write(`database: ${households} households, ${persons} persons, ${cases} cases, ${have} audit rows\n`);

  const admin = (await call('auth.login', { username: 'admin', password: DEMO_PASSWORD }, null)).token as string;
  const member = await db.selectFrom('household_members').select(['person_id', 'household_id']).where('id', '=', 1 + (households >> 1)).executeTakeFirstOrThrow();
  const filters: { name: string; f: Partial<ApiInput<'audit.list'>> }[] = [
    { name: 'no filter (newest 50)', f: {} },
    { name: 'one month', f: { from: '2026-03-01', to: '2026-03-31' } },
    { name: 'one user', f: { actorId: users[3] as number } },
    { name: 'one user, one month', f: { actorId: users[3] as number, from: '2026-03-01', to: '2026-03-31' } },
    { name: 'action export', f: { action: 'export' } },
    { name: 'action export, one month', f: { action: 'export', from: '2026-03-01', to: '2026-03-31' } },
    { name: 'one household (record)', f: { entity: 'household', entityId: String(member.household_id) } },
    { name: 'who saw this person', f: { subject: { kind: 'person', id: member.person_id } } },
    { name: 'who saw this person, a year', f: { subject: { kind: 'person', id: member.person_id }, from: '2025-05-20', to: '2026-05-20' } },
  ];
  const indexes = ['audit_log_actor_at_idx', 'audit_log_action_at_idx', 'audit_log_entity_at_idx'];
  const measure = async (label: string) => {
    process.stdout.write(`\n${label}\n| filter | rows found | median ms | p95 ms |\n|---|---|---|---|\n`);
    for (const { name, f } of filters) {
      const ms: number[] = [];
      let total = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        total = (await call('audit.list', { ...f, offset: 0, limit: 50 }, admin)).total;
        ms.push(performance.now() - t0);
      }
      const s = stats(ms);
      process.stdout.write(`| ${name} | ${total} | ${s.median.toFixed(1)} | ${s.p95.toFixed(1)} |\n`);
    }
  };
  // Before: the foundation's indexes only.
  for (const i of [...indexes, 'household_members_person_idx']) await sql`drop index if exists ${sql.id(i)}`.execute(db);
  await sql`create index if not exists audit_log_entity_idx on audit_log (entity, entity_id)`.execute(db);
  await measure('without migration 0017 (indexes at and (entity, entity_id))');
  await sql`create index if not exists audit_log_actor_at_idx on audit_log (actor_id, at)`.execute(db);
  await sql`create index if not exists audit_log_action_at_idx on audit_log (action, at)`.execute(db);
  await sql`create index if not exists audit_log_entity_at_idx on audit_log (entity, entity_id, at)`.execute(db);
  await sql`drop index if exists audit_log_entity_idx`.execute(db);
  await sql`create index if not exists household_members_person_idx on household_members (person_id)`.execute(db);
  await sql`analyze`.execute(db);
  await measure('with migration 0017');
  await app.close();
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
