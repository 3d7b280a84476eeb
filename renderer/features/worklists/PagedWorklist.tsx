import { Badge, Stack } from '@mantine/core';
import { useState } from 'react';
import type { ApiInput, ApiOutput } from '../../../main/contract/api';
import type { Page } from '../../../main/contract/types';
import { DataTable, fetchAllPages, type DataTableProps } from '../../components/DataTable';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { useApiQuery } from '../../lib/useApi';

const PAGE = 50;

/** The 待追蹤 lists paged on the server: `{ workerId?, offset, limit }` in, a Page of rows out. */
type PagedMethod = 'worklists.overdueFollowUps' | 'worklists.overdueConcernVisits' | 'worklists.visitsDue' | 'worklists.reassessmentsDue';
type RowOf<M extends PagedMethod> = ApiOutput<M> extends Page<infer R> ? R : never;

/** Days late as a badge: yellow, then orange after a week, red after a month. */
export function Overdue({ days, text }: { days: number; text: (days: number) => string }) {
  return (
    <Badge color={days > 30 ? 'red' : days > 7 ? 'orange' : 'yellow'} variant="light">
      {text(days)}
    </Badge>
  );
}

/**
 * One 待追蹤 tab: the method's pages in a DataTable (50 a page), its error above, and an export that fetches
 * every page.
 */
export function PagedWorklist<M extends PagedMethod>({
  method,
  ...table
}: { method: M } & Omit<DataTableProps<RowOf<M>>, 'rows' | 'loading' | 'server'>) {
  const [page, setPage] = useState(1);
  const pageOf = (offset: number, limit: number) => call(method, { offset, limit } as ApiInput<M>) as Promise<Page<RowOf<M>>>;
  const list = useApiQuery(method, { offset: (page - 1) * PAGE, limit: PAGE } as ApiInput<M>);
  const data = list.data as Page<RowOf<M>> | undefined;
  return (
    <Stack>
      <FormError message={list.error} />
      <DataTable
        {...table}
        rows={data?.rows ?? []}
        loading={list.loading}
        server={{ total: data?.total ?? 0, page, pageSize: PAGE, onPage: setPage, fetchAll: (progress) => fetchAllPages(pageOf, progress) }}
      />
    </Stack>
  );
}
