import { Button, Group, NumberInput, Paper, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { toGregorianYear, toRocYear } from '../../../main/contract/roc-date';
import { FB_DONOR_KIND_LABELS, FB_DONOR_KINDS, type FbDonorKind, type FbDonorView } from '../../../main/contract/types-foodbank';
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
      <Paper withBorder>
        <Table striped aria-label={m.nav.donors}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{m.name}</Table.Th>
              <Table.Th>{m.kind}</Table.Th>
              <Table.Th>{m.contact}</Table.Th>
              <Table.Th>{m.phone}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(donors.data ?? []).map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{d.name}</Table.Td>
                <Table.Td>{FB_DONOR_KIND_LABELS[d.kind]}</Table.Td>
                <Table.Td>{d.contact}</Table.Td>
                <Table.Td>{d.phone}</Table.Td>
                <Table.Td><Group gap="xs" wrap="nowrap"><Button size="xs" variant="default" onClick={() => setEditing(d)} data-testid="donor-edit">{receiptsMsg.edit}</Button><Button size="xs" variant="light" onClick={() => navigate(`/foodbank/donors/${d.id}/${year}`)}>{m.statement}</Button></Group></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
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
