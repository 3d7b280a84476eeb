import { Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgWorklists } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';
import { caseFilterWords, CaseFilters, CaseTable, useDebounced, type CaseFiltersValue } from './CaseTable';

const PAGE = 25;

/** 我的個案 `#/my-cases`: cases where the caller is 主責 or 協力. */
export function MyCasesScreen() {
  const [filters, setFilters] = useState<CaseFiltersValue>({ status: 'active', search: '', sort: 'received-desc' });
  const [page, setPage] = useState(1);
  const search = useDebounced(filters.search.trim());
  const query = { status: filters.status, sort: filters.sort, ...(search ? { search } : {}) };
  const list = useApiQuery('worklists.myCaseload', { ...query, offset: (page - 1) * PAGE, limit: PAGE });
  return (
    <Stack>
      <Title order={2}>{msgWorklists.myCasesTitle}</Title>
      <CaseFilters
        value={filters}
        onChange={(v) => {
          setFilters(v);
          setPage(1);
        }}
      />
      <FormError message={list.error} />
      <CaseTable
        tableId="my-cases"
        auditEntity="worklists.my_cases"
        label={msgWorklists.myCasesTitle}
        rows={list.data?.rows ?? []}
        total={list.data?.total ?? 0}
        page={page}
        pageSize={PAGE}
        onPage={setPage}
        fetchPage={(offset, limit) => call('worklists.myCaseload', { ...query, offset, limit })}
        filters={caseFilterWords(filters, search)}
        loading={list.loading}
        showMyRole
      />
    </Stack>
  );
}
