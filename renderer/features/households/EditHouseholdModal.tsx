import { Button, Group, Modal, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { HouseholdView } from '../../../main/contract/types-households';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { fieldErrors, noImplicitSubmit } from './format';
import { HouseholdFields, householdInput, householdValueOf, type HouseholdValue } from './HouseholdFields';
import { SaveError } from './SaveError';

function EditHouseholdForm({ household, onReload, onSaved }: { household: HouseholdView; onReload(): void; onSaved(): void }) {
  const [v, setV] = useState<HouseholdValue>(() => householdValueOf(household));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      await call('households.update', { id: household.id, version: household.version, ...householdInput(v) });
      onSaved();
    } catch (err) {
      // The input stays as typed; a CONFLICT offers the latest version instead.
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Stack component="form" onSubmit={submit} onKeyDown={noImplicitSubmit}>
      <HouseholdFields value={v} onChange={setV} errors={fieldErrors(error)} />
      <SaveError error={error} onReload={onReload} />
      <Group justify="flex-end">
        <Button type="submit" loading={busy}>{msg.save}</Button>
      </Group>
    </Stack>
  );
}

/** Address, type, phone and notes; the form remounts with the latest data only when asked to reload. */
export function EditHouseholdModal({ household, opened, onClose, onReload, onSaved }: { household: HouseholdView; opened: boolean; onClose(): void; onReload(): void; onSaved(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={msg.household.editHousehold} size="xl">
      {opened && <EditHouseholdForm key={household.version} household={household} onReload={onReload} onSaved={onSaved} />}
    </Modal>
  );
}
