/**
 * 人力進用 `#/staffing` (issue 13 §6): the month's 人員進用率 per funding line (red below 85%) and its
 * vacancies, then every approved position with its fills. The 管理者 adds and edits positions, cuts
 * them and records who took up or left a post; the 督導 sees the same screen read-only.
 */
import { Alert, Badge, Button, Group, Modal, Paper, ScrollArea, Select, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { staffingMethods } from '../../../main/contract/methods/staffing';
import { formatRocDate, rocMonthLabel, todayIso } from '../../../main/contract/roc-date';
import {
  FILL_RATE_TARGET,
  FUNDING_LINES,
  FUNDING_LINE_LABELS,
  POSITION_TITLES,
  type FillView,
  type FundingLine,
  type PositionView,
  type StaffingLineFigures,
} from '../../../main/contract/types-staffing';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { FormError, useContractForm, useUnsavedGuard } from '../../lib/form';
import { msgStaffing as m } from '../../lib/messages-staffing';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';

const LINE_OPTIONS = FUNDING_LINES.map((l) => ({ value: l, label: FUNDING_LINE_LABELS[l] }));
const TITLE_OPTIONS = [...POSITION_TITLES];

/** The last `count` months, newest first, as ROC labels. */
function monthOptions(count: number): { value: string; label: string }[] {
  const today = todayIso();
  let y = Number(today.slice(0, 4));
  let mo = Number(today.slice(5, 7));
  const out: { value: string; label: string }[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ value: `${y}-${String(mo).padStart(2, '0')}`, label: rocMonthLabel(y, mo) });
    mo -= 1;
    if (mo === 0) {
      mo = 12;
      y -= 1;
    }
  }
  return out;
}

/** A form field's props for RocDateInput (ISO string or null; the asterisk as `required`). */
function dateProps(field: { value?: unknown; withAsterisk?: boolean; label: string; onChange: (v: unknown) => void; error?: unknown }) {
  const { withAsterisk, value, error, ...rest } = field;
  return { ...rest, value: (value as string | null | undefined) ?? null, required: withAsterisk === true, error: error as string | undefined };
}

function RateText({ rate, testId }: { rate: number | null; testId?: string }) {
  if (rate === null) return <Text span>{m.noRate}</Text>;
  const low = rate < FILL_RATE_TARGET;
  return (
    <Group gap={6} wrap="nowrap" justify="flex-end">
      <Text span c={low ? 'red' : undefined} fw={low ? 700 : undefined} data-testid={testId} data-low={low ? 'true' : 'false'}>
        {rate.toFixed(1)}%
      </Text>
      {low && (
        <Badge color="red" variant="light" size="sm">
          {m.belowTarget(FILL_RATE_TARGET)}
        </Badge>
      )}
    </Group>
  );
}

