import { Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { formatRocDate } from '../../../main/contract/roc-date';
import { ENROLMENT_STATUS_LABELS } from '../../../main/contract/types-programmes';
import { FormError } from '../../components/FormError';
import { msgProgrammes as m } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';

/**
 * A household's programmes, child accounts and account follow-ups (programmes.forHousehold).
 * Made to be dropped into the household page; also served on its own at
 * `#/programmes/household/:id`.
 */
export function HouseholdProgrammesPanel({ householdId }: { householdId: number }) {
  const q = useApiQuery('programmes.forHousehold', { householdId });
  const d = q.data;
  if (!d) return <FormError message={q.error} />;
  return (
    <Stack>
      <Paper withBorder p="sm">
        <Title order={4} mb="xs">
          {m.followUps}
        </Title>
        {d.followUps.length === 0 && <Text size="sm" c="dimmed">{msgNone}</Text>}
        {d.followUps.map((f) => (
          <Group key={f.id} gap="sm" data-testid={`followup-${f.personName}`}>
            <Badge color={f.resolvedOn ? 'gray' : 'orange'} variant="light">
              {f.resolvedOn ? m.resolved(formatRocDate(f.resolvedOn)) : m.open}
            </Badge>
            <Text size="sm">{`${f.personName}：${formatRocDate(f.raisedOn)} 建立，已 ${f.monthsWithout} 個月未存款（${f.raisedBy ?? ''}）`}</Text>
            {!f.resolvedOn && (
              <Anchor size="sm" href={`#/records/new?householdId=${householdId}`}>
                {m.writeRecord}
              </Anchor>
            )}
          </Group>
        ))}
      </Paper>
      <Paper withBorder p="sm">
        <Title order={4} mb="xs">
          {m.accountsTitle}
        </Title>
        <Table aria-label={m.accountsTitle}>
          <Table.Tbody>
            {d.accounts.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{a.personName}</Table.Td>
                <Table.Td>{`${m.openedOn} ${formatRocDate(a.openedOn)}`}</Table.Td>
                <Table.Td>{m.amountLabel(a.monthlyAmount)}</Table.Td>
                <Table.Td>{`${m.lastDeposit}：${a.lastDepositMonth ? `${Number(a.lastDepositMonth.slice(0, 4)) - 1911}/${a.lastDepositMonth.slice(5)}` : m.noneYet}`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Paper withBorder p="sm">
        <Title order={4} mb="xs">
          {m.programmesTitle}
        </Title>
        <Table aria-label={m.programmesTitle}>
          <Table.Tbody>
            {d.enrolments.map((e, i) => (
              <Table.Tr key={`${e.programmeId}-${i}`}>
                <Table.Td>
                  <Anchor href={`#/programmes/${e.programmeId}`}>{e.programmeName}</Anchor>
                </Table.Td>
                <Table.Td>{e.type}</Table.Td>
                <Table.Td>{e.personName}</Table.Td>
                <Table.Td>{`${ENROLMENT_STATUS_LABELS[e.status]} ${formatRocDate(e.enrolledOn)}${e.endedOn ? `－${formatRocDate(e.endedOn)}` : ''}`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

const msgNone = '（無）';

export function HouseholdProgrammesScreen({ id }: { id: number }) {
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{m.householdTitle}</Title>
        <Anchor href={`#/households/${id}`}>{m.household}</Anchor>
      </Group>
      <HouseholdProgrammesPanel householdId={id} />
    </Stack>
  );
}
