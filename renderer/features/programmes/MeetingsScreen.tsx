import { Button, Group, Modal, NumberInput, Paper, ScrollArea, Select, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import { MEETING_KINDS, type MeetingKind } from '../../../main/contract/types-programmes';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msgProgrammes as m } from '../../lib/messages';
import { navigate, useRoute } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { routeQuery } from '../../lib/router';
import { FiguresCard } from './ProgrammesScreen';

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const splitList = (s: string) =>
  s
    .split(/[、,，\n]/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

function EmptyRow({ cols, children }: { cols: number; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={cols}>
        <Text c="dimmed" ta="center" size="sm">
          {children}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** 會議與宣導 `#/meetings[?tab=outreach]`: network meetings and case conferences, outreach events. */
export function MeetingsScreen() {
  const q = routeQuery(useRoute());
  const tab = q.get('tab') === 'outreach' ? 'outreach' : 'meetings';
  const year = Number(todayIso().slice(0, 4));
  const figures = useApiQuery('programmes.figures', { from: `${year}-01-01`, to: todayIso() });
  return (
    <Stack>
      <Title order={2}>{m.meetingsTitle}</Title>
      <FiguresCard data={figures.data?.figures.filter((f) => f.id.startsWith('meetings.') || f.id.startsWith('outreach.')) ?? []} />
      <Tabs value={tab} onChange={(t) => navigate(t === 'outreach' ? '/meetings?tab=outreach' : '/meetings')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="meetings">{m.tabMeetings}</Tabs.Tab>
          <Tabs.Tab value="outreach">{m.tabOutreach}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="meetings" pt="md">
          <MeetingList onSaved={() => void figures.reload()} />
        </Tabs.Panel>
        <Tabs.Panel value="outreach" pt="md">
          <OutreachList onSaved={() => void figures.reload()} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function MeetingList({ onSaved }: { onSaved: () => void }) {
  const q = useApiQuery('meetings.list', {});
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Group justify="flex-end">
        <Button onClick={() => setCreating(true)}>{m.newMeeting}</Button>
      </Group>
      <Paper withBorder>
        <FormError message={q.error} />
        <ScrollArea>
          <Table striped aria-label={m.tabMeetings} miw={900}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.heldOn}</Table.Th>
                <Table.Th>{m.kind}</Table.Th>
                <Table.Th>{m.title}</Table.Th>
                <Table.Th>出席單位</Table.Th>
                <Table.Th>討論案件</Table.Th>
                <Table.Th>{m.decisions}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(q.data ?? []).map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDate(r.heldOn)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.kind}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.title}</Table.Td>
                  <Table.Td>{r.units.join('、')}</Table.Td>
                  <Table.Td>
                    {[...r.casesDiscussed, ...(r.casesHidden > 0 ? [m.casesHidden(r.casesHidden)] : [])].join('、')}
                  </Table.Td>
                  <Table.Td>{r.decisions ?? (r.casesHidden > 0 ? <Text span size="sm" c="dimmed">{m.decisionsHidden}</Text> : '')}</Table.Td>
                </Table.Tr>
              ))}
              {q.data?.length === 0 && <EmptyRow cols={6}>{m.noMeetings}</EmptyRow>}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      <Modal opened={creating} onClose={() => setCreating(false)} title={m.newMeeting} size="lg">
        <MeetingForm
          onDone={() => {
            setCreating(false);
            void q.reload();
            onSaved();
          }}
        />
      </Modal>
    </Stack>
  );
}

function MeetingForm({ onDone }: { onDone: () => void }) {
  const [kind, setKind] = useState<MeetingKind>('聯繫會議');
  const [heldOn, setHeldOn] = useState<string | null>(todayIso());
  const [title, setTitle] = useState('');
  const [units, setUnits] = useState('');
  const [cases, setCases] = useState('');
  const [decisions, setDecisions] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      await call('meetings.create', { kind, heldOn: heldOn ?? '', title, units: splitList(units), casesDiscussed: splitList(cases), decisions });
      onDone();
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <Group grow>
        <Select label={m.kind} data={[...MEETING_KINDS]} value={kind} onChange={(v) => v && setKind(v as MeetingKind)} allowDeselect={false} />
        <RocDateInput label={m.heldOn} value={heldOn} onChange={setHeldOn} required />
      </Group>
      <TextInput label={m.title} value={title} onChange={(e) => setTitle(e.currentTarget.value)} withAsterisk />
      <TextInput label={m.units} value={units} onChange={(e) => setUnits(e.currentTarget.value)} />
      <TextInput label={m.casesDiscussed} value={cases} onChange={(e) => setCases(e.currentTarget.value)} />
      <Textarea label={m.decisions} value={decisions} onChange={(e) => setDecisions(e.currentTarget.value)} autosize minRows={3} />
      <FormError message={error} />
      <Group justify="flex-end">
        <Button onClick={() => void submit()}>{m.saveEntry}</Button>
      </Group>
    </Stack>
  );
}

function OutreachList({ onSaved }: { onSaved: () => void }) {
  const q = useApiQuery('outreach.list', {});
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Group justify="flex-end">
        <Button onClick={() => setCreating(true)}>{m.newOutreach}</Button>
      </Group>
      <Paper withBorder>
        <FormError message={q.error} />
        <ScrollArea>
          <Table striped aria-label={m.tabOutreach} miw={700}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.heldOn}</Table.Th>
                <Table.Th>{m.topic}</Table.Th>
                <Table.Th>{m.place}</Table.Th>
                <Table.Th>{m.attendees}</Table.Th>
                <Table.Th>{m.outreachPartner}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(q.data ?? []).map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{formatRocDate(r.heldOn)}</Table.Td>
                  <Table.Td>{r.topic}</Table.Td>
                  <Table.Td>{r.place}</Table.Td>
                  <Table.Td>{r.attendees}</Table.Td>
                  <Table.Td>{r.partner ?? ''}</Table.Td>
                </Table.Tr>
              ))}
              {q.data?.length === 0 && <EmptyRow cols={5}>{m.noOutreach}</EmptyRow>}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      <Modal opened={creating} onClose={() => setCreating(false)} title={m.newOutreach}>
        <OutreachForm
          onDone={() => {
            setCreating(false);
            void q.reload();
            onSaved();
          }}
        />
      </Modal>
    </Stack>
  );
}

function OutreachForm({ onDone }: { onDone: () => void }) {
  const [heldOn, setHeldOn] = useState<string | null>(todayIso());
  const [place, setPlace] = useState('');
  const [topic, setTopic] = useState('');
  const [attendees, setAttendees] = useState<number | string>('');
  const [partner, setPartner] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      await call('outreach.create', { heldOn: heldOn ?? '', place, topic, attendees: Number(attendees), partner });
      onDone();
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <RocDateInput label={m.heldOn} value={heldOn} onChange={setHeldOn} required />
      <TextInput label={m.topic} value={topic} onChange={(e) => setTopic(e.currentTarget.value)} withAsterisk />
      <TextInput label={m.place} value={place} onChange={(e) => setPlace(e.currentTarget.value)} withAsterisk />
      <Group grow>
        <NumberInput label={m.attendees} value={attendees} onChange={setAttendees} min={0} allowDecimal={false} />
        <TextInput label={m.outreachPartner} value={partner} onChange={(e) => setPartner(e.currentTarget.value)} />
      </Group>
      <FormError message={error} />
      <Group justify="flex-end">
        <Button onClick={() => void submit()}>{m.saveEntry}</Button>
      </Group>
    </Stack>
  );
}
