/**
 * Writes survive a flaky network (issue 10): the real browser host behind a TCP proxy that, when
 * armed, forwards the request, reads the host's whole answer (so the write has committed) and then
 * destroys the client's connection without passing the answer on. The client is the renderer's own
 * retry code (main/contract/retry.ts): it retries with the same request id, and the dispatcher
 * answers the retry with the first result instead of writing again.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput, MethodName } from '../../main/contract/api';
import type { Envelope } from '../../main/contract/envelope';
import { postContractCall, type Attempt } from '../../main/contract/retry';
import { SESSION_HEADER, startHost, type RunningHost } from '../../main/host/server';
import { openSession } from '../helpers/app';
import { counts, createFoodBank, type FoodBank } from './foodbank-fixture';

describe('a write whose answer the network lost is applied once', () => {
  let fb: FoodBank;
  let host: RunningHost;
  let proxy: Server;
  let proxyPort = 0;
  let dir: string;
  /** Connections the proxy accepted, and answers it swallowed. */
  let connections = 0;
  let dropped = 0;
  /** How many of the next answers to swallow. */
  let dropNext = 0;
  const sockets = new Set<Socket>();

  /** The length of a complete HTTP response in `buf`, or null while it is still arriving (the host always sends Content-Length). */
  function completeLength(buf: Buffer): number | null {
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = buf.subarray(0, end).toString('latin1');
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const total = end + 4 + (m ? Number(m[1]) : 0);
    return buf.length >= total ? total : null;
  }

  beforeAll(async () => {
    fb = await createFoodBank();
    dir = mkdtempSync(join(tmpdir(), 'wd-idem-'));
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    host = await startHost({ dispatcher: fb.c.t.app.dispatcher, staticDir, port: 0 });
    proxy = createServer((client) => {
      connections++;
      sockets.add(client);
      const upstream = connect(host.port, '127.0.0.1');
      sockets.add(upstream);
      client.on('data', (d) => upstream.write(d));
      client.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
      let answer = Buffer.alloc(0);
      upstream.on('data', (d: Buffer) => {
        answer = Buffer.concat([answer, d]);
        const total = completeLength(answer);
        if (total === null) return; // wait for the whole answer: by then the write has committed
        if (dropNext > 0) {
          dropNext--;
          dropped++;
          client.destroy(); // the answer never reaches the client
          upstream.destroy();
          return;
        }
        client.write(answer.subarray(0, total));
        answer = answer.subarray(total);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyPort = (proxy.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
    await host?.close();
    await fb?.c.t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** fetch over node:http through the proxy, with the Host header the host expects (a browser sends its own origin's). */
  const viaProxy: typeof fetch = (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      const req = request(
        {
          host: '127.0.0.1',
          port: proxyPort,
          method: init?.method ?? 'GET',
          path: url.pathname,
          agent: false,
          setHost: false,
          headers: { ...(init?.headers as Record<string, string>), Host: `127.0.0.1:${host.port}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0 })));
        },
      );
      req.on('error', reject);
      req.end(init?.body as string);
    });

  async function post<N extends MethodName>(method: N, payload: ApiInput<N>, token: string, requestId: string | null): Promise<Attempt> {
    return postContractCall({ fetch: viaProxy, baseUrl: `http://127.0.0.1:${host.port}`, method, payload, headers: { [SESSION_HEADER]: token }, requestId }, { delaysMs: [20, 50] });
  }
  function valueOf<T>(a: Attempt): T {
    expect(a.kind).toBe('answer');
    const env = (a as { envelope: Envelope<T> }).envelope;
    if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`);
    return env.value;
  }
  const db = () => fb.c.t.app.ctx.db;
  async function riceOnHand(): Promise<number> {
    const r = await db().selectFrom('fb_balances').innerJoin('fb_lots', 'fb_lots.id', 'fb_balances.lot_id').select((eb) => eb.fn.sum<number>('fb_balances.quantity').as('q')).where('fb_lots.item_id', '=', fb.rice).executeTakeFirstOrThrow();
    return Number(r.q ?? 0);
  }

  it('a hand-out and a donation receipt: the answer is dropped once, the retry gets the first result, stock and numbers move once', async () => {
    const received = valueOf<{ id: number; receiptNo: string | null }>(
      await post('foodbank.receive', { kind: 'donation', donorId: fb.donor, locationId: fb.hub, receivedOn: '2026-03-05', lots: [{ itemId: fb.rice, quantity: 10, expiry: '2026-12-01' }] }, fb.clerk, crypto.randomUUID()),
    );
    expect(await riceOnHand()).toBe(10);
    const before = await counts(fb);
    const conns = connections;

    dropNext = 1;
    const id = crypto.randomUUID();
    const handout = valueOf<{ id: number; picks: unknown[] }>(await post('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 4 }] }, fb.clerk, id));
    expect(dropped).toBe(1);
    expect(connections - conns).toBe(2); // the first attempt, whose answer was swallowed, and the retry
    const after = await counts(fb);
    expect(Number(after.fb_handouts) - Number(before.fb_handouts)).toBe(1);
    expect(Number(after.fb_movements) - Number(before.fb_movements)).toBe(handout.picks.length);
    expect(await riceOnHand()).toBe(6);
    // The stored answer is the first one: asking once more with the same id changes nothing either.
    const again = valueOf<{ id: number }>(await post('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 4 }] }, fb.clerk, id));
    expect(again.id).toBe(handout.id);
    expect(await riceOnHand()).toBe(6);

    // A donation receipt takes its number once.
    dropNext = 1;
    const second = valueOf<{ id: number; receiptNo: string | null }>(
      await post('foodbank.receive', { kind: 'donation', donorId: fb.donor, locationId: fb.hub, receivedOn: '2026-03-06', lots: [{ itemId: fb.noodles, quantity: 5 }] }, fb.clerk, crypto.randomUUID()),
    );
    expect(dropped).toBe(2);
    const receipts = await db().selectFrom('fb_receipts').select(['id', 'receipt_no']).orderBy('id').execute();
    expect(receipts.map((r) => r.id)).toEqual([received.id, second.id]);
    expect(new Set(receipts.map((r) => r.receipt_no)).size).toBe(2);
  });

  it('a case intake takes one case number', async () => {
    const w1 = fb.c.w1;
    const hh = fb.family3;
    const input: ApiInput<'cases.intake'> = {
      source: 'A',
      receivedAt: new Date(fb.c.t.clock.now.getTime() - 3_600_000).toISOString(),
      caseType: '脆弱家庭',
      factors: ['1-01'],
      riskLevel: '中',
      leadWorkerId: w1.id,
      assistantIds: [],
      householdId: hh,
    };
    const casesBefore = await db().selectFrom('cases').select('case_no').execute();
    dropNext = 1;
    const d0 = dropped;
    const created = valueOf<{ id: number; caseNo: string }>(await post('cases.intake', input, fb.c.admin, crypto.randomUUID()));
    expect(dropped).toBe(d0 + 1);
    const casesAfter = await db().selectFrom('cases').select(['id', 'case_no']).execute();
    expect(casesAfter.length - casesBefore.length).toBe(1);
    expect(casesAfter.find((c) => c.id === created.id)?.case_no).toBe(created.caseNo);
  });

  it('without a request id the same drop does write twice (what the id prevents)', async () => {
    const before = await riceOnHand();
    const handouts = (await counts(fb)).fb_handouts;
    dropNext = 1;
    valueOf(await post('foodbank.handout', { householdId: fb.single, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 1 }] }, fb.clerk, null));
    expect(Number((await counts(fb)).fb_handouts) - Number(handouts)).toBe(2);
    expect(await riceOnHand()).toBe(before - 2);
  });

  it('refuses an id reused by another user or for another method; an error is not kept, so its retry runs again', async () => {
    const id = crypto.randomUUID();
    valueOf(await post('foodbank.saveDonor', { kind: 'person', name: '王先生' }, fb.clerk, id));
    const other = await post('foodbank.saveDonor', { kind: 'person', name: '王先生' }, fb.clerk2.token, id);
    expect(other.kind === 'answer' && !other.envelope.ok && other.envelope.error.code).toBe('VALIDATION');
    const otherMethod = await post('foodbank.saveLocation', { name: '新站', kind: 'point' }, fb.clerk, id);
    expect(otherMethod.kind === 'answer' && !otherMethod.envelope.ok && otherMethod.envelope.error.code).toBe('VALIDATION');
    // A refused write (more than on the shelf) is not stored: the same id runs again, and succeeds once stock is there.
    const big = crypto.randomUUID();
    const refused = await post('foodbank.handout', { householdId: fb.single, locationId: fb.hub, lines: [{ itemId: fb.noodles, quantity: 50 }] }, fb.clerk, big);
    expect(refused.kind === 'answer' && !refused.envelope.ok && refused.envelope.error.code).toBe('RULE');
    expect(await db().selectFrom('request_results').select('request_id').where('request_id', '=', big).executeTakeFirst()).toBeUndefined();
  });

  it('purges kept answers older than a day during a later write', async () => {
    const n = async () => Number((await db().selectFrom('request_results').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await n()).toBeGreaterThan(0);
    fb.c.t.clock.advanceMinutes(25 * 60);
    const token = await openSession(fb.c.t.app, fb.c.clerk.id, fb.c.t.clock.now);
    valueOf(await post('foodbank.saveDonor', { kind: 'person', name: '林小姐' }, token, crypto.randomUUID()));
    expect(await n()).toBe(1);
  });
});
