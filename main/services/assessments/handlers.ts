import type { HandlerTable } from '../../api/registry';
import type { assessmentsMethods } from '../../contract/methods/assessments';
import {
  archiveInstrument,
  compareAssessments,
  confirmAssessment,
  createInstrument,
  deleteAssessment,
  exportAssessmentFhir,
  exportQuestionnaire,
  getAssessment,
  getInstrumentVersion,
  listAssessments,
  listInstruments,
  listVisitRules,
  saveAssessment,
  saveInstrumentVersion,
  saveVisitRules,
} from './service';

type AssessmentMethods = keyof typeof assessmentsMethods;

/** Assessment instruments, assessments and visit-frequency rules (issue 14 §1). */
export const assessmentHandlers: HandlerTable<AssessmentMethods> = {
  'instruments.list': (ctx) => listInstruments(ctx.app.db, ctx.app.now()),
  'instruments.version': (ctx, input) => getInstrumentVersion(ctx.app.db, input),
  'instruments.create': async (ctx, input) => {
    const id = await createInstrument(ctx.trx, ctx.actor, input, ctx.app.now());
    return (await listInstruments(ctx.trx, ctx.app.now(), id))[0]!;
  },
  'instruments.saveVersion': async (ctx, input) => {
    await saveInstrumentVersion(ctx.trx, ctx.actor, input, ctx.app.now());
    return (await listInstruments(ctx.trx, ctx.app.now(), input.instrumentId))[0]!;
  },
  'instruments.archive': async (ctx, input) => {
    await archiveInstrument(ctx.trx, ctx.actor, input, ctx.app.now());
    return (await listInstruments(ctx.trx, ctx.app.now(), input.id))[0]!;
  },
  'instruments.exportQuestionnaire': (ctx, input) => exportQuestionnaire(ctx.app.db, input.versionId),

  'assessments.save': async (ctx, input) => {
    const scope = await ctx.scope();
    const id = await saveAssessment(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getAssessment(ctx.trx, scope, id, ctx.app.now(), { audit: false });
  },
  'assessments.confirm': async (ctx, input) => {
    const scope = await ctx.scope();
    await confirmAssessment(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getAssessment(ctx.trx, scope, input.id, ctx.app.now(), { audit: false });
  },
  'assessments.delete': async (ctx, input) => {
    await deleteAssessment(ctx.trx, await ctx.scope(), ctx.actor, input, ctx.app.now());
    return { deleted: true as const };
  },
  'assessments.list': async (ctx, input) => listAssessments(ctx.app.db, await ctx.scope(), input),
  'assessments.get': async (ctx, input) => getAssessment(ctx.app.db, await ctx.scope(), input.id, ctx.app.now()),
  'assessments.compare': async (ctx, input) => compareAssessments(ctx.app.db, await ctx.scope(), input, ctx.app.now()),
  'assessments.exportFhir': async (ctx, input) => exportAssessmentFhir(ctx.app.db, await ctx.scope(), input.id, ctx.app.now()),

  'visitRules.list': (ctx) => listVisitRules(ctx.app.db),
  'visitRules.save': async (ctx, input) => {
    await saveVisitRules(ctx.trx, ctx.actor, input.rules, ctx.app.now());
    return listVisitRules(ctx.trx);
  },
};
