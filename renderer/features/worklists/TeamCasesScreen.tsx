import { Anchor, Group, Paper, ScrollArea, Select, Stack, Table, Title } from '@mantine/core';
import { useState } from 'react';
import { CASE_STATUSES } from '../../../main/contract/types-cases';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgWorklists } from '../../lib/messages';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { useMaybeQuery } from '../cases/hooks';
import { caseFilterWords, CaseFilters, CaseTable, useDebounced, type CaseFiltersValue } from './CaseTable';

const PAGE = 25;

/** 組別個案 `#/team-cases` (督導, 管理者): the team's caseload with counts per worker. */
export function TeamCasesScreen() {
  const [filters, setFilters] = useState<CaseFiltersValue>({ status: 'active', search: '', sort: 'received-desc' });
  const [workerId, setWorkerId] = useState<string | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const user = useUser();
  const teams = useMaybeQuery('teams.list', user.role === 'admin' ? {} : null);
  const [page, setPage] = useState(1);
  const search = useDebounced(filters.search.trim());
  const query = {
    status: filters.status,
    sort: filters.sort,
    ...(search ? { search } : {}),
    ...(workerId ? { workerId: Number(workerId) } : {}),
    ...(teamId ? { teamId: Number(teamId) } : {}),
  };
  const list = useApiQuery('worklists.teamCaseload', { ...query, offset: (page - 1) * PAGE, limit: PAGE });
  const perWorker = list.data?.perWorker ?? [];
  const workerOptions = [{ value: '', label: msgWorklists.allWorkers }, ...perWorker.map((w) => ({ value: String(w.worker.id), label: w.worker.name }))];
  const pick = (id: string | null, status?: CaseFiltersValue['status']) => {
    setWorkerId(id || null);
    if (status) setFilters((f) => ({ ...f, status }));
    setPage(1);
  };

  return (
    <Stack>
      <Title order={2}>{msgWorklists.teamCasesTitle}</Title>
      <Title order={4}>{msgWorklists.perWorker}</Title>
      <Paper withBorder>
        <ScrollArea>
          <Table aria-label={msgWorklists.perWorker} miw={900} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{msgWorklists.worker}</Table.Th>
                <Table.Th>{msgWorklists.active}</Table.Th>
                {CASE_STATUSES.map((s) => (
                  <Table.Th key={s}>{s}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {perWorker.map((w) => (
                <Table.Tr key={w.worker.id} data-testid={`worker-row-${w.worker.id}`} bg={String(w.worker.id) === workerId ? 'var(--mantine-color-teal-light)' : undefined}>
                  <Table.Td>
                    <Anchor fz="sm" component="button" type="button" onClick={() => pick(String(w.worker.id))}>
                      {w.worker.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td fw={700}>{w.active}</Table.Td>
                  {CASE_STATUSES.map((s) => (
                    <Table.Td key={s}>
                      {w.byStatus[s] ? (
                        <Anchor fz="sm" component="button" type="button" onClick={() => pick(String(w.worker.id), s)} aria-label={`${w.worker.name} ${s} ${w.byStatus[s]}`}>
                          {w.byStatus[s]}
                        </Anchor>
                      ) : (
                        <span style={{ color: 'var(--mantine-color-dimmed)' }}>0</span>
                      )}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      <Group align="flex-end">
        {(teams.data?.length ?? 0) > 1 && (
          <Select
            label={msgWorklists.team}
            data={[{ value: '', label: msgWorklists.allTeams }, ...(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))]}
            value={teamId ?? ''}
            onChange={(v) => {
              setTeamId(v || null);
              setWorkerId(null);
              setPage(1);
            }}
            allowDeselect={false}
            w={160}
          />
        )}
        <Select label={msgWorklists.worker} data={workerOptions} value={workerId ?? ''} onChange={(v) => pick(v)} allowDeselect={false} w={180} />
        <CaseFilters
          value={filters}
          onChange={(v) => {
            setFilters(v);
            setPage(1);
          }}
        />
      </Group>
      <FormError message={list.error} />
      <CaseTable
        tableId="team-cases"
        auditEntity="worklists.team_cases"
        label={msgWorklists.teamCasesTitle}
        rows={list.data?.rows ?? []}
        total={list.data?.total ?? 0}
        page={page}
        pageSize={PAGE}
        onPage={setPage}
        fetchPage={(offset, limit) => call('worklists.teamCaseload', { ...query, offset, limit })}
        filters={[
          ...(teamId ? [{ label: msgWorklists.team, value: teams.data?.find((t) => String(t.id) === teamId)?.name ?? '' }] : []),
          ...(workerId ? [{ label: msgWorklists.worker, value: perWorker.find((w) => String(w.worker.id) === workerId)?.worker.name ?? '' }] : []),
          ...caseFilterWords(filters, search),
        ]}
        loading={list.loading}
        showLead
      />
    </Stack>
  );
}
