import { Anchor, Badge, Button, Checkbox, Group, Modal, NumberInput, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import { ENROLMENT_STATUS_LABELS, type EnrolmentView, type ProgrammeDetail, type SessionRow } from '../../../main/contract/types-programmes';
import type { SearchHit } from '../../../main/contract/types-households';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msgProgrammes as m } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';
import { StatusBadge } from './ProgrammesScreen';
import { EnrolmentEditForm, ProgrammeEditForm } from './EditForms';
import { msgProgEdit } from '../../lib/messages-programmes-edit';

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The roster's columns; the actions column (complete, withdraw) is screen only. */
function rosterColumns(
  onStatus: (enrolmentId: number, version: number, status: 'completed' | 'withdrew') => void,
  onEdit: (e: EnrolmentView) => void,
): DataColumn<EnrolmentView>[] {
  return [
    {
      id: 'person',
      header: m.person,
      accessor: (e) => e.personName,
      cell: (e) => (e.householdId ? <Anchor href={`#/households/${e.householdId}`}>{e.personName}</Anchor> : e.personName),
      hideable: false,
    },
    { id: 'enrolledOn', header: m.enrolledOn, accessor: (e) => e.enrolledOn, kind: 'date' },
    { id: 'status', header: m.status, accessor: (e) => `${ENROLMENT_STATUS_LABELS[e.status]}${e.endedOn ? ` ${formatRocDate(e.endedOn)}` : ''}` },
    { id: 'attended', header: m.attended, accessor: (e) => e.attended, kind: 'number' },
    { id: 'hint', header: m.hint, accessor: (e) => e.hint, cell: (e) => e.hint && <Badge color="orange" variant="light">{e.hint}</Badge> },
    {
      id: 'actions',
      header: '',
      accessor: () => null,
      screenOnly: true,
      hideable: false,
      sortable: false,
      cell: (e) => (
        <Group gap={4}>
          {e.inScope && (
            <Button size="compact-xs" variant="subtle" aria-label={`${msgProgEdit.editEnrolment} ${e.personName}`} onClick={() => onEdit(e)}>
              {msgProgEdit.edit}
            </Button>
          )}
          {e.status === 'enrolled' && (
            <>
              <Button size="compact-xs" variant="light" onClick={() => onStatus(e.id, e.version, 'completed')}>
                {m.complete}
              </Button>
              <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onStatus(e.id, e.version, 'withdrew')}>
                {m.withdraw}
              </Button>
            </>
          )}
        </Group>
      ),
    },
  ];
}

const sessionColumns: DataColumn<SessionRow>[] = [
  { id: 'heldOn', header: m.heldOn, accessor: (s) => s.heldOn, kind: 'date' },
  { id: 'topic', header: m.topic, accessor: (s) => s.topic },
  { id: 'place', header: m.place, accessor: (s) => s.place },
  { id: 'hours', header: m.hours, accessor: (s) => s.hours, kind: 'number' },
  { id: 'facilitator', header: m.facilitator, accessor: (s) => s.facilitator ?? '' },
  { id: 'attendance', header: m.attendanceCounts, accessor: (s) => `${s.present} / ${s.excused} / ${s.absent}`, sortable: false },
  {
    id: 'links',
    header: '',
    accessor: () => null,
    screenOnly: true,
    hideable: false,
    sortable: false,
    cell: (s) => (
      <Group gap={4}>
        <Anchor size="sm" href={`#/programmes/sessions/${s.id}`}>
          {m.openSession}
        </Anchor>
        <Anchor size="sm" href={`#/programmes/sessions/${s.id}/sheet`}>
          {m.printSheet}
        </Anchor>
      </Group>
    ),
  },
];

