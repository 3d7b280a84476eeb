/**
 * Child development accounts (兒少教育及發展帳戶, issue 6 §4): eligible children,
 * accounts, deposits by month, the no-deposit list and its follow-ups.
 *
 * Eligible: born on or after 2016-01-01, and either the child or a current member
 * of the child's household holds 低收 / 中低收 status on the date asked (the status
 * history, person_income_status), or the child is in long-term placement (child_placements). A 社工 sees the children
 * of households they reach (services/access/scope.ts); 督導 their teams'; 管理者 all.
 *
 * Follow-up decision: "建立追蹤" writes a child_account_followups row on the child's
 * household (who raised it, when, the last deposit month). The household's open
 * follow-ups come back from programmes.forHousehold, and the screen links to the
 * service-record form (#/records/new?householdId=N) for the visit itself. A deposit
 * recorded later closes the account's open follow-ups.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { formatRocDate, todayIso } from '../../contract/roc-date';
import {
  ACCOUNT_BORN_FROM,
  DEPOSIT_AMOUNTS,
  NO_DEPOSIT_MONTHS,
  YEARLY_DEPOSIT_CAP,
  monthsWithoutDeposit,
  type AccountView,
  type CloseReason,
  type DepositGridRow,
  type EligibleChild,
  type FollowUpView,
  type NoDepositRow,
} from '../../contract/types-programmes';
import type { ApiParsed } from '../../contract/api';
import type { Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { assertVersion, isPersonVisible, NOT_FOUND_MESSAGE, personVisible } from '../households/common';
import { editsOf, recordEdit } from './edits';
import { incomeStatusAt } from '../households/income-status';
import { lowIncomePersons } from './service';

const ACCOUNT_NOT_FOUND = '找不到這個兒少發展帳戶，或您沒有權限檢視。';

export async function eligibleChildren(db: Kysely<Database>, scope: Scope, asOf: string): Promise<EligibleChild[]> {
  const kids = await db
    .selectFrom('persons')
    .leftJoin('household_members as m', (j) => j.onRef('m.person_id', '=', 'persons.id').on('m.left_on', 'is', null))
    .leftJoin('child_placements as cp', 'cp.person_id', 'persons.id')
    .leftJoin('child_accounts as a', 'a.person_id', 'persons.id')
    .select([
      'persons.id',
      'persons.name',
      'persons.birth_date',
      'm.household_id',
      'cp.person_id as placed',
      'cp.placed_on',
      'cp.version as placement_version',
      'a.id as account_id',
      'a.opened_on',
      'a.monthly_amount',
      'a.closed_on',
    ])
    .where('persons.birth_date', '>=', ACCOUNT_BORN_FROM)
    .where('persons.birth_date', '<=', asOf)
    .where(personVisible(scope))
    .orderBy('persons.birth_date')
    .orderBy('persons.id')
    .execute();
  const low = await lowIncomePersons(
    db,
    kids.map((k) => k.id),
    asOf,
  );
  const ownStatus: Map<number, string> = await incomeStatusAt(db, kids.map((k) => k.id), asOf);
  const householdStatus = await householdIncome(db, kids.map((k) => k.household_id).filter((x): x is number => x !== null), asOf);
  const out: EligibleChild[] = [];
  for (const k of kids) {
    let basis: string | null = null;
    if (low.has(k.id)) {
      const s = ownStatus.get(k.id) ?? (k.household_id !== null ? householdStatus.get(k.household_id) : null) ?? null;
      basis = s === 'low' ? '低收入戶' : '中低收入戶';
    } else if (k.placed !== null) basis = '長期安置';
    if (!basis && k.account_id === null) continue;
    out.push({
      personId: k.id,
      name: k.name,
      birthDate: k.birth_date as string,
      householdId: k.household_id,
      basis: basis ?? '（已不符資格）',
      accountId: k.account_id,
      openedOn: k.opened_on,
      monthlyAmount: k.monthly_amount,
      placedOn: k.placed_on,
      placementVersion: k.placement_version,
      closedOn: k.closed_on,
    });
  }
  return out;
}

/** The best income status on `asOf` among a household's current members ('low' before 'mid-low'). */
async function householdIncome(db: Kysely<Database>, ids: number[], asOf: string): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('household_members as m')
    .innerJoin('person_income_status as s', 's.person_id', 'm.person_id')
    .select(['m.household_id', 's.status'])
    .where('m.household_id', 'in', [...new Set(ids)])
    .where('m.left_on', 'is', null)
    .where('s.valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('s.valid_to', 'is', null), eb('s.valid_to', '>=', asOf)]))
    .execute();
  const out = new Map<number, string>();
  for (const r of rows) if (out.get(r.household_id) !== 'low') out.set(r.household_id, r.status);
  return out;
}

