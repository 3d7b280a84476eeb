import { call } from './api';

/**
 * Prints the current page after the main process has recorded the print in the
 * audit log. If the record cannot be written, nothing is printed: paper copies of
 * personal data are accounted for like every other view.
 */
export async function printAudited(entity: string, entityId: number | string | null, what: string): Promise<void> {
  await call('audit.recordPrint', { entity, entityId, what });
  window.print();
}
