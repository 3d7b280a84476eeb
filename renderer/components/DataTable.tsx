/**
 * DataTable: the one list component of the app (issue 11, item 4). Sorting (zh-TW collation for text),
 * paging with a page-size choice, column choice remembered per table in localStorage, an empty state,
 * row links, and a toolbar with 匯出 Excel (a real xlsx, audited first) and 列印 (the table alone, A4).
 *
 * Usage:
 *
 * ```tsx
 * const columns: DataColumn<CaseListRow>[] = [
 *   { id: 'caseNo', header: '案號', accessor: (r) => r.caseNo, cell: (r) => <Anchor href={`#/cases/${r.id}`}>{r.caseNo}</Anchor> },
 *   { id: 'head', header: '戶長', accessor: (r) => r.headName },
 *   { id: 'receivedOn', header: '收案日', accessor: (r) => r.receivedAt, kind: 'date' },   // shown and exported as 115/05/20
 *   { id: 'id', header: '身分證字號', accessor: (r) => r.maskedNationalId, kind: 'nationalId', hidden: true },
 *   { id: 'risk', header: '風險', accessor: (r) => r.riskLevel, cell: (r) => <RiskBadge level={r.riskLevel} />,
 *     exportValue: (r) => RISK_LABELS[r.riskLevel] },                                       // text in the xlsx
 * ];
 * <DataTable
 *   tableId="my-cases"                  // localStorage key for columns and page size; data-testid="dt-my-cases"
 *   auditEntity="worklists.my_cases"    // audit row entity (a-z . _)
 *   listName="我的個案"                  // title of the xlsx and the print sheet, and the file name
 *   filters={[{ label: '狀態', value: '開案中' }, { label: '搜尋', value: search, personal: true }]}
 *   columns={columns}
 *   rows={rows}                         // every row the screen's filter selected: DataTable sorts and pages them
 *   rowKey={(r) => r.id}
 *   rowTestId={(r) => `case-row-${r.caseNo}`}
 *   rowHref={(r) => `#/cases/${r.id}`}  // or onRowClick
 *   emptyText="目前沒有符合條件的個案"
 *   loading={list.loading}
 * />
 * ```
 *
 * A list paged by the server passes `server={{ total, page, pageSize, onPage, fetchAll }}` instead: the
 * table shows `rows` as that page (no client sorting), and export and print call `fetchAll` for every row.
 * `kind` says how a value is shown, sorted and exported: 'date' / 'datetime' (ISO in, ROC out), 'number',
 * 'nationalId' (masked unless `revealIds`), 'text'. Test hooks inside the container: dt-export, dt-print,
 * dt-columns, dt-page-size, dt-sort-<columnId>, dt-col-<columnId> (the column checkbox), dt-empty,
 * dt-print-sheet (the sheet portalled into <body>).
 */
