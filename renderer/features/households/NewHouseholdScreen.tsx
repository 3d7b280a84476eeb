import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import type { DuplicateCandidate } from '../../../main/contract/types-households';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { DuplicateNotice, duplicatesFromError, useDuplicateCheck, withIdClash } from './Duplicates';
import { emptyHousehold, HouseholdFields, householdInput, type HouseholdValue } from './HouseholdFields';
import { emptyPerson, PersonFields, personInput, type PersonValue } from './PersonFields';
import { SaveError } from './SaveError';
import { fieldErrors, noImplicitSubmit } from './format';

/** An already registered person chosen as the 戶長, with the proof of identity the server may ask for. */
interface ExistingHead {
  personId: number;
  name: string;
}

/** `#/households/new`: a household and its 戶長 (new, or a registered person without a household). */
export function NewHouseholdScreen({ headPersonId }: { headPersonId?: number }) {
  const [household, setHousehold] = useState<HouseholdValue>(emptyHousehold);
  const [head, setHead] = useState<PersonValue>(emptyPerson);
  const [existing, setExisting] = useState<ExistingHead | null>(null);
  // The head is created together with the household (one transaction), so no half-made person exists.
  const madePersonId: number | null = null;
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useDuplicateCheck(head.name, head.birthDate, head.nationalId, madePersonId ?? undefined);

  useEffect(() => {
    if (!headPersonId) return;
    call('persons.get', { id: headPersonId })
      .then((p) => setExisting({ personId: p.id, name: p.name }))
      .catch(setError);
  }, [headPersonId]);

  const useExisting = (c: DuplicateCandidate) => {
    setExisting({ personId: c.personId, name: c.name });
    setError(null);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // An already registered person joins by id; a new one is created with the household in one transaction.
      const personId = existing?.personId ?? madePersonId;
      const h = await call('households.create', {
        ...householdInput(household),
        head:
          personId !== null
            ? { personId }
            : { newPerson: personInput(head), confirmDuplicate: confirmed },
      });
      navigate(`/households/${h.id}`);
    } catch (err) {
      const dup = duplicatesFromError(err);
      if (dup) setFound(dup);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const errors = fieldErrors(error);
  return (
    <Stack component="form" onSubmit={submit} maw={960} onKeyDown={noImplicitSubmit}>
      <Title order={2}>{msg.household.titleNew}</Title>
      <Paper withBorder p="md">
        <Title order={4} mb="sm">{msg.household.householdSection}</Title>
        <HouseholdFields value={household} onChange={setHousehold} errors={errors} />
      </Paper>
      <Paper withBorder p="md">
        <Title order={4} mb="sm">{msg.household.headSection}</Title>
        {existing ? (
          <Alert color="teal" variant="light">
            <Group justify="space-between">
              <Text size="sm">{msg.household.headChosen(existing.name)}</Text>
              <Button size="compact-xs" variant="subtle" onClick={() => setExisting(null)}>{msg.household.chooseOther}</Button>
            </Group>
          </Alert>
        ) : (
          <Stack>
            {madePersonId === null ? (
              <PersonFields value={head} onChange={setHead} errors={withIdClash(errors, found)} />
            ) : (
              <Text size="sm">{msg.household.headChosen(head.name)}</Text>
            )}
            <DuplicateNotice found={found} confirmed={confirmed} onConfirm={setConfirmed} onUseExisting={useExisting} />
          </Stack>
        )}
      </Paper>
      {/* A duplicate refusal is shown by DuplicateNotice, with its links. */}
      <SaveError error={duplicatesFromError(error) ? null : error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={() => history.back()}>{msg.cancel}</Button>
        <Button type="submit" loading={busy}>{msg.household.create}</Button>
      </Group>
    </Stack>
  );
}