export function StaffingScreen() {
  const user = useUser();
  const isAdmin = user.role === 'admin';
  const months = monthOptions(24);
  const [month, setMonth] = useState(months[0]!.value);
  const figures = useApiQuery('staffing.month', { month });
  const list = useApiQuery('staffing.list', {});
  const reload = () => {
    void figures.reload();
    void list.reload();
  };
  return (
    <Stack>
      <Title order={2}>{m.title}</Title>
      {!isAdmin && (
        <Alert color="gray" data-testid="staffing-read-only">
          {m.readOnly}
        </Alert>
      )}
      <Paper withBorder p="md">
        <Stack>
          <Group justify="space-between" align="flex-end">
            <Title order={4}>{m.monthFigures(rocMonthLabel(`${month}-01`), figures.data ? formatRocDate(figures.data.asOf) : '')}</Title>
            <Select label={m.month} data={months} value={month} onChange={(v) => v && setMonth(v)} allowDeselect={false} w={170} data-testid="staffing-month" />
          </Group>
          <FormError message={figures.error} />
          <ScrollArea>
            <Table aria-label={m.rate} miw={640} withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{m.fundingLine}</Table.Th>
                  <Table.Th ta="right">{m.approved}</Table.Th>
                  <Table.Th ta="right">{m.filled}</Table.Th>
                  <Table.Th ta="right">{m.vacant}</Table.Th>
                  <Table.Th ta="right">{m.rate}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(figures.data?.lines ?? []).map((l: StaffingLineFigures) => (
                  <Table.Tr key={l.fundingLine}>
                    <Table.Td>{FUNDING_LINE_LABELS[l.fundingLine]}</Table.Td>
                    <Table.Td ta="right">{l.approved}</Table.Td>
                    <Table.Td ta="right">{l.filled}</Table.Td>
                    <Table.Td ta="right">{l.vacant}</Table.Td>
                    <Table.Td ta="right">
                      <RateText rate={l.rate} />
                    </Table.Td>
                  </Table.Tr>
                ))}
                {figures.data && (
                  <Table.Tr fw={700}>
                    <Table.Td>{m.total}</Table.Td>
                    <Table.Td ta="right" data-testid="staffing-approved-total">{figures.data.total.approved}</Table.Td>
                    <Table.Td ta="right" data-testid="staffing-filled-total">{figures.data.total.filled}</Table.Td>
                    <Table.Td ta="right">{figures.data.total.vacant}</Table.Td>
                    <Table.Td ta="right">
                      <RateText rate={figures.data.total.rate} testId="staffing-rate-total" />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          <Title order={5}>{m.vacancies}</Title>
          <Table aria-label={m.vacancies} data-testid="staffing-vacancies" withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.fundingLine}</Table.Th>
                <Table.Th>{m.title_}</Table.Th>
                <Table.Th>{m.label}</Table.Th>
                <Table.Th>{m.vacantSince}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(figures.data?.vacancies ?? []).map((v) => (
                <Table.Tr key={v.positionId}>
                  <Table.Td>{FUNDING_LINE_LABELS[v.fundingLine]}</Table.Td>
                  <Table.Td>{v.title}</Table.Td>
                  <Table.Td>{v.label ?? ''}</Table.Td>
                  <Table.Td>{formatRocDate(v.vacantSince)}</Table.Td>
                </Table.Tr>
              ))}
              {figures.data?.vacancies.length === 0 && <EmptyRow cols={4}>{m.noVacancies}</EmptyRow>}
            </Table.Tbody>
          </Table>
        </Stack>
      </Paper>
      <PositionList positions={list.data ?? []} error={list.error} isAdmin={isAdmin} onSaved={reload} />
    </Stack>
  );
}

