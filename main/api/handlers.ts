import { authHandlers } from '../services/auth/handlers';
import { auditHandlers } from '../services/audit/handlers';
import { settingsHandlers } from '../services/settings/handlers';
import { userHandlers } from '../services/users/handlers';
import { householdHandlers } from '../services/households/handlers';
import { concernHandlers } from '../services/concerns/handlers';
import { searchHandlers } from '../services/search/handlers';
import { divisionHandlers } from '../services/divisions/handlers';
import { caseHandlers } from '../services/cases/handlers';
import { codeListHandlers } from '../services/codelists/handlers';
import { recordHandlers } from '../services/records/handlers';
import { worklistHandlers } from '../services/worklists/handlers';
import { reportHandlers } from '../services/reports/handlers';
import { programmeHandlers } from '../services/programmes/handlers';
import { foodbankHandlers } from '../services/foodbank/handlers';
import { backupHandlers } from '../services/backup/handlers';
import { sessionHandlers } from '../services/sessions/handlers';
import { systemHandlers } from '../services/system/handlers';
import { notificationHandlers } from '../services/notifications/handlers';
import { importHandlers } from '../services/imports/handlers';
import { outcomeHandlers } from '../services/outcomes/handlers';
import { staffingHandlers } from '../services/staffing/handlers';
import { assessmentHandlers } from '../services/assessments/handlers';
import { guideHandlers } from '../services/guides/handlers';
import { resourceHandlers } from '../services/resources/handlers';
import { aidHandlers } from '../services/aid/handlers';
import { linkHandlers } from '../services/links/handlers';
import type { ServerInfo } from '../contract/methods/system';
import { composeHandlers, type HandlerTable } from './registry';

/** The one handler table, served over IPC (Electron) and HTTP (browser host). */
export function buildHandlers(opts: { serverInfo?: () => ServerInfo } = {}): HandlerTable {
  return composeHandlers(
    authHandlers,
    userHandlers,
    settingsHandlers,
    auditHandlers,
    householdHandlers,
    concernHandlers,
    searchHandlers,
    divisionHandlers,
    codeListHandlers,
    caseHandlers,
    recordHandlers,
    worklistHandlers,
    reportHandlers,
    programmeHandlers,
    foodbankHandlers,
    backupHandlers,
    sessionHandlers,
    systemHandlers(opts.serverInfo),
    notificationHandlers,
    importHandlers,
    outcomeHandlers,
    staffingHandlers,
    assessmentHandlers,
    guideHandlers,
    resourceHandlers,
    aidHandlers,
    linkHandlers,
  );
}
