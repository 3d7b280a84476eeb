import { Text } from '@mantine/core';
import type { TimelineEntry } from '../../../main/contract/types-households';
import { msgRelation } from '../../lib/messages-edit-records';

/** A timeline line for a relation to the 戶長 corrected in place: who, from what to what, why. */
export function RelationEntry({ e }: { e: Extract<TimelineEntry, { kind: 'relation' }> }) {
  return (
    <>
      <Text size="sm" fw={600}>{msgRelation.timeline(e.personName, e.fromRelation, e.toRelation)}</Text>
      <Text size="xs" c="dimmed">
        {e.reason ?? ''}
        {e.byName ? `${e.reason ? ' · ' : ''}${msgRelation.by(e.byName)}` : ''}
      </Text>
    </>
  );
}
