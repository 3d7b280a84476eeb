import { Anchor, Badge, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import { CONCERN_FREQUENCY_LABELS, type ConcernView, type HouseholdCaseRow } from '../../../main/contract/types-households';
import { msg } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { DesignateForm, EditConcernForm, EndConcernForm } from './ConcernForms';

export function frequencyText(c: { frequency: ConcernView['frequency']; intervalDays: number | null }): string {
  return c.frequency === 'custom' && c.intervalDays ? `每 ${c.intervalDays} 天` : CONCERN_FREQUENCY_LABELS[c.frequency];
}

/** 逾期 N 天 (red) or N 天後到期. */
export function DueBadge({ daysOverdue }: { daysOverdue: number | null }) {
  if (daysOverdue === null) return null;
  if (daysOverdue > 0) return <Badge color="red" variant="filled" size="sm">{msg.concern.overdue(daysOverdue)}</Badge>;
  return <Badge color={daysOverdue > -8 ? 'yellow' : 'gray'} variant="light" size="sm">{msg.concern.dueIn(-daysOverdue)}</Badge>;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={96} fw={400} c="dimmed">{label}</Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

function ActiveConcern({ c }: { c: ConcernView }) {
  return (
    <Table verticalSpacing={4} aria-label={msg.concern.title}>
      <Table.Tbody>
        <Row label={msg.concern.reason}>
          {c.reason}
          {c.reasonNote && <Text size="xs" c="dimmed">{c.reasonNote}</Text>}
        </Row>
        <Row label={msg.concern.frequency}>{frequencyText(c)}</Row>
        <Row label={msg.concern.worker}>{c.workerName ?? ''}</Row>
        <Row label={msg.concern.startDate}>{formatRocDate(c.startDate)}</Row>
        <Row label={msg.concern.lastVisit}>{c.lastVisitOn ? formatRocDate(c.lastVisitOn) : msg.concern.noVisit}</Row>
        <Row label={msg.concern.nextDue}>
          <Group gap="xs">
            <Text size="sm" fw={600} data-testid="concern-next-due">{formatRocDate(c.nextDue)}</Text>
            <DueBadge daysOverdue={c.daysOverdue} />
          </Group>
        </Row>
        {c.fromCaseNo && c.fromCaseId && (
          <Row label={msg.concern.fromCase}>
            <Anchor href={`#/cases/${c.fromCaseId}`} size="sm">{c.fromCaseNo}</Anchor>
          </Row>
        )}
      </Table.Tbody>
    </Table>
  );
}

function PastConcerns({ list }: { list: ConcernView[] }) {
  if (list.length === 0) return null;
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={700}>{msg.concern.past}</Text>
      {list.map((c) => (
        <Text key={c.id} size="xs">
          {formatRocDate(c.startDate)} {c.reason}，{msg.concern.ended(formatRocDate(c.endDate), c.endReason ?? '')}
          {c.toCaseNo && c.toCaseId && (
            <>
              {' → '}
              <Anchor href={`#/cases/${c.toCaseId}`} size="xs">{c.toCaseNo}</Anchor>
            </>
          )}
          {c.endReason === '轉為個案' && !c.toCaseId && (
            <>
              {' → '}
              <Anchor href={`#/cases/new?householdId=${c.householdId}&concernId=${c.id}`} size="xs">{msg.household.newCase}</Anchor>
            </>
          )}
        </Text>
      ))}
    </Stack>
  );
}

type Dialog = 'designate' | 'edit' | 'end' | null;

/** The household's long-term concern status, with designate / edit / end for staff. */
export function ConcernPanel({ householdId, concerns, cases, staff, onChanged }: { householdId: number; concerns: ConcernView[]; cases: HouseholdCaseRow[]; staff: boolean; onChanged(): void }) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const active = concerns.find((c) => c.active) ?? null;
  const past = concerns.filter((c) => !c.active);
  const saved = () => {
    setDialog(null);
    onChanged();
  };
  const title = dialog === 'designate' ? msg.concern.designate : dialog === 'edit' ? msg.concern.edit : msg.concern.end;
  return (
    <Paper withBorder p="md" data-testid="concern-panel">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{msg.concern.title}</Title>
        {active && <Badge color="grape" variant="light">{msg.concern.active}</Badge>}
      </Group>
      {active ? <ActiveConcern c={active} /> : <Text size="sm" c="dimmed">{msg.concern.none}</Text>}
      {staff && (
        <Group gap="xs" mt="sm">
          {active ? (
            <>
              <Button size="compact-sm" onClick={() => navigate(`/records/new?householdId=${householdId}&concernId=${active.id}`)}>{msg.concern.recordVisit}</Button>
              <Button size="compact-sm" variant="default" onClick={() => setDialog('edit')}>{msg.concern.edit}</Button>
              <Button size="compact-sm" variant="default" title={msg.concern.toCaseButtonTitle} onClick={() => navigate(`/cases/new?householdId=${householdId}&concernId=${active.id}`)}>
                {msg.concern.toCaseButton}
              </Button>
              <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDialog('end')}>{msg.concern.end}</Button>
            </>
          ) : (
            <Button size="compact-sm" onClick={() => setDialog('designate')}>{msg.concern.designate}</Button>
          )}
        </Group>
      )}
      <Stack mt="sm">
        <PastConcerns list={past} />
      </Stack>
      <Modal opened={dialog !== null} onClose={() => setDialog(null)} title={title} size="lg">
        {dialog === 'designate' && <DesignateForm householdId={householdId} cases={cases} onSaved={saved} />}
        {dialog === 'edit' && active && <EditConcernForm key={active.version} concern={active} onReload={onChanged} onSaved={saved} />}
        {dialog === 'end' && active && <EndConcernForm key={active.version} concern={active} cases={cases} onReload={onChanged} onSaved={saved} />}
      </Modal>
    </Paper>
  );
}
