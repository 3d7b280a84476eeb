import { Badge, Button, Group, Modal, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import { LTC_SERVICES, type CareLoadView, type LtcServiceView, type MemberView } from '../../../main/contract/types-households';
import { msg } from '../../lib/messages';
import { CareForm } from './CareForm';

/** The five standard long-term care services, each shown as in place or not. */
const STANDARD = LTC_SERVICES.filter((s) => s !== '其他');

function serviceDetail(s: LtcServiceView): string {
  return [s.personName, s.provider, s.since ? `${formatRocDate(s.since)} 起` : null, s.until ? `至 ${formatRocDate(s.until)}` : null].filter(Boolean).join('，');
}

function ServiceBadges({ services }: { services: LtcServiceView[] }) {
  const others = services.filter((s) => s.service === '其他');
  return (
    <Group gap={6} aria-label={msg.care.servicesInPlace} role="list">
      {STANDARD.map((name) => {
        const inUse = services.filter((s) => s.service === name);
        return inUse.length > 0 ? (
          <Tooltip key={name} label={inUse.map(serviceDetail).join('；') || msg.care.inUse}>
            <Badge role="listitem" color="teal" variant="filled" data-in-use="true">✓ {name}</Badge>
          </Tooltip>
        ) : (
          <Badge key={name} role="listitem" color="gray" variant="outline" data-in-use="false" title={msg.care.notInUse}>{name}</Badge>
        );
      })}
      {others.map((s) => (
        <Badge key={s.id} role="listitem" color="teal" variant="light">{s.provider ?? '其他'}</Badge>
      ))}
    </Group>
  );
}

function Needs({ care }: { care: CareLoadView }) {
  if (care.needs.length === 0) return null;
  return (
    <Table verticalSpacing={4} aria-label={msg.care.needs}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{msg.care.needPerson}</Table.Th>
          <Table.Th>{msg.care.needKind}</Table.Th>
          <Table.Th>{msg.care.cmsShort}</Table.Th>
          <Table.Th>{msg.care.assessedOn}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {care.needs.map((n) => (
          <Table.Tr key={n.id}>
            <Table.Td>{n.personName}</Table.Td>
            <Table.Td>
              {n.kind}
              {n.note && <Text size="xs" c="dimmed">{n.note}</Text>}
            </Table.Td>
            <Table.Td>{n.cmsLevel ? msg.care.cmsValue(n.cmsLevel) : msg.care.cmsNone}</Table.Td>
            <Table.Td>{formatRocDate(n.assessedOn)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** 照顧負荷: who needs care, who carries it, whether it is too heavy, and what help is in place. */
export function CarePanel({ householdId, care, members, staff, onChanged }: { householdId: number; care: CareLoadView; members: MemberView[]; staff: boolean; onChanged(): void }) {
  const [editing, setEditing] = useState(false);
  const empty = care.version === 0;
  return (
    <Paper withBorder p="md" data-testid="care-panel">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{msg.care.title}</Title>
        {care.highBurden && <Badge color="red" variant="filled">{msg.care.highBurden}</Badge>}
      </Group>
      {empty ? (
        <Text size="sm" c="dimmed">{msg.care.none}</Text>
      ) : (
        <Stack gap="xs">
          <Needs care={care} />
          <Text size="sm">
            <Text span c="dimmed" size="sm">{msg.care.caregiver}：</Text>
            {care.caregiver?.name ?? msg.care.caregiverNone}
          </Text>
          {care.caregiverNote && <Text size="xs" c="dimmed">{care.caregiverNote}</Text>}
        </Stack>
      )}
      <Text size="sm" c="dimmed" mt="sm" mb={4}>{msg.care.servicesInPlace}</Text>
      <ServiceBadges services={care.services} />
      {care.updatedAt && care.updatedByName && <Text size="xs" c="dimmed" mt="xs">{msg.household.updatedBy(care.updatedByName, formatRocDateTime(care.updatedAt))}</Text>}
      {staff && (
        <Button size="compact-sm" variant="default" mt="sm" onClick={() => setEditing(true)}>{msg.care.edit}</Button>
      )}
      <Modal opened={editing} onClose={() => setEditing(false)} title={msg.care.edit} size="xl">
        {editing && (
          <CareForm
            key={care.version}
            householdId={householdId}
            care={care}
            members={members}
            onReload={onChanged}
            onSaved={() => {
              setEditing(false);
              onChanged();
            }}
          />
        )}
      </Modal>
    </Paper>
  );
}
