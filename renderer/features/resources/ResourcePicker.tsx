import { Badge, Button, Group, Modal, ScrollArea, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { RESOURCE_SERVICE_TYPES, RESOURCE_TARGET_GROUPS, type ResourceRow, type ResourceServiceType, type ResourceTargetGroup } from '../../../main/contract/types-resources';
import { FormError } from '../../components/FormError';
import { msgResources as m } from '../../lib/messages-resources';
import { useApiQuery } from '../../lib/useApi';

export interface PickedResource {
  id: number;
  name: string;
  unitKind: ResourceRow['unitKind'];
}

/** Shared search filters of the map (the screen and the picker). */
export function ResourceFilters(props: {
  service: string | null;
  target: string | null;
  district: string | null;
  text: string;
  onChange(next: { service?: string | null; target?: string | null; district?: string | null; text?: string }): void;
  districtNote?: string;
}) {
  const districts = useApiQuery('resources.districts', {});
  return (
    <SimpleGrid cols={{ base: 1, sm: 4 }}>
      <Select label={m.filters.service} placeholder={m.filters.any} clearable data={[...RESOURCE_SERVICE_TYPES]} value={props.service} onChange={(v) => props.onChange({ service: v })} data-testid="filter-service" />
      <Select label={m.filters.target} placeholder={m.filters.any} clearable data={[...RESOURCE_TARGET_GROUPS]} value={props.target} onChange={(v) => props.onChange({ target: v })} data-testid="filter-target" />
      <Select
        label={m.filters.district}
        description={props.districtNote}
        placeholder={m.filters.any}
        clearable
        data={(districts.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
        value={props.district}
        onChange={(v) => props.onChange({ district: v })}
        data-testid="filter-district"
      />
      <TextInput label={m.filters.text} placeholder={m.filters.textPlaceholder} value={props.text} onChange={(e) => props.onChange({ text: e.currentTarget.value })} data-testid="filter-text" />
    </SimpleGrid>
  );
}

export function searchInput(s: { service: string | null; target: string | null; district: string | null; text: string }) {
  return {
    ...(s.service ? { service: s.service as ResourceServiceType } : {}),
    ...(s.target ? { target: s.target as ResourceTargetGroup } : {}),
    ...(s.district ? { district: s.district } : {}),
    ...(s.text.trim() ? { text: s.text.trim() } : {}),
  };
}

export const districtsText = (r: ResourceRow) => (r.districts.length ? r.districts.map((d) => d.name).join('、') : m.allDistricts);

/** 「從資源地圖選擇」: a dialog searching the map by need and the household's district. */
export function ResourcePicker({ householdDistrict, onPick }: { householdDistrict: string | null; onPick(r: PickedResource): void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="light" onClick={() => setOpen(true)} data-testid="open-resource-picker">
        {m.picker.open}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={m.picker.title} size="90%">
        {open && (
          <PickerBody
            householdDistrict={householdDistrict}
            onPick={(r) => {
              setOpen(false);
              onPick(r);
            }}
          />
        )}
      </Modal>
    </>
  );
}

function PickerBody({ householdDistrict, onPick }: { householdDistrict: string | null; onPick(r: PickedResource): void }) {
  const [f, setF] = useState({ service: null as string | null, target: null as string | null, district: householdDistrict, text: '' });
  const results = useApiQuery('resources.search', { ...searchInput(f), limit: 50 });
  return (
    <Stack>
      <ResourceFilters {...f} onChange={(n) => setF((p) => ({ ...p, ...n }))} districtNote={householdDistrict && f.district === householdDistrict ? m.picker.householdDistrict : undefined} />
      <FormError message={results.error} />
      <ScrollArea>
        <Table miw={760} verticalSpacing="xs" aria-label={m.title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{m.cols.name}</Table.Th>
              <Table.Th>{m.cols.services}</Table.Th>
              <Table.Th>{m.cols.districts}</Table.Th>
              <Table.Th>{m.cols.contact}</Table.Th>
              <Table.Th>{m.cols.wait}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(results.data?.rows ?? []).map((r) => (
              <Table.Tr key={r.id} data-testid={`pick-row-${r.id}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {r.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {r.unitKind}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {r.services.map((s) => (
                      <Badge key={s} variant="light" size="sm">
                        {s}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{districtsText(r)}</Table.Td>
                <Table.Td>
                  <Text size="sm">{r.contactPerson ?? ''}</Text>
                  <Text size="xs">{r.phone ?? ''}</Text>
                </Table.Td>
                <Table.Td>{r.waitDays === null ? m.unknown : m.days(r.waitDays)}</Table.Td>
                <Table.Td>
                  <Button size="compact-sm" onClick={() => onPick({ id: r.id, name: r.name, unitKind: r.unitKind })} aria-label={`${m.picker.choose} ${r.name}`}>
                    {m.picker.choose}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {results.data && results.data.rows.length === 0 && (
        <Text c="dimmed" ta="center" size="sm">
          {m.none}
        </Text>
      )}
    </Stack>
  );
}
