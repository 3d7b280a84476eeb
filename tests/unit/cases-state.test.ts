import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, CASE_STATUSES, type CaseAction, type CaseDetail, type CaseRequestKind, type CaseStatus } from '../../main/contract/types-cases';
import { actionLabel, allowedActions, CASE_MACHINE, refusalMessage, transition, type Transition } from '../../main/services/cases/state';
import { createFixture, refused, type Fixture } from './cases-fixture';

/**
 * The status machine, pair by pair: the pure table first, then every
 * (status, action) pair through the real API, generated from the table, so a
 * change to the table is a change to what these tests expect.
 */

describe('the case status table', () => {
  it('answers for every status and action, with a label for each action', () => {
    for (const s of CASE_STATUSES) {
      for (const a of CASE_ACTIONS) {
        const t = transition(s, a);
        expect(t === null || typeof t === 'object').toBe(true);
        expect(actionLabel(a).length).toBeGreaterThan(0);
      }
    }
  });

  it('follows DOMAIN.md: intake to assessment to review to service, close review to closed', () => {
    expect(transition('待分派', 'assign')).toEqual({ kind: 'move', to: '評估中' });
    expect(transition('評估中', 'request-open')).toEqual({ kind: 'move', to: '開案審查中' });
    expect(transition('開案審查中', 'approve-open')).toEqual({ kind: 'move', to: '處遇中' });
    expect(transition('開案審查中', 'approve-not-open')).toEqual({ kind: 'move', to: '不開案' });
    expect(transition('開案審查中', 'approve-short-term')).toEqual({ kind: 'move', to: '短期服務' });
    expect(transition('處遇中', 'request-close')).toEqual({ kind: 'move', to: '結案審查中' });
    expect(transition('短期服務', 'request-close')).toEqual({ kind: 'move', to: '結案審查中' });
    expect(transition('結案審查中', 'approve-close')).toEqual({ kind: 'move', to: '已結案' });
    expect(transition('開案審查中', 'return-review')).toEqual({ kind: 'back', to: ['評估中', '短期服務'] });
    expect(transition('結案審查中', 'return-review')).toEqual({ kind: 'back', to: ['處遇中', '短期服務'] });
    expect(transition('已結案', 'reopen')).toEqual({ kind: 'spawn', newStatus: '評估中' });
    expect(transition('不開案', 'reopen')).toEqual({ kind: 'spawn', newStatus: '評估中' });
  });

  it('leaves closed cases read-only except for reopening', () => {
    expect(allowedActions('已結案')).toEqual(['reopen']);
    expect(allowedActions('不開案')).toEqual(['reopen']);
  });

  it('names the current status and what it allows when refusing', () => {
    const msg = refusalMessage('處遇中', 'request-open');
    expect(msg).toContain('「處遇中」');
    expect(msg).toContain('申請開案');
    expect(msg).toContain('申請結案');
    expect(refusalMessage('已結案', 'edit')).toContain('再開案');
  });

  it('every target of a move is a real status and every table row is used', () => {
    for (const s of CASE_STATUSES) {
      expect(Object.keys(CASE_MACHINE[s]).length).toBeGreaterThan(0);
      for (const t of Object.values(CASE_MACHINE[s]) as Transition[]) {
        if (t.kind === 'move') expect(CASE_STATUSES).toContain(t.to);
      }
    }
  });
});

