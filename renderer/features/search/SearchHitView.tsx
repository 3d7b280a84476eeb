import { Badge, Group, Stack, Text } from '@mantine/core';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { SearchHit } from '../../../main/contract/types-households';
import { msg } from '../../lib/messages';
import { caseStatusColor } from '../households/format';

/** One household of the search results: address, matching members (masked IDs), cases. */
export function SearchHitView({ hit }: { hit: SearchHit }) {
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap" justify="space-between">
        <Text fw={600} size="sm" lineClamp={1}>
          {hit.householdId ? hit.addressText || '（未填地址）' : msg.search.noHousehold}
        </Text>
        <Group gap={4} wrap="nowrap">
          {hit.activeConcern && <Badge size="xs" color="grape" variant="light">{msg.search.concern}</Badge>}
          {hit.matchedBy.map((m) => (
            <Badge key={m} size="xs" variant="outline" color="gray">{msg.searchMatch[m] ?? m}</Badge>
          ))}
        </Group>
      </Group>
      {hit.headName && (
        <Text size="xs" c="dimmed">
          {msg.search.head}：{hit.headName}
        </Text>
      )}
      {hit.members.length > 0 && (
        <Group gap="md">
          {hit.members.map((m) => (
            <Text key={m.personId} size="sm">
              {m.name}
              {m.relation && <Text span size="xs" c="dimmed">（{m.relation}）</Text>}{' '}
              <Text span size="xs" ff="monospace">{m.maskedNationalId}</Text>
              {m.birthDate && <Text span size="xs" c="dimmed"> {formatRocDate(m.birthDate)}</Text>}
            </Text>
          ))}
        </Group>
      )}
      {hit.cases.length > 0 && (
        <Group gap={6}>
          {hit.cases.map((c) => (
            <Group key={c.id} gap={4} wrap="nowrap">
              <Text size="xs" ff="monospace">{c.caseNo}</Text>
              <Badge size="xs" color={caseStatusColor(c.status)} variant="light">{c.status}</Badge>
            </Group>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/** A stable key for a hit (a person without a household has no household id). */
export function hitKey(hit: SearchHit): string {
  return hit.householdId ? `h${hit.householdId}` : `p${hit.members[0]?.personId ?? 0}`;
}
