import { Anchor, Badge, Group, Select, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { CASELOAD_SORTS } from '../../../main/contract/methods/cases';
import { CASE_REQUEST_KIND_LABELS, CASE_STATUSES, type CaseListRow } from '../../../main/contract/types-cases';
import { DataTable, fetchAllPages, taipeiDay, type DataColumn, type FilterWord } from '../../components/DataTable';
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

/** The filter in words for the export title: 狀態：進行中，搜尋：…，排序：… */
export function caseFilterWords(v: CaseFiltersValue, search: string): FilterWord[] {
  return [
    { label: msgWorklists.statusFilter, value: statusFilterOptions.find((o) => o.value === v.status)?.label ?? v.status },
    { label: msgWorklists.search, value: search, personal: true },
    { label: msgWorklists.sort, value: msgWorklists.sorts[v.sort] ?? v.sort },
  ];
}

function caseColumns(showLead: boolean, showMyRole: boolean): DataColumn<CaseListRow>[] {
  const cols: (DataColumn<CaseListRow> | false)[] = [
    {
      id: 'caseNo',
      header: msgCases.field.caseNo,
      accessor: (r) => r.caseNo,
      cell: (r) => (
        <Anchor fz="sm" href={`#/cases/${r.id}`}>
          {r.caseNo}
        </Anchor>
      ),
      hideable: false,
    },
    {
      id: 'head',
      header: msgCases.field.headName,
      accessor: (r) => r.headName ?? '',
      cell: (r) => (
        <Anchor fz="sm" href={`#/households/${r.householdId}`} c="dark">
          {r.headName ?? '—'}
        </Anchor>
      ),
    },
    { id: 'status', header: msgCases.field.status, accessor: (r) => r.status, cell: (r) => <CaseStatusBadge status={r.status} size="sm" /> },
    { id: 'caseType', header: msgCases.field.caseType, accessor: (r) => r.caseType },
    { id: 'risk', header: msgCases.field.riskLevel, accessor: (r) => (r.riskLevel ? `${r.riskLevel}風險` : ''), cell: (r) => <RiskBadge level={r.riskLevel} /> },
    { id: 'receivedOn', header: msgCases.field.receivedOn, accessor: (r) => taipeiDay(r.receivedAt), kind: 'date' },
    { id: 'lastService', header: msgCases.field.lastService, accessor: (r) => taipeiDay(r.lastServiceAt), kind: 'date', cell: (r) => rocDateOf(r.lastServiceAt) || '—' },
    showLead && { id: 'lead', header: msgCases.field.lead, accessor: (r) => r.lead?.name ?? msgCases.leadUnassigned, nowrap: true },
    showMyRole && { id: 'myRole', header: msgCases.field.myRole, accessor: (r) => (r.myRole ? msgCases.myRole[r.myRole] : '') },
    {
      id: 'pending',
      header: msgCases.field.pending,
      accessor: (r) => (r.pendingRequest ? CASE_REQUEST_KIND_LABELS[r.pendingRequest] : ''),
      cell: (r) =>
        r.pendingRequest && (
          <Badge color="orange" variant="light" size="sm">
            {CASE_REQUEST_KIND_LABELS[r.pendingRequest]}
          </Badge>
        ),
    },
  ];
  return cols.filter((c): c is DataColumn<CaseListRow> => c !== false);
}

/** A server-paged list of cases (我的個案, 組別個案) on DataTable: export and print fetch every page. */
export function CaseTable({
  tableId,
  auditEntity,
  rows,
  total,
  page,
  pageSize,
  onPage,
  fetchPage,
  filters,
  loading,
  showLead,
  showMyRole,
  label,
}: {
  tableId: string;
  auditEntity: string;
  rows: CaseListRow[];
  total: number;
  page: number;
  pageSize: number;
  onPage(p: number): void;
  /** The same query as the screen's, for another offset and limit. */
  fetchPage(offset: number, limit: number): Promise<{ rows: CaseListRow[]; total: number }>;
  filters: FilterWord[];
  loading?: boolean;
  showLead?: boolean;
  showMyRole?: boolean;
  label: string;
}) {
  const columns = useMemo(() => caseColumns(!!showLead, !!showMyRole), [showLead, showMyRole]);
  return (
    <DataTable
      tableId={tableId}
      auditEntity={auditEntity}
      listName={label}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.id}
      rowTestId={(r) => `case-row-${r.caseNo}`}
      filters={filters}
      emptyText={msgWorklists.empty}
      loading={loading}
      minWidth={900}
      server={{ total, page, pageSize, onPage, fetchAll: (progress) => fetchAllPages(fetchPage, progress) }}
    />
  );
}
