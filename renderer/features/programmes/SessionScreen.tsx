import { Anchor, Button, Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../../../main/contract/types-programmes';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgProgrammes as m } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';

/** 出席登錄 `#/programmes/sessions/:id`: one row per enrolled person, 出席 / 請假 / 缺席, saved at once. */
export function SessionScreen({ id }: { id: number }) {
  const q = useApiQuery('programmes.session', { id });
  const [marks, setMarks] = useState<Record<number, AttendanceStatus>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const s = q.data;
  useEffect(() => {
    if (!s) return;
    const init: Record<number, AttendanceStatus> = {};
    for (const r of s.roster) if (r.status) init[r.enrolmentId] = r.status;
    setMarks(init);
  }, [s]);
  if (!s) return <FormError message={q.error} />;
  const save = async () => {
    try {
      const entries = Object.entries(marks).map(([k, v]) => ({ enrolmentId: Number(k), status: v }));
      q.setData(await call('programmes.setAttendance', { sessionId: id, entries }));
      setError(null);
      setSaved(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setSaved(false);
    }
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{`${m.attendanceTitle}：${s.programmeName}`}</Title>
        <Group>
          <Anchor href={`#/programmes/${s.programmeId}`}>{m.back}</Anchor>
          <Button variant="light" component="a" href={`#/programmes/sessions/${id}/sheet`}>
            {m.printSheet}
          </Button>
        </Group>
      </Group>
      <Text size="sm">{`${formatRocDate(s.heldOn)}\u3000${s.topic}\u3000${s.place}\u3000${s.hours} 小時\u3000${s.facilitator ?? ''}`}</Text>
      <Paper withBorder p="sm">
        <Group mb="xs">
          <Button size="xs" variant="light" onClick={() => setMarks(Object.fromEntries(s.roster.map((r) => [r.enrolmentId, '出席' as AttendanceStatus])))}>
            {m.allPresent}
          </Button>
        </Group>
        <Table striped aria-label={m.attendanceTitle}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{m.person}</Table.Th>
              <Table.Th>{m.status}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.roster.map((r) => (
              <Table.Tr key={r.enrolmentId} data-testid={`attendance-${r.personName}`}>
                <Table.Td>{r.personName}</Table.Td>
                <Table.Td>
                  <SegmentedControl
                    size="xs"
                    aria-label={`${r.personName}${m.status}`}
                    data={[...ATTENDANCE_STATUSES]}
                    value={marks[r.enrolmentId] ?? ''}
                    onChange={(v) => {
                      setSaved(false);
                      setMarks((prev) => ({ ...prev, [r.enrolmentId]: v as AttendanceStatus }));
                    }}
                  />
                  {!marks[r.enrolmentId] && (
                    <Text span size="xs" c="dimmed" ml="xs">
                      {m.notMarked}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <FormError message={error} />
      {saved && (
        <Text c="green" size="sm" role="status">
          {m.attendanceSaved}
        </Text>
      )}
      <Group justify="flex-end">
        <Button onClick={() => void save()} disabled={Object.keys(marks).length === 0}>
          {m.saveAttendance}
        </Button>
      </Group>
    </Stack>
  );
}

/** 簽到表 `#/programmes/sessions/:id/sheet`: the A4 print view in a frame, with a print button. */
export function SignInSheetScreen({ id }: { id: number }) {
  const q = useApiQuery('programmes.signInSheet', { sessionId: id });
  const frame = useRef<HTMLIFrameElement>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{m.sheetTitle}</Title>
        <Group>
          <Anchor href={`#/programmes/sessions/${id}`}>{m.back}</Anchor>
          <Button onClick={() => frame.current?.contentWindow?.print()} disabled={!q.data}>
            {m.print}
          </Button>
        </Group>
      </Group>
      <FormError message={q.error} />
      {q.data && (
        <iframe
          ref={frame}
          title={m.sheetTitle}
          data-testid="sign-in-sheet"
          srcDoc={q.data.html}
          style={{ width: '210mm', height: '297mm', border: '1px solid #ccc', background: 'white' }}
        />
      )}
    </Stack>
  );
}
