import { Paper, Stepper } from '@mantine/core';
import type { CaseDetail, CaseStatus } from '../../../main/contract/types-cases';
import { msgCases } from '../../lib/messages';

const OUTCOMES: readonly CaseStatus[] = ['處遇中', '不開案', '短期服務'];

/**
 * The status flow drawn as steps: 待分派 → 評估中 → 開案審查中 → 處遇中 / 不開案 / 短期服務
 * → 結案審查中 → 已結案. The outcome step names the branch the case took.
 */
export function CaseFlow({ detail }: { detail: CaseDetail }) {
  const status = detail.status;
  // The branch taken: the newest history entry that landed on one of the outcomes.
  const outcome = [...detail.history].reverse().find((h) => OUTCOMES.includes(h.toStatus))?.toStatus ?? null;
  const notOpened = status === '不開案';

  let active: number;
  switch (status) {
    case '待分派':
      active = 0;
      break;
    case '評估中':
      active = 1;
      break;
    case '開案審查中':
      active = 2;
      break;
    case '處遇中':
    case '短期服務':
      active = 3;
      break;
    case '不開案':
      active = 4;
      break;
    case '結案審查中':
      active = 4;
      break;
    case '已結案':
      active = 6;
      break;
  }
  // Cases assigned at intake, and reopened ones, never wait for dispatch.
  const dispatchSkipped = !detail.history.some((h) => h.toStatus === '待分派');
  const current = (i: number) => (i === active ? '目前' : undefined);
  const na = notOpened ? msgCases.flow.notApplicable : undefined;

  return (
    <Paper withBorder p="sm" aria-label={msgCases.flow.label} role="group" data-testid="case-flow">
      <Stepper active={active} size="xs" iconSize={24} allowNextStepsSelect={false}>
        <Stepper.Step label="待分派" description={current(0) ?? (dispatchSkipped ? msgCases.flow.skipped : undefined)} />
        <Stepper.Step label="評估中" description={current(1)} />
        <Stepper.Step label="開案審查中" description={current(2)} />
        <Stepper.Step
          label={outcome ?? msgCases.flow.outcome}
          description={current(3) ?? (notOpened ? '結束' : undefined)}
          color={notOpened ? 'gray' : undefined}
        />
        <Stepper.Step label="結案審查中" description={na ?? current(4)} color={notOpened ? 'gray' : undefined} />
        <Stepper.Step label="已結案" description={na ?? current(5)} color={notOpened ? 'gray' : undefined} />
      </Stepper>
    </Paper>
  );
}
