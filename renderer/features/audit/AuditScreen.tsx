import { Alert, Button, Group, List, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { ApiInput } from '../../../main/contract/api';
import type { AuditEntryView, AuditVerifyResult } from '../../../main/contract/types';
import type { SearchHit } from '../../../main/contract/types-households';
import { DataTable, fetchAllPages, type DataColumn, type FilterWord } from '../../components/DataTable';
import { RocDateInput } from '../../components/RocDateInput';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, msg } from '../../lib/messages';
import { AUDIT_ENTITY_EXTRA, msgAudit } from '../../lib/messages-audit';
import { currentRoute } from '../../lib/router';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { actionLabel, detailLines, entityLabel, targetText } from './details';

const PAGE = 50;

export type AuditFilter = Omit<ApiInput<'audit.list'>, 'offset' | 'limit'>;

/** `#/audit?person=12&from=2025-05-20`: the filter a link opened the screen with ("who saw this person"). */
export function filterFromRoute(route: string): AuditFilter {
  const query = new URLSearchParams(route.split('?')[1] ?? '');
  const f: AuditFilter = {};
  const id = (k: string) => {
    const n = Number(query.get(k));
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  const person = id('person');
  const household = id('household');
  if (person) f.subject = { kind: 'person', id: person };
  else if (household) f.subject = { kind: 'household', id: household };
  const day = (k: string) => {
    const v = query.get(k);
    return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
  };
  const from = day('from');
  const to = day('to');
  if (from) f.from = from;
  if (to) f.to = to;
  return f;
}

/** The filter in words, for the export's title (a person's name is `personal`: the export's own audit row leaves it out). */
export function filterWordsOf(f: AuditFilter, actorName: string | null, subjectName: string | null): FilterWord[] {
  const words: FilterWord[] = [];
  if (f.subject) words.push({ label: f.subject.kind === 'person' ? msgAudit.whoSawPerson : msgAudit.whoSawHouseholdLabel, value: subjectName ?? `#${f.subject.id}`, personal: true });
  if (f.from || f.to) words.push({ label: msgAudit.period, value: `${f.from ? formatRocDate(f.from) : ''}～${f.to ? formatRocDate(f.to) : ''}` });
  if (f.actorId) words.push({ label: msgAudit.user, value: actorName ?? `#${f.actorId}` });
  if (f.action) words.push({ label: msgAudit.action, value: actionLabel(f.action) });
  if (f.entity) words.push({ label: msgAudit.entity, value: `${entityLabel(f.entity)}${f.entityId ? ` #${f.entityId}` : ''}` });
  return words;
}

/** A user target reads "王小明（sw01）": the account name in it is data, not wording (the walk test skips it). */
function userNameIn(r: AuditEntryView): string | undefined {
  return r.entity === 'user' && r.targetName ? /（([^（）]+)）$/.exec(r.targetName)?.[1] : undefined;
}

const COLUMNS: DataColumn<AuditEntryView>[] = [
  { id: 'id', header: '#', accessor: (r) => r.id, kind: 'number', width: 70 },
  { id: 'at', header: msg.audit.at, accessor: (r) => r.at, kind: 'datetime', nowrap: true },
  { id: 'actor', header: msg.audit.actor, accessor: (r) => r.actorName },
  { id: 'action', header: msg.audit.action, accessor: (r) => actionLabel(r.action) },
  { id: 'target', header: msgAudit.target, accessor: (r) => targetText(r), cell: (r) => <span data-testid="audit-target" data-verbatim={userNameIn(r)}>{targetText(r)}</span> },
  { id: 'detail', header: msg.audit.detail, accessor: (r) => detailLines(r.detail).join('\n'), cell: (r) => <DetailCell row={r} />, sortable: false },
];

function DetailCell({ row }: { row: AuditEntryView }) {
  const lines = detailLines(row.detail);
  if (lines.length === 0) return null;
  return (
    <Stack gap={0} data-testid="audit-detail">
      {lines.map((l, i) => (
        <Text key={i} size="xs">{l}</Text>
      ))}
    </Stack>
  );
}

/** 以姓名找: the household or person to filter on, found through the ordinary search (only what the caller may see). */
function RecordFinder({ onPick }: { onPick(entity: 'household' | 'person', id: number, label: string): void }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function find() {
    try {
      const r = await call('search.query', { q, limit: 10 });
      setHits(r.hits);
      setError(r.hint);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  return (
    <Stack gap={4}>
      <Group align="flex-end" gap="xs">
        <TextInput label={msgAudit.findRecord} description={msgAudit.findRecordHint} value={q} onChange={(e) => setQ(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === 'Enter') void find(); }} w={320} error={error} />
        <Button variant="default" onClick={() => void find()} disabled={q.trim() === ''}>{msg.search.open}</Button>
      </Group>
      {hits && hits.length > 0 && (
        <Group gap={4}>
          {hits.flatMap((h) => [
            ...(h.householdId ? [<Button key={`h${h.householdId}`} size="compact-xs" variant="light" onClick={() => { onPick('household', h.householdId as number, `${h.headName ?? ''} ${h.addressText}`); setHits(null); }}>{`${entityLabel('household')} ${h.headName ?? ''} ${h.addressText}`}</Button>] : []),
            ...h.members.map((m) => (
              <Button key={`p${m.personId}`} size="compact-xs" variant="subtle" onClick={() => { onPick('person', m.personId, m.name); setHits(null); }}>{`${entityLabel('person')} ${m.name}（${m.maskedNationalId}）`}</Button>
            )),
          ])}
        </Group>
      )}
    </Stack>
  );
}

export function AuditScreen() {
  const user = useUser();
  const [filter, setFilter] = useState<AuditFilter>(() => filterFromRoute(currentRoute()));
  const [page, setPage] = useState(1);
  const rangeBad = !!filter.from && !!filter.to && filter.from > filter.to;
  const query = useMemo(() => {
    const q: AuditFilter = { ...filter };
    // A half-typed record (category without number, or the reverse) is not a filter yet.
    if (!q.entity) delete q.entityId;
    if (rangeBad) delete q.to;
    return q;
  }, [filter, rangeBad]);
  const list = useApiQuery('audit.list', { ...query, offset: (page - 1) * PAGE, limit: PAGE });
  const actors = useApiQuery('audit.actors', {});
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  const set = (patch: Partial<AuditFilter>) => {
    setFilter((f) => {
      const next: AuditFilter = { ...f, ...patch };
      for (const k of Object.keys(next) as (keyof AuditFilter)[]) if (next[k] === undefined) delete next[k];
      return next;
    });
    setPage(1);
  };

  async function runVerify() {
    try {
      setVerify(await call('audit.verify', {}));
      setVerifyError(null);
    } catch (err) {
      setVerifyError(err instanceof Error ? err.message : String(err));
    }
  }

  const total = list.data?.total ?? 0;
  const rows = list.data?.rows ?? [];
  const actorName = actors.data?.find((a) => a.id === filter.actorId)?.name ?? null;
  const entities = { ...AUDIT_ENTITY_LABELS, ...AUDIT_ENTITY_EXTRA };
  const subject = filter.subject;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{msg.audit.title}</Title>
        <Button onClick={() => void runVerify()}>{msg.audit.verify}</Button>
      </Group>
      <FormError message={verifyError ?? list.error} />
      {verify && (
        <Alert color={verify.ok ? 'teal' : 'red'} data-testid="audit-verify-result">
          <Text>{verify.ok ? msg.audit.verifyOk(verify.checked) : msg.audit.verifyBad(verify.checked)}</Text>
          {!verify.ok && (
            <List size="sm">
              {verify.problems.map((p, i) => (
                <List.Item key={i}>{p.message}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      {subject && (
        <Alert color="grape" data-testid="audit-subject" title={subject.kind === 'person' ? msgAudit.subjectPerson(list.data?.subjectName ?? msgAudit.unknownSubject('person', subject.id)) : msgAudit.subjectHousehold(list.data?.subjectName ?? msgAudit.unknownSubject('household', subject.id))}>
          <Text size="sm">{msgAudit.subjectHint}</Text>
          <Button mt="xs" size="compact-sm" variant="default" onClick={() => set({ subject: undefined })}>{msgAudit.subjectClear}</Button>
        </Alert>
      )}
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <Group align="flex-start" gap="sm">
            <RocDateInput label={msgAudit.from} value={filter.from ?? null} onChange={(v) => set({ from: v ?? undefined })} data-testid="audit-from" />
            <RocDateInput label={msgAudit.to} value={filter.to ?? null} onChange={(v) => set({ to: v ?? undefined })} error={rangeBad ? msgAudit.rangeError : undefined} data-testid="audit-to" />
            <Select
              label={msgAudit.user}
              data={[{ value: '', label: msgAudit.anyUser }, ...(actors.data ?? []).map((a) => ({ value: String(a.id), label: a.name }))]}
              value={filter.actorId ? String(filter.actorId) : ''}
              onChange={(v) => set({ actorId: v ? Number(v) : undefined })}
              searchable
              w={200}
            />
            <Select
              label={msgAudit.action}
              data={[{ value: '', label: msg.audit.all }, ...Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }))]}
              value={filter.action ?? ''}
              onChange={(v) => set({ action: v || undefined })}
              w={150}
            />
            <Select
              label={msgAudit.entity}
              data={[{ value: '', label: msgAudit.anyEntity }, ...Object.entries(entities).map(([value, label]) => ({ value, label }))]}
              value={filter.entity ?? ''}
              onChange={(v) => set({ entity: v || undefined })}
              searchable
              w={170}
            />
            <TextInput
              label={msgAudit.entityId}
              placeholder={msgAudit.entityIdHint}
              value={filter.entityId ?? ''}
              onChange={(e) => set({ entityId: e.currentTarget.value.trim() || undefined })}
              disabled={!filter.entity}
              w={130}
            />
          </Group>
          <Group align="flex-end" justify="space-between">
            {user.role === 'admin' ? <RecordFinder onPick={(entity, id) => set({ entity, entityId: String(id) })} /> : <span />}
            <Group gap="xs">
              {(filter.entity === 'person' || filter.entity === 'household') && filter.entityId && /^\d+$/.test(filter.entityId) && (
                <Button variant="light" color="grape" onClick={() => set({ subject: { kind: filter.entity as 'person' | 'household', id: Number(filter.entityId) }, entity: undefined, entityId: undefined })}>
                  {msgAudit.whoSaw}
                </Button>
              )}
              <Button variant="subtle" onClick={() => { setFilter({}); setPage(1); }}>{msgAudit.clear}</Button>
            </Group>
          </Group>
        </Stack>
      </Paper>
      <Text size="sm" c="dimmed" data-testid="audit-total">{msg.audit.total(total)}</Text>
      <DataTable
        tableId="audit-log"
        auditEntity="audit_log"
        listName={msg.audit.title}
        label="稽核紀錄"
        filters={filterWordsOf(query, actorName, list.data?.subjectName ?? null)}
        columns={COLUMNS}
        rows={rows}
        rowKey={(r) => r.id}
        rowTestId={(r) => `audit-row-${r.id}`}
        emptyText={msgAudit.empty}
        loading={list.loading}
        server={{
          total,
          page,
          pageSize: PAGE,
          onPage: setPage,
          fetchAll: (onProgress) => fetchAllPages((offset, limit) => call('audit.list', { ...query, offset, limit }), onProgress, 500),
        }}
      />
    </Stack>
  );
}
