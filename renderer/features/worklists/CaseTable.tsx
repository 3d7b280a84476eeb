import { Anchor, Badge, Group, Pagination, Paper, ScrollArea, Select, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { CASELOAD_SORTS } from '../../../main/contract/methods/cases';
import { CASE_REQUEST_KIND_LABELS, CASE_STATUSES, type CaseListRow } from '../../../main/contract/types-cases';
import { msgCases, msgWorklists } from '../../lib/messages';
import { CaseStatusBadge, RiskBadge, rocDateOf } from '../cases/labels';

export type StatusFilter = (typeof CASE_STATUSES)[number] | 'active' | 'closed' | 'all';
export type CaseloadSort = (typeof CASELOAD_SORTS)[number];

export const statusFilterOptions = [
  { value: 'active', label: msgWorklists.statusActive },
  ...CASE_STATUSES.map((s) => ({ value: s, label: s })),
  { value: 'closed', label: msgWorklists.statusClosed },
  { value: 'all', label: msgWorklists.statusAll },
];

export const sortOptions = CASELOAD_SORTS.map((s) => ({ value: s, label: msgWorklists.sorts[s] ?? s }));

/** Text typed into a search box, passed on once the typing pauses. */
export function useDebounced(value: string, ms = 300): string {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export interface CaseFiltersValue {
  status: StatusFilter;
  search: string;
  sort: CaseloadSort;
}

export function CaseFilters({ value, onChange }: { value: CaseFiltersValue; onChange(v: CaseFiltersValue): void }) {
  return (
    <Group align="flex-end">
      <Select
        label={msgWorklists.statusFilter}
        data={statusFilterOptions}
        value={value.status}
        onChange={(s) => s && onChange({ ...value, status: s as StatusFilter })}
        allowDeselect={false}
        w={160}
      />
      <TextInput
        label={msgWorklists.search}
        placeholder={msgWorklists.searchPlaceholder}
        value={value.search}
        onChange={(e) => onChange({ ...value, search: e.currentTarget.value })}
        w={220}
      />
      <Select
        label={msgWorklists.sort}
        data={sortOptions}
        value={value.sort}
        onChange={(s) => s && onChange({ ...value, sort: s as CaseloadSort })}
        allowDeselect={false}
        w={180}
      />
    </Group>
  );
}

/** A page of cases as a table: number (link), household, status, type, risk, dates, workers. */
export function CaseTable({
  rows,
  total,
  page,
  pageSize,
  onPage,
  showLead,
  showMyRole,
  label,
}: {
  rows: CaseListRow[];
  total: number;
  page: number;
  pageSize: number;
  onPage(p: number): void;
  showLead?: boolean;
  showMyRole?: boolean;
  label: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <>
      <Paper withBorder>
        <ScrollArea>
          <Table striped highlightOnHover aria-label={label} miw={900}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{msgCases.field.caseNo}</Table.Th>
                <Table.Th>{msgCases.field.headName}</Table.Th>
                <Table.Th>{msgCases.field.status}</Table.Th>
                <Table.Th>{msgCases.field.caseType}</Table.Th>
                <Table.Th>{msgCases.field.riskLevel}</Table.Th>
                <Table.Th>{msgCases.field.receivedOn}</Table.Th>
                <Table.Th>{msgCases.field.lastService}</Table.Th>
                {showLead && <Table.Th>{msgCases.field.lead}</Table.Th>}
                {showMyRole && <Table.Th>{msgCases.field.myRole}</Table.Th>}
                <Table.Th>{msgCases.field.pending}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id} data-testid={`case-row-${r.caseNo}`}>
                  <Table.Td>
                    <Anchor fz="sm" href={`#/cases/${r.id}`}>{r.caseNo}</Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Anchor fz="sm" href={`#/households/${r.householdId}`} c="dark">
                      {r.headName ?? '—'}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <CaseStatusBadge status={r.status} size="sm" />
                  </Table.Td>
                  <Table.Td>{r.caseType}</Table.Td>
                  <Table.Td>
                    <RiskBadge level={r.riskLevel} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{rocDateOf(r.receivedAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{rocDateOf(r.lastServiceAt) || '—'}</Table.Td>
                  {showLead && <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.lead?.name ?? msgCases.leadUnassigned}</Table.Td>}
                  {showMyRole && <Table.Td>{r.myRole ? msgCases.myRole[r.myRole] : ''}</Table.Td>}
                  <Table.Td>
                    {r.pendingRequest && (
                      <Badge color="orange" variant="light" size="sm">
                        {CASE_REQUEST_KIND_LABELS[r.pendingRequest]}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
              {rows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={10}>
                    <Text c="dimmed" size="sm" ta="center">
                      {msgWorklists.empty}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {msgWorklists.total(total)}
        </Text>
        {pages > 1 && <Pagination total={pages} value={page} onChange={onPage} size="sm" />}
      </Group>
    </>
  );
}
