import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useEffect, useState } from 'react';
import { api } from '../../../main/contract/api';
import type { DuplicateCandidate } from '../../../main/contract/types-households';
import { call } from '../../lib/api';
import { FormError, useContractForm } from '../../lib/form';
import { msg } from '../../lib/messages';
import { navigate } from '../../lib/router';
import { DuplicateNotice, duplicatesFromError, useDuplicateCheck, withIdClash } from './Duplicates';
import { errorsUnder, setChanged } from './formBind';
import { emptyHousehold, HouseholdFields, householdInput, type HouseholdValue } from './HouseholdFields';
import { emptyPerson, PersonFields, personInput, type PersonValue } from './PersonFields';
import { noImplicitSubmit } from './format';

/** An already registered person chosen as the 戶長, with the proof of identity the server may ask for. */
interface ExistingHead {
  personId: number;
  name: string;
}

interface NewHouseholdValues extends HouseholdValue, Record<string, unknown> {
  head: PersonValue;
}

// households.create takes the 戶長 as one of two shapes; the form checks against the one it sends, so a
// message lands beside its field ('head.newPerson.nationalId' → the ID field) instead of one "invalid" for 戶長.
const createInput = api['households.create'].input;
const [existingHeadShape, newHeadShape] = createInput.shape.head.unwrap().options;
const withNewHead = createInput.extend({ head: newHeadShape });
const withExistingHead = createInput.extend({ head: existingHeadShape });

/** Server and schema paths → this form's fields. */
const PATHS = { 'head.newPerson.': 'head.' } as const;
const REQUIRED = ['head.name'] as const;

/** `#/households/new`: a household and its 戶長 (new, or a registered person without a household). */
export function NewHouseholdScreen({ headPersonId }: { headPersonId?: number }) {
  const [existing, setExisting] = useState<ExistingHead | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  const f = useContractForm((existing ? withExistingHead : withNewHead) as unknown as typeof createInput, {
    initialValues: { ...emptyHousehold, head: emptyPerson } as NewHouseholdValues,
    paths: PATHS,
    required: existing ? [] : REQUIRED,
    // An already registered person joins by id; a new one is created with the household in one transaction.
    toInput: (v) => ({
      ...householdInput(v),
      head: existing ? { personId: existing.personId } : { newPerson: personInput(v.head), confirmDuplicate: confirmed },
    }),
  });
  const form = f.form as unknown as UseFormReturnType<never>;
  const values = f.form.getValues();
  const head = values.head;
  // The head is created together with the household (one transaction), so no half-made person exists.
  const [found, setFound] = useDuplicateCheck(head.name, head.birthDate, head.nationalId);

  useEffect(() => {
    if (!headPersonId) return;
    call('persons.get', { id: headPersonId })
      .then((p) => setExisting({ personId: p.id, name: p.name }))
      .catch((e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
  }, [headPersonId]);

  const useExisting = (c: DuplicateCandidate) => {
    setExisting({ personId: c.personId, name: c.name });
    f.setFormError(null);
  };

  const submit = f.formProps(async (input) => {
    try {
      const h = await call('households.create', input);
      navigate(`/households/${h.id}`);
    } catch (err) {
      // A duplicate refusal is shown by DuplicateNotice, with its links.
      const dup = duplicatesFromError(err);
      if (dup) setFound(dup);
      else throw err;
    }
  });

  const errors = f.form.errors as Record<string, unknown>;
  const household: HouseholdValue = { address: values.address, householdType: values.householdType, phone: values.phone, notes: values.notes };
  return (
    <Stack component="form" {...submit} maw={960} onKeyDown={noImplicitSubmit}>
      <Title order={2}>{msg.household.titleNew}</Title>
      <Paper withBorder p="md">
        <Title order={4} mb="sm">{msg.household.householdSection}</Title>
        <HouseholdFields
          value={household}
          onChange={(v) => setChanged(form, '', household, v)}
          errors={{ ...errorsUnder(errors, ''), ...errorsUnder(errors, 'address.') }}
        />
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
            <PersonFields value={head} onChange={(v) => setChanged(form, 'head.', head, v)} errors={withIdClash(errorsUnder(errors, 'head.'), found)} />
            <DuplicateNotice found={found} confirmed={confirmed} onConfirm={setConfirmed} onUseExisting={useExisting} />
          </Stack>
        )}
      </Paper>
      <FormError message={loadError ?? f.formError} />
      <Group justify="flex-end">
        <Button variant="default" onClick={() => history.back()}>{msg.cancel}</Button>
        <Button type="submit" loading={f.busy}>{msg.household.create}</Button>
      </Group>
    </Stack>
  );
}
