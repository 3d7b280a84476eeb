/**
 * 個案名冊: a center's existing caseload from Excel, one row per person.
 *
 * - A household key column (戶號 / 家戶編號, the file's own key) groups members; without one every row is a
 *   household of its own. The group's 戶長 row (else its first row) carries the household (address, type,
 *   phone) and, optionally, its case and its 長期關懷.
 * - Classification (caseload-plan.ts): a person known by national ID is a match (never duplicated; the changes
 *   are listed); same name + birth date as a known person without an ID match asks 視為同一人 / 建立新的個人;
 *   the same person twice in the file (same ID, or same name + birth date under the same household key) is a
 *   duplicate of the first line; everything else wrong is an error on its field.
 * - Known people and their households: when a person of the group is already a current member of a household,
 *   the whole group joins that household (new people are added as members, the household's own fields are not
 *   changed: a flag says so); no second household is created. Two known people of one group living in two
 *   different households is an error on the later row (move them in the app first).
 * - Commit (caseload-commit.ts): batched inserts that keep the services' invariants (search terms, one current
 *   household per person, one 戶長, one active case and one active concern per household, case numbers without
 *   gaps per ROC year, status history), every row recorded in the EffectLog for undo.
 */
import { z } from 'zod';
import type { ImportKind } from '../types';
import { caseloadUndoBlockers, commitCaseload } from './caseload-commit';
import { CASELOAD_FIELDS, parseCaseloadRow, type CaseloadRow } from './caseload-parse';
import { classifyCaseload } from './caseload-plan';

export type { CaseloadRow } from './caseload-parse';

export const caseloadKind: ImportKind<CaseloadRow> = {
  name: 'caseload',
  label: '個案名冊',
  roles: ['admin'],
  fields: CASELOAD_FIELDS,
  options: z.object({}),
  parse: parseCaseloadRow,
  classify: classifyCaseload,
  commit: commitCaseload,
  undoBlockers: caseloadUndoBlockers,
};