describe('every (status, action) pair through the API', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  /** A pending request of the kind the decision needs, made by w1, from a status the table can go back to. */
  function pendingFor(status: CaseStatus, action: CaseAction): { kind: CaseRequestKind; from: CaseStatus } | null {
    const from: CaseStatus = status === '開案審查中' ? '評估中' : status === '結案審查中' ? '處遇中' : status;
    switch (action) {
      case 'approve-open':
        return { kind: 'open', from };
      case 'approve-not-open':
        return { kind: 'not-open', from };
      case 'approve-short-term':
        return { kind: 'short-term', from };
      case 'approve-close':
        return { kind: 'close', from };
      case 'approve-transfer':
      case 'return-transfer':
        return { kind: 'transfer', from };
      case 'return-review':
      case 'withdraw':
        // A withdrawal takes back whatever is pending: an open/close review, or a transfer elsewhere.
        if (action === 'withdraw' && status !== '開案審查中' && status !== '結案審查中') return { kind: 'transfer', from };
        return { kind: status === '結案審查中' ? 'close' : 'open', from };
      default:
        return null;
    }
  }

  /** Performs one action as someone allowed to do it, so only the status decides. */
  async function perform(c: CaseDetail, action: CaseAction): Promise<{ newCaseId?: number }> {
    const { call, sup1, admin, w1, w2 } = f;
    const pending = pendingFor(c.status, action);
    if (pending && action === 'withdraw') {
      // Made and withdrawn by the administrator, who sees every case, so only the status decides.
      const requestId = await f.forcePending(c.id, pending.kind, pending.from, admin);
      await call(admin, 'cases.withdraw', { requestId, reason: '資料有誤，先撤回' });
      return {};
    }
    if (pending) {
      const requestId = await f.forcePending(c.id, pending.kind, pending.from, w1);
      const approve = action.startsWith('approve-');
      await call(admin, 'cases.decide', { requestId, approve, comment: approve ? '同意' : '請補充評估內容' });
      return {};
    }
    switch (action) {
      case 'assign':
        await call(sup1, 'cases.assign', { id: c.id, leadWorkerId: w1.id, assistantIds: [w2.id] });
        return {};
      case 'edit':
        await call(sup1, 'cases.update', {
          id: c.id,
          version: c.version,
          source: c.source,
          referringUnit: null,
          dispatchedAt: c.dispatchedAt,
          caseType: c.caseType,
          factors: c.factors.map((x) => x.code),
          riskLevel: '高',
          summary: '修改後的摘要',
        });
        return {};
      case 'first-contact':
        await call(sup1, 'cases.recordFirstContact', { caseId: c.id, at: f.ago(1) });
        return {};
      case 'record-service':
        await call(sup1, 'records.create', {
          householdId: c.householdId,
          caseId: c.id,
          occurredAt: f.ago(1),
          method: '電訪家庭',
          participants: [],
          minutes: 20,
          items: ['福利諮詢'],
          narrative: '電話關心近況。',
        });
        return {};
      case 'request-open':
      case 'request-not-open':
      case 'request-short-term':
      case 'request-close':
      case 'request-transfer': {
        const kind = action.slice('request-'.length) as CaseRequestKind;
        await call(sup1, 'cases.request', { caseId: c.id, kind, reason: '申請理由', ...(kind === 'transfer' ? { transferTo: w2.id } : {}) });
        return {};
      }
      case 'reopen': {
        const r = await call(sup1, 'cases.reopen', { caseId: c.id, reason: '家庭再次需要協助', receivedAt: f.ago(1), source: 'A', caseType: '脆弱家庭', riskLevel: '中', leadWorkerId: w1.id });
        return { newCaseId: r.case.id };
      }
      default:
        throw new Error(`no way to perform ${action}`);
    }
  }

  const pairs = CASE_STATUSES.flatMap((s) => CASE_ACTIONS.map((a) => [s, a] as const));

  it.each(pairs)('%s × %s', async (status, action) => {
    const c = await f.caseIn(status);
    expect(c.status).toBe(status);
    const t = transition(status, action);
    const historyBefore = c.history.length;
    if (t === null) {
      const err = await refused(perform(c, action));
      expect(err.code).toBe('RULE');
      expect(err.message).toContain(`「${status}」`);
      const after = await f.call(f.admin, 'cases.get', { id: c.id });
      expect(after.status).toBe(status);
      expect(after.history.length).toBe(historyBefore);
      return;
    }
    const { newCaseId } = await perform(c, action);
    const after = await f.call(f.admin, 'cases.get', { id: c.id });
    switch (t.kind) {
      case 'move':
        expect(after.status).toBe(t.to);
        expect(after.history.at(-1)).toMatchObject({ fromStatus: status, toStatus: t.to });
        break;
      case 'stay':
        expect(after.status).toBe(status);
        break;
      case 'back': {
        const from = pendingFor(status, action)?.from;
        expect(after.status).toBe(from);
        expect(after.history.at(-1)).toMatchObject({ fromStatus: status, toStatus: from, action });
        break;
      }
      case 'spawn': {
        expect(after.status).toBe(status);
        expect(after.nextCase?.id).toBe(newCaseId);
        const fresh = await f.call(f.admin, 'cases.get', { id: newCaseId as number });
        expect(fresh.status).toBe(t.newStatus);
        expect(fresh.previousCase?.id).toBe(c.id);
        break;
      }
      default: {
        const never: never = t;
        throw new Error(String(never));
      }
    }
  });
});
