import { Alert, Anchor, Badge, Button, Divider, Grid, Group, Loader, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import { CASE_REQUEST_KIND_LABELS, CASE_REQUEST_STATE_LABELS, type CaseDetail, type CaseRequestState } from '../../../main/contract/types-cases';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msg, msgCases } from '../../lib/messages';
import { usePolling } from '../../lib/usePolling';
import { RecordsPanel } from '../records/RecordsPanel';
import { ReferralsPanel } from '../records/ReferralsPanel';
import { AssessmentsPanel } from '../assessments/AssessmentsPanel';
import { CaseActions } from './CaseActions';
import { CaseEditForm } from './CaseEditForm';
import { CaseFlow } from './CaseFlow';
import { takeCaseFlash, type CaseFlash } from './flash';
import { CaseStatusBadge, RiskBadge, sourceLabel } from './labels';
import { NextVisitLine } from '../worklists/NextVisitLine';

const REQUEST_STATE_COLORS: Record<CaseRequestState, string> = { pending: 'orange', approved: 'teal', returned: 'red', withdrawn: 'gray' };

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children === null || children === undefined || children === '' ? '—' : children}
      </Text>
    </div>
  );
}

/** 個案頁 `#/cases/:id`. */
export function CaseScreen({ id }: { id: number }) {
  const [detail, setDetailState] = useState<CaseDetail | null>(null);
  // Counts the screen's own loads and changes, so a poll answered after one of them does not undo it.
  const generation = useRef(0);
  const setDetail = (d: CaseDetail | null) => {
    generation.current += 1;
    setDetailState(d);
  };
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [flash, setFlash] = useState<CaseFlash | null>(null);
  // Bumped after each change so the records and referrals lists reload too.
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setDetail(null);
    setEditing(false);
    setFlash(takeCaseFlash());
    call('cases.get', { id })
      .then((d) => {
        if (live) {
          setDetail(d);
          setError(null);
        }
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [id]);

  // A decision made on another PC (the 督導 approving) shows without reloading; never while editing.
  usePolling(async () => {
    const before = generation.current;
    const fresh = await call('cases.get', { id });
    if (generation.current !== before) return;
    setDetailState((cur) => (!cur || cur.id !== fresh.id || JSON.stringify(cur) === JSON.stringify(fresh) ? cur : fresh));
  }, undefined, editing);

  async function reload() {
    try {
      setDetail(await call('cases.get', { id }));
      setError(null);
      setTick((t) => t + 1);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  if (error && !detail) {
    return (
      <Stack>
        <Title order={2}>{msgCases.page.notFound}</Title>
        <FormError message={error} />
      </Stack>
    );
  }
  if (!detail) return <Loader aria-label={msg.loading} />;

  const d = detail;
  const lastRequest = d.requests[0] ?? null;
  const returned = !d.pendingRequest && lastRequest?.state === 'returned' ? lastRequest : null;
  const factorGroups = [...new Set(d.factors.map((f) => f.groupLabel ?? ''))];

  return (
    <Stack maw={1200}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>{msgCases.page.title(d.caseNo)}</Title>
            <CaseStatusBadge status={d.status} size="lg" testId="case-status" />
            <RiskBadge level={d.riskLevel} />
          </Group>
          <Group gap="md">
            <Anchor href={`#/households/${d.householdId}`} data-testid="household-link">
              {d.headName ? msgCases.page.household(d.headName) : msgCases.page.householdNoHead}
            </Anchor>
            {d.previousCase && <Anchor href={`#/cases/${d.previousCase.id}`}>{msgCases.page.previous(d.previousCase.caseNo)}</Anchor>}
            {d.nextCase && <Anchor href={`#/cases/${d.nextCase.id}`}>{msgCases.page.next(d.nextCase.caseNo)}</Anchor>}
          </Group>
          <NextVisitLine caseId={d.id} />
        </Stack>
      </Group>

      {flash && (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setFlash(null)} closeButtonLabel={msg.close}>
          <Text size="sm">{flash.message}</Text>
          {flash.dropped.length > 0 && <Text size="sm">{msgCases.reopenedDropped(flash.dropped.join('、'))}</Text>}
        </Alert>
      )}

      <CaseFlow detail={d} />

      {d.pendingRequest && (
        <Alert color="orange" variant="light" title={msgCases.page.pendingAlert(CASE_REQUEST_KIND_LABELS[d.pendingRequest.kind], d.pendingRequest.requestedBy.name, formatRocDateTime(d.pendingRequest.requestedAt))} data-testid="pending-request">
          <Text size="sm">{`${msgCases.page.reason}：${d.pendingRequest.reason}`}</Text>
          {d.pendingRequest.transferTo && <Text size="sm">{`${msgCases.action.transferTo}：${d.pendingRequest.transferTo.name}`}</Text>}
        </Alert>
      )}
      {returned && (
        <Alert
          color="red"
          variant="light"
          title={msgCases.page.returnedAlert(CASE_REQUEST_KIND_LABELS[returned.kind], returned.decidedBy?.name ?? '', formatRocDateTime(returned.decidedAt))}
          data-testid="returned-request"
        >
          <Text size="sm">{`${msgCases.page.returnedComment}：${returned.comment ?? ''}`}</Text>
        </Alert>
      )}

      <CaseActions
        detail={d}
        onChanged={(nd) => {
          setDetail(nd);
          setTick((t) => t + 1);
        }}
      />
      <FormError message={error} />

      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder p="md">
            <Group justify="space-between" mb="sm">
              <Title order={3}>{msgCases.page.details}</Title>
              {!editing && d.allowed.includes('edit') && (
                <Button size="xs" variant="light" onClick={() => setEditing(true)}>
                  {msgCases.action.edit}
                </Button>
              )}
            </Group>
            {editing ? (
              <CaseEditForm
                detail={d}
                onSaved={(nd) => {
                  setDetail(nd);
                  setEditing(false);
                  setTick((t) => t + 1);
                }}
                onCancel={() => setEditing(false)}
                onDiscard={() => {
                  setEditing(false);
                  void reload();
                }}
              />
            ) : (
              <Stack gap="sm" data-testid="case-details">
                <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
                  <Field label={msgCases.field.caseNo}>{d.caseNo}</Field>
                  <Field label={msgCases.field.source}>{sourceLabel(d.source)}</Field>
                  <Field label={msgCases.field.referringUnit}>{d.referringUnit}</Field>
                  <Field label={msgCases.field.receivedAt}>{formatRocDateTime(d.receivedAt)}</Field>
                  <Field label={msgCases.field.dispatchedAt}>{formatRocDateTime(d.dispatchedAt)}</Field>
                  <Field label={msgCases.field.firstContactAt}>{formatRocDateTime(d.firstContactAt)}</Field>
                  <Field label={msgCases.field.caseType}>{d.caseType}</Field>
                  <Field label={msgCases.field.riskLevel}>{d.riskLevel}</Field>
                  <Field label={msgCases.field.team}>{d.team?.name}</Field>
                  <Field label={msgCases.field.openedOn}>{formatRocDate(d.openedOn)}</Field>
                  <Field label={msgCases.field.closedOn}>{formatRocDate(d.closedOn)}</Field>
                  <Field label={msgCases.field.closeReason}>{d.closeReason}</Field>
                </SimpleGrid>
                <Field label={msgCases.field.summary}>
                  {d.summary ? <span style={{ whiteSpace: 'pre-wrap' }}>{d.summary}</span> : null}
                </Field>
                <Text size="xs" c="dimmed">
                  {msgCases.page.updatedBy(d.updatedBy?.name ?? '', formatRocDateTime(d.updatedAt))}
                </Text>
              </Stack>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack>
            <Paper withBorder p="md">
              <Title order={4} mb="xs">
                {msgCases.page.workers}
              </Title>
              <Field label={msgCases.field.lead}>{d.lead?.name ?? msgCases.leadUnassigned}</Field>
              <Divider my={6} />
              <Field label={msgCases.field.assistants}>{d.assistants.map((a) => a.name).join('、')}</Field>
            </Paper>
            <Paper withBorder p="md" data-testid="case-factors">
              <Title order={4} mb="xs">
                {msgCases.page.factors}
              </Title>
              {d.codeListVersion && (
                <Text size="xs" c="dimmed" mb={4}>
                  {msgCases.page.codeVersion(formatRocDate(d.codeListVersion.effectiveFrom))}
                </Text>
              )}
              {d.factors.length === 0 && (
                <Text size="sm" c="dimmed">
                  {msgCases.page.noFactors}
                </Text>
              )}
              {factorGroups.map((g) => (
                <Stack key={g} gap={2} mb={6}>
                  <Text size="xs" fw={700}>
                    {g}
                  </Text>
                  {d.factors
                    .filter((f) => (f.groupLabel ?? '') === g)
                    .map((f) => (
                      <Text key={f.code} size="sm">
                        {`${f.code} ${f.label}`}
                      </Text>
                    ))}
                </Stack>
              ))}
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>

      <Title order={3}>{msgCases.page.requests}</Title>
      <Paper withBorder>
        <ScrollArea>
          <Table aria-label={msgCases.page.requests} miw={900} verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{msgCases.requestCols.kind}</Table.Th>
                <Table.Th>{msgCases.requestCols.reason}</Table.Th>
                <Table.Th>{msgCases.requestCols.by}</Table.Th>
                <Table.Th>{msgCases.requestCols.at}</Table.Th>
                <Table.Th>{msgCases.requestCols.state}</Table.Th>
                <Table.Th>{msgCases.requestCols.decidedBy}</Table.Th>
                <Table.Th>{msgCases.requestCols.decidedAt}</Table.Th>
                <Table.Th>{msgCases.requestCols.comment}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.requests.map((r) => (
                <Table.Tr key={r.id} style={{ verticalAlign: 'top' }}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {CASE_REQUEST_KIND_LABELS[r.kind]}
                    {r.transferTo ? `→${r.transferTo.name}` : ''}
                  </Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.requestedBy.name}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDateTime(r.requestedAt)}</Table.Td>
                  <Table.Td>
                    <Badge color={REQUEST_STATE_COLORS[r.state]} variant="light">
                      {CASE_REQUEST_STATE_LABELS[r.state]}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.decidedBy?.name ?? ''}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDateTime(r.decidedAt)}</Table.Td>
                  <Table.Td>{r.comment ?? ''}</Table.Td>
                </Table.Tr>
              ))}
              {d.requests.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text size="sm" c="dimmed" ta="center">
                      {msgCases.page.noRequests}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>

      <Title order={3}>{msgCases.page.history}</Title>
      <Paper withBorder>
        <ScrollArea>
          <Table aria-label={msgCases.page.history} miw={800} verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{msgCases.historyCols.at}</Table.Th>
                <Table.Th>{msgCases.historyCols.action}</Table.Th>
                <Table.Th>{msgCases.historyCols.from}</Table.Th>
                <Table.Th>{msgCases.historyCols.to}</Table.Th>
                <Table.Th>{msgCases.historyCols.by}</Table.Th>
                <Table.Th>{msgCases.historyCols.reason}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...d.history].reverse().map((h) => (
                <Table.Tr key={h.id} style={{ verticalAlign: 'top' }}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDateTime(h.at)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{msgCases.historyAction[h.action] ?? h.action}</Table.Td>
                  <Table.Td>{h.fromStatus ? <CaseStatusBadge status={h.fromStatus} size="sm" /> : '—'}</Table.Td>
                  <Table.Td>
                    <CaseStatusBadge status={h.toStatus} size="sm" />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{h.by.name}</Table.Td>
                  <Table.Td>{h.reason ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>

      <RecordsPanel
        key={`records-${tick}`}
        caseId={d.id}
        newHref={d.allowed.includes('record-service') ? `/records/new?householdId=${d.householdId}&caseId=${d.id}` : null}
      />
      <ReferralsPanel caseId={d.id} reloadKey={tick} />
      <AssessmentsPanel householdId={d.householdId} caseId={d.id} />
    </Stack>
  );
}
