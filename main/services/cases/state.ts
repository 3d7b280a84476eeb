/**
 * The case status machine (個案狀態), as one pure table:
 *
 *   待分派 ─assign─▶ 評估中 ─request open / not-open / short-term─▶ 開案審查中
 *   開案審查中 ─approve─▶ 處遇中 (開案) | 不開案 | 短期服務      ─return─▶ back to where it was
 *   處遇中 | 短期服務 ─request close─▶ 結案審查中 ─approve─▶ 已結案  ─return─▶ back
 *   短期服務 ─request open─▶ 開案審查中 (short-term service that turns out to need a full case)
 *   已結案 | 不開案 ─reopen─▶ a NEW case in 評估中, linked to this one (this one stays closed)
 *   transfer (轉案) is requested and decided without moving the status.
 *   A pending request may be withdrawn (撤回) by whoever made it: back to where it was.
 *
 * No I/O here: the services ask `transition(status, action)` and the tests
 * walk every (status, action) pair.
 */
import { CASE_ACTIONS, CASE_REQUEST_KIND_LABELS, CASE_STATUSES, type CaseAction, type CaseRequestKind, type CaseStatus } from '../../contract/types-cases';

export type Transition =
  /** The case moves to this status. */
  | { kind: 'move'; to: CaseStatus }
  /** Allowed; the status does not change. */
  | { kind: 'stay' }
  /** A returned request: back to the status the request was made from (case_requests.from_status). */
  | { kind: 'back'; to: readonly CaseStatus[] }
  /** 再開案: this case stays as it is and a new one starts in `newStatus`. */
  | { kind: 'spawn'; newStatus: CaseStatus };

const move = (to: CaseStatus): Transition => ({ kind: 'move', to });
const STAY: Transition = { kind: 'stay' };
const back = (...to: CaseStatus[]): Transition => ({ kind: 'back', to });

/** Statuses a case can be worked in (service records, first contact, transfers). */
const transfer = { 'request-transfer': STAY, 'approve-transfer': STAY, 'return-transfer': STAY, withdraw: STAY } as const;

/** Everything not listed for a status is refused. */
export const CASE_MACHINE: Record<CaseStatus, Partial<Record<CaseAction, Transition>>> = {
  待分派: { assign: move('評估中'), edit: STAY, 'first-contact': STAY, 'record-service': STAY },
  評估中: {
    assign: STAY,
    edit: STAY,
    'first-contact': STAY,
    'record-service': STAY,
    'request-open': move('開案審查中'),
    'request-not-open': move('開案審查中'),
    'request-short-term': move('開案審查中'),
    ...transfer,
  },
  開案審查中: {
    'first-contact': STAY,
    'record-service': STAY,
    'approve-open': move('處遇中'),
    'approve-not-open': move('不開案'),
    'approve-short-term': move('短期服務'),
    'return-review': back('評估中', '短期服務'),
    withdraw: back('評估中', '短期服務'),
  },
  處遇中: { assign: STAY, edit: STAY, 'first-contact': STAY, 'record-service': STAY, 'request-close': move('結案審查中'), ...transfer },
  短期服務: {
    assign: STAY,
    edit: STAY,
    'first-contact': STAY,
    'record-service': STAY,
    'request-open': move('開案審查中'),
    'request-close': move('結案審查中'),
    ...transfer,
  },
  結案審查中: { 'first-contact': STAY, 'record-service': STAY, 'approve-close': move('已結案'), 'return-review': back('處遇中', '短期服務'), withdraw: back('處遇中', '短期服務') },
  不開案: { reopen: { kind: 'spawn', newStatus: '評估中' } },
  已結案: { reopen: { kind: 'spawn', newStatus: '評估中' } },
};

export function transition(status: CaseStatus, action: CaseAction): Transition | null {
  return CASE_MACHINE[status][action] ?? null;
}

export function allowedActions(status: CaseStatus): CaseAction[] {
  return CASE_ACTIONS.filter((a) => CASE_MACHINE[status][a] !== undefined);
}

export function isCaseStatus(s: string): s is CaseStatus {
  return (CASE_STATUSES as readonly string[]).includes(s);
}

/** zh-TW name of an action, for messages and the timeline. */
export function actionLabel(action: CaseAction): string {
  switch (action) {
    case 'assign':
      return '派案或改派';
    case 'edit':
      return '修改個案資料';
    case 'first-contact':
      return '登錄首次聯繫';
    case 'record-service':
      return '新增服務紀錄';
    case 'request-open':
      return '申請開案';
    case 'request-not-open':
      return '申請不開案';
    case 'request-short-term':
      return '申請短期服務';
    case 'request-close':
      return '申請結案';
    case 'request-transfer':
      return '申請轉案';
    case 'approve-open':
      return '核准開案';
    case 'approve-not-open':
      return '核准不開案';
    case 'approve-short-term':
      return '核准短期服務';
    case 'approve-close':
      return '核准結案';
    case 'approve-transfer':
      return '核准轉案';
    case 'return-review':
      return '退回申請';
    case 'return-transfer':
      return '退回轉案申請';
    case 'withdraw':
      return '撤回申請';
    case 'reopen':
      return '再開案';
    default: {
      const never: never = action;
      throw new Error(`unknown case action ${String(never)}`);
    }
  }
}

export function requestAction(kind: CaseRequestKind): CaseAction {
  switch (kind) {
    case 'open':
      return 'request-open';
    case 'not-open':
      return 'request-not-open';
    case 'short-term':
      return 'request-short-term';
    case 'close':
      return 'request-close';
    case 'transfer':
      return 'request-transfer';
    default: {
      const never: never = kind;
      throw new Error(`unknown request kind ${String(never)}`);
    }
  }
}

export function decisionAction(kind: CaseRequestKind, approve: boolean): CaseAction {
  switch (kind) {
    case 'open':
      return approve ? 'approve-open' : 'return-review';
    case 'not-open':
      return approve ? 'approve-not-open' : 'return-review';
    case 'short-term':
      return approve ? 'approve-short-term' : 'return-review';
    case 'close':
      return approve ? 'approve-close' : 'return-review';
    case 'transfer':
      return approve ? 'approve-transfer' : 'return-transfer';
    default: {
      const never: never = kind;
      throw new Error(`unknown request kind ${String(never)}`);
    }
  }
}

/** The zh-TW refusal for an action the status does not allow: names the status and what it does allow. */
export function refusalMessage(status: CaseStatus, action: CaseAction): string {
  const allowed = allowedActions(status);
  const can = allowed.length > 0 ? `此狀態可以：${allowed.map(actionLabel).join('、')}。` : '此狀態不能再做任何變更。';
  return `個案目前為「${status}」，不能${actionLabel(action)}。${can}`;
}

export function requestKindLabel(kind: CaseRequestKind): string {
  return CASE_REQUEST_KIND_LABELS[kind];
}
