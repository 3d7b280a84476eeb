/**
 * Benchmark: search and the household page at the `city` demo scale (100k households, ~300k persons).
 *
 *   npx tsx bench/search-and-household.ts [--dir DIR] [--fresh] [--runs 40]
 *
 * Seeds (or reuses) a city-scale database in DIR (default: <tmp>/welfare-desk-bench-city), opens it as
 * the app does, signs in as demo users and calls search.query and households.page through the real
 * dispatcher (zod, access, scope, audit). Prints median and p95 per query kind and role, and, for
 * comparison, the same text queries answered with a plain LIKE '%x%' scan. Not part of the test suite.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DB_FILE_NAME, migrateToLatest, openDatabase, sqliteOf } from '../db/connection';
import { openApp } from '../main/api/app';
import type { ApiInput, ApiOutput, MethodName } from '../main/contract/api';
import { seedDemo } from '../main/demo/index';
import { SCALES } from '../main/demo/scale';
import { DEMO_PASSWORD } from '../main/demo/users';
import { Rng } from '../main/demo/random';
import { setQuiet } from '../main/lib/logger';

setQuiet(true);

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { dir: { type: 'string' }, fresh: { type: 'boolean', default: false }, runs: { type: 'string', default: '40' } },
});
const dataDir = values.dir ?? join(tmpdir(), 'welfare-desk-bench-city');
const RUNS = Number(values.runs);
const file = join(dataDir, DB_FILE_NAME);

function stats(ms: number[]): { median: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? 0;
  return { median: at(0.5), p95: at(0.95), max: s.at(-1) ?? 0 };
}
const fmt = (n: number) => n.toFixed(1).padStart(7);

async function ensureDatabase(): Promise<void> {
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
  if (existsSync(file)) {
    process.stdout.write(`reusing ${file}\n`);
    return;
  }
  mkdirSync(dataDir, { recursive: true });
  process.stdout.write(`seeding the city scale into ${file} ...\n`);
  const started = Date.now();
  const h = openDatabase(file, { onSlowQuery: () => undefined });
  await migrateToLatest(h.db);
  await seedDemo(h.db, SCALES.city);
  await h.close();
  process.stdout.write(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

async function main(): Promise<void> {
  await ensureDatabase();

  const t0 = performance.now();
  const app = await openApp({ dataDir });
  const openMs = performance.now() - t0;
  const call = async <N extends MethodName>(method: N, input: ApiInput<N>, token: string | null): Promise<ApiOutput<N>> => {
    const env = await app.dispatcher.dispatch({ method, payload: input, token, transport: 'cli' });
    if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
    return env.value as ApiOutput<N>;
  };
  const login = async (username: string) => (await call('auth.login', { username, password: DEMO_PASSWORD }, null)).token as string;
  const db = app.ctx.db;
  const counts = {
    households: Number((await db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    persons: Number((await db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    cases: Number((await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    services: Number((await db.selectFrom('service_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  };
  process.stdout.write(`database: ${counts.households} households, ${counts.persons} persons, ${counts.cases} cases, ${counts.services} service records; opened and migrated in ${openMs.toFixed(0)} ms\n\n`);

  const worker = await db.selectFrom('users').select(['id', 'username']).where('role', '=', 'worker').orderBy('id').offset(4).limit(1).executeTakeFirstOrThrow();
  const tokens = { admin: await login('admin'), supervisor: await login('sup1'), worker: await login(worker.username) };

  // Samples, drawn at random from the data.
  const rng = new Rng(7);
  const maxPerson = counts.persons;
  const samplePersons = async (n: number, where: 'phone' | 'national_id' | 'name') => {
    const out: { name: string; national_id: string | null; phone: string | null }[] = [];
    while (out.length < n) {
      const p = await db.selectFrom('persons').select(['name', 'national_id', 'phone']).where('id', '>=', rng.int(1, maxPerson)).where(where, 'is not', null).limit(1).executeTakeFirst();
      if (p) out.push(p);
    }
    return out;
  };
  const names = await samplePersons(RUNS, 'name');
  const ids = await samplePersons(RUNS, 'national_id');
  const phones = await samplePersons(RUNS, 'phone');
  const streets: string[] = [];
  while (streets.length < RUNS) {
    const h = await db.selectFrom('households').select('street').where('id', '>=', rng.int(1, counts.households)).where('street', 'is not', null).limit(1).executeTakeFirst();
    if (h?.street) streets.push(h.street.slice(0, rng.int(3, 6)));
  }
  const villages = (await db.selectFrom('divisions').select('name').where('level', '=', 'village').execute()).map((v) => v.name);
  const caseNos = counts.cases > 0 ? (await db.selectFrom('cases').select('case_no').orderBy('id').limit(2000).execute()).map((c) => c.case_no) : [];

  const kinds: { kind: string; queries: string[] }[] = [
    { kind: 'name, 2 characters (given name)', queries: names.map((p) => Array.from(p.name).slice(1, 3).join('')) },
    { kind: 'name, full', queries: names.map((p) => p.name) },
    { kind: 'name, 1 character (surname)', queries: names.map((p) => Array.from(p.name)[0] ?? '陳') },
    { kind: 'national ID, first 6', queries: ids.map((p) => (p.national_id ?? '').slice(0, 6).toLowerCase()) },
    { kind: 'national ID, exact', queries: ids.map((p) => p.national_id ?? '') },
    { kind: 'phone, last 4 digits', queries: phones.map((p) => (p.phone ?? '').replace(/\D/g, '').slice(-4)) },
    { kind: 'phone, full with dashes', queries: phones.map((p) => p.phone ?? '') },
    { kind: 'street (3-6 characters)', queries: streets },
    { kind: 'village name', queries: Array.from({ length: RUNS }, () => rng.pick(villages)) },
    ...(caseNos.length > 0
      ? [
          { kind: 'case number, full', queries: Array.from({ length: RUNS }, () => rng.pick(caseNos)) },
          { kind: 'case number, serial only', queries: Array.from({ length: RUNS }, () => rng.pick(caseNos).split('-')[1] ?? '') },
        ]
      : []),
  ];

  process.stdout.write(`search.query through the dispatcher (${RUNS} random queries each; ms)\n`);
  process.stdout.write(`${'kind'.padEnd(36)}${'role'.padEnd(12)}  median      p95      max   avg hits\n`);
  for (const { kind, queries } of kinds) {
    for (const [role, token] of Object.entries(tokens)) {
      const ms: number[] = [];
      let hits = 0;
      await call('search.query', { q: queries[0] ?? '', limit: 20 }, token); // warm
      for (const q of queries) {
        const s = performance.now();
        const r = await call('search.query', { q, limit: 20 }, token);
        ms.push(performance.now() - s);
        hits += r.hits.length;
      }
      const st = stats(ms);
      process.stdout.write(`${kind.padEnd(36)}${role.padEnd(12)}${fmt(st.median)}  ${fmt(st.p95)}  ${fmt(st.max)}  ${(hits / queries.length).toFixed(1).padStart(9)}\n`);
    }
  }

  // The baseline the index replaces: LIKE '%x%' over names, phones and streets (no scope, no grouping).
  process.stdout.write(`\nbaseline: plain LIKE '%x%' scans (ms)\n`);
  const likeName = (q: string) => sqliteOf(app.database).prepare('select id from persons where name like ? limit 60').all(`%${q}%`);
  const likeStreet = (q: string) => sqliteOf(app.database).prepare('select id from households where street like ? limit 60').all(`%${q}%`);
  const likeAll = (q: string) =>
    sqliteOf(app.database)
      .prepare("select id from persons where name like @q or replace(phone, '-', '') like @q union all select id from households where street like @q limit 60")
      .all({ q: `%${q}%` });
  const rareName = names.map((p) => p.name);
  for (const [label, fn, qs] of [
    ['LIKE name, full name', likeName, rareName],
    ['LIKE name, 2 characters', likeName, names.map((p) => Array.from(p.name).slice(1, 3).join(''))],
    ['LIKE street', likeStreet, streets],
    ['LIKE name or phone or street (rare)', likeAll, rareName],
  ] as const) {
    const ms: number[] = [];
    for (const q of qs) {
      const s = performance.now();
      fn(q);
      ms.push(performance.now() - s);
    }
    const st = stats(ms);
    process.stdout.write(`${label.padEnd(48)}${fmt(st.median)}  ${fmt(st.p95)}\n`);
  }

  // The household page: random households each role may open.
  process.stdout.write(`\nhouseholds.page through the dispatcher (incl. its audit 'view' row; ms)\n`);
  const pick = async (role: keyof typeof tokens): Promise<number[]> => {
    if (role === 'admin') return Array.from({ length: RUNS }, () => rng.int(1, counts.households));
    const out: number[] = [];
    const found = await call('search.query', { q: '陳', limit: 50 }, tokens[role]);
    for (const h of found.hits) if (h.householdId !== null) out.push(h.householdId);
    const viaCases = await db.selectFrom('cases').select('household_id').where('lead_worker_id', '=', role === 'worker' ? worker.id : -1).limit(RUNS).execute();
    out.push(...viaCases.map((c) => c.household_id));
    return out.slice(0, RUNS);
  };
  for (const role of Object.keys(tokens) as (keyof typeof tokens)[]) {
    const hh = await pick(role);
    if (hh.length === 0) continue;
    const ms: number[] = [];
    let events = 0;
    for (const id of hh) {
      const s = performance.now();
      const page = await call('households.page', { id, timelineLimit: 30 }, tokens[role]);
      ms.push(performance.now() - s);
      events += page.timeline?.total ?? 0;
    }
    const st = stats(ms);
    process.stdout.write(`${role.padEnd(12)} ${String(hh.length).padStart(3)} pages  median ${fmt(st.median)}  p95 ${fmt(st.p95)}  max ${fmt(st.max)}  avg timeline events ${(events / hh.length).toFixed(1)}\n`);
  }
  await app.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
