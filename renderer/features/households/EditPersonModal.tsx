import { Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../../main/contract/api';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import type { PersonView } from '../../../main/contract/types-households';
import { call } from '../../lib/api';
import { FormError, useContractForm } from '../../lib/form';
import { msg } from '../../lib/messages';
import { DuplicateNotice, duplicatesFromError, useDuplicateCheck, withIdClash } from './Duplicates';
import { errorsUnder, setChanged } from './formBind';
import { isConflict, noImplicitSubmit } from './format';
import { PersonFields, personInput, personValueOf, type PersonValue } from './PersonFields';
import { SaveError } from './SaveError';

function EditPersonForm({ person, onReload, onSaved }: { person: PersonView; onReload(): void; onSaved(): void }) {
  const [confirmed, setConfirmed] = useState(false);
  const [conflict, setConflict] = useState<unknown>(null);
  const f = useContractForm(api['persons.update'].input, {
    initialValues: personValueOf(person) as PersonValue & Record<string, unknown>,
    required: REQUIRED,
    // An empty ID field keeps the recorded one; only its mask is ever sent to the screen.
    toInput: (v) => ({
      id: person.id,
      version: person.version,
      ...personInput(v, v.nationalId.trim() === '' && person.hasNationalId),
      confirmDuplicate: confirmed,
    }),
  });
  const form = f.form as unknown as UseFormReturnType<never>;
  const v = f.form.getValues();
  const [found, setFound] = useDuplicateCheck(v.name, v.birthDate, v.nationalId, person.id);

  const submit = f.formProps(async (input) => {
    setConflict(null);
    try {
      await call('persons.update', input);
      onSaved();
    } catch (err) {
      // A duplicate refusal is shown by DuplicateNotice, with its links; a stale save offers to reload.
      const dup = duplicatesFromError(err);
      if (dup) setFound(dup);
      else if (isConflict(err)) setConflict(err);
      else throw err;
    }
  });

  const idHint = person.hasNationalId ? `目前為 ${person.maskedNationalId}；留空則不變更。` : undefined;
  return (
    <Stack component="form" {...submit} onKeyDown={noImplicitSubmit}>
      <PersonFields value={v} onChange={(next) => setChanged(form, '', v, next)} errors={withIdClash(errorsUnder(f.form.errors, ''), found)} idHint={idHint} />
      <DuplicateNotice found={found} confirmed={confirmed} onConfirm={setConfirmed} />
      {person.updatedByName && (
        <Text size="xs" c="dimmed">{msg.household.updatedBy(person.updatedByName, formatRocDateTime(person.updatedAt))}</Text>
      )}
      <SaveError error={conflict} onReload={onReload} />
      <FormError message={f.formError} />
      <Group justify="flex-end">
        <Button type="submit" loading={f.busy}>{msg.save}</Button>
      </Group>
    </Stack>
  );
}

const REQUIRED = ['name'];

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