/** 方案 `#/programmes/:id`: the programme, its participants (enrol, complete, withdraw) and its sessions. */
export function ProgrammeScreen({ id }: { id: number }) {
  const q = useApiQuery('programmes.get', { id });
  const [enrolling, setEnrolling] = useState(false);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [editingEnrolment, setEditingEnrolment] = useState<EnrolmentView | null>(null);
  const p = q.data;
  if (!p) return <FormError message={q.error} />;
  const setStatus = async (enrolmentId: number, version: number, status: 'completed' | 'withdrew') => {
    try {
      q.setData(await call('programmes.updateEnrolment', { id: enrolmentId, version, status, endedOn: todayIso() }));
      setError(null);
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{p.name}</Title>
        <Group gap="xs">
          <StatusBadge status={p.status} />
          <Button size="xs" variant="light" onClick={() => setEditing(true)}>
            {msgProgEdit.editProgramme}
          </Button>
        </Group>
      </Group>
      <Paper withBorder p="sm">
        <Group gap="xl">
          <Text size="sm">{`${m.type}：${p.type}`}</Text>
          <Text size="sm">{`${m.period}：${formatRocDate(p.startsOn)}－${formatRocDate(p.endsOn)}`}</Text>
          <Text size="sm">{`${m.funder}：${p.funder ?? '—'}`}</Text>
          <Text size="sm">{`${m.partner}：${p.partner ?? '—'}`}</Text>
          <Text size="sm">{`${m.worker}：${p.worker?.name ?? '—'}`}</Text>
          <Text size="sm">{`${m.targetPeople}：${p.targetPeople ?? '—'}`}</Text>
          <Text size="sm">{`${m.targetSessions}：${p.targetSessions ?? '—'}`}</Text>
        </Group>
      </Paper>
      <FormError message={error} />
      <Paper withBorder p="sm">
        <Group justify="space-between" mb="xs">
          <Title order={4}>{`${m.enrolments}（${p.enrolments.length}）`}</Title>
          <Button size="xs" onClick={() => setEnrolling(true)} disabled={p.status === 'ended'}>
            {m.enrolTitle}
          </Button>
        </Group>
        <DataTable
          tableId="programme-roster"
          auditEntity="programmes.roster"
          listName={`${p.name} ${m.enrolments}`}
          label={m.enrolments}
          columns={rosterColumns((id, version, status) => void setStatus(id, version, status), setEditingEnrolment)}
          rows={p.enrolments}
          rowKey={(e) => e.id}
          emptyText={m.noEnrolments}
          minWidth={800}
        />
      </Paper>
      <Paper withBorder p="sm">
        <Group justify="space-between" mb="xs">
          <Title order={4}>{`${m.sessions}（${p.sessionList.length}）`}</Title>
          <Button size="xs" onClick={() => setAdding(true)}>
            {m.addSession}
          </Button>
        </Group>
        <DataTable
          tableId="programme-sessions"
          auditEntity="programmes.sessions"
          listName={`${p.name} ${m.sessions}`}
          label={m.sessions}
          columns={sessionColumns}
          rows={p.sessionList}
          rowKey={(s) => s.id}
          emptyText={m.noSessions}
          minWidth={800}
        />
      </Paper>
      <Modal opened={editing} onClose={() => setEditing(false)} title={msgProgEdit.editProgramme} size="lg">
        {editing && (
          <ProgrammeEditForm
            p={p}
            onCancel={() => setEditing(false)}
            onSaved={(saved) => {
              q.setData(saved);
              setEditing(false);
            }}
          />
        )}
      </Modal>
      <Modal opened={editingEnrolment !== null} onClose={() => setEditingEnrolment(null)} title={`${msgProgEdit.editEnrolment}：${editingEnrolment?.personName ?? ''}`}>
        {editingEnrolment && (
          <EnrolmentEditForm
            en={editingEnrolment}
            onCancel={() => setEditingEnrolment(null)}
            onSaved={(saved) => {
              q.setData(saved);
              setEditingEnrolment(null);
            }}
          />
        )}
      </Modal>
      <Modal opened={enrolling} onClose={() => setEnrolling(false)} title={m.enrolTitle} size="lg">
        <EnrolForm
          programme={p}
          onDone={(d) => {
            q.setData(d);
            setEnrolling(false);
          }}
        />
      </Modal>
      <Modal opened={adding} onClose={() => setAdding(false)} title={m.addSession}>
        <SessionForm
          programme={p}
          onDone={(d) => {
            q.setData(d);
            setAdding(false);
          }}
        />
      </Modal>
    </Stack>
  );
}

function EnrolForm({ programme, onDone }: { programme: ProgrammeDetail; onDone: (d: ProgrammeDetail) => void }) {
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [chosen, setChosen] = useState<Map<number, string>>(new Map());
  const [on, setOn] = useState<string | null>(todayIso());
  const [error, setError] = useState<string | null>(null);
  const enrolled = new Set(programme.enrolments.map((e) => e.personId));
  const search = async () => {
    try {
      const r = await call('search.query', { q: text, limit: 20 });
      setHits(r.hits);
      setError(r.hint);
    } catch (e) {
      setError(errText(e));
    }
  };
  const toggle = (id: number, name: string) =>
    setChosen((prev) => {
      const next = new Map(prev);
      if (next.has(id)) next.delete(id);
      else next.set(id, name);
      return next;
    });
  const submit = async () => {
    try {
      onDone(await call('programmes.enrol', { programmeId: programme.id, personIds: [...chosen.keys()], enrolledOn: on ?? '' }));
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <Group align="flex-end">
        <TextInput
          label={m.enrolSearch}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void search();
          }}
          style={{ flex: 1 }}
        />
        <Button variant="light" onClick={() => void search()}>
          {m.enrolSearchButton}
        </Button>
      </Group>
      <Stack gap={4}>
        {hits.flatMap((h) =>
          h.members.map((p) => (
            <Checkbox
              key={`${h.householdId}-${p.personId}`}
              label={`${p.name}\u3000${p.birthDate ? formatRocDate(p.birthDate) : ''}\u3000${h.addressText}`}
              checked={chosen.has(p.personId) || enrolled.has(p.personId)}
              disabled={enrolled.has(p.personId)}
              onChange={() => toggle(p.personId, p.name)}
            />
          )),
        )}
      </Stack>
      {chosen.size > 0 && <Text size="sm">{[...chosen.values()].join('、')}</Text>}
      <RocDateInput label={m.enrolOn} value={on} onChange={setOn} required />
      <FormError message={error} />
      <Group justify="flex-end">
        <Button onClick={() => void submit()} disabled={chosen.size === 0}>
          {m.enrolSubmit(chosen.size)}
        </Button>
      </Group>
    </Stack>
  );
}

function SessionForm({ programme, onDone }: { programme: ProgrammeDetail; onDone: (d: ProgrammeDetail) => void }) {
  const [heldOn, setHeldOn] = useState<string | null>(todayIso());
  const [place, setPlace] = useState('');
  const [topic, setTopic] = useState('');
  const [hours, setHours] = useState<number | string>(2);
  const [facilitator, setFacilitator] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      onDone(await call('programmes.addSession', { programmeId: programme.id, heldOn: heldOn ?? '', place, topic, hours: Number(hours), facilitator }));
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
        <NumberInput label={m.hours} value={hours} onChange={setHours} min={0.5} max={24} step={0.5} />
        <TextInput label={m.facilitator} value={facilitator} onChange={(e) => setFacilitator(e.currentTarget.value)} />
      </Group>
      <FormError message={error} />
      <Group justify="flex-end">
        <Button onClick={() => void submit()}>{m.saveSession}</Button>
      </Group>
    </Stack>
  );
}
