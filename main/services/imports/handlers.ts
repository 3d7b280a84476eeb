import type { HandlerTable } from '../../api/registry';
import { ApiError } from '../../contract/envelope';

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

function notYet(): never {
  throw new ApiError('INTERNAL', '匯入功能尚未完成。');
}

/** The import pipeline's methods (main/services/imports/). */
export const importHandlers: HandlerTable<ImportMethods> = {
  'imports.kinds': () => Promise.resolve([]),
  'imports.inspect': () => notYet(),
  'imports.dryRun': () => notYet(),
  'imports.progress': () => notYet(),
  'imports.cancel': () => notYet(),
  'imports.batch': () => notYet(),
  'imports.rows': () => notYet(),
  'imports.setRows': () => notYet(),
  'imports.commit': () => notYet(),
  'imports.result': () => notYet(),
  'imports.batches': () => Promise.resolve({ rows: [], total: 0 }),
  'imports.undo': () => notYet(),
};
