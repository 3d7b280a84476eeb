/**
 * Transactions declared, not opened by hand (issue 10): a read method's handle refuses writes, a
 * write outside the dispatcher's transaction is refused, a write method's handler runs in one
 * transaction that rolls back whole on an error, and work after the commit runs only after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, METHOD_NAMES } from '../../main/contract/api';
import { createDispatcher } from '../../main/api/dispatch';
import { buildHandlers } from '../../main/api/handlers';
import type { HandlerTable } from '../../main/api/registry';
import { afterCommit, inDeclaredWrite } from '../../main/services/call-hooks';
import { createTestApp, type TestApp } from '../helpers/app';

describe('declared write transactions', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.setupAdmin();
  });
  afterAll(async () => t?.close());

  const settingRow = (key: string) => t.app.ctx.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();

  /** The real handler table with one method replaced, served by a dispatcher of its own. */
  function dispatcherWith(patch: Partial<HandlerTable>) {
    return createDispatcher(t.app.ctx, { ...buildHandlers(), ...patch } as HandlerTable);
  }

  it('every method is a read, a declared write, or listed as opening its own transactions; never two of these', () => {
    for (const name of METHOD_NAMES) {
      const spec = api[name] as { write?: true; ownTransactions?: true };
      expect(spec.write === true && spec.ownTransactions === true, name).toBe(false);
    }
    expect(METHOD_NAMES.filter((n) => (api[n] as { ownTransactions?: true }).ownTransactions).sort()).toEqual(
      ['auth.changePassword', 'auth.login', 'auth.setup', 'auth.unlock', 'backup.create', 'backup.inspect', 'backup.restore', 'imports.commit', 'imports.dryRun', 'search.query'].sort(),
    );
  });

  it('a read method cannot write: its handle refuses the statement and nothing is stored', async () => {
    const d = dispatcherWith({
      'settings.get': async (ctx) => {
        await ctx.app.db.insertInto('settings').values({ key: 'sneaky', value: '1' }).execute();
        return { centerName: 'x' } as never;
      },
    });
    const env = await d.dispatch({ method: 'settings.get', payload: {}, token: admin, transport: 'test' });
    expect(env.ok ? null : env.error.code).toBe('INTERNAL');
    expect(await settingRow('sneaky')).toBeUndefined();
    // Nor through a service's write helper, which asks for the dispatcher's write transaction.
    const d2 = dispatcherWith({
      'settings.get': async (ctx) => inDeclaredWrite(ctx.app.db, async (trx) => trx.insertInto('settings').values({ key: 'sneaky2', value: '1' }).execute()) as never,
    });
    const env2 = await d2.dispatch({ method: 'settings.get', payload: {}, token: admin, transport: 'test' });
    expect(env2.ok ? null : env2.error.code).toBe('INTERNAL');
    expect(await settingRow('sneaky2')).toBeUndefined();
  });

  it('a write method runs in one transaction: an error after its first statement leaves nothing, and after-commit work waits for the commit', async () => {
    const seen: string[] = [];
    const d = dispatcherWith({
      'settings.update': async (ctx) => {
        await ctx.trx.insertInto('settings').values({ key: 'half', value: '1' }).execute();
        afterCommit(() => seen.push('after-commit'));
        throw new Error('boom');
      },
    });
    const env = await d.dispatch({ method: 'settings.update', payload: (await t.call('settings.get', {}, admin)) as never, token: admin, transport: 'test' });
    expect(env.ok).toBe(false);
    expect(await settingRow('half')).toBeUndefined();
    expect(seen).toEqual([]);

    const d2 = dispatcherWith({
      'settings.update': async (ctx) => {
        await ctx.trx.insertInto('settings').values({ key: 'whole', value: '1' }).execute();
        afterCommit(() => {
          seen.push('after-commit');
        });
        seen.push('in-transaction');
        return (await import('../../main/services/settings/service')).readSettings(ctx.trx);
      },
    });
    const env2 = await d2.dispatch({ method: 'settings.update', payload: (await t.call('settings.get', {}, admin)) as never, token: admin, transport: 'test' });
    expect(env2.ok).toBe(true);
    expect(seen).toEqual(['in-transaction', 'after-commit']);
    expect(await settingRow('whole')).toBeDefined();
  });
});
