/**
 * One "PC" of tests/unit/many-writers.test.ts: a process with its own App on the shared data folder (or
 * the shared PostgreSQL database) running several clients at once through the real dispatcher until
 * the deadline, then printing what each call returned as one JSON line on stdout.
 * Run: node --import tsx tests/helpers/many-writers-client.ts '<config JSON>'.
 */
import { openApp } from '../../main/api/app';
import { setQuiet } from '../../main/lib/logger';

setQuiet(true);

export interface WriterConfig {
  dataDir: string;
  pgUrl: string | null;
  now: string;
  clients: number;
  /** Which client numbers this process runs (for the op mix and household choice). */
  firstClient: number;
  seconds: number;
  clerk: string;
  workers: { id: number; token: string }[];
  rice: number;
  noodles: number;
  hub: number;
  donor: number;
  households: number[];
  village: string;
}

export interface OpRecord {
  op: 'handout' | 'receive' | 'intake';
  ok: boolean;
  ms: number;
  code?: string;
  id?: number;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '{}') as WriterConfig;
  const now = new Date(cfg.now);
  const app = await openApp({ dataDir: cfg.dataDir, now: () => now, ...(cfg.pgUrl ? { database: { engine: 'postgres' as const, url: cfg.pgUrl } } : {}) });
  const records: OpRecord[] = [];
  const call = async (method: string, payload: unknown, token: string) => app.dispatcher.dispatch({ method, payload, token, transport: 'test' });
  const deadline = Date.now() + cfg.seconds * 1000;
  let uniq = 0;
  const client = async (n: number) => {
    const ops = ['handout', 'receive', 'intake'] as const;
    for (let i = n; Date.now() < deadline; i++) {
      const op = ops[i % ops.length]!;
      const t0 = performance.now();
      let env;
      if (op === 'handout') {
        const householdId = cfg.households[(n * 7 + i) % cfg.households.length]!;
        env = await call('foodbank.handout', { householdId, locationId: cfg.hub, lines: [{ itemId: cfg.rice, quantity: 1 }] }, cfg.clerk);
      } else if (op === 'receive') {
        env = await call('foodbank.receive', { kind: 'donation', donorId: cfg.donor, locationId: cfg.hub, receivedOn: cfg.now.slice(0, 10), lots: [{ itemId: cfg.noodles, quantity: 1 }] }, cfg.clerk);
      } else {
        const w = cfg.workers[(n + i) % cfg.workers.length]!;
        const tag = `${process.pid}-${n}-${++uniq}`;
        const p = await call('persons.create', { name: `寫入${tag}`, confirmDuplicate: true }, w.token);
        if (!p.ok) {
          records.push({ op, ok: false, ms: performance.now() - t0, code: `person:${p.error.code}:${p.error.message}` });
          continue;
        }
        const personId = (p.value as { id: number }).id;
        const h = await call(
          'households.create',
          { address: { villageCode: cfg.village, neighborhood: '5', street: `中山路${tag}號` }, householdType: '雙親', phone: null, head: { personId, joinedOn: '2025-01-01' } },
          w.token,
        );
        if (!h.ok) {
          records.push({ op, ok: false, ms: performance.now() - t0, code: `household:${h.error.code}:${h.error.message}` });
          continue;
        }
        env = await call(
          'cases.intake',
          { householdId: (h.value as { id: number }).id, source: 'A', receivedAt: new Date(now.getTime() - 3_600_000).toISOString(), caseType: '脆弱家庭', factors: ['1-01'], riskLevel: '中', leadWorkerId: w.id, assistantIds: [] },
          w.token,
        );
      }
      const ms = performance.now() - t0;
      if (env.ok) records.push({ op, ok: true, ms, id: (env.value as { id: number }).id });
      else records.push({ op, ok: false, ms, code: `${env.error.code}:${env.error.message}` });
    }
  };
  await Promise.all(Array.from({ length: cfg.clients }, (_, k) => client(cfg.firstClient + k)));
  await app.close();
  process.stdout.write(`${JSON.stringify(records)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
