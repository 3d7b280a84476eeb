import { Checkbox, Grid, Group, Select, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { validateNationalId } from '../../../main/contract/national-id';
import { DISABILITY_LEVELS, INCOME_STATUSES, type DisabilityLevel, type IncomeStatus, type PersonView, type Sex } from '../../../main/contract/types-households';
import { RocDateInput } from '../../components/RocDateInput';
import { INCOME_LABELS, SEX_LABELS, msg } from '../../lib/messages';

export interface PersonValue {
  name: string;
  nationalId: string;
  birthDate: string | null;
  sex: Sex | null;
  phone: string;
  indigenous: boolean;
  newImmigrant: boolean;
  disabilityLevel: DisabilityLevel | null;
  incomeStatus: IncomeStatus | null;
  notes: string;
}

export const emptyPerson: PersonValue = {
  name: '',
  nationalId: '',
  birthDate: null,
  sex: null,
  phone: '',
  indigenous: false,
  newImmigrant: false,
  disabilityLevel: null,
  incomeStatus: null,
  notes: '',
};

/** A loaded person as form values; the national ID stays empty (only its mask is known) unless revealed. */
export function personValueOf(p: PersonView): PersonValue {
  return {
    name: p.name,
    nationalId: '',
    birthDate: p.birthDate,
    sex: p.sex,
    phone: p.phone ?? '',
    indigenous: p.indigenous,
    newImmigrant: p.newImmigrant,
    disabilityLevel: p.disabilityLevel,
    incomeStatus: p.incomeStatus,
    notes: p.notes ?? '',
  };
}

/** The fields as persons.create / persons.update take them. `keepId` leaves the recorded ID alone. */
export function personInput(v: PersonValue, keepId = false) {
  return {
    name: v.name,
    ...(keepId ? {} : { nationalId: v.nationalId }),
    birthDate: v.birthDate,
    sex: v.sex,
    phone: v.phone,
    indigenous: v.indigenous,
    newImmigrant: v.newImmigrant,
    disabilityLevel: v.disabilityLevel,
    incomeStatus: v.incomeStatus,
    notes: v.notes,
  };
}

/** The zh-TW problem with a typed ID, or null when it is empty or valid. */
export function nationalIdProblem(text: string): string | null {
  if (text.trim() === '') return null;
  const r = validateNationalId(text);
  return r.ok ? null : r.message;
}

const sexOptions = Object.entries(SEX_LABELS).map(([value, label]) => ({ value, label }));
const disabilityOptions = DISABILITY_LEVELS.map((d) => ({ value: d, label: d }));
const incomeOptions = INCOME_STATUSES.map((s) => ({ value: s, label: INCOME_LABELS[s] ?? s }));

interface Props {
  value: PersonValue;
  onChange(v: PersonValue): void;
  errors: Record<string, string>;
  /** Editing a person whose ID is recorded: show the mask as a hint, leave empty to keep it. */
  idHint?: string;
}

/** Name, ID (checked as typed), birth date, sex, phone and the welfare flags of one person. */
export function PersonFields({ value, onChange, errors, idHint }: Props) {
  const [idTouched, setIdTouched] = useState(false);
  const set = (patch: Partial<PersonValue>) => onChange({ ...value, ...patch });
  const problem = nationalIdProblem(value.nationalId);
  // Checked as typed once ten characters are in, or when the field is left.
  const showProblem = problem && (idTouched || value.nationalId.trim().length >= 10);

  return (
    <Grid>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <TextInput label={msg.person.name} withAsterisk value={value.name} onChange={(e) => set({ name: e.currentTarget.value })} error={errors.name} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <TextInput
          label={msg.person.nationalId}
          description={idHint ?? msg.person.nationalIdHelp}
          value={value.nationalId}
          onChange={(e) => set({ nationalId: e.currentTarget.value.toUpperCase() })}
          onBlur={() => setIdTouched(true)}
          error={(showProblem ? problem : null) ?? errors.nationalId}
          maxLength={12}
          autoComplete="off"
          inputWrapperOrder={['label', 'input', 'description', 'error']}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <RocDateInput label={msg.person.birthDate} value={value.birthDate} onChange={(d) => set({ birthDate: d })} error={errors.birthDate} />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 4 }}>
        <Select label={msg.person.sex} data={sexOptions} value={value.sex} onChange={(s) => set({ sex: s as Sex | null })} clearable error={errors.sex} />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 4 }}>
        <TextInput label={msg.person.phone} value={value.phone} onChange={(e) => set({ phone: e.currentTarget.value })} error={errors.phone} />
      </Grid.Col>
      <Grid.Col span={12}>
        <Group gap="lg" align="flex-end">
          <Checkbox label={msg.person.indigenous} checked={value.indigenous} onChange={(e) => set({ indigenous: e.currentTarget.checked })} />
          <Checkbox label={msg.person.newImmigrant} checked={value.newImmigrant} onChange={(e) => set({ newImmigrant: e.currentTarget.checked })} />
          <Select
            label={msg.person.disability}
            data={disabilityOptions}
            value={value.disabilityLevel}
            onChange={(d) => set({ disabilityLevel: d as DisabilityLevel | null })}
            clearable
            placeholder={msg.none}
            w={160}
          />
          <Select
            label={msg.person.income}
            data={incomeOptions}
            value={value.incomeStatus}
            onChange={(s) => set({ incomeStatus: s as IncomeStatus | null })}
            clearable
            placeholder={msg.none}
            w={180}
          />
        </Group>
      </Grid.Col>
      <Grid.Col span={12}>
        <Textarea label={msg.person.notes} autosize minRows={1} maxRows={4} value={value.notes} onChange={(e) => set({ notes: e.currentTarget.value })} error={errors.notes} />
      </Grid.Col>
    </Grid>
  );
}
