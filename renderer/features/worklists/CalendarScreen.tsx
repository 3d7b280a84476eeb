import { Anchor, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { addDays, formatRocDate, todayIso } from '../../../main/contract/roc-date';
import type { CalendarDay } from '../../../main/contract/types-cases';
import { FormError } from '../../components/FormError';
import { msgWorklists } from '../../lib/messages';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { useAssignableWorkers } from '../cases/workers';

/** The Monday of the week holding `iso`. */
export function mondayOf(iso: string): string {
  const dow = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return addDays(iso, -((dow + 6) % 7));
}

function timeOf(ts: string): string {
  const d = new Date(Date.parse(ts) + 8 * 3600_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** 訪視行事曆 `#/calendar`: one week, Monday to Sunday, of follow-ups and concern visits due and services done. */
export function CalendarScreen() {
  const user = useUser();
  const today = todayIso();
  const [weekStart, setWeekStart] = useState(() => mondayOf(today));
  const [workerId, setWorkerId] = useState<string | null>(null);
  const workers = useAssignableWorkers();
  const cal = useApiQuery('worklists.visitCalendar', { weekStart, ...(workerId ? { workerId: Number(workerId) } : {}) });
  const days = cal.data?.days ?? [];

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Stack gap={0}>
          <Title order={2}>{msgWorklists.calendarTitle}</Title>
          <Text c="dimmed" data-testid="calendar-range">
            {msgWorklists.weekOf(formatRocDate(weekStart), formatRocDate(addDays(weekStart, 6)))}
            {cal.data?.worker ? `\u3000${cal.data.worker.name}` : ''}
          </Text>
        </Stack>
        <Group align="flex-end">
          {user.role !== 'worker' && (
            <Select
              label={msgWorklists.worker}
              data={workers.options}
              value={workerId}
              onChange={setWorkerId}
              placeholder={user.displayName}
              clearable
              w={180}
            />
          )}
          <Button variant="default" onClick={() => setWeekStart(addDays(weekStart, -7))}>
            {msgWorklists.prevWeek}
          </Button>
          <Button variant="default" onClick={() => setWeekStart(mondayOf(today))}>
            {msgWorklists.thisWeek}
          </Button>
          <Button variant="default" onClick={() => setWeekStart(addDays(weekStart, 7))}>
            {msgWorklists.nextWeek}
          </Button>
        </Group>
      </Group>
      <FormError message={cal.error} />
      <SimpleGrid cols={{ base: 1, sm: 4, lg: 7 }} spacing="xs" role="list" aria-label={msgWorklists.calendarTitle}>
        {Array.from({ length: 7 }, (_, i) => {
          const date = addDays(weekStart, i);
          const day = days.find((d) => d.date === date);
          return <DayCell key={date} date={date} label={msgWorklists.weekdays[i] ?? ''} day={day} today={date === today} />;
        })}
      </SimpleGrid>
    </Stack>
  );
}

function DayCell({ date, label, day, today }: { date: string; label: string; day: CalendarDay | undefined; today: boolean }) {
  const empty = !day || (day.followUps.length === 0 && day.concernVisits.length === 0 && day.records.length === 0);
  return (
    <Paper withBorder p="xs" mih={180} role="listitem" aria-label={`${label} ${formatRocDate(date)}`} data-testid={`day-${date}`} bg={today ? 'var(--mantine-color-teal-light)' : undefined}>
      <Text fw={700} size="sm" mb={6}>
        {`${label}\u3000${formatRocDate(date)}`}
      </Text>
      <Stack gap={6}>
        {day?.followUps.map((f) => (
          <Entry key={`f${f.serviceId}`} badge={f.done ? msgWorklists.calDone : msgWorklists.calFollowUp} color={f.done ? 'gray' : 'orange'} done={f.done}>
            {f.caseId ? (
              <Anchor href={`#/cases/${f.caseId}`} size="xs">{`${f.headName ?? ''} ${f.caseNo ?? ''}`}</Anchor>
            ) : (
              <Anchor href={`#/households/${f.householdId}`} size="xs">
                {f.headName ?? ''}
              </Anchor>
            )}
          </Entry>
        ))}
        {day?.concernVisits.map((c) => (
          <Entry key={`c${c.concernId}`} badge={msgWorklists.calConcern} color="grape">
            <Anchor href={`#/records/new?householdId=${c.householdId}&concernId=${c.concernId}`} size="xs">
              {`${c.headName ?? ''}（${c.reason}）`}
            </Anchor>
          </Entry>
        ))}
        {day?.records.map((r) => (
          <Entry key={`r${r.serviceId}`} badge={msgWorklists.calRecord} color="teal" time={timeOf(r.occurredAt)}>
            {`${r.method} `}
            <Anchor href={`#/households/${r.householdId}`} size="xs">
              {r.headName ?? ''}
            </Anchor>
          </Entry>
        ))}
        {empty && (
          <Text size="xs" c="dimmed">
            {msgWorklists.calEmpty}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function Entry({ badge, color, time, done, children }: { badge: string; color: string; time?: string; done?: boolean; children: ReactNode }) {
  return (
    <div>
      <Group gap={4}>
        <Badge size="xs" color={color} variant="light">
          {badge}
        </Badge>
        {time && (
          <Text size="xs" c="dimmed">
            {time}
          </Text>
        )}
      </Group>
      <Text size="xs" td={done ? 'line-through' : undefined} c={done ? 'dimmed' : undefined}>
        {children}
      </Text>
    </div>
  );
}
