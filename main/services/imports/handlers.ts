import type { HandlerTable } from '../../api/registry';
import { inDeclaredWrite } from '../call-hooks';
import { rowsPage, setRows } from './batches';
import { cancelJob, findJob, progressOf } from './jobs';
import { inspect, listBatches, listKinds, oneBatch, startCommit, startDryRun, undoBatch } from './pipeline';
import { resultReport } from './report';

type ImportMethods =
  | 'imports.kinds'
  | 'imports.inspect'
  | 'imports.dryRun'
  | 'imports.progress'
  | 'imports.cancel'
  | 'imports.batch'
  | 'imports.rows'
  | 'imports.setRows'
  | 'imports.commit'
  | 'imports.result'
  | 'imports.batches'
  | 'imports.undo';

/**
 * The import pipeline's methods (main/services/imports/). dryRun and commit are `ownTransactions`: they
 * answer with a job id at once and the job opens its own write transaction (see ARCHITECTURE.md, Imports).
 */
export const importHandlers: HandlerTable<ImportMethods> = {
  'imports.kinds': (ctx) => listKinds(ctx.app.db, ctx.actor),
  'imports.inspect': (ctx, input) => inspect(ctx.app.db, ctx.actor, input),
  'imports.dryRun': (ctx, input) => startDryRun(ctx.app, ctx.actor, input),
  'imports.progress': (ctx, input) => progressOf(findJob(input.jobId, ctx.actor.userId)),
  'imports.cancel': (ctx, input) => {
    const job = findJob(input.jobId, ctx.actor.userId);
    cancelJob(job);
    return progressOf(job);
  },
  'imports.batch': (ctx, input) => oneBatch(ctx.app.db, ctx.actor, input.batchId, ctx.app.now()),
  'imports.rows': (ctx, input) => rowsPage(ctx.app.db, ctx.actor, input),
  'imports.setRows': (ctx, input) => inDeclaredWrite(ctx.trx, (trx) => setRows(trx, ctx.actor, input)),
  'imports.commit': (ctx, input) => startCommit(ctx.app, ctx.actor, input.batchId),
  'imports.result': (ctx, input) => resultReport(ctx.app.db, ctx.actor, input.batchId, ctx.app.now()),
  'imports.batches': (ctx, input) => listBatches(ctx.app.db, ctx.actor, input, ctx.app.now()),
  'imports.undo': (ctx, input) => inDeclaredWrite(ctx.trx, (trx) => undoBatch(trx, ctx.actor, input, ctx.app.now())),
};