import { Alert, Box, Button, Checkbox, Group, Loader, Menu, Pagination, Paper, Progress, ScrollArea, Select, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import {
  getCoreRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type Row,
  type SortingState,
  type VisibilityState,
} from '@tanstack/react-table';
import { useEffect, useMemo, useState, type CSSProperties, type MouseEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { formatRocDate, formatRocDateTime, todayIso } from '../../main/contract/roc-date';
import { call } from '../lib/api';
import { msgTables as m } from '../lib/messages-tables';
import { buildXlsx, exportCell, exportFileName, filterWords, type CellValue, type ExportKind, type FilterWord } from '../lib/tableExport';
import { KAI_STACK } from '../theme';
import './DataTable.css';

export type { FilterWord } from '../lib/tableExport';

export interface DataColumn<T> {
  /** Stable id: the remembered column choice and the test hooks use it. */
  id: string;
  /** zh-TW header, shown, exported and printed. */
  header: string;
  /** The raw value: sorting, the default cell and the default export value. */
  accessor: (row: T) => CellValue;
  /** What the screen shows; defaults to the accessor's value formatted by `kind`. */
  cell?: (row: T) => ReactNode;
  kind?: ExportKind;
  /** The value written to the xlsx and the print sheet when it differs from the accessor (a badge's text). */
  exportValue?: (row: T) => CellValue;
  /** Default true. */
  sortable?: boolean;
  /** Hidden until the user picks it in 欄位. */
  hidden?: boolean;
  /** Default true; false keeps the column always shown. */
  hideable?: boolean;
  /** Screen only (an actions column): never exported or printed. */
  screenOnly?: boolean;
  align?: 'left' | 'right' | 'center';
  nowrap?: boolean;
  width?: number | string;
}

export interface ServerPaging<T> {
  total: number;
  page: number;
  pageSize: number;
  onPage(page: number): void;
  /** Every row the current filter selects, for export and print; report progress as rows arrive. */
  fetchAll(onProgress: (done: number, total: number | null) => void): Promise<T[]>;
}

export interface DataTableProps<T> {
  tableId: string;
  auditEntity: string;
  listName: string;
  columns: DataColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  filters?: FilterWord[];
  emptyText: string;
  loading?: boolean;
  rowHref?: (row: T) => string;
  onRowClick?: (row: T) => void;
  rowTestId?: (row: T) => string;
  rowStyle?: (row: T) => CSSProperties | undefined;
  initialSort?: { id: string; desc?: boolean };
  pageSizes?: number[];
  defaultPageSize?: number;
  server?: ServerPaging<T>;
  /** Full national IDs in the export (the list holds them and the user may reveal them). Default false. */
  revealIds?: boolean;
  /** More buttons beside 匯出 Excel and 列印. */
  actions?: ReactNode;
  /** Hide the toolbar's export and print (a picker inside a form). */
  noExport?: boolean;
  /** aria-label of the table; defaults to listName. */
  label?: string;
  minWidth?: number;
}

/**
 * `fetchAll` for a server-paged list: asks for pages of `limit` rows (the contract's maximum) until all
 * `total` have come, reporting progress.
 */
export async function fetchAllPages<T>(
  fetchPage: (offset: number, limit: number) => Promise<{ rows: T[]; total: number }>,
  onProgress: (done: number, total: number | null) => void,
  limit = 200,
): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const page = await fetchPage(out.length, limit);
    out.push(...page.rows);
    onProgress(out.length, page.total);
    if (page.rows.length === 0 || out.length >= page.total) return out;
  }
}

/** The Taipei calendar day (ISO) of a stored timestamp, for a 'date' column; null for none. */
export function taipeiDay(ts: string | null | undefined): string | null {
  if (!ts) return null;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? ts : todayIso(new Date(ms));
}

const collator = new Intl.Collator('zh-TW', { numeric: true });

function compareValues(a: CellValue, b: CellValue): number {
  const ae = a === null || a === undefined || a === '';
  const be = b === null || b === undefined || b === '';
  if (ae || be) return ae === be ? 0 : ae ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return collator.compare(String(a), String(b));
}

/** The text a cell shows when the column has no `cell`: ROC dates, masked IDs. */
function defaultCell(value: CellValue, kind: ExportKind | undefined): ReactNode {
  if (value === null || value === undefined || value === '') return '';
  if (kind === 'date' && typeof value === 'string') return formatRocDate(value);
  if (kind === 'datetime' && typeof value === 'string') return formatRocDateTime(value);
  const v = exportCell(value, kind ?? 'text');
  return v === null ? '' : String(v);
}

interface Remembered {
  hidden?: string[];
  pageSize?: number;
}
const storageKey = (id: string) => `welfare-desk.table.${id}`;
function readRemembered(id: string): Remembered {
  try {
    const raw = window.localStorage.getItem(storageKey(id));
    const v = raw ? (JSON.parse(raw) as Remembered) : {};
    return typeof v === 'object' && v !== null ? v : {};
  } catch {
    return {};
  }
}
function writeRemembered(id: string, v: Remembered): void {
  try {
    window.localStorage.setItem(storageKey(id), JSON.stringify(v));
  } catch {
    // A full or disabled storage only loses the remembered choice.
  }
}