function EmptyRow({ cols, children }: { cols: number; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={cols}>
        <Text c="dimmed" ta="center" size="sm">
          {children}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

type Dialog =
  | { kind: 'new' }
  | { kind: 'edit'; p: PositionView }
  | { kind: 'close'; p: PositionView }
  | { kind: 'fill'; p: PositionView }
  | { kind: 'endFill'; p: PositionView; f: FillView }
  | null;

const fillText = (f: FillView) => `${f.name}\u3000${formatRocDate(f.startedOn)}－${f.endedOn ? formatRocDate(f.endedOn) : m.inPost}`;

function PositionList({ positions, error, isAdmin, onSaved }: { positions: PositionView[]; error: string | null; isAdmin: boolean; onSaved: () => void }) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const today = todayIso();
  const done = () => {
    setDialog(null);
    onSaved();
  };
  const titles: Record<NonNullable<Dialog>['kind'], string> = { new: m.newPosition, edit: m.editPosition, close: m.closePosition, fill: m.addFill, endFill: m.endFill };
  return (
    <Paper withBorder p="md">
      <Stack>
        <Group justify="space-between">
          <Title order={4}>{m.positions}</Title>
          {isAdmin && <Button onClick={() => setDialog({ kind: 'new' })}>{m.newPosition}</Button>}
        </Group>
        <FormError message={error} />
        <ScrollArea>
          <Table striped aria-label={m.positions} miw={960} data-testid="staffing-positions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.fundingLine}</Table.Th>
                <Table.Th>{m.title_}</Table.Th>
                <Table.Th>{m.label}</Table.Th>
                <Table.Th>{m.approvedSpan}</Table.Th>
                <Table.Th>{m.fills}</Table.Th>
                {isAdmin && <Table.Th>{m.actions}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {positions.map((p) => {
                const open = p.fills.find((f) => f.endedOn === null || f.endedOn >= today);
                const cut = p.approvedTo !== null && p.approvedTo < today;
                return (
                  <Table.Tr key={p.id} data-testid={`position-${p.id}`}>
                    <Table.Td maw={150}>{FUNDING_LINE_LABELS[p.fundingLine as FundingLine]}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{p.title}</Table.Td>
                    <Table.Td miw={100}>{p.label ?? ''}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {m.span(formatRocDate(p.approvedFrom), p.approvedTo ? formatRocDate(p.approvedTo) : null, m.stillApproved)}
                      {cut && (
                        <Badge ml={6} color="gray" size="sm">
                          {m.cutBadge}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {p.fills.length === 0 ? (
                        <Text span c="red" size="sm">
                          {m.nobody}
                        </Text>
                      ) : (
                        <Stack gap={0}>
                          {!open && !cut && (
                            <Text span c="red" size="sm">
                              {m.nobody}
                            </Text>
                          )}
                          {p.fills.map((f) => (
                            <Text key={f.id} size="sm" c={f === open ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                              {fillText(f)}
                            </Text>
                          ))}
                        </Stack>
                      )}
                    </Table.Td>
                    {isAdmin && (
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Button size="compact-sm" variant="default" onClick={() => setDialog({ kind: 'edit', p })}>
                            {m.editPosition}
                          </Button>
                          {!cut && (
                            <Button size="compact-sm" variant="default" onClick={() => setDialog({ kind: 'close', p })}>
                              {m.closePosition}
                            </Button>
                          )}
                          {!cut && !open && (
                            <Button size="compact-sm" onClick={() => setDialog({ kind: 'fill', p })}>
                              {m.addFill}
                            </Button>
                          )}
                          {open && open.endedOn === null && (
                            <Button size="compact-sm" variant="default" onClick={() => setDialog({ kind: 'endFill', p, f: open })}>
                              {m.endFill}
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
              {positions.length === 0 && <EmptyRow cols={isAdmin ? 6 : 5}>{m.noPositions}</EmptyRow>}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Stack>
      <Modal opened={dialog !== null} onClose={() => setDialog(null)} title={dialog ? titles[dialog.kind] : ''} size="lg">
        {dialog?.kind === 'new' && <PositionForm onDone={done} onCancel={() => setDialog(null)} />}
        {dialog?.kind === 'edit' && <PositionForm p={dialog.p} onDone={done} onCancel={() => setDialog(null)} />}
        {dialog?.kind === 'close' && <CloseForm p={dialog.p} onDone={done} onCancel={() => setDialog(null)} />}
        {dialog?.kind === 'fill' && <FillForm p={dialog.p} onDone={done} onCancel={() => setDialog(null)} />}
        {dialog?.kind === 'endFill' && <EndFillForm f={dialog.f} onDone={done} onCancel={() => setDialog(null)} />}
      </Modal>
    </Paper>
  );
}

function Buttons({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {m.cancel}
      </Button>
      <Button type="submit" loading={busy}>
        {m.save}
      </Button>
    </Group>
  );
}

/** 新增員額 / 修改員額. */
function PositionForm({ p, onDone, onCancel }: { p?: PositionView; onDone: () => void; onCancel: () => void }) {
  const schema = p ? staffingMethods['staffing.updatePosition'].input : staffingMethods['staffing.createPosition'].input;
  const f = useContractForm(schema, {
    initialValues: {
      ...(p ? { id: p.id, version: p.version } : {}),
      fundingLine: (p?.fundingLine ?? null) as string | null,
      title: (p?.title ?? null) as string | null,
      label: p?.label ?? '',
      approvedFrom: (p?.approvedFrom ?? null) as string | null,
      approvedTo: (p?.approvedTo ?? null) as string | null,
      notes: p?.notes ?? '',
    },
    labels: m.labels,
    required: ['fundingLine', 'title', 'approvedFrom'],
  });
  const guard = useUnsavedGuard(f.form.isDirty());
  return (
    <form
      {...f.formProps(async (input) => {
        if (p) await call('staffing.updatePosition', input as never);
        else await call('staffing.createPosition', input as never);
        f.form.resetDirty();
        onDone();
      })}
    >
      {guard}
      <Stack>
        <Group grow align="flex-start">
          <Select {...f.field('fundingLine')} data={LINE_OPTIONS} allowDeselect={false} data-testid="position-fundingLine" />
          <Select {...f.field('title')} data={TITLE_OPTIONS} allowDeselect={false} data-testid="position-title" />
        </Group>
        <TextInput {...f.field('label')} description={m.labelHint} data-testid="position-label" />
        <Group grow align="flex-start">
          <RocDateInput {...dateProps(f.field('approvedFrom'))} data-testid="position-approvedFrom" />
          <RocDateInput {...dateProps(f.field('approvedTo'))} description={m.approvedToHint} data-testid="position-approvedTo" />
        </Group>
        <Textarea {...f.field('notes')} autosize minRows={2} />
        <FormError message={f.formError} />
        <Buttons busy={f.busy} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

/** 裁減員額: the last approved day. */
function CloseForm({ p, onDone, onCancel }: { p: PositionView; onDone: () => void; onCancel: () => void }) {
  const f = useContractForm(staffingMethods['staffing.closePosition'].input, {
    initialValues: { id: p.id, version: p.version, approvedTo: null as string | null },
    labels: m.labels,
    required: ['approvedTo'],
  });
  return (
    <form
      {...f.formProps(async (input) => {
        await call('staffing.closePosition', input as never);
        onDone();
      })}
    >
      <Stack>
        <Text size="sm">{`${FUNDING_LINE_LABELS[p.fundingLine]}\u3000${p.title}${p.label ? `（${p.label}）` : ''}`}</Text>
        <RocDateInput {...dateProps(f.field('approvedTo'))} description={m.closeHint} data-testid="close-approvedTo" />
        <FormError message={f.formError} />
        <Buttons busy={f.busy} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

/** 登錄進用: a user of the app or a typed name, from (and to). */
function FillForm({ p, onDone, onCancel }: { p: PositionView; onDone: () => void; onCancel: () => void }) {
  const users = useApiQuery('staffing.users', {});
  const f = useContractForm(staffingMethods['staffing.addFill'].input, {
    initialValues: { positionId: p.id, userId: null as string | null, staffName: '', startedOn: null as string | null, endedOn: null as string | null },
    labels: m.labels,
    required: ['startedOn'],
    toInput: (v) => ({ ...v, userId: v.userId ? Number(v.userId) : null }) as never,
  });
  const guard = useUnsavedGuard(f.form.isDirty());
  return (
    <form
      {...f.formProps(async (input) => {
        await call('staffing.addFill', input as never);
        f.form.resetDirty();
        onDone();
      })}
    >
      {guard}
      <Stack>
        <Text size="sm">{`${FUNDING_LINE_LABELS[p.fundingLine]}\u3000${p.title}${p.label ? `（${p.label}）` : ''}`}</Text>
        <Text size="sm" c="dimmed">
          {m.whoHint}
        </Text>
        <Group grow align="flex-start">
          <Select {...f.field('userId')} data={(users.data ?? []).map((u) => ({ value: String(u.id), label: u.name }))} searchable clearable data-testid="fill-userId" />
          <TextInput {...f.field('staffName')} data-testid="fill-staffName" />
        </Group>
        <Group grow align="flex-start">
          <RocDateInput {...dateProps(f.field('startedOn'))} data-testid="fill-startedOn" />
          <RocDateInput {...dateProps(f.field('endedOn'))} description={m.endedOnHint} data-testid="fill-endedOn" />
        </Group>
        <FormError message={f.formError} />
        <Buttons busy={f.busy} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

/** 登錄離職: the last day in post. */
function EndFillForm({ f: fill, onDone, onCancel }: { f: FillView; onDone: () => void; onCancel: () => void }) {
  const f = useContractForm(staffingMethods['staffing.endFill'].input, {
    initialValues: { id: fill.id, version: fill.version, endedOn: null as string | null },
    labels: { endedOn: m.endFillOf(fill.name) },
    required: ['endedOn'],
  });
  return (
    <form
      {...f.formProps(async (input) => {
        await call('staffing.endFill', input as never);
        onDone();
      })}
    >
      <Stack>
        <RocDateInput {...dateProps(f.field('endedOn'))} data-testid="endFill-endedOn" />
        <FormError message={f.formError} />
        <Buttons busy={f.busy} onCancel={onCancel} />
      </Stack>
    </form>
  );
}
