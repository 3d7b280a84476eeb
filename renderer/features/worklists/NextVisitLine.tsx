import { Text } from '@mantine/core';
import { formatRocDate } from '../../../main/contract/roc-date';
import { msgVisitsDue } from '../../lib/messages-instruments';
import { useApiQuery } from '../../lib/useApi';

/** One line on the case screen: 下次訪視日 by the confirmed level's 訪視頻率, and the 再評估日. Nothing when none applies. */
export function NextVisitLine({ caseId }: { caseId: number }) {
  const s = useApiQuery('worklists.caseVisitSchedule', { caseId }).data;
  if (!s || (!s.nextVisitOn && !s.reassessDue)) return null;
  const parts = [
    s.nextVisitOn && s.level && s.visitEveryDays !== null ? msgVisitsDue.caseLine(formatRocDate(s.nextVisitOn), s.level, s.visitEveryDays) : null,
    s.reassessDue ? msgVisitsDue.caseReassess(formatRocDate(s.reassessDue)) : null,
  ].filter(Boolean);
  return (
    <Text size="sm" c="dimmed" data-testid="case-next-visit">
      {parts.join('；')}
    </Text>
  );
}
