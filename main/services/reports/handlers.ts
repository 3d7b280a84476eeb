import type { HandlerTable } from '../../api/registry';
import { crosstab, crosstabXlsx } from './crosstab';
import { dimensionValuesFor } from './dimension-values';
import {
  checkDefinition,
  exportDefinition,
  getDefinition,
  importDefinition,
  importTemplate,
  listDefinitions,
  listTemplates,
  saveDefinition,
  templateGrid,
} from './definitions';
import { indicatorViews } from './indicators/registry';
import { renderMonthlyHtml } from './monthly-html';
import { monthlyReport, recordMonthlyPrint, saveMonthlyRemark } from './monthly';
import { generate, periods, snapshot, submit, unlock } from './quarterly';

type ReportMethods =
  | 'reports.indicators'
  | 'reports.importTemplate'
  | 'reports.listTemplates'
  | 'reports.templateGrid'
  | 'reports.saveDefinition'
  | 'reports.getDefinition'
  | 'reports.listDefinitions'
  | 'reports.checkDefinition'
  | 'reports.exportDefinition'
  | 'reports.importDefinition'
  | 'reports.generate'
  | 'reports.submit'
  | 'reports.unlock'
  | 'reports.periods'
  | 'reports.snapshot'
  | 'reports.monthly'
  | 'reports.monthlyHtml'
  | 'reports.monthlyPrinted'
  | 'reports.saveMonthlyRemark'
  | 'reports.crosstab'
  | 'reports.crosstabXlsx'
  | 'reports.dimensionValues';

export const reportHandlers: HandlerTable<ReportMethods> = {
  'reports.indicators': () => indicatorViews(),
  'reports.importTemplate': (ctx, input) => importTemplate(ctx.trx, ctx.actor, input.fileName, input.bytesBase64, ctx.app.now()),
  'reports.listTemplates': (ctx) => listTemplates(ctx.app.db),
  'reports.templateGrid': (ctx, input) => templateGrid(ctx.app.db, input.templateId),
  'reports.saveDefinition': (ctx, input) => saveDefinition(ctx.trx, ctx.actor, input, ctx.app.now()),
  'reports.getDefinition': (ctx, input) => getDefinition(ctx.app.db, input.id),
  'reports.listDefinitions': (ctx) => listDefinitions(ctx.app.db),
  'reports.checkDefinition': (ctx, input) => checkDefinition(ctx.app.db, input.id, input.period),
  'reports.exportDefinition': (ctx, input) => exportDefinition(ctx.app.db, ctx.actor, input.id, ctx.app.now()),
  'reports.importDefinition': (ctx, input) => importDefinition(ctx.trx, ctx.actor, input, ctx.app.now()),
  'reports.generate': (ctx, input) => generate(ctx.app.db, ctx.actor, input.definitionId, input.period, ctx.app.now()),
  'reports.submit': (ctx, input) => submit(ctx.trx, ctx.actor, input.definitionId, input.period, ctx.app.now()),
  'reports.unlock': (ctx, input) => unlock(ctx.trx, ctx.actor, input.definitionId, input.period, input.reason, ctx.app.now()),
  'reports.periods': (ctx, input) => periods(ctx.app.db, input.definitionId, input.count, ctx.app.now()),
  'reports.snapshot': (ctx, input) => snapshot(ctx.app.db, ctx.actor, input.definitionId, input.period, input.submissionId, ctx.app.now()),
  'reports.monthly': (ctx, input) => monthlyReport(ctx.app.db, ctx.actor, input, ctx.app.now()),
  'reports.monthlyHtml': async (ctx, input) => {
    const data = await monthlyReport(ctx.app.db, ctx.actor, input, ctx.app.now());
    return { html: renderMonthlyHtml(data), data };
  },
  'reports.monthlyPrinted': (ctx, input) => recordMonthlyPrint(ctx.trx, ctx.actor, input, ctx.app.now()),
  'reports.saveMonthlyRemark': (ctx, input) => saveMonthlyRemark(ctx.trx, ctx.actor, input, ctx.app.now()),
  'reports.crosstab': (ctx, input) => crosstab(ctx.app.db, ctx.actor, input),
  'reports.crosstabXlsx': (ctx, input) => crosstabXlsx(ctx.app.db, ctx.actor, input, ctx.app.now()),
  'reports.dimensionValues': (ctx, input) => dimensionValuesFor(ctx.app.db, ctx.actor, input.dimension),
};

