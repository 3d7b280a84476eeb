import type { HandlerTable } from '../../api/registry';
import { todayIso } from '../../contract/roc-date';
import { caseVisitSchedule, reassessmentsDue, visitsDue } from './visits';
import { approvals, myCaseload, overdueConcernVisits, overdueFollowUps, teamCaseload, uncontacted24h, visitCalendar } from './service';

type WorklistMethods =
  | 'worklists.myCaseload'
  | 'worklists.teamCaseload'
  | 'worklists.approvals'
  | 'worklists.overdueFollowUps'
  | 'worklists.overdueConcernVisits'
  | 'worklists.uncontacted24h'
  | 'worklists.visitCalendar'
  | 'worklists.visitsDue'
  | 'worklists.reassessmentsDue'
  | 'worklists.caseVisitSchedule';

export const worklistHandlers: HandlerTable<WorklistMethods> = {
  'worklists.myCaseload': async (ctx, input) => myCaseload(ctx.app.db, await ctx.scope(), input),
  'worklists.teamCaseload': async (ctx, input) => teamCaseload(ctx.app.db, await ctx.scope(), input),
  'worklists.approvals': async (ctx, input) => approvals(ctx.app.db, await ctx.scope(), input.teamId),
  'worklists.overdueFollowUps': async (ctx, input) =>
    overdueFollowUps(ctx.app.db, await ctx.scope(), input, todayIso(ctx.app.now())),
  'worklists.overdueConcernVisits': async (ctx, input) =>
    overdueConcernVisits(ctx.app.db, await ctx.scope(), input, todayIso(ctx.app.now())),
  'worklists.uncontacted24h': async (ctx, input) => uncontacted24h(ctx.app.db, await ctx.scope(), input.workerId, ctx.app.now()),
  'worklists.visitCalendar': async (ctx, input) => visitCalendar(ctx.app.db, await ctx.scope(), input.weekStart, input.workerId),
  'worklists.visitsDue': async (ctx, input) => visitsDue(ctx.app.db, await ctx.scope(), input, todayIso(ctx.app.now())),
  'worklists.reassessmentsDue': async (ctx, input) => reassessmentsDue(ctx.app.db, await ctx.scope(), input, todayIso(ctx.app.now())),
  'worklists.caseVisitSchedule': async (ctx, input) => caseVisitSchedule(ctx.app.db, await ctx.scope(), input.caseId),
};
