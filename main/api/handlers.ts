import { authHandlers } from '../services/auth/handlers';
import { auditHandlers } from '../services/audit/handlers';
import { settingsHandlers } from '../services/settings/handlers';
import { userHandlers } from '../services/users/handlers';
import { composeHandlers, type HandlerTable } from './registry';

/** The one handler table, served over IPC (Electron) and HTTP (browser host). */
export function buildHandlers(): HandlerTable {
  return composeHandlers(authHandlers, userHandlers, settingsHandlers, auditHandlers);
}
