import { Anchor, Badge, Button, Group, Paper, Text, Timeline, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import type { TimelineEntry } from '../../../main/contract/types-households';
import { call } from '../../lib/api';
import { msg, msgCases } from '../../lib/messages';
import { errorText } from './format';
import { RelationEntry } from './RelationEntry';

const PAGE = 20;

function CaseLink({ id, no }: { id: number | null; no: string | null }) {
  if (!id || !no) return null;
  return <Anchor href={`#/cases/${id}`} size="xs" ff="monospace">{no}</Anchor>;
}

/** A timestamp shows date and time; a plain date (referrals) just the date. */
const when = (at: string) => (at.length > 10 ? formatRocDateTime(at) : formatRocDate(at));

function Entry({ e }: { e: TimelineEntry }) {
  switch (e.kind) {
    case 'service':
      return (
        <>
          <Group gap="xs">
            <Text size="sm" fw={600}>{msg.timeline.service(e.method, e.minutes)}</Text>
            <CaseLink id={e.caseId} no={e.caseNo} />
            {e.concernId && <Badge size="xs" color="grape" variant="light">{msg.timeline.concernVisit}</Badge>}
          </Group>
          <Text size="xs" c="dimmed">
            {e.items.join('、')}
            {e.workerName ? ` · ${msg.timeline.by(e.workerName)}` : ''}
            {e.nextFollowUp ? ` · ${msg.timeline.nextFollowUp(formatRocDate(e.nextFollowUp))}` : ''}
          </Text>
        </>
      );
    case 'referral':
      return (
        <>
          <Group gap="xs">
            <Text size="sm" fw={600}>{msg.timeline.referral(e.unitKind, e.unitName)}</Text>
            <Badge size="xs" variant="light">{e.status}</Badge>
            <CaseLink id={e.caseId} no={e.caseNo} />
          </Group>
          <Text size="xs" c="dimmed" lineClamp={2}>{e.reason}</Text>
        </>
      );
    case 'case-status':
      return (
        <>
          <Group gap="xs">
            <Text size="sm" fw={600}>{msg.timeline.caseStatus('')}</Text>
            <CaseLink id={e.caseId} no={e.caseNo} />
            <Text size="sm">{e.fromStatus ? `${e.fromStatus} → ${e.toStatus}` : e.toStatus}</Text>
          </Group>
          <Text size="xs" c="dimmed">
            {msgCases.historyAction[e.action] ?? e.action}
            {e.reason ? `：${e.reason}` : ''}
            {e.byName ? ` · ${msg.timeline.by(e.byName)}` : ''}
          </Text>
        </>
      );
    case 'concern-start':
      return (
        <Text size="sm" fw={600}>
          {msg.timeline.concernStart(e.reason)}
          {e.workerName && <Text span size="xs" c="dimmed" fw={400}> · {msg.timeline.by(e.workerName)}</Text>}
        </Text>
      );
    case 'concern-end':
      return <Text size="sm" fw={600}>{msg.timeline.concernEnd(e.endReason)}</Text>;
    case 'relation':
      return <RelationEntry e={e} />;
    case 'handout':
      return (
        <Text size="sm" fw={600}>
          {msg.timeline.handout(e.locationName, e.lines)}
          {e.byName && <Text span size="xs" c="dimmed" fw={400}> · {msg.timeline.by(e.byName)}</Text>}
        </Text>
      );
  }
}

const COLORS: Record<TimelineEntry['kind'], string> = { service: 'teal', referral: 'blue', 'case-status': 'orange', 'concern-start': 'grape', 'concern-end': 'grape', handout: 'yellow', relation: 'gray' };

/** Every service, referral, case status change and concern event, newest first, with 載入更多. */
export function TimelinePanel({ householdId, first }: { householdId: number; first: { rows: TimelineEntry[]; total: number } }) {
  const [more, setMore] = useState<TimelineEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rows = [...first.rows, ...more];
  const loadMore = async () => {
    setBusy(true);
    try {
      const page = await call('households.timeline', { id: householdId, offset: rows.length, limit: PAGE });
      setMore([...more, ...page.rows]);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{msg.timeline.title}</Title>
        {first.total > 0 && <Text size="xs" c="dimmed">{msg.timeline.shown(rows.length, first.total)}</Text>}
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">{msg.timeline.none}</Text>
      ) : (
        <Timeline bulletSize={12} lineWidth={2} aria-label={msg.timeline.title}>
          {rows.map((e) => (
            <Timeline.Item key={`${e.kind}-${e.id}`} color={COLORS[e.kind]} title={<Text size="xs" c="dimmed">{when(e.at)}</Text>}>
              <Entry e={e} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {error && <Text size="sm" c="red">{error}</Text>}
      {rows.length < first.total && (
        <Button variant="subtle" size="compact-sm" mt="sm" loading={busy} onClick={() => void loadMore()}>{msg.timeline.more}</Button>
      )}
    </Paper>
  );
}