export async function setPlacement(trx: Kysely<Database>, scope: Scope, actor: Actor, input: ApiParsed<'childAccounts.setPlacement'>, now: Date): Promise<void> {
  if (!(await isPersonVisible(trx, scope, input.personId))) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  if (input.placed) {
    await trx
      .insertInto('child_placements')
      .values({ person_id: input.personId, placed_on: input.placedOn ?? todayIso(now), created_at: now.toISOString(), created_by: actor.userId })
      .onConflict((oc) => oc.column('person_id').doNothing())
      .execute();
  } else {
    const cur = await trx.selectFrom('child_placements').select('placed_on').where('person_id', '=', input.personId).executeTakeFirst();
    await trx.deleteFrom('child_placements').where('person_id', '=', input.personId).execute();
    if (cur) await recordEdit(trx, actor, { entity: 'placement', entityId: input.personId, action: 'unplace', before: { placedOn: cur.placed_on }, after: null }, now);
  }
  await appendAudit(trx, { actor, action: 'update', entity: 'child_placement', entityId: input.personId, detail: { placed: input.placed } }, now);
}

/**
 * Corrects a child's long-term placement (issue 11): a new placement date, or no placement (with a
 * reason). Stale-save checked on the placement's version; the earlier date stays in programme_edits.
 * An account already opened on the placement stays open (closing it is its own decision).
 */
export async function updatePlacement(trx: Kysely<Database>, scope: Scope, actor: Actor, input: ApiParsed<'childAccounts.updatePlacement'>, now: Date): Promise<void> {
  if (!(await isPersonVisible(trx, scope, input.personId))) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  const cur = await trx.selectFrom('child_placements').selectAll().where('person_id', '=', input.personId).executeTakeFirst();
  if (!cur) throw new ApiError('NOT_FOUND', '這位兒少目前沒有長期安置紀錄。');
  await assertVersion(trx, '安置紀錄', cur, input.version);
  const ts = now.toISOString();
  if (input.placed) {
    const placedOn = input.placedOn as string;
    if (placedOn > todayIso(now)) throw new ApiError('RULE', '安置日期不可晚於今天。', { fields: { placedOn: '安置日期不可晚於今天' } });
    if (placedOn === cur.placed_on) return;
    await trx
      .updateTable('child_placements')
      .set({ placed_on: placedOn, updated_at: ts, updated_by: actor.userId, version: cur.version + 1 })
      .where('person_id', '=', input.personId)
      .execute();
    await recordEdit(trx, actor, { entity: 'placement', entityId: input.personId, action: 'update', before: { placedOn: cur.placed_on }, after: { placedOn }, reason: input.reason ?? null }, now);
    await appendAudit(trx, { actor, action: 'update', entity: 'child_placement', entityId: input.personId, detail: { changes: { placedOn: { from: cur.placed_on, to: placedOn } } } }, now);
  } else {
    await trx.deleteFrom('child_placements').where('person_id', '=', input.personId).execute();
    await recordEdit(trx, actor, { entity: 'placement', entityId: input.personId, action: 'unplace', before: { placedOn: cur.placed_on }, after: null, reason: input.reason ?? null }, now);
    await appendAudit(trx, { actor, action: 'update', entity: 'child_placement', entityId: input.personId, detail: { changes: { placed: { from: true, to: false }, placedOn: { from: cur.placed_on, to: null } } } }, now);
  }
}

