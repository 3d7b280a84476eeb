import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './2026-11-22-0001-foundation';
import * as m0002 from './2026-11-22-0002-caseload';
import * as m0003 from './2026-11-22-0003-search-terms';
import * as m0004 from './2026-11-22-0004-case-workflow';
import * as m0005 from './2026-11-22-0005-reports';
import * as m0006 from './2026-11-22-0006-foodbank';
import * as m0007 from './2026-11-22-0007-programmes';
import * as m0008 from './2026-12-06-0008-sessions';
import * as m0009 from './2026-12-06-0009-id-lookups';
import * as m0010 from './2026-12-06-0010-audit-mac';
import * as m0011 from './2026-12-06-0011-request-results';
import * as m0012 from './2026-12-06-0012-concern-visits';
import * as m0013 from './2026-12-06-0013-notifications';
import * as m0014 from './2026-12-06-0014-record-versions';
import * as m0015 from './2026-12-06-0015-programme-edits';
import * as m0016 from './2026-12-06-0016-donor-tax-ids';
import * as m0017 from './2026-12-06-0017-audit-filters';
import * as m0018 from './2026-12-06-0018-imports';
import * as m0019 from './2026-12-06-0019-income-status';
import * as m0020 from './2026-12-06-0020-division-versions';
import * as m0021 from './2026-12-06-0021-case-central-no';
import * as m0022 from './2026-12-06-0022-report-periods';
import * as m0023 from './2026-12-06-0023-report-archive';
import * as m0024 from './2026-12-06-0024-staffing';
import * as m0025 from './2026-12-06-0025-protection-reports';
import * as m0026 from './2026-12-06-0026-consultations';
import * as m0027 from './2026-12-06-0027-latest-records';
import * as m0028 from './2026-12-07-0028-assessments';
import * as m0029 from './2026-12-07-0029-work-guides';
import * as m0030 from './2026-12-07-0030-resources';
import * as m0031 from './2026-12-07-0031-external-aid';
import * as m0032 from './2026-12-07-0032-person-links';
import * as m0033 from './2026-12-07-0033-visit-index';

/**
 * Every migration, listed by hand: a bundled main process cannot scan a folder.
 * Names sort by date; append new ones at the end.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-22-0001-foundation': m0001,
  '2026-11-22-0002-caseload': m0002,
  '2026-11-22-0003-search-terms': m0003,
  '2026-11-22-0004-case-workflow': m0004,
  '2026-11-22-0005-reports': m0005,
  '2026-11-22-0006-foodbank': m0006,
  '2026-11-22-0007-programmes': m0007,
  '2026-12-06-0008-sessions': m0008,
  '2026-12-06-0009-id-lookups': m0009,
  '2026-12-06-0010-audit-mac': m0010,
  '2026-12-06-0011-request-results': m0011,
  '2026-12-06-0012-concern-visits': m0012,
  '2026-12-06-0013-notifications': m0013,
  '2026-12-06-0014-record-versions': m0014,
  '2026-12-06-0015-programme-edits': m0015,
  '2026-12-06-0016-donor-tax-ids': m0016,
  '2026-12-06-0017-audit-filters': m0017,
  '2026-12-06-0018-imports': m0018,
  '2026-12-06-0019-income-status': m0019,
  '2026-12-06-0020-division-versions': m0020,
  '2026-12-06-0021-case-central-no': m0021,
  '2026-12-06-0022-report-periods': m0022,
  '2026-12-06-0023-report-archive': m0023,
  '2026-12-06-0024-staffing': m0024,
  '2026-12-06-0025-protection-reports': m0025,
  '2026-12-06-0026-consultations': m0026,
  '2026-12-06-0027-latest-records': m0027,
  '2026-12-07-0028-assessments': m0028,
  '2026-12-07-0029-work-guides': m0029,
  '2026-12-07-0030-resources': m0030,
  '2026-12-07-0031-external-aid': m0031,
  '2026-12-07-0032-person-links': m0032,
  '2026-12-07-0033-visit-index': m0033,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
