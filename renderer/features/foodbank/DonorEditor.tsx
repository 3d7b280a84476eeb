import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { saveDonorInput } from '../../../main/contract/methods/foodbank';
import { FB_DONOR_KIND_LABELS, FB_DONOR_KINDS, type FbDonorKind, type FbDonorView } from '../../../main/contract/types-foodbank';
import { call } from '../../lib/api';
import { ContractFormError, useContractForm, useUnsavedGuard } from '../../lib/form';
import { receiptsMsg as r } from '../../lib/messages-receipts';

interface DonorValues extends Record<string, unknown> {
  kind: FbDonorKind;
  name: string;
  contact: string;
  phone: string;
  address: string;
  taxId: string;
}

const isPerson = (kind: FbDonorKind) => kind === 'person';

/**
 * Edits a donor (name, contact, type, 統一編號 or 身分證字號, address) with the donor's version, so a
 * save over someone else's newer change is refused (CONFLICT) instead of overwriting it. An
 * organisation's 統一編號 is shown to edit; a person's ID is never sent back in full, so its field
 * starts empty and leaving it empty keeps the stored one.
 */
export function DonorEditModal({ donor, onClose, onSaved }: { donor: FbDonorView; onClose: () => void; onSaved: (d: FbDonorView) => void }) {
  const personId = isPerson(donor.kind) && donor.taxId ? donor.taxId : null;
  const f = useContractForm<typeof saveDonorInput, DonorValues>(saveDonorInput, {
    initialValues: {
      kind: donor.kind,
      name: donor.name,
      contact: donor.contact ?? '',
      phone: donor.phone ?? '',
      address: donor.address ?? '',
      taxId: isPerson(donor.kind) ? '' : (donor.taxId ?? ''),
    },
    labels: { name: r.donorName, kind: r.kind, contact: r.contact, phone: r.phone, address: r.address, taxId: r.ubn },
    required: ['name', 'kind'],
    toInput: (v) => ({
      id: donor.id,
      version: donor.version,
      kind: v.kind,
      name: v.name,
      contact: v.contact,
      phone: v.phone,
      address: v.address,
      // Empty: a person's stored ID is kept (it was never shown in full); an organisation's number is cleared.
      taxId: v.taxId.trim() === '' ? (personId && isPerson(v.kind) ? undefined : null) : v.taxId,
    }),
  });
  const kind = f.form.getValues().kind;
  const leaveGuard = useUnsavedGuard(f.form.isDirty());
  const taxLabel = isPerson(kind) ? r.nationalId : r.ubn;
  const taxHelp = isPerson(kind) ? (personId ? r.keepMasked(personId) : r.nationalIdHelp) : r.ubnHelp;
  return (
    <Modal opened onClose={onClose} title={`${r.editDonor}：${donor.name}`} size="lg">
      <form
        {...f.formProps(async (input) => {
          const saved = await call('foodbank.saveDonor', input);
          f.form.resetDirty();
          onSaved(saved);
        })}
        data-testid="donor-edit-form"
      >
        {leaveGuard}
        <Stack>
          <Group grow align="start">
            <Select {...f.field('kind')} data={FB_DONOR_KINDS.map((k) => ({ value: k, label: FB_DONOR_KIND_LABELS[k] }))} allowDeselect={false} data-testid="donor-edit-kind" />
            <TextInput {...f.field('name')} data-testid="donor-edit-name" />
          </Group>
          <TextInput {...f.field('taxId')} label={taxLabel} description={taxHelp} data-testid="donor-edit-tax-id" autoComplete="off" />
          <Group grow align="start">
            <TextInput {...f.field('contact')} data-testid="donor-edit-contact" />
            <TextInput {...f.field('phone')} />
          </Group>
          <TextInput {...f.field('address')} data-testid="donor-edit-address" />
          <ContractFormError form={f} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{r.cancel}</Button>
            <Button type="submit" loading={f.busy} data-testid="donor-edit-save">{r.save}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
