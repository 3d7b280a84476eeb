import { Grid, Select, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { DivisionView } from '../../../main/contract/types-households';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';

export interface AddressValue {
  countyCode: string | null;
  townCode: string | null;
  villageCode: string | null;
  neighborhood: string;
  street: string;
}

export const emptyAddress: AddressValue = { countyCode: null, townCode: null, villageCode: null, neighborhood: '', street: '' };

/** The children of a division code (counties for null), loaded once per code. */
function useDivisions(parentCode: string | null, enabled: boolean): DivisionView[] {
  const [rows, setRows] = useState<{ parent: string | null; list: DivisionView[] }>({ parent: null, list: [] });
  useEffect(() => {
    if (!enabled) return;
    let alive = true;
    call('divisions.list', { parentCode })
      .then((list) => alive && setRows({ parent: parentCode, list }))
      .catch(() => alive && setRows({ parent: parentCode, list: [] }));
    return () => {
      alive = false;
    };
  }, [parentCode, enabled]);
  return enabled && rows.parent === parentCode ? rows.list : [];
}

const options = (list: DivisionView[]) => list.map((d) => ({ value: d.code, label: d.name }));

/** 縣市 → 鄉鎮市區 → 村里 from the reference list, then 鄰 and the street address. */
export function AddressFields({ value, onChange, errors }: { value: AddressValue; onChange(v: AddressValue): void; errors: Record<string, string> }) {
  const counties = useDivisions(null, true);
  const towns = useDivisions(value.countyCode, value.countyCode !== null);
  const villages = useDivisions(value.townCode, value.townCode !== null);
  const set = (patch: Partial<AddressValue>) => onChange({ ...value, ...patch });

  return (
    <Grid>
      {counties.length === 0 && (
        <Grid.Col span={12}>
          <Text size="sm" c="dimmed">{msg.household.noDivisions}</Text>
        </Grid.Col>
      )}
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <Select
          label={msg.household.county}
          placeholder={msg.household.choose}
          data={options(counties)}
          value={value.countyCode}
          onChange={(c) => set({ countyCode: c, townCode: null, villageCode: null })}
          searchable
          clearable
          disabled={counties.length === 0}
          error={errors.countyCode}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <Select
          label={msg.household.town}
          placeholder={msg.household.choose}
          data={options(towns)}
          value={value.townCode}
          onChange={(t) => set({ townCode: t, villageCode: null })}
          searchable
          clearable
          disabled={!value.countyCode}
          error={errors.townCode}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <Select
          label={msg.household.village}
          placeholder={msg.household.choose}
          data={options(villages)}
          value={value.villageCode}
          onChange={(v) => set({ villageCode: v })}
          searchable
          clearable
          disabled={!value.townCode}
          error={errors.villageCode}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 4, sm: 2 }}>
        <TextInput label={msg.household.neighborhood} value={value.neighborhood} onChange={(e) => set({ neighborhood: e.currentTarget.value })} error={errors.neighborhood} />
      </Grid.Col>
      <Grid.Col span={{ base: 8, sm: 10 }}>
        <TextInput label={msg.household.street} placeholder={msg.household.streetPlaceholder} value={value.street} onChange={(e) => set({ street: e.currentTarget.value })} error={errors.street} />
      </Grid.Col>
    </Grid>
  );
}

/** The address as the households methods take it. */
export function addressInput(v: AddressValue) {
  return { countyCode: v.countyCode, townCode: v.townCode, villageCode: v.villageCode, neighborhood: v.neighborhood, street: v.street };
}
