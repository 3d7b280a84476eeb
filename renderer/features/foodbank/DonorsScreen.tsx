import { Button, Group, NumberInput, Paper, Select, Stack, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { toGregorianYear, toRocYear } from '../../../main/contract/roc-date';
import { FB_DONOR_KIND_LABELS, FB_DONOR_KINDS, type FbDonorKind, type FbDonorView } from '../../../main/contract/types-foodbank';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgFoodbank as m } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { receiptsMsg } from '../../lib/messages-receipts';
import { errText } from './common';
import { DonorEditModal } from './DonorEditor';
import { PrintFrame } from './PrintFrame';
import { statementHtml } from './print';

const donorColumns: DataColumn<FbDonorView>[] = [
  { id: 'name', header: m.name, accessor: (d) => d.name, hideable: false },
  { id: 'kind', header: m.kind, accessor: (d) => FB_DONOR_KIND_LABELS[d.kind] },
  { id: 'contact', header: m.contact, accessor: (d) => d.contact },
  { id: 'phone', header: m.phone, accessor: (d) => d.phone },
];

/** 捐贈者 `#/foodbank/donors`: the list, a new donor, and each donor's yearly statement. */
export function DonorsScreen() {
  const donors = useApiQuery('foodbank.donors', {});
  const [kind, setKind] = useState<FbDonorKind>('company');
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The statement's year in 民國, as the user types and reads it.
  const [year, setYear] = useState<number>(toRocYear(new Date().getFullYear()));
  const [editing, setEditing] = useState<FbDonorView | null>(null);
  const columns = useMemo<DataColumn<FbDonorView>[]>(
    () => [
      ...donorColumns,
      {
        id: 'statement',
        header: '',
        accessor: () => null,
        screenOnly: true,
        hideable: false,
        sortable: false,
        cell: (d) => (
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" variant="default" onClick={() => setEditing(d)} data-testid="donor-edit">{receiptsMsg.edit}</Button>
            <Button size="xs" variant="light" onClick={() => navigate(`/foodbank/donors/${d.id}/${year}`)}>
              {m.statement}
            </Button>
          </Group>
        ),
      },
    ],
    [year],
  );
  const add = async () => {
    try {
      await call('foodbank.saveDonor', { kind, name, contact, phone });
      setName('');
      setContact('');
      setPhone('');
      setError(null);
      await donors.reload();
    } catch (e) {
      setError(errText(e));
    }
  };
  return (
    <Stack>
      <Title order={2}>{m.nav.donors}</Title>
      <Paper withBorder p="md">
        <Group align="end">
          <Select label={m.kind} data={FB_DONOR_KINDS.map((k) => ({ value: k, label: FB_DONOR_KIND_LABELS[k] }))} value={kind} onChange={(v) => setKind((v as FbDonorKind) ?? 'company')} w={120} />
          <TextInput label={m.name} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="donor-name" />
          <TextInput label={m.contact} value={contact} onChange={(e) => setContact(e.currentTarget.value)} />
          <TextInput label={m.phone} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
          <Button onClick={() => void add()} data-testid="donor-add">{m.save}</Button>
        </Group>
        <FormError message={error} />
      </Paper>
      <Group>
        <NumberInput label={receiptsMsg.rocYear} value={year} onChange={(v) => setYear(Number(v) || year)} min={90} max={200} allowDecimal={false} w={140} data-testid="donor-year" />
      </Group>
      <DataTable
        tableId="donors"
        auditEntity="foodbank.donors"
        listName={m.nav.donors}
        columns={columns}
        rows={donors.data ?? []}
        rowKey={(d) => d.id}
        emptyText={m.nothing}
        loading={donors.loading}
      />
      {editing && <DonorEditModal key={editing.id} donor={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void donors.reload(); }} />}
    </Stack>
  );
}

/** `#/foodbank/donors/:id/:year`: a donor's yearly statement on A4; `year` is the 民國 year of the URL. */
export function DonorStatementScreen({ id, year }: { id: number; year: number }) {
  const s = useApiQuery('foodbank.donorStatement', { donorId: id, year: toGregorianYear(year) });
  return (
    <Stack>
      <FormError message={s.error} />
      <PrintFrame title={`${m.statement}：${s.data?.donor.name ?? ''}`} html={s.data ? statementHtml(s.data) : null} entity="fb_donor" entityId={id} what="年度捐贈明細" testId="statement-frame" actions={<Button variant="default" onClick={() => navigate('/foodbank/donors')}>{m.back}</Button>} />
    </Stack>
  );
}
