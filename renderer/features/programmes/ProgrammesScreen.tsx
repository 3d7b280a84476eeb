import { Anchor, Badge, Button, Group, Modal, NumberInput, Paper, ScrollArea, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import { PROGRAMME_STATUSES, PROGRAMME_STATUS_LABELS, PROGRAMME_TYPES, type ProgrammeStatus, type ProgrammeType } from '../../../main/contract/types-programmes';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msgProgrammes as m } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { useAssignableWorkers } from '../cases/workers';

export function StatusBadge({ status }: { status: ProgrammeStatus }) {
  const color = status === 'running' ? 'green' : status === 'planned' ? 'blue' : 'gray';
  return (
    <Badge color={color} variant="light">
      {PROGRAMME_STATUS_LABELS[status]}
    </Badge>
  );
}

/** 方案 `#/programmes`: every programme of the center, newest first, and the form for a new one. */
export function ProgrammesScreen() {
  const list = useApiQuery('programmes.list', {});
  const [creating, setCreating] = useState(false);
  const year = Number(todayIso().slice(0, 4));
  const figures = useApiQuery('programmes.figures', { from: `${year}-01-01`, to: todayIso() });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{m.programmesTitle}</Title>
        <Button onClick={() => setCreating(true)}>{m.newProgramme}</Button>
      </Group>
      <FiguresCard data={figures.data?.figures.filter((f) => f.id.startsWith('programmes.')) ?? []} />
      <Paper withBorder>
        <FormError message={list.error} />
        <ScrollArea>
          <Table striped aria-label={m.programmesTitle} miw={900}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.name}</Table.Th>
                <Table.Th>{m.type}</Table.Th>
                <Table.Th>{m.period}</Table.Th>
                <Table.Th>{m.partner}</Table.Th>
                <Table.Th>{m.worker}</Table.Th>
                <Table.Th>{m.enrolled}</Table.Th>
                <Table.Th>{m.sessions}</Table.Th>
                <Table.Th>{m.status}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data ?? []).map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor href={`#/programmes/${p.id}`}>{p.name}</Anchor>
                  </Table.Td>
                  <Table.Td>{p.type}</Table.Td>
                  <Table.Td>{`${formatRocDate(p.startsOn)}－${formatRocDate(p.endsOn)}`}</Table.Td>
                  <Table.Td>{p.partner ?? ''}</Table.Td>
                  <Table.Td>{p.worker?.name ?? ''}</Table.Td>
                  <Table.Td>{p.targetPeople ? `${p.enrolled} / ${p.targetPeople}` : p.enrolled}</Table.Td>
                  <Table.Td>{p.targetSessions ? `${p.sessions} / ${p.targetSessions}` : p.sessions}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={p.status} />
                  </Table.Td>
                </Table.Tr>
              ))}
              {list.data?.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text c="dimmed" ta="center" size="sm">
                      {m.noProgrammes}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      <Modal opened={creating} onClose={() => setCreating(false)} title={m.newProgramme} size="lg">
        <ProgrammeForm onSaved={(id) => navigate(`/programmes/${id}`)} />
      </Modal>
    </Stack>
  );
}

export function FiguresCard({ data }: { data: { id: string; name: string; unit: string; value: number | null; numerator?: number; denominator?: number }[] }) {
  if (data.length === 0) return null;
  return (
    <Paper withBorder p="sm">
      <Text fw={600} size="sm" mb="xs">
        {m.figures}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }}>
        {data.map((f) => (
          <div key={f.id} data-testid={`figure-${f.id}`}>
            <Text size="xs" c="dimmed">
              {f.name}
            </Text>
            <Text fw={700}>
              {f.value === null ? '—' : `${f.value.toLocaleString('en-US')} ${f.unit}`}
              {f.denominator !== undefined && (
                <Text span size="xs" c="dimmed">{`（${f.numerator}/${f.denominator}）`}</Text>
              )}
            </Text>
          </div>
        ))}
      </SimpleGrid>
    </Paper>
  );
}

function ProgrammeForm({ onSaved }: { onSaved: (id: number) => void }) {
  const user = useUser();
  const workers = useAssignableWorkers();
  const year = todayIso().slice(0, 4);
  const [name, setName] = useState('');
  const [type, setType] = useState<ProgrammeType>('脫貧自立');
  const [startsOn, setStartsOn] = useState<string | null>(`${year}-01-01`);
  const [endsOn, setEndsOn] = useState<string | null>(`${year}-12-31`);
  const [funder, setFunder] = useState('');
  const [partner, setPartner] = useState('');
  const [targetPeople, setTargetPeople] = useState<number | string>('');
  const [targetSessions, setTargetSessions] = useState<number | string>('');
  const [workerId, setWorkerId] = useState<string | null>(String(user.id));
  const [status, setStatus] = useState<ProgrammeStatus>('running');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      const p = await call('programmes.create', {
        name,
        type,
        startsOn: startsOn ?? '',
        endsOn: endsOn ?? '',
        funder,
        partner,
        targetPeople: typeof targetPeople === 'number' ? targetPeople : null,
        targetSessions: typeof targetSessions === 'number' ? targetSessions : null,
        workerId: workerId ? Number(workerId) : null,
        status,
        notes,
      });
      onSaved(p.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      <TextInput label={m.name} value={name} onChange={(e) => setName(e.currentTarget.value)} withAsterisk />
      <Group grow>
        <Select label={m.type} data={[...PROGRAMME_TYPES]} value={type} onChange={(v) => v && setType(v as ProgrammeType)} allowDeselect={false} />
        <Select
          label={m.status}
          data={PROGRAMME_STATUSES.map((s) => ({ value: s, label: PROGRAMME_STATUS_LABELS[s] }))}
          value={status}
          onChange={(v) => v && setStatus(v as ProgrammeStatus)}
          allowDeselect={false}
        />
      </Group>
      <Group grow>
        <RocDateInput label={m.startsOn} value={startsOn} onChange={setStartsOn} required />
        <RocDateInput label={m.endsOn} value={endsOn} onChange={setEndsOn} required />
      </Group>
      <Group grow>
        <TextInput label={m.funder} value={funder} onChange={(e) => setFunder(e.currentTarget.value)} />
        <TextInput label={m.partner} value={partner} onChange={(e) => setPartner(e.currentTarget.value)} />
      </Group>
      <Group grow>
        <NumberInput label={m.targetPeople} value={targetPeople} onChange={setTargetPeople} min={0} allowDecimal={false} />
        <NumberInput label={m.targetSessions} value={targetSessions} onChange={setTargetSessions} min={0} allowDecimal={false} />
        <Select label={m.worker} data={workers.options} value={workerId} onChange={setWorkerId} searchable />
      </Group>
      <Textarea label={m.notes} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} autosize minRows={2} />
      <FormError message={error} />
      <Group justify="flex-end">
        <Button onClick={() => void save()} loading={busy}>
          {m.createProgramme}
        </Button>
      </Group>
    </Stack>
  );
}
