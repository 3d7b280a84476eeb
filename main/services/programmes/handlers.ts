import type { HandlerTable } from '../../api/registry';
import { todayIso } from '../../contract/roc-date';
import type { HouseholdProgrammes, ProgrammeFigures, ProgrammeType, EnrolmentStatus } from '../../contract/types-programmes';
import { assertHouseholdVisible } from '../access/scope';
import { appendAudit } from '../audit/log';
import { readSettings } from '../settings/service';
import type { SignedInContext } from '../../api/registry';
import {
  closeAccount,
  createFollowUp,
  depositGrid,
  eligibleChildren,
  followUpViews,
  getAccount,
  noDepositList,
  openAccount,
  recordDeposit,
  reopenAccount,
  setPlacement,
  updatePlacement,
} from './accounts';
import { importBankFile } from './bank-import';
import { PROGRAMME_INDICATORS } from './indicators';
import { createMeeting, createOutreach, listMeetings, listOutreach } from './meetings';
import {
  addSession,
  assertStaff,
  createProgramme,
  enrol,
  getProgramme,
  getSession,
  listProgrammes,
  setAttendance,
  signInSheetHtml,
  updateEnrolment,
  updateProgramme,
} from './service';

type Methods =
  | 'programmes.list'
  | 'programmes.get'
  | 'programmes.create'
  | 'programmes.update'
  | 'programmes.enrol'
  | 'programmes.updateEnrolment'
  | 'programmes.addSession'
  | 'programmes.session'
  | 'programmes.setAttendance'
  | 'programmes.signInSheet'
  | 'programmes.forHousehold'
  | 'programmes.figures'
  | 'childAccounts.eligible'
  | 'childAccounts.setPlacement'
  | 'childAccounts.updatePlacement'
  | 'childAccounts.close'
  | 'childAccounts.reopen'
  | 'childAccounts.open'
  | 'childAccounts.get'
  | 'childAccounts.deposits'
  | 'childAccounts.recordDeposit'
  | 'childAccounts.noDeposit'
  | 'childAccounts.createFollowUp'
  | 'childAccounts.importBank'
  | 'meetings.list'
  | 'meetings.create'
  | 'outreach.list'
  | 'outreach.create';

/** The scope, after the second gate (staff only). */
async function staffScope(ctx: Pick<SignedInContext, 'scope'>) {
  const scope = await ctx.scope();
  assertStaff(scope);
  return scope;
}

