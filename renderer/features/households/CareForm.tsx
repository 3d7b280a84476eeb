import { ActionIcon, Button, Checkbox, Divider, Grid, Group, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { CARE_NEED_KINDS, LTC_SERVICES, type CareLoadView, type CareNeedKind, type LtcService, type MemberView } from '../../../main/contract/types-households';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { fieldErrors, noImplicitSubmit } from './format';
import { SaveError } from './SaveError';

interface NeedRow {
  key: number;
  personId: string | null;
  kind: CareNeedKind | null;
  cmsLevel: string | null;
  assessedOn: string | null;
  note: string;
}
interface ServiceRow {
  key: number;
  service: LtcService | null;
  personId: string | null;
  provider: string;
  since: string | null;
  until: string | null;
}

let nextKey = 1;
const kindOptions = CARE_NEED_KINDS.map((k) => ({ value: k, label: k }));
const serviceOptions = LTC_SERVICES.map((s) => ({ value: s, label: s }));
const cmsOptions = Array.from({ length: 8 }, (_, i) => ({ value: String(i + 1), label: msg.care.cmsValue(i + 1) }));

function RemoveButton({ label, onClick }: { label: string; onClick(): void }) {
  return (
    <ActionIcon variant="subtle" color="red" aria-label={label} title={label} onClick={onClick} mt={26}>
      ✕
    </ActionIcon>
  );
}

/** Edits the whole care load of a household (care.update replaces it in one transaction). */
export function CareForm({ householdId, care, members, onReload, onSaved }: { householdId: number; care: CareLoadView; members: MemberView[]; onReload(): void; onSaved(): void }) {
  const people = members.filter((m) => m.leftOn === null).map((m) => ({ value: String(m.personId), label: `${m.name}（${m.relation}）` }));
  const [needs, setNeeds] = useState<NeedRow[]>(() =>
    care.needs.map((n) => ({ key: nextKey++, personId: String(n.personId), kind: n.kind, cmsLevel: n.cmsLevel ? String(n.cmsLevel) : null, assessedOn: n.assessedOn, note: n.note ?? '' })),
  );
  const [services, setServices] = useState<ServiceRow[]>(() =>
    care.services.map((s) => ({ key: nextKey++, service: s.service, personId: s.personId ? String(s.personId) : null, provider: s.provider ?? '', since: s.since, until: s.until })),
  );
  const [caregiver, setCaregiver] = useState<string | null>(care.caregiver ? String(care.caregiver.personId) : null);
  const [caregiverNote, setCaregiverNote] = useState(care.caregiverNote ?? '');
  const [highBurden, setHighBurden] = useState(care.highBurden);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const setNeed = (key: number, p: Partial<NeedRow>) => setNeeds(needs.map((n) => (n.key === key ? { ...n, ...p } : n)));
  const setService = (key: number, p: Partial<ServiceRow>) => setServices(services.map((s) => (s.key === key ? { ...s, ...p } : s)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      await call('care.update', {
        householdId,
        version: care.version,
        needs: needs
          .filter((n) => n.personId && n.kind)
          .map((n) => ({ personId: Number(n.personId), kind: n.kind as CareNeedKind, cmsLevel: n.cmsLevel ? Number(n.cmsLevel) : null, assessedOn: n.assessedOn, note: n.note })),
        caregiverPersonId: caregiver ? Number(caregiver) : null,
        caregiverNote,
        highBurden,
        services: services
          .filter((s) => s.service)
          .map((s) => ({ service: s.service as LtcService, personId: s.personId ? Number(s.personId) : null, provider: s.provider, since: s.since, until: s.until })),
      });
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const errors = fieldErrors(error);
  return (
    <Stack component="form" onSubmit={submit} onKeyDown={noImplicitSubmit}>
      <Divider label={msg.care.needs} labelPosition="left" />
      {needs.map((n, i) => (
        <Grid key={n.key} data-testid={`care-need-${i}`} align="flex-start">
          <Grid.Col span={3}>
            <Select label={msg.care.needPerson} data={people} value={n.personId} onChange={(v) => setNeed(n.key, { personId: v })} required allowDeselect={false} />
          </Grid.Col>
          <Grid.Col span={2}>
            <Select label={msg.care.needKind} data={kindOptions} value={n.kind} onChange={(v) => setNeed(n.key, { kind: v as CareNeedKind | null })} required allowDeselect={false} />
          </Grid.Col>
          <Grid.Col span={2}>
            <Select label={msg.care.cmsShort} data={cmsOptions} value={n.cmsLevel} onChange={(v) => setNeed(n.key, { cmsLevel: v })} clearable placeholder={msg.care.cmsNone} />
          </Grid.Col>
          <Grid.Col span={2}>
            <RocDateInput label={msg.care.assessedOn} value={n.assessedOn} onChange={(d) => setNeed(n.key, { assessedOn: d })} />
          </Grid.Col>
          <Grid.Col span={2}>
            <TextInput label={msg.care.note} value={n.note} onChange={(e) => setNeed(n.key, { note: e.currentTarget.value })} />
          </Grid.Col>
          <Grid.Col span={1}>
            <RemoveButton label={msg.care.removeNeed} onClick={() => setNeeds(needs.filter((x) => x.key !== n.key))} />
          </Grid.Col>
        </Grid>
      ))}
      <Button size="compact-sm" variant="light" w="fit-content" onClick={() => setNeeds([...needs, { key: nextKey++, personId: null, kind: null, cmsLevel: null, assessedOn: null, note: '' }])}>
        {msg.care.addNeed}
      </Button>

      <Divider label={msg.care.caregiver} labelPosition="left" />
      <Grid>
        <Grid.Col span={{ base: 12, sm: 5 }}>
          <Select label={msg.care.caregiver} data={people} value={caregiver} onChange={setCaregiver} clearable placeholder={msg.care.caregiverNone} error={errors.caregiverPersonId} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 7 }}>
          <Textarea label={msg.care.caregiverNote} autosize minRows={1} value={caregiverNote} onChange={(e) => setCaregiverNote(e.currentTarget.value)} />
        </Grid.Col>
      </Grid>
      <Checkbox label={msg.care.highBurdenCheck} checked={highBurden} onChange={(e) => setHighBurden(e.currentTarget.checked)} />

      <Divider label={msg.care.services} labelPosition="left" />
      {services.map((s, i) => (
        <Grid key={s.key} data-testid={`care-service-${i}`} align="flex-start">
          <Grid.Col span={3}>
            <Select label={msg.care.service} data={serviceOptions} value={s.service} onChange={(v) => setService(s.key, { service: v as LtcService | null })} required allowDeselect={false} />
          </Grid.Col>
          <Grid.Col span={2}>
            <Select label={msg.care.servicePerson} data={people} value={s.personId} onChange={(v) => setService(s.key, { personId: v })} clearable />
          </Grid.Col>
          <Grid.Col span={2}>
            <TextInput label={msg.care.provider} value={s.provider} onChange={(e) => setService(s.key, { provider: e.currentTarget.value })} />
          </Grid.Col>
          <Grid.Col span={2}>
            <RocDateInput label={msg.care.since} value={s.since} onChange={(d) => setService(s.key, { since: d })} />
          </Grid.Col>
          <Grid.Col span={2}>
            <RocDateInput label={msg.care.until} value={s.until} onChange={(d) => setService(s.key, { until: d })} />
          </Grid.Col>
          <Grid.Col span={1}>
            <RemoveButton label={msg.care.removeService} onClick={() => setServices(services.filter((x) => x.key !== s.key))} />
          </Grid.Col>
        </Grid>
      ))}
      <Button size="compact-sm" variant="light" w="fit-content" onClick={() => setServices([...services, { key: nextKey++, service: null, personId: null, provider: '', since: null, until: null }])}>
        {msg.care.addService}
      </Button>
      <SaveError error={error} onReload={onReload} />
      <Group justify="flex-end">
        <Button type="submit" loading={busy}>{msg.save}</Button>
      </Group>
    </Stack>
  );
}
