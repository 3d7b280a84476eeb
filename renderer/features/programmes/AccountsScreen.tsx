import { Anchor, Badge, Button, Group, Modal, Paper, ScrollArea, Select, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import { DEPOSIT_AMOUNTS, type DepositAmount, type EligibleChild } from '../../../main/contract/types-programmes';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msgProgrammes as m } from '../../lib/messages';
import { navigate, useRoute } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { routeQuery } from '../../lib/router';
import { BankImport } from './BankImport';
import { FiguresCard } from './ProgrammesScreen';
import { CloseAccountAction, PlacementEditForm, ReopenAccountAction } from './EditForms';
import { msgProgEdit } from '../../lib/messages-programmes-edit';
import { useUser } from '../../lib/session';

const TABS = ['eligible', 'deposits', 'no-deposit'] as const;
type Tab = (typeof TABS)[number];
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const monthLabel = (month: string) => `${Number(month.slice(0, 4)) - 1911}/${month.slice(5)}`;

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

/** 兒少發展帳戶 `#/accounts[?tab=deposits|no-deposit]`. */
export function AccountsScreen() {
  const q = routeQuery(useRoute());
  const requested = q.get('tab');
  const tab: Tab = TABS.includes(requested as Tab) ? (requested as Tab) : 'eligible';
  const year = Number(todayIso().slice(0, 4));
  const figures = useApiQuery('programmes.figures', { from: `${year}-01-01`, to: todayIso() });
  return (
    <Stack>
      <Title order={2}>{m.accountsTitle}</Title>
      <FiguresCard data={figures.data?.figures.filter((f) => f.id.startsWith('childAccounts.')) ?? []} />
      <Tabs value={tab} onChange={(t) => navigate(t === 'eligible' ? '/accounts' : `/accounts?tab=${t}`)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="eligible">{m.tabEligible}</Tabs.Tab>
          <Tabs.Tab value="deposits">{m.tabDeposits}</Tabs.Tab>
          <Tabs.Tab value="no-deposit">{m.tabNoDeposit}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="eligible" pt="md">
          <EligibleList onSaved={() => void figures.reload()} />
        </Tabs.Panel>
        <Tabs.Panel value="deposits" pt="md">
          <DepositGrid onSaved={() => void figures.reload()} />
        </Tabs.Panel>
        <Tabs.Panel value="no-deposit" pt="md">
          <NoDepositList />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function EligibleList({ onSaved }: { onSaved: () => void }) {
  const q = useApiQuery('childAccounts.eligible', {});
  const [opening, setOpening] = useState<EligibleChild | null>(null);
  const [placing, setPlacing] = useState<EligibleChild | null>(null);
  const role = useUser().role;
  const changed = () => {
    void q.reload();
    onSaved();
  };
  return (
    <Paper withBorder>
      <FormError message={q.error} />
      <ScrollArea>
        <Table striped aria-label={m.tabEligible} miw={700}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{m.person}</Table.Th>
              <Table.Th>{m.birthDate}</Table.Th>
              <Table.Th>{m.basis}</Table.Th>
              <Table.Th>{m.account}</Table.Th>
              <Table.Th>{m.monthlyAmount}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(q.data ?? []).map((c) => (
              <Table.Tr key={c.personId} data-testid={`eligible-${c.name}`}>
                <Table.Td>{c.householdId ? <Anchor href={`#/households/${c.householdId}`}>{c.name}</Anchor> : c.name}</Table.Td>
                <Table.Td>{formatRocDate(c.birthDate)}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    {c.basis}
                    {c.placedOn && (
                      <>
                        <Text size="xs" c="dimmed">
                          {msgProgEdit.placedSince(formatRocDate(c.placedOn))}
                        </Text>
                        <Button size="compact-xs" variant="subtle" aria-label={`${msgProgEdit.editPlacement} ${c.name}`} onClick={() => setPlacing(c)}>
                          {msgProgEdit.editPlacement}
                        </Button>
                      </>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {c.accountId && c.closedOn ? (
                    <Group gap="xs">
                      <Badge color="gray" variant="light">
                        {msgProgEdit.closed(formatRocDate(c.closedOn))}
                      </Badge>
                      {(role === 'supervisor' || role === 'admin') && <ReopenAccountAction child={c} onDone={changed} />}
                    </Group>
                  ) : c.accountId ? (
                    <Group gap="xs">
                      <Badge color="green" variant="light">
                        {m.opened(formatRocDate(c.openedOn))}
                      </Badge>
                      <CloseAccountAction child={c} onDone={changed} />
                    </Group>
                  ) : (
                    <Group gap="xs">
                      <Badge color="gray" variant="light">
                        {m.notOpened}
                      </Badge>
                      <Button size="compact-xs" onClick={() => setOpening(c)}>
                        {m.openAccount}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>{c.monthlyAmount ? m.amountLabel(c.monthlyAmount) : ''}</Table.Td>
              </Table.Tr>
            ))}
            {q.data?.length === 0 && <EmptyRow cols={5}>{m.noEligible}</EmptyRow>}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <Modal opened={placing !== null} onClose={() => setPlacing(null)} title={`${msgProgEdit.editPlacement}：${placing?.name ?? ''}`}>
        {placing && (
          <PlacementEditForm
            child={placing}
            onCancel={() => setPlacing(null)}
            onSaved={() => {
              setPlacing(null);
              changed();
            }}
          />
        )}
      </Modal>
      <Modal opened={opening !== null} onClose={() => setOpening(null)} title={`${m.openAccount}：${opening?.name ?? ''}`}>
        {opening && (
          <OpenForm
            child={opening}
            onDone={() => {
              setOpening(null);
              void q.reload();
              onSaved();
            }}
          />
        )}
      </Modal>
    </Paper>
  );
}

function OpenForm({ child, onDone }: { child: EligibleChild; onDone: () => void }) {
  const [openedOn, setOpenedOn] = useState<string | null>(todayIso());
  const [amount, setAmount] = useState<string>('1000');
  const [accountNo, setAccountNo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      await call('childAccounts.open', { personId: child.personId, openedOn: openedOn ?? '', monthlyAmount: Number(amount) as DepositAmount, accountNo });
      onDone();
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <RocDateInput label={m.openedOn} value={openedOn} onChange={setOpenedOn} required />
      <Select label={m.monthlyAmount} data={DEPOSIT_AMOUNTS.map((a) => ({ value: String(a), label: m.amountLabel(a) }))} value={amount} onChange={(v) => v && setAmount(v)} allowDeselect={false} />
      <TextInput label={m.accountNo} value={accountNo} onChange={(e) => setAccountNo(e.currentTarget.value)} />
      <FormError message={error} />
      <Group justify="flex-end">
        <Button onClick={() => void submit()}>{m.openAccount}</Button>
      </Group>
    </Stack>
  );
}

function DepositGrid({ onSaved }: { onSaved: () => void }) {
  const thisYear = Number(todayIso().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const q = useApiQuery('childAccounts.deposits', { year });
  const [target, setTarget] = useState<{ accountId: number; name: string; month: string; amount: number } | null>(null);
  const [importing, setImporting] = useState(false);
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const today = todayIso();
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
      <Select
        label={m.year}
        w={160}
        data={[thisYear - 2, thisYear - 1, thisYear].map((y) => ({ value: String(y), label: `${y - 1911} 年` }))}
        value={String(year)}
        onChange={(v) => v && setYear(Number(v))}
        allowDeselect={false}
      />
        <Button variant="light" onClick={() => setImporting(true)}>
          {m.importBank}
        </Button>
      </Group>
      <Modal opened={importing} onClose={() => setImporting(false)} title={m.importBank} size="lg">
        <BankImport
          onDone={() => {
            void q.reload();
            onSaved();
          }}
        />
      </Modal>
      <Paper withBorder>
        <FormError message={q.error} />
        <ScrollArea>
          <Table striped withColumnBorders aria-label={m.tabDeposits} miw={1100}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.person}</Table.Th>
                <Table.Th>{m.monthlyAmount}</Table.Th>
                {months.map((mo) => (
                  <Table.Th key={mo}>{monthLabel(mo)}</Table.Th>
                ))}
                <Table.Th>{m.yearTotal}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(q.data ?? []).map((r) => (
                <Table.Tr key={r.accountId} data-testid={`deposits-${r.personName}`}>
                  <Table.Td>{r.personName}</Table.Td>
                  <Table.Td>{r.monthlyAmount.toLocaleString('en-US')}</Table.Td>
                  {months.map((mo) => {
                    const v = r.months[mo];
                    const open = mo >= r.openedOn.slice(0, 7) && mo <= today.slice(0, 7);
                    return (
                      <Table.Td key={mo} ta="right">
                        {v ? (
                          v.toLocaleString('en-US')
                        ) : open ? (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            aria-label={`${r.personName} ${monthLabel(mo)} ${m.recordDeposit}`}
                            onClick={() => setTarget({ accountId: r.accountId, name: r.personName, month: mo, amount: r.monthlyAmount })}
                          >
                            ＋
                          </Button>
                        ) : (
                          ''
                        )}
                      </Table.Td>
                    );
                  })}
                  <Table.Td ta="right">{r.yearTotal.toLocaleString('en-US')}</Table.Td>
                </Table.Tr>
              ))}
              {q.data?.length === 0 && <EmptyRow cols={15}>{m.noAccounts}</EmptyRow>}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      <Modal opened={target !== null} onClose={() => setTarget(null)} title={`${m.recordDeposit}：${target?.name ?? ''}`}>
        {target && (
          <DepositForm
            {...target}
            onDone={() => {
              setTarget(null);
              void q.reload();
              onSaved();
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

function DepositForm({ accountId, month, amount, onDone }: { accountId: number; month: string; amount: number; onDone: () => void }) {
  const today = todayIso();
  const [on, setOn] = useState<string | null>(today.slice(0, 7) === month ? today : `${month}-10`);
  const [value, setValue] = useState(String(amount));
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      await call('childAccounts.recordDeposit', { accountId, depositedOn: on ?? '', amount: Number(value) });
      onDone();
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <RocDateInput label={m.depositedOn} value={on} onChange={setOn} required />
      <Select label={m.amount} data={DEPOSIT_AMOUNTS.map((a) => ({ value: String(a), label: m.amountLabel(a) }))} value={value} onChange={(v) => v && setValue(v)} allowDeselect={false} />
      <FormError message={error} />
      <Group justify="flex-end">
        <Button onClick={() => void submit()}>{m.recordDeposit}</Button>
      </Group>
    </Stack>
  );
}

function NoDepositList() {
  const q = useApiQuery('childAccounts.noDeposit', {});
  const [error, setError] = useState<string | null>(null);
  const follow = async (accountId: number) => {
    try {
      await call('childAccounts.createFollowUp', { accountId });
      setError(null);
      void q.reload();
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {m.noDepositHelp}
      </Text>
      <Paper withBorder>
        <FormError message={q.error ?? error} />
        <ScrollArea>
          <Table striped aria-label={m.tabNoDeposit} miw={800}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.person}</Table.Th>
                <Table.Th>{m.openedOn}</Table.Th>
                <Table.Th>{m.lastDeposit}</Table.Th>
                <Table.Th>{m.monthsWithout}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(q.data ?? []).map((r) => (
                <Table.Tr key={r.accountId} data-testid={`no-deposit-${r.personName}`}>
                  <Table.Td>{r.householdId ? <Anchor href={`#/programmes/household/${r.householdId}`}>{r.personName}</Anchor> : r.personName}</Table.Td>
                  <Table.Td>{formatRocDate(r.openedOn)}</Table.Td>
                  <Table.Td>{r.lastDepositMonth ? monthLabel(r.lastDepositMonth) : m.noneYet}</Table.Td>
                  <Table.Td>
                    <Badge color={r.monthsWithout >= 6 ? 'red' : 'orange'} variant="light">
                      {r.monthsWithout}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      {r.followUpId ? (
                        <Badge color="blue" variant="light">
                          {m.followUpCreated}
                        </Badge>
                      ) : (
                        <Button size="compact-xs" onClick={() => void follow(r.accountId)}>
                          {m.createFollowUp}
                        </Button>
                      )}
                      {r.householdId && (
                        <Anchor size="sm" href={`#/records/new?householdId=${r.householdId}`}>
                          {m.writeRecord}
                        </Anchor>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
              {q.data?.length === 0 && <EmptyRow cols={5}>{m.noDepositEmpty}</EmptyRow>}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
    </Stack>
  );
}
