/**
 * The kinds of list the import pipeline brings in. Each kind lives in its own file of this folder and is
 * listed here once (append; one line per kind).
 */
import type { ImportKind, ImportKindName } from '../types';
import { caseloadKind } from './caseload';
import { codelistKind } from './codelist';
import { dispatchKind } from './dispatch';
import { incomeStatusKind } from './income-status';
import { villagesKind } from './villages';
import { externalAidKind } from './external-aid';

export const IMPORT_KINDS: Partial<Record<ImportKindName, ImportKind<never>>> = {
  'income-status': incomeStatusKind as unknown as ImportKind<never>,
  dispatch: dispatchKind as ImportKind<never>,
  codelist: codelistKind as ImportKind<never>,
  villages: villagesKind as unknown as ImportKind<never>,
  caseload: caseloadKind as ImportKind<never>,
  'external-aid': externalAidKind as unknown as ImportKind<never>,
};

export function importKind(name: ImportKindName): ImportKind<unknown> | undefined {
  return IMPORT_KINDS[name] as ImportKind<unknown> | undefined;
}
