import { Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import type { PersonView } from '../../../main/contract/types-households';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { DuplicateNotice, duplicatesFromError, useDuplicateCheck, withIdClash } from './Duplicates';
import { fieldErrors, noImplicitSubmit } from './format';
import { PersonFields, personInput, personValueOf, type PersonValue } from './PersonFields';
import { SaveError } from './SaveError';

function EditPersonForm({ person, onReload, onSaved }: { person: PersonView; onReload(): void; onSaved(): void }) {
  const [v, setV] = useState<PersonValue>(() => personValueOf(person));
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useDuplicateCheck(v.name, v.birthDate, v.nationalId, person.id);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      // An empty ID field keeps the recorded one; only its mask is ever sent to the screen.
      const keepId = v.nationalId.trim() === '' && person.hasNationalId;
      await call('persons.update', { id: person.id, version: person.version, ...personInput(v, keepId), confirmDuplicate: confirmed });
      onSaved();
    } catch (err) {
      const dup = duplicatesFromError(err);
      if (dup) setFound(dup);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const idHint = person.hasNationalId ? `目前為 ${person.maskedNationalId}；留空則不變更。` : undefined;
  return (
    <Stack component="form" onSubmit={submit} onKeyDown={noImplicitSubmit}>
      <PersonFields value={v} onChange={setV} errors={withIdClash(fieldErrors(error), found)} idHint={idHint} />
      <DuplicateNotice found={found} confirmed={confirmed} onConfirm={setConfirmed} />
      {person.updatedByName && (
        <Text size="xs" c="dimmed">{msg.household.updatedBy(person.updatedByName, formatRocDateTime(person.updatedAt))}</Text>
      )}
      {/* A duplicate refusal is shown by DuplicateNotice, with its links. */}
      <SaveError error={duplicatesFromError(error) ? null : error} onReload={onReload} />
      <Group justify="flex-end">
        <Button type="submit" loading={busy}>{msg.save}</Button>
      </Group>
    </Stack>
  );
}

/** Edits one person. A stale save keeps the input; "reload" replaces it with the latest version. */
export function EditPersonModal({ personId, onClose, onSaved }: { personId: number | null; onClose(): void; onSaved(): void }) {
  const [person, setPerson] = useState<PersonView | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  // Bumped on reload so the form remounts with the latest data.
  const [generation, setGeneration] = useState(0);
  const load = useCallback(async (id: number) => {
    try {
      setPerson(await call('persons.get', { id }));
      setGeneration((g) => g + 1);
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, []);
  useEffect(() => {
    setPerson(null);
    if (personId !== null) void load(personId);
  }, [personId, load]);

  return (
    <Modal opened={personId !== null} onClose={onClose} title={msg.members.edit} size="xl">
      <SaveError error={loadError} />
      {!person && !loadError && <Loader size="sm" aria-label={msg.loading} />}
      {person && <EditPersonForm key={generation} person={person} onReload={() => void load(person.id)} onSaved={onSaved} />}
    </Modal>
  );
}
