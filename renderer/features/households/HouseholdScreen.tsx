import { HouseholdProgrammesPanel } from '../programmes/HouseholdProgrammesPanel';
import { AidPanel } from '../aid/AidPanel';
import { LinksPanel } from '../links/LinksPanel';
import { Alert, Badge, Button, Grid, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import type { HouseholdPage, MemberView } from '../../../main/contract/types-households';
import { msg } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { ConcernPanel } from '../concerns/ConcernPanel';
import { WhoSawMenu } from '../audit/WhoSawMenu';
import { AssessmentsPanel } from '../assessments/AssessmentsPanel';
import { AddMemberModal } from './AddMemberModal';
import { CarePanel } from './CarePanel';
import { CasesPanel } from './CasesPanel';
import { EditHouseholdModal } from './EditHouseholdModal';
import { EditPersonModal } from './EditPersonModal';
import { EditRelationModal } from './EditRelationModal';
import { EndMembershipModal } from './EndMembershipModal';
import { incomeLabel, isStaff } from './format';
import { Genogram } from './Genogram';
import { MembersPanel, type MemberAction } from './MembersPanel';
import { MoveMemberModal } from './MoveMemberModal';
import { ProtectionPanel } from './ProtectionPanel';
import { TimelinePanel } from './TimelinePanel';

const TIMELINE_FIRST = 20;

function Header({ page, staff, onEdit }: { page: HouseholdPage; staff: boolean; onEdit(): void }) {
  const h = page.household;
  const e = page.eligibility;
  const head = h.members.find((m) => m.relation === '戶長');
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2} data-testid="household-title">{msg.household.title(h.address.text)}</Title>
          <Group gap="xs">
            {head && <Text size="sm">{msg.search.head}：{head.name}</Text>}
            {h.householdType && <Badge variant="light">{h.householdType}</Badge>}
            {e.incomeStatus && <Badge variant="light" color="orange">{incomeLabel(e.incomeStatus)}</Badge>}
            {e.activeCase && <Badge variant="light" color="teal">{msg.household.activeCase}</Badge>}
            {e.activeConcern && <Badge variant="light" color="grape">{msg.household.activeConcern}</Badge>}
          </Group>
          <Text size="sm">
            <Text span c="dimmed" size="sm">{msg.household.phone}：</Text>
            {h.phone ?? msg.none}
          </Text>
          {h.notes && <Text size="sm" c="dimmed">{h.notes}</Text>}
          {h.updatedByName && <Text size="xs" c="dimmed">{msg.household.updatedBy(h.updatedByName, formatRocDateTime(h.updatedAt))}</Text>}
        </Stack>
        {staff && (
          <Group gap="xs">
            <Button variant="default" onClick={onEdit}>{msg.household.editHousehold}</Button>
            <Button variant="light" onClick={() => navigate(`/records/new?householdId=${h.id}`)}>{msg.household.newRecord}</Button>
            <Button onClick={() => navigate(`/cases/new?householdId=${h.id}`)}>{msg.household.newCase}</Button>
            <WhoSawMenu householdId={h.id} members={page.members} />
          </Group>
        )}
      </Group>
    </Paper>
  );
}

/** `#/households/:id`: everything the caller may see of one household. */
export function HouseholdScreen({ id }: { id: number }) {
  const user = useUser();
  const staff = isStaff(user.role);
  const page = useApiQuery('households.page', { id, timelineLimit: TIMELINE_FIRST });
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [action, setAction] = useState<{ kind: MemberAction; member: MemberView } | null>(null);
  // Bumped after every change so the timeline's extra pages start over.
  const [generation, setGeneration] = useState(0);
  const reload = async () => {
    await page.reload();
    setGeneration((g) => g + 1);
  };
  const done = () => {
    setAction(null);
    setAdding(false);
    setEditing(false);
    void reload();
  };

  if (page.error && !page.data) return <Alert color="red" role="alert">{page.error}</Alert>;
  if (!page.data) return <Loader aria-label={msg.loading} />;
  const p = page.data;
  const full = p.view === 'full';
  return (
    <Stack>
      <Header page={p} staff={staff} onEdit={() => setEditing(true)} />
      {!full && <Alert color="blue" variant="light">{msg.household.eligibilityOnly}</Alert>}
      {page.error && <Alert color="red" role="alert">{page.error}</Alert>}
      <MembersPanel members={p.members} staff={staff} onAdd={() => setAdding(true)} onAction={(kind, member) => setAction({ kind, member })} />
      {full && (
        <Grid>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Stack>
              {p.cases && <CasesPanel cases={p.cases} hiddenCount={p.otherCasesCount ?? 0} />}
              {staff && <AssessmentsPanel householdId={id} />}
              {p.timeline && <TimelinePanel key={generation} householdId={id} first={p.timeline} />}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Stack>
              {p.concerns && <ConcernPanel householdId={id} concerns={p.concerns} cases={p.cases ?? []} staff={staff} onChanged={() => void reload()} />}
              {p.care && <CarePanel householdId={id} care={p.care} members={p.members} staff={staff} onChanged={() => void reload()} />}
              {staff && <ProtectionPanel householdId={id} members={p.members} />}
              {staff && <AidPanel householdId={id} members={p.members} />}
              {staff && <HouseholdProgrammesPanel householdId={id} />}
            </Stack>
          </Grid.Col>
        </Grid>
      )}
      <Genogram members={p.members} addressText={p.household.address.text} householdId={p.household.id} />
      {staff && full && <LinksPanel householdId={id} addressText={p.household.address.text} />}
      {staff && (
        <>
          <EditHouseholdModal household={p.household} opened={editing} onClose={() => setEditing(false)} onReload={() => void reload()} onSaved={done} />
          <AddMemberModal householdId={id} opened={adding} onClose={() => setAdding(false)} onSaved={done} />
          <EditPersonModal personId={action?.kind === 'edit' ? action.member.personId : null} onClose={() => setAction(null)} onSaved={done} />
          <MoveMemberModal
            member={action?.kind === 'move' ? action.member : null}
            fromHouseholdId={id}
            onClose={() => setAction(null)}
            onSaved={(toId) => {
              setAction(null);
              navigate(`/households/${toId}`);
            }}
          />
          <EndMembershipModal member={action?.kind === 'end' ? action.member : null} onClose={() => setAction(null)} onSaved={done} />
          <EditRelationModal member={action?.kind === 'relation' ? action.member : null} onClose={() => setAction(null)} onSaved={done} />
        </>
      )}
    </Stack>
  );
}
