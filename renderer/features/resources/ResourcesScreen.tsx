import { Badge, Button, Checkbox, Group, Modal, MultiSelect, NumberInput, Paper, ScrollArea, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import { REFERRAL_UNIT_KINDS, type ReferralUnitKind } from '../../../main/contract/types-cases';
import { RESOURCE_SERVICE_TYPES, RESOURCE_TARGET_GROUPS, type ResourceRow, type ResourceServiceType, type ResourceTargetGroup } from '../../../main/contract/types-resources';
import { FormError } from '../../components/FormError';
import { ApiCallError, call } from '../../lib/api';
import { NO_VALIDATE } from '../../lib/form';
import { msgResources as m } from '../../lib/messages-resources';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { districtsText, ResourceFilters, searchInput } from './ResourcePicker';

/** `#/resources` 資源地圖: search by need, target group, district and text; figures per resource; 督導/管理者 maintain. */
export function ResourcesScreen() {
  const user = useUser();
  const canEdit = user.role === 'supervisor' || user.role === 'admin';
  const [f, setF] = useState({ service: null as string | null, target: null as string | null, district: null as string | null, text: '' });
  const [includeArchived, setIncludeArchived] = useState(false);
  const [editing, setEditing] = useState<ResourceRow | 'new' | null>(null);
  const [toggling, setToggling] = useState<ResourceRow | null>(null);
  const results = useApiQuery('resources.search', { ...searchInput(f), includeArchived, limit: 200 });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{m.title}</Title>
        {canEdit && (
          <Button onClick={() => setEditing('new')} data-testid="add-resource">
            {m.add}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {m.intro}
      </Text>
      <Paper withBorder p="md">
        <Stack gap="xs">
          <ResourceFilters {...f} onChange={(n) => setF((p) => ({ ...p, ...n }))} />
          <Checkbox label={m.filters.includeArchived} checked={includeArchived} onChange={(e) => setIncludeArchived(e.currentTarget.checked)} />
        </Stack>
      </Paper>
      <FormError message={results.error} />
      {results.data && (
        <Group justify="space-between">
          <Text size="sm">{m.total(results.data.total)}</Text>
          <Text size="sm" c="dimmed" data-testid="figures-period">
            {m.figuresTitle(formatRocDate(results.data.period.from), formatRocDate(results.data.period.to))}
          </Text>
        </Group>
      )}
      <Paper withBorder>
        <ScrollArea>
          <Table miw={1000} verticalSpacing="xs" aria-label={m.title}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.cols.name}</Table.Th>
                <Table.Th>{m.cols.services}</Table.Th>
                <Table.Th>{m.cols.targets}</Table.Th>
                <Table.Th>{m.cols.districts}</Table.Th>
                <Table.Th>{m.cols.contact}</Table.Th>
                <Table.Th>{m.cols.wait}</Table.Th>
                <Table.Th>{m.cols.figures}</Table.Th>
                {canEdit && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(results.data?.rows ?? []).map((r) => (
                <Table.Tr key={r.id} data-testid={`resource-row-${r.id}`} style={{ verticalAlign: 'top' }}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {r.name}
                    </Text>
                    <Group gap={4}>
                      <Text size="xs" c="dimmed">
                        {r.unitKind}
                      </Text>
                      {!r.active && (
                        <Badge color="gray" size="xs">
                          {m.archived}
                        </Badge>
                      )}
                    </Group>
                    {r.notes && (
                      <Text size="xs" c="dimmed">
                        {r.notes}
                      </Text>
                    )}
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
                  <Table.Td>{r.targets.join('、')}</Table.Td>
                  <Table.Td>{districtsText(r)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.contactPerson ?? ''}</Text>
                    <Text size="xs">{r.phone ?? ''}</Text>
                    {r.capacity && (
                      <Text size="xs" c="dimmed">
                        {r.capacity}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{r.waitDays === null ? m.unknown : m.days(r.waitDays)}</Table.Td>
                  <Table.Td data-testid={`figures-${r.id}`}>{m.figures(r.figures.sent, r.figures.accepted, r.figures.completed)}</Table.Td>
                  {canEdit && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-xs" variant="light" onClick={() => setEditing(r)}>
                          {m.edit}
                        </Button>
                        <Button size="compact-xs" variant="subtle" color={r.active ? 'red' : 'teal'} onClick={() => setToggling(r)}>
                          {r.active ? m.archive : m.restore}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        {results.data && results.data.rows.length === 0 && (
          <Text c="dimmed" ta="center" size="sm" p="md">
            {m.none}
          </Text>
        )}
      </Paper>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? m.addTitle : editing ? m.editTitle(editing.name) : ''} size="xl">
        {editing !== null && (
          <ResourceForm
            resource={editing === 'new' ? null : editing}
            onDone={() => {
              setEditing(null);
              void results.reload();
            }}
          />
        )}
      </Modal>
      <Modal opened={toggling !== null} onClose={() => setToggling(null)} title={toggling?.active ? m.archive : m.restore}>
        {toggling && (
          <ToggleActive
            resource={toggling}
            onDone={() => {
              setToggling(null);
              void results.reload();
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

function ToggleActive({ resource, onDone }: { resource: ResourceRow; onDone(): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      await call('resources.archive', { id: resource.id, version: resource.version, active: !resource.active });
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <Stack>
      <Text>{resource.active ? m.archiveConfirm(resource.name) : m.restoreConfirm(resource.name)}</Text>
      <FormError message={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {m.cancel}
        </Button>
        <Button color={resource.active ? 'red' : 'teal'} loading={busy} onClick={() => void go()}>
          {resource.active ? m.archive : m.restore}
        </Button>
      </Group>
    </Stack>
  );
}

function ResourceForm({ resource, onDone }: { resource: ResourceRow | null; onDone(): void }) {
  const districts = useApiQuery('resources.districts', {});
  const [v, setV] = useState({
    name: resource?.name ?? '',
    unitKind: (resource?.unitKind ?? null) as ReferralUnitKind | null,
    services: (resource?.services ?? []) as string[],
    targets: (resource?.targets ?? []) as string[],
    districts: resource?.districts.map((d) => d.code) ?? [],
    contactPerson: resource?.contactPerson ?? '',
    phone: resource?.phone ?? '',
    address: resource?.address ?? '',
    email: resource?.email ?? '',
    capacity: resource?.capacity ?? '',
    waitDays: (resource?.waitDays ?? '') as number | string,
    notes: resource?.notes ?? '',
  });
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof v>) => setV((p) => ({ ...p, ...patch }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      name: v.name,
      unitKind: (v.unitKind ?? '') as ReferralUnitKind,
      services: v.services as ResourceServiceType[],
      targets: v.targets as ResourceTargetGroup[],
      districts: v.districts,
      contactPerson: v.contactPerson,
      phone: v.phone,
      address: v.address,
      email: v.email,
      capacity: v.capacity,
      waitDays: typeof v.waitDays === 'number' ? v.waitDays : null,
      notes: v.notes,
    };
    setBusy(true);
    try {
      if (resource) await call('resources.update', { ...body, id: resource.id, version: resource.version });
      else await call('resources.create', body);
      onDone();
    } catch (err) {
      setError(err instanceof ApiCallError && Object.keys(err.fields).length ? m.fixFields : err instanceof Error ? err.message : String(err));
      setFields(err instanceof ApiCallError ? err.fields : {});
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} {...NO_VALIDATE}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={m.fields.name} withAsterisk value={v.name} onChange={(e) => set({ name: e.currentTarget.value })} error={fields.name} data-testid="res-name" />
          <Select label={m.fields.unitKind} withAsterisk data={[...REFERRAL_UNIT_KINDS]} value={v.unitKind} onChange={(x) => set({ unitKind: x as ReferralUnitKind | null })} error={fields.unitKind} />
          <MultiSelect label={m.fields.services} withAsterisk data={[...RESOURCE_SERVICE_TYPES]} value={v.services} onChange={(x) => set({ services: x })} error={fields.services} />
          <MultiSelect label={m.fields.targets} withAsterisk data={[...RESOURCE_TARGET_GROUPS]} value={v.targets} onChange={(x) => set({ targets: x })} error={fields.targets} />
          <MultiSelect label={m.fields.districts} data={(districts.data ?? []).map((d) => ({ value: d.code, label: d.name }))} value={v.districts} onChange={(x) => set({ districts: x })} error={fields.districts} placeholder={v.districts.length ? undefined : m.allDistricts} searchable />
          <NumberInput label={m.fields.waitDays} value={v.waitDays} onChange={(x) => set({ waitDays: x })} error={fields.waitDays} allowDecimal={false} suffix=" 天" />
          <TextInput label={m.fields.contactPerson} value={v.contactPerson} onChange={(e) => set({ contactPerson: e.currentTarget.value })} error={fields.contactPerson} />
          <TextInput label={m.fields.phone} value={v.phone} onChange={(e) => set({ phone: e.currentTarget.value })} error={fields.phone} />
          <TextInput label={m.fields.address} value={v.address} onChange={(e) => set({ address: e.currentTarget.value })} error={fields.address} />
          <TextInput label={m.fields.email} value={v.email} onChange={(e) => set({ email: e.currentTarget.value })} error={fields.email} />
          <TextInput label={m.fields.capacity} placeholder={m.fields.capacityPlaceholder} value={v.capacity} onChange={(e) => set({ capacity: e.currentTarget.value })} error={fields.capacity} />
        </SimpleGrid>
        <Textarea label={m.fields.notes} autosize minRows={2} value={v.notes} onChange={(e) => set({ notes: e.currentTarget.value })} error={fields.notes} />
        <FormError message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {m.cancel}
          </Button>
          <Button type="submit" loading={busy}>
            {m.save}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
