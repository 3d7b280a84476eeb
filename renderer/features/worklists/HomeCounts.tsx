import { Paper, SimpleGrid, Text, Title, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import { call } from '../../lib/api';
import { msgWorklists } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { useUser } from '../../lib/session';
import { msgNotifications } from '../../lib/messages-notifications';
import { msgVisitsDue } from '../../lib/messages-instruments';

interface Counts {
  myOpen: number | null;
  approvals: number | null;
  followUps: number | null;
  concerns: number | null;
  uncontacted: number | null;
  returned: number | null;
  visits: number | null;
  reassess: number | null;
}

async function count<T>(p: Promise<T>, pick: (v: T) => number): Promise<number | null> {
  try {
    return pick(await p);
  } catch {
    return null;
  }
}

function Tile({ label, value, href, alert }: { label: string; value: number | null; href: string; alert?: boolean }) {
  const shown = value === null ? msgWorklists.home.unavailable : String(value);
  return (
    <UnstyledButton component="a" href={`#${href}`} onClick={(e) => { e.preventDefault(); navigate(href); }} aria-label={`${label} ${shown}`} data-testid={`home-count-${href.slice(1).replace(/[?=]/g, '-')}`}>
      <Paper withBorder p="md" h="100%">
        <Text size="sm" c="dimmed">
          {label}
        </Text>
        <Text fz={32} fw={700} c={alert && value ? 'red' : undefined}>
          {shown}
        </Text>
      </Paper>
    </UnstyledButton>
  );
}

/** The worker's numbers on the home screen, each linking to its list. */
export function HomeCounts() {
  const user = useUser();
  const manager = user.role === 'supervisor' || user.role === 'admin';
  const [c, setC] = useState<Counts>({ myOpen: null, approvals: null, followUps: null, concerns: null, uncontacted: null, returned: null, visits: null, reassess: null });

  useEffect(() => {
    let live = true;
    void Promise.all([
      count(call('worklists.myCaseload', { status: 'active', limit: 1 }), (v) => v.total),
      manager ? count(call('worklists.approvals', {}), (v) => v.filter((r) => r.canDecide).length) : Promise.resolve(null),
      count(call('worklists.overdueFollowUps', { limit: 1 }), (v) => v.total),
      count(call('worklists.overdueConcernVisits', { limit: 1 }), (v) => v.total),
      count(call('worklists.uncontacted24h', {}), (v) => v.length),
      count(call('notifications.returned', {}), (v) => v.length),
      count(call('worklists.visitsDue', { limit: 1 }), (v) => v.total),
      count(call('worklists.reassessmentsDue', { limit: 1 }), (v) => v.total),
    ]).then(([myOpen, approvals, followUps, concerns, uncontacted, returned, visits, reassess]) => {
      if (live) setC({ myOpen, approvals, followUps, concerns, uncontacted, returned, visits, reassess });
    });
    return () => {
      live = false;
    };
  }, [manager]);

  return (
    <>
      <Title order={3}>{msgWorklists.home.title}</Title>
      <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="home-counts">
        <Tile label={msgWorklists.home.myOpen} value={c.myOpen} href="/my-cases" />
        {manager && <Tile label={msgWorklists.home.approvals} value={c.approvals} href="/approvals" alert />}
        <Tile label={msgWorklists.home.overdueFollowUps} value={c.followUps} href="/follow-ups" alert />
        <Tile label={msgWorklists.home.overdueConcerns} value={c.concerns} href="/follow-ups?tab=concerns" alert />
        <Tile label={msgWorklists.home.uncontacted} value={c.uncontacted} href="/follow-ups?tab=uncontacted" alert />
        <Tile label={msgNotifications.homeTile} value={c.returned} href="/notifications?tab=returned" alert />
        <Tile label={msgVisitsDue.home.visits} value={c.visits} href="/follow-ups?tab=visits" alert />
        <Tile label={msgVisitsDue.home.reassess} value={c.reassess} href="/follow-ups?tab=reassess" alert />
      </SimpleGrid>
    </>
  );
}