export const programmeHandlers: HandlerTable<Methods> = {
  'programmes.list': async (ctx, input) => {
    await staffScope(ctx);
    return listProgrammes(ctx.app.db, input);
  },
  'programmes.get': async (ctx, input) => getProgramme(ctx.app.db, await staffScope(ctx), input.id),
  'programmes.create': async (ctx, input) => {
    const scope = await staffScope(ctx);
    const id = await createProgramme(ctx.trx, ctx.actor, input, ctx.app.now());
    return getProgramme(ctx.trx, scope, id);
  },
  'programmes.update': async (ctx, input) => {
    const scope = await staffScope(ctx);
    await updateProgramme(ctx.trx, ctx.actor, input, ctx.app.now());
    return getProgramme(ctx.trx, scope, input.id);
  },
  'programmes.enrol': async (ctx, input) => {
    const scope = await staffScope(ctx);
    await enrol(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getProgramme(ctx.trx, scope, input.programmeId);
  },
  'programmes.updateEnrolment': async (ctx, input) => {
    const scope = await staffScope(ctx);
    const pid = await updateEnrolment(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getProgramme(ctx.trx, scope, pid);
  },
  'programmes.addSession': async (ctx, input) => {
    const scope = await staffScope(ctx);
    await addSession(ctx.trx, ctx.actor, input, ctx.app.now());
    return getProgramme(ctx.trx, scope, input.programmeId);
  },
  'programmes.session': async (ctx, input) => getSession(ctx.app.db, await staffScope(ctx), input.id),
  'programmes.setAttendance': async (ctx, input) => {
    const scope = await staffScope(ctx);
    await setAttendance(ctx.trx, ctx.actor, input, ctx.app.now());
    return getSession(ctx.trx, scope, input.sessionId);
  },
  'programmes.signInSheet': async (ctx, input) => {
    const s = await getSession(ctx.trx, await staffScope(ctx), input.sessionId);
    const settings = await readSettings(ctx.trx);
    const now = ctx.app.now();
    await appendAudit(ctx.trx, { actor: ctx.actor, action: 'print', entity: 'programme_session', entityId: s.id, detail: { sheet: '簽到表' } }, now);
    return { html: signInSheetHtml(s, settings.centerName) };
  },
  'programmes.forHousehold': async (ctx, input): Promise<HouseholdProgrammes> => {
    const scope = await staffScope(ctx);
    const db = ctx.app.db;
    await assertHouseholdVisible(db, scope, input.householdId);
    const enrolments = await db
      .selectFrom('programme_enrolments as e')
      .innerJoin('programmes as p', 'p.id', 'e.programme_id')
      .innerJoin('persons as ps', 'ps.id', 'e.person_id')
      .select(['p.id as programmeId', 'p.name as programmeName', 'p.programme_type', 'ps.name as personName', 'e.status', 'e.enrolled_on', 'e.ended_on'])
      .where((eb) =>
        eb.or([
          eb('e.household_id', '=', input.householdId),
          eb('e.person_id', 'in', eb.selectFrom('household_members').select('person_id').where('household_id', '=', input.householdId).where('left_on', 'is', null)),
        ]),
      )
      .orderBy('e.enrolled_on', 'desc')
      .execute();
    const accounts = await db
      .selectFrom('child_accounts as a')
      .innerJoin('persons as ps', 'ps.id', 'a.person_id')
      .select(['a.id', 'ps.name', 'a.opened_on', 'a.monthly_amount'])
      .select((eb) => eb.selectFrom('child_deposits as d').select((x) => x.fn.max('d.month').as('m')).whereRef('d.account_id', '=', 'a.id').as('last'))
      .where('a.household_id', '=', input.householdId)
      .execute();
    return {
      enrolments: enrolments.map((e) => ({
        programmeId: e.programmeId,
        programmeName: e.programmeName,
        type: e.programme_type as ProgrammeType,
        personName: e.personName,
        status: e.status as EnrolmentStatus,
        enrolledOn: e.enrolled_on,
        endedOn: e.ended_on,
      })),
      accounts: accounts.map((a) => ({ id: a.id, personName: a.name, openedOn: a.opened_on, monthlyAmount: a.monthly_amount, lastDepositMonth: (a.last as string | null) ?? null })),
      followUps: await followUpViews(db, { householdId: input.householdId }),
    };
  },
  'programmes.figures': async (ctx, input): Promise<ProgrammeFigures> => {
    await staffScope(ctx);
    const figures = [];
    for (const ind of PROGRAMME_INDICATORS) {
      const r = await ind.compute(ctx.app.db, { period: input });
      figures.push({ id: ind.id, name: ind.name, unit: ind.unit, value: r.total.value, ...(r.total.numerator !== undefined ? { numerator: r.total.numerator, denominator: r.total.denominator } : {}) });
    }
    return { from: input.from, to: input.to, figures };
  },

  'childAccounts.eligible': async (ctx, input) => eligibleChildren(ctx.app.db, await staffScope(ctx), input.asOf ?? todayIso(ctx.app.now())),
  'childAccounts.setPlacement': async (ctx, input) => {
    const scope = await staffScope(ctx);
    await setPlacement(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return eligibleChildren(ctx.trx, scope, todayIso(ctx.app.now()));
  },
  'childAccounts.updatePlacement': async (ctx, input) => {
    const scope = await staffScope(ctx);
    await updatePlacement(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return eligibleChildren(ctx.trx, scope, todayIso(ctx.app.now()));
  },
  'childAccounts.close': async (ctx, input) => {
    const scope = await staffScope(ctx);
    await closeAccount(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getAccount(ctx.trx, scope, input.id);
  },
  'childAccounts.reopen': async (ctx, input) => {
    const scope = await staffScope(ctx);
    await reopenAccount(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getAccount(ctx.trx, scope, input.id);
  },
  'childAccounts.open': async (ctx, input) => {
    const scope = await staffScope(ctx);
    const id = await openAccount(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getAccount(ctx.trx, scope, id);
  },
  'childAccounts.get': async (ctx, input) => getAccount(ctx.app.db, await staffScope(ctx), input.id),
  'childAccounts.deposits': async (ctx, input) => depositGrid(ctx.app.db, await staffScope(ctx), input.year),
  'childAccounts.recordDeposit': async (ctx, input) => {
    const scope = await staffScope(ctx);
    await recordDeposit(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getAccount(ctx.trx, scope, input.accountId);
  },
  'childAccounts.noDeposit': async (ctx) => noDepositList(ctx.app.db, await staffScope(ctx), ctx.app.now()),
  'childAccounts.createFollowUp': async (ctx, input) => {
    const scope = await staffScope(ctx);
    const id = await createFollowUp(ctx.trx, scope, ctx.actor, input.accountId, ctx.app.now());
    const [f] = await followUpViews(ctx.trx, { id });
    return f as NonNullable<typeof f>;
  },

  'childAccounts.importBank': async (ctx, input) => importBankFile(ctx.trx, await staffScope(ctx), ctx.actor, input, ctx.app.now()),

  'meetings.list': async (ctx, input) => listMeetings(ctx.app.db, await staffScope(ctx), input.year),
  'meetings.create': async (ctx, input) => {
    const scope = await staffScope(ctx);
    const id = await createMeeting(ctx.trx, ctx.actor, input, ctx.app.now());
    return (await listMeetings(ctx.trx, scope, undefined, id))[0] as NonNullable<Awaited<ReturnType<typeof listMeetings>>[number]>;
  },
  'outreach.list': async (ctx, input) => {
    await staffScope(ctx);
    return listOutreach(ctx.app.db, input.year);
  },
  'outreach.create': async (ctx, input) => {
    await staffScope(ctx);
    const id = await createOutreach(ctx.trx, ctx.actor, input, ctx.app.now());
    return (await listOutreach(ctx.trx, undefined, id))[0] as NonNullable<Awaited<ReturnType<typeof listOutreach>>[number]>;
  },
};