/** Offers bytes for download through a blob: URL and <a download>. */
function download(fileName: string, bytes: Uint8Array): void {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const url = URL.createObjectURL(new Blob([copy.buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const INTERACTIVE = 'a, button, input, select, textarea, label, [role="button"], [role="checkbox"], [role="menuitem"]';

type Phase = { kind: 'fetch'; done: number; total: number | null } | { kind: 'build'; done: number; total: number } | { kind: 'write' };

export function DataTable<T>(props: DataTableProps<T>) {
  const { tableId, columns, rows, server } = props;
  const pageSizes = props.pageSizes ?? [10, 25, 50, 100];
  const remembered = useMemo(() => readRemembered(tableId), [tableId]);
  const [sorting, setSorting] = useState<SortingState>(props.initialSort ? [{ id: props.initialSort.id, desc: !!props.initialSort.desc }] : []);
  const [visibility, setVisibility] = useState<VisibilityState>(() => {
    const hidden = new Set(remembered.hidden ?? columns.filter((c) => c.hidden).map((c) => c.id));
    return Object.fromEntries(columns.map((c) => [c.id, c.hideable === false || !hidden.has(c.id)]));
  });
  const [pagination, setPagination] = useState({
    pageIndex: 0,
    pageSize: remembered.pageSize && pageSizes.includes(remembered.pageSize) ? remembered.pageSize : (props.defaultPageSize ?? 25),
  });
  const [phase, setPhase] = useState<Phase | null>(null);
  const [slow, setSlow] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [printRows, setPrintRows] = useState<T[] | null>(null);

  useEffect(() => {
    writeRemembered(tableId, { hidden: Object.entries(visibility).filter(([, v]) => !v).map(([k]) => k), pageSize: pagination.pageSize });
  }, [tableId, visibility, pagination.pageSize]);

  // A new filter (fewer rows) must not leave the table on a page past the end.
  const rowCount = rows.length;
  useEffect(() => {
    setPagination((p) => (p.pageIndex * p.pageSize >= rowCount && p.pageIndex > 0 ? { ...p, pageIndex: 0 } : p));
  }, [rowCount]);

  const defs = useMemo<ColumnDef<T>[]>(
    () =>
      columns.map((c) => ({
        id: c.id,
        header: c.header,
        accessorFn: (r: T) => c.accessor(r),
        enableSorting: !server && c.sortable !== false,
        enableHiding: c.hideable !== false,
        sortingFn: (a: Row<T>, b: Row<T>, id: string) => compareValues(a.getValue<CellValue>(id), b.getValue<CellValue>(id)),
      })),
    [columns, server],
  );

  const table = useReactTable({
    data: rows,
    columns: defs,
    state: { sorting, columnVisibility: visibility, pagination },
    onSortingChange: setSorting,
    onColumnVisibilityChange: setVisibility,
    onPaginationChange: setPagination,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    manualPagination: !!server,
    manualSorting: !!server,
    autoResetPageIndex: false,
  });

  const byId = useMemo(() => new Map(columns.map((c) => [c.id, c])), [columns]);
  const shown = table.getVisibleLeafColumns().map((c) => byId.get(c.id) as DataColumn<T>);
  const outColumns = shown.filter((c) => !c.screenOnly);
  const pageRows = table.getRowModel().rows;
  const total = server ? server.total : rows.length;
  const pageSize = server ? server.pageSize : pagination.pageSize;
  const page = server ? server.page : pagination.pageIndex + 1;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const busy = phase !== null;

  // The progress shows only for an export that takes over a second.
  useEffect(() => {
    if (!busy) {
      setSlow(false);
      return;
    }
    const t = setTimeout(() => setSlow(true), 1000);
    return () => clearTimeout(t);
  }, [busy]);

  /** Every row the table holds, in its shown order (the server's, for a server-paged list). */
  const allRows = async (): Promise<T[]> => {
    if (!server) return table.getSortedRowModel().rows.map((r) => r.original);
    setPhase({ kind: 'fetch', done: 0, total: server.total });
    return server.fetchAll((done, t) => setPhase({ kind: 'fetch', done, total: t }));
  };

  const exportXlsx = async () => {
    setError(null);
    setNotice(null);
    setPhase({ kind: 'build', done: 0, total });
    try {
      const data = await allRows();
      const filters = props.filters ?? [];
      // Audited first: when the row cannot be written, no file is made.
      await call('audit.recordExport', { entity: props.auditEntity, what: props.listName, filter: filterWords(filters, { forAudit: true }).slice(0, 300), rowCount: data.length });
      const XLSX = await import('xlsx');
      const today = todayIso();
      const bytes = await buildXlsx(
        XLSX,
        {
          listName: props.listName,
          filters,
          today,
          columns: outColumns.map((c) => ({ header: c.header, kind: c.kind })),
          rows: data.map((r) => outColumns.map((c) => (c.exportValue ?? c.accessor)(r))),
          revealIds: props.revealIds,
        },
        (p) => setPhase(p.done < p.total ? { kind: 'build', ...p } : { kind: 'write' }),
      );
      const name = exportFileName(props.listName, today);
      download(name, bytes);
      setNotice(m.exportDone(data.length, name));
    } catch (e) {
      setError(m.exportFailed(errText(e)));
    } finally {
      setPhase(null);
    }
  };

  const print = async () => {
    setError(null);
    setNotice(null);
    try {
      const data = await allRows();
      setPhase(null);
      // Recorded first, like every print of personal data (lib/print.ts).
      await call('audit.recordPrint', { entity: props.auditEntity, entityId: null, what: m.printWhat(props.listName).slice(0, 60) });
      setPrintRows(data);
    } catch (e) {
      setError(m.printFailed(errText(e)));
    } finally {
      setPhase(null);
    }
  };

  // Once the sheet is in the page, open the print dialog; the sheet goes when the dialog closes.
  const printing = printRows !== null;
  useEffect(() => {
    if (!printing) return;
    const done = () => setPrintRows(null);
    window.addEventListener('afterprint', done);
    const frame = requestAnimationFrame(() => window.print());
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('afterprint', done);
    };
  }, [printing]);

  const onRow = (r: T) => (e: MouseEvent<HTMLTableRowElement>) => {
    if ((e.target as HTMLElement).closest(INTERACTIVE)) return;
    if (props.onRowClick) props.onRowClick(r);
    else if (props.rowHref) window.location.hash = props.rowHref(r).replace(/^#/, '');
  };
  const clickable = !!(props.onRowClick || props.rowHref);
  const hideable = columns.filter((c) => c.hideable !== false);
  const visibleCount = shown.length;

  const phaseText = (p: Phase): string => (p.kind === 'fetch' ? m.exportFetching(p.done, p.total) : p.kind === 'build' ? m.exportBuilding(p.done, p.total) : m.exportWriting);
  const phaseValue = (p: Phase): number => (p.kind === 'write' ? 100 : p.total ? (p.done / p.total) * (p.kind === 'fetch' ? 50 : 100) : 0);

  return (
    <Stack gap="xs" data-testid={`dt-${tableId}`}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed" data-testid="dt-total">
          {props.loading && total === 0 ? m.loading : total === 0 ? m.total(0) : m.range((page - 1) * pageSize + 1, Math.min(page * pageSize, total), total)}
        </Text>
        <Group gap="xs">
          {props.actions}
          {hideable.length > 0 && (
            <Menu position="bottom-end" closeOnItemClick={false} withinPortal>
              <Menu.Target>
                <Button variant="default" size="xs" data-testid="dt-columns">
                  {m.columns}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{m.columnsHint}</Menu.Label>
                {hideable.map((c) => {
                  const on = visibility[c.id] !== false;
                  return (
                    <Box key={c.id} px="sm" py={4}>
                      <Checkbox
                        size="xs"
                        label={c.header}
                        checked={on}
                        disabled={on && visibleCount <= 1}
                        onChange={(e) => {
                          const checked = e.currentTarget.checked;
                          setVisibility((v) => ({ ...v, [c.id]: checked }));
                        }}
                        data-testid={`dt-col-${c.id}`}
                      />
                    </Box>
                  );
                })}
              </Menu.Dropdown>
            </Menu>
          )}
          {!props.noExport && (
            <>
              <Button variant="default" size="xs" onClick={() => void exportXlsx()} loading={busy} disabled={total === 0} data-testid="dt-export">
                {m.exportXlsx}
              </Button>
              <Button variant="default" size="xs" onClick={() => void print()} disabled={busy || total === 0} data-testid="dt-print">
                {m.print}
              </Button>
            </>
          )}
        </Group>
      </Group>
      {phase && slow && (
        <Stack gap={2} data-testid="dt-progress">
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="xs">{phaseText(phase)}</Text>
          </Group>
          <Progress value={phaseValue(phase)} size="sm" aria-label={phaseText(phase)} />
        </Stack>
      )}
      {error && (
        <Alert color="red" variant="light" p="xs" data-testid="dt-error">
          {error}
        </Alert>
      )}
      {notice && (
        <Text size="xs" c="teal" data-testid="dt-notice">
          {notice}
        </Text>
      )}
      <Paper withBorder>
        <ScrollArea>
          <Table striped highlightOnHover={clickable} aria-label={props.label ?? props.listName} miw={props.minWidth}>
            <Table.Thead>
              <Table.Tr>
                {table.getVisibleLeafColumns().map((tc) => {
                  const c = byId.get(tc.id) as DataColumn<T>;
                  const dir = tc.getIsSorted();
                  return (
                    <Table.Th
                      key={tc.id}
                      style={{ whiteSpace: 'nowrap', width: c.width, textAlign: c.align }}
                      aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}
                    >
                      {tc.getCanSort() ? (
                        <UnstyledButton
                          onClick={tc.getToggleSortingHandler()}
                          title={m.sortBy(c.header)}
                          data-testid={`dt-sort-${c.id}`}
                          fw={700}
                          fz="sm"
                        >
                          {c.header}
                          <Text span c={dir ? undefined : 'dimmed'} fz="xs" ml={4} aria-label={dir === 'asc' ? m.sortAsc : dir === 'desc' ? m.sortDesc : undefined}>
                            {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
                          </Text>
                        </UnstyledButton>
                      ) : (
                        c.header
                      )}
                    </Table.Th>
                  );
                })}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {pageRows.map((r) => (
                <Table.Tr
                  key={props.rowKey(r.original)}
                  data-testid={props.rowTestId?.(r.original)}
                  onClick={clickable ? onRow(r.original) : undefined}
                  style={{ cursor: clickable ? 'pointer' : undefined, ...props.rowStyle?.(r.original) }}
                >
                  {r.getVisibleCells().map((cell) => {
                    const c = byId.get(cell.column.id) as DataColumn<T>;
                    return (
                      <Table.Td key={cell.id} style={{ whiteSpace: c.nowrap || c.kind === 'date' || c.kind === 'datetime' ? 'nowrap' : undefined, textAlign: c.align }}>
                        {c.cell ? c.cell(r.original) : defaultCell(cell.getValue<CellValue>(), c.kind)}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
              {pageRows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={Math.max(1, visibleCount)}>
                    <Text c="dimmed" size="sm" ta="center" py="sm" data-testid="dt-empty">
                      {props.loading ? m.loading : props.emptyText}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      {total > Math.min(...pageSizes) && (
        <Group justify="space-between">
          <Select
            size="xs"
            w={130}
            aria-label={m.pageSize}
            data={pageSizes.map((n) => ({ value: String(n), label: m.pageSizeOption(n) }))}
            value={String(pageSize)}
            allowDeselect={false}
            disabled={!!server}
            onChange={(v) => v && setPagination({ pageIndex: 0, pageSize: Number(v) })}
            data-testid="dt-page-size"
          />
          {pages > 1 && (
            <Pagination
              size="sm"
              total={pages}
              value={page}
              onChange={(p) => (server ? server.onPage(p) : setPagination((s) => ({ ...s, pageIndex: p - 1 })))}
              getControlProps={(control) => ({ 'aria-label': m.pagination[control] })}
              data-testid="dt-pagination"
            />
          )}
        </Group>
      )}
      {printRows && <PrintSheet listName={props.listName} filters={props.filters ?? []} columns={outColumns} rows={printRows} revealIds={props.revealIds} />}
    </Stack>
  );
}

/** The table alone for paper, portalled into <body>: DataTable.css shows only it when printing. */
function PrintSheet<T>(props: { listName: string; filters: FilterWord[]; columns: DataColumn<T>[]; rows: T[]; revealIds?: boolean }) {
  const landscape = props.columns.length > 6;
  const today = todayIso();
  return createPortal(
    <div className={`dt-print-sheet ${landscape ? 'dt-landscape' : 'dt-portrait'}`} data-testid="dt-print-sheet">
      <h1 style={{ fontFamily: KAI_STACK }}>{props.listName}</h1>
      <p className="dt-print-filter">{[filterWords(props.filters), m.printedOn(formatRocDate(today))].filter((p) => p !== '').join(' - ')}</p>
      <table>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.id} style={{ fontFamily: KAI_STACK }}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r, i) => (
            <tr key={i}>
              {props.columns.map((c) => {
                const v = exportCell((c.exportValue ?? c.accessor)(r), c.kind ?? 'text', props.revealIds);
                return (
                  <td key={c.id} className={typeof v === 'number' ? 'dt-num' : undefined}>
                    {v ?? ''}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="dt-print-count">{m.printCount(props.rows.length)}</p>
    </div>,
    document.body,
  );
}