async function visibleAccount(db: Kysely<Database>, scope: Scope, id: number) {
  const a = await db.selectFrom('child_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a || !(await isPersonVisible(db, scope, a.person_id))) throw new ApiError('NOT_FOUND', ACCOUNT_NOT_FOUND);
  return a;
}

export async function getAccount(db: Kysely<Database>, scope: Scope, id: number): Promise<AccountView> {
  const a = await visibleAccount(db, scope, id);
  const p = await db.selectFrom('persons').select('name').where('id', '=', a.person_id).executeTakeFirstOrThrow();
  const deposits = await db.selectFrom('child_deposits').select(['month', 'deposited_on', 'amount']).where('account_id', '=', id).orderBy('month').execute();
  return {
    id: a.id,
    personId: a.person_id,
    personName: p.name,
    householdId: a.household_id,
    openedOn: a.opened_on,
    monthlyAmount: a.monthly_amount,
    accountNo: a.account_no,
    closedOn: a.closed_on,
    closeReason: (a.close_reason as CloseReason | null) ?? null,
    version: a.version,
    deposits: deposits.map((d) => ({ month: d.month, depositedOn: d.deposited_on, amount: d.amount })),
    history: (await editsOf(db, 'account', [a.id]))
      .filter((h) => h.action === 'close' || h.action === 'reopen')
      .map((h) => {
        const v = JSON.parse((h.action === 'close' ? h.after : h.before) ?? '{}') as { closedOn?: string | null };
        return { action: h.action as 'close' | 'reopen', closedOn: v.closedOn ?? null, reason: h.reason, at: h.changed_at, by: h.display_name };
      }),
  };
}

export async function openAccount(trx: Kysely<Database>, scope: Scope, actor: Actor, input: ApiParsed<'childAccounts.open'>, now: Date): Promise<number> {
  if (input.openedOn > todayIso(now)) throw new ApiError('RULE', '開戶日期不可晚於今天。', { fields: { openedOn: '開戶日期不可晚於今天' } });
  const eligible = (await eligibleChildren(trx, scope, todayIso(now))).find((c) => c.personId === input.personId);
  if (!eligible) {
    if (!(await isPersonVisible(trx, scope, input.personId))) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
    throw new ApiError('RULE', '這位兒少不符開戶資格（須為 2016 年以後出生，且為低收／中低收入戶或長期安置兒少）。');
  }
  if (eligible.accountId !== null) throw new ApiError('RULE', `這位兒少已於 ${formatRocDate(eligible.openedOn)} 開戶。`);
  if (input.openedOn < eligible.birthDate) throw new ApiError('RULE', '開戶日期不可早於出生日期。', { fields: { openedOn: '開戶日期不可早於出生日期' } });
  const ts = now.toISOString();
  const row = await trx
    .insertInto('child_accounts')
    .values({
      person_id: input.personId,
      household_id: eligible.householdId,
      opened_on: input.openedOn,
      monthly_amount: input.monthlyAmount,
      account_no: input.accountNo ?? null,
      closed_on: null,
      close_reason: null,
      created_at: ts,
      created_by: actor.userId,
      updated_at: ts,
      updated_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'create', entity: 'child_account', entityId: row.id, detail: { personId: input.personId, monthlyAmount: input.monthlyAmount } }, now);
  return row.id;
}

export async function recordDeposit(trx: Kysely<Database>, scope: Scope, actor: Actor, input: ApiParsed<'childAccounts.recordDeposit'>, now: Date, source = 'manual'): Promise<void> {
  const a = await visibleAccount(trx, scope, input.accountId);
  if (!(DEPOSIT_AMOUNTS as readonly number[]).includes(input.amount)) {
    throw new ApiError('RULE', '存款金額應為 500、1,000 或 1,250 元。', { fields: { amount: '存款金額應為 500、1,000 或 1,250 元' } });
  }
  if (input.depositedOn < a.opened_on) {
    throw new ApiError('RULE', `存款日期 ${formatRocDate(input.depositedOn)} 早於開戶日期 ${formatRocDate(a.opened_on)}。`, { fields: { depositedOn: '存款日期早於開戶日期' } });
  }
  if (input.depositedOn > todayIso(now)) throw new ApiError('RULE', '存款日期不可晚於今天。', { fields: { depositedOn: '存款日期不可晚於今天' } });
  if (a.closed_on !== null && input.depositedOn > a.closed_on) throw new ApiError('RULE', '帳戶已結清，不能再登錄存款。');
  const month = input.depositedOn.slice(0, 7);
  const year = month.slice(0, 4);
  const sum = await trx
    .selectFrom('child_deposits')
    .select((eb) => eb.fn.sum<number>('amount').as('s'))
    .where('account_id', '=', a.id)
    .where('month', '>=', `${year}-01`)
    .where('month', '<=', `${year}-12`)
    .executeTakeFirst();
  const total = Number(sum?.s ?? 0);
  if (total + input.amount > YEARLY_DEPOSIT_CAP) {
    throw new ApiError('RULE', `每年自存上限為 15,000 元；本年度已存 ${total.toLocaleString('en-US')} 元，這筆 ${input.amount.toLocaleString('en-US')} 元會超過上限。`, {
      fields: { amount: '超過每年 15,000 元上限' },
    });
  }
  await trx
    .insertInto('child_deposits')
    .values({ account_id: a.id, month, deposited_on: input.depositedOn, amount: input.amount, source, created_at: now.toISOString(), created_by: actor.userId })
    .execute();
  await trx.updateTable('child_account_followups').set({ resolved_on: input.depositedOn }).where('account_id', '=', a.id).where('resolved_on', 'is', null).execute();
  await appendAudit(trx, { actor, action: 'create', entity: 'child_deposit', entityId: a.id, detail: { month, amount: input.amount, source } }, now);
}

/**
 * Closes (結清) an account (issue 11): from the closing date on it takes no deposit, and it no longer
 * counts as opened for 開戶率 / 存款率 (indicators: open at a period end = opened on or before it and
 * not closed by then). Deposits already recorded stay. Not after today, not before the opening or the
 * last deposit. Open no-deposit follow-ups are resolved on the closing date.
 */
export async function closeAccount(trx: Kysely<Database>, scope: Scope, actor: Actor, input: ApiParsed<'childAccounts.close'>, now: Date): Promise<void> {
  const a = await visibleAccount(trx, scope, input.id);
  await assertVersion(trx, '兒少發展帳戶', a, input.version);
  if (a.closed_on !== null) throw new ApiError('RULE', `這個帳戶已於 ${formatRocDate(a.closed_on)} 結清。`);
  if (input.closedOn > todayIso(now)) throw new ApiError('RULE', '結清日期不可晚於今天。', { fields: { closedOn: '結清日期不可晚於今天' } });
  if (input.closedOn < a.opened_on) throw new ApiError('RULE', '結清日期不可早於開戶日期。', { fields: { closedOn: `結清日期不可早於開戶日期 ${formatRocDate(a.opened_on)}` } });
  const last = await trx.selectFrom('child_deposits').select((eb) => eb.fn.max('deposited_on').as('d')).where('account_id', '=', a.id).executeTakeFirst();
  const lastOn = (last?.d as string | null | undefined) ?? null;
  if (lastOn !== null && input.closedOn < lastOn) {
    throw new ApiError('RULE', `結清日期不可早於最後一筆存款日期 ${formatRocDate(lastOn)}。`, { fields: { closedOn: `結清日期不可早於最後一筆存款 ${formatRocDate(lastOn)}` } });
  }
  await trx
    .updateTable('child_accounts')
    .set({ closed_on: input.closedOn, close_reason: input.reason, updated_at: now.toISOString(), updated_by: actor.userId, version: a.version + 1 })
    .where('id', '=', a.id)
    .execute();
  await trx.updateTable('child_account_followups').set({ resolved_on: input.closedOn }).where('account_id', '=', a.id).where('resolved_on', 'is', null).execute();
  await recordEdit(trx, actor, { entity: 'account', entityId: a.id, action: 'close', before: { closedOn: null }, after: { closedOn: input.closedOn, closeReason: input.reason }, reason: input.reason }, now);
  await appendAudit(trx, { actor, action: 'update', entity: 'child_account', entityId: a.id, detail: { close: { closedOn: input.closedOn, reason: input.reason } } }, now);
}

/** Undoes a mistaken closing (督導 / 管理者, by the contract); the closing stays in the history. */
export async function reopenAccount(trx: Kysely<Database>, scope: Scope, actor: Actor, input: ApiParsed<'childAccounts.reopen'>, now: Date): Promise<void> {
  const a = await visibleAccount(trx, scope, input.id);
  await assertVersion(trx, '兒少發展帳戶', a, input.version);
  if (a.closed_on === null) throw new ApiError('RULE', '這個帳戶沒有結清，不需要重新開啟。');
  await trx
    .updateTable('child_accounts')
    .set({ closed_on: null, close_reason: null, updated_at: now.toISOString(), updated_by: actor.userId, version: a.version + 1 })
    .where('id', '=', a.id)
    .execute();
  await recordEdit(trx, actor, { entity: 'account', entityId: a.id, action: 'reopen', before: { closedOn: a.closed_on, closeReason: a.close_reason }, after: { closedOn: null }, reason: input.reason }, now);
  await appendAudit(trx, { actor, action: 'update', entity: 'child_account', entityId: a.id, detail: { reopen: { closedOn: a.closed_on, reason: a.close_reason } } }, now);
}

async function visibleAccounts(db: Kysely<Database>, scope: Scope) {
  return db
    .selectFrom('child_accounts as a')
    .innerJoin('persons', 'persons.id', 'a.person_id')
    .select(['a.id', 'a.person_id', 'persons.name', 'a.household_id', 'a.opened_on', 'a.monthly_amount', 'a.closed_on'])
    .select((eb) => eb.selectFrom('child_deposits as d').select((x) => x.fn.max('d.month').as('m')).whereRef('d.account_id', '=', 'a.id').as('last_month'))
    .where(personVisible(scope))
    .orderBy('a.opened_on')
    .orderBy('a.id')
    .execute();
}

export async function depositGrid(db: Kysely<Database>, scope: Scope, year: number): Promise<DepositGridRow[]> {
  const accounts = (await visibleAccounts(db, scope)).filter((a) => a.opened_on <= `${year}-12-31` && (a.closed_on === null || a.closed_on >= `${year}-01-01`));
  const ids = accounts.map((a) => a.id);
  const deposits = ids.length
    ? await db.selectFrom('child_deposits').select(['account_id', 'month', 'amount']).where('account_id', 'in', ids).where('month', '>=', `${year}-01`).where('month', '<=', `${year}-12`).execute()
    : [];
  const byAccount = new Map<number, Record<string, number>>();
  for (const d of deposits) {
    const m = byAccount.get(d.account_id) ?? {};
    m[d.month] = (m[d.month] ?? 0) + d.amount;
    byAccount.set(d.account_id, m);
  }
  return accounts.map((a) => {
    const months = byAccount.get(a.id) ?? {};
    return {
      accountId: a.id,
      personName: a.name,
      householdId: a.household_id,
      openedOn: a.opened_on,
      monthlyAmount: a.monthly_amount,
      months,
      yearTotal: Object.values(months).reduce((s, v) => s + v, 0),
    };
  });
}

export async function noDepositList(db: Kysely<Database>, scope: Scope, now: Date): Promise<NoDepositRow[]> {
  const current = todayIso(now).slice(0, 7);
  const accounts = await visibleAccounts(db, scope);
  const open = await db.selectFrom('child_account_followups').select(['id', 'account_id']).where('resolved_on', 'is', null).execute();
  const followUp = new Map(open.map((f) => [f.account_id, f.id]));
  const out: NoDepositRow[] = [];
  for (const a of accounts) {
    if (a.closed_on !== null) continue;
    const last = (a.last_month as string | null) ?? null;
    const months = monthsWithoutDeposit(a.opened_on, last, current);
    if (months < NO_DEPOSIT_MONTHS) continue;
    out.push({ accountId: a.id, personName: a.name, householdId: a.household_id, openedOn: a.opened_on, lastDepositMonth: last, monthsWithout: months, followUpId: followUp.get(a.id) ?? null });
  }
  return out.sort((x, y) => y.monthsWithout - x.monthsWithout || x.accountId - y.accountId);
}

export async function followUpViews(db: Kysely<Database>, where: { householdId?: number; id?: number }): Promise<FollowUpView[]> {
  let q = db
    .selectFrom('child_account_followups as f')
    .innerJoin('child_accounts as a', 'a.id', 'f.account_id')
    .innerJoin('persons as p', 'p.id', 'a.person_id')
    .leftJoin('users as u', 'u.id', 'f.created_by')
    .select(['f.id', 'f.account_id', 'f.household_id', 'p.name', 'f.raised_on', 'f.last_deposit_month', 'f.months_without', 'f.resolved_on', 'u.display_name']);
  if (where.householdId !== undefined) q = q.where('f.household_id', '=', where.householdId);
  if (where.id !== undefined) q = q.where('f.id', '=', where.id);
  const rows = await q.orderBy('f.raised_on', 'desc').orderBy('f.id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    householdId: r.household_id,
    personName: r.name,
    raisedOn: r.raised_on,
    lastDepositMonth: r.last_deposit_month,
    monthsWithout: r.months_without,
    resolvedOn: r.resolved_on,
    raisedBy: r.display_name,
  }));
}

export async function createFollowUp(trx: Kysely<Database>, scope: Scope, actor: Actor, accountId: number, now: Date): Promise<number> {
  await visibleAccount(trx, scope, accountId);
  const row = (await noDepositList(trx, scope, now)).find((r) => r.accountId === accountId);
  if (!row) throw new ApiError('RULE', `這個帳戶近 ${NO_DEPOSIT_MONTHS} 個月內有存款，不需要建立追蹤。`);
  if (row.followUpId !== null) return row.followUpId;
  const f = await trx
    .insertInto('child_account_followups')
    .values({
      account_id: accountId,
      household_id: row.householdId,
      raised_on: todayIso(now),
      last_deposit_month: row.lastDepositMonth,
      months_without: row.monthsWithout,
      resolved_on: null,
      created_at: now.toISOString(),
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'create', entity: 'child_account_followup', entityId: f.id, detail: { accountId, householdId: row.householdId, monthsWithout: row.monthsWithout } }, now);
  return f.id;
}
