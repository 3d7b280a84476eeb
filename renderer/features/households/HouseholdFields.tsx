import { Grid, Select, Textarea, TextInput } from '@mantine/core';
import { HOUSEHOLD_TYPES, type HouseholdType, type HouseholdView } from '../../../main/contract/types-households';
import { msg } from '../../lib/messages';
import { AddressFields, addressInput, emptyAddress, type AddressValue } from './AddressFields';

export interface HouseholdValue {
  address: AddressValue;
  householdType: HouseholdType | null;
  phone: string;
  notes: string;
}

export const emptyHousehold: HouseholdValue = { address: emptyAddress, householdType: null, phone: '', notes: '' };

export function householdValueOf(h: HouseholdView): HouseholdValue {
  const a = h.address;
  return {
    address: { countyCode: a.countyCode, townCode: a.townCode, villageCode: a.villageCode, neighborhood: a.neighborhood ?? '', street: a.street ?? '' },
    householdType: h.householdType,
    phone: h.phone ?? '',
    notes: h.notes ?? '',
  };
}

export function householdInput(v: HouseholdValue) {
  return { address: addressInput(v.address), householdType: v.householdType, phone: v.phone, notes: v.notes };
}

const typeOptions = HOUSEHOLD_TYPES.map((t) => ({ value: t, label: t }));

/** Address, household type, phone and notes of a household. */
export function HouseholdFields({ value, onChange, errors }: { value: HouseholdValue; onChange(v: HouseholdValue): void; errors: Record<string, string> }) {
  const set = (patch: Partial<HouseholdValue>) => onChange({ ...value, ...patch });
  return (
    <Grid>
      <Grid.Col span={12}>
        <AddressFields value={value.address} onChange={(address) => set({ address })} errors={errors} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <Select label={msg.household.householdType} data={typeOptions} value={value.householdType} onChange={(t) => set({ householdType: t as HouseholdType | null })} clearable error={errors.householdType} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 8 }}>
        <TextInput label={msg.household.phone} value={value.phone} onChange={(e) => set({ phone: e.currentTarget.value })} error={errors.phone} />
      </Grid.Col>
      <Grid.Col span={12}>
        <Textarea label={msg.household.notes} autosize minRows={1} maxRows={4} value={value.notes} onChange={(e) => set({ notes: e.currentTarget.value })} error={errors.notes} />
      </Grid.Col>
    </Grid>
  );
}
