import { Alert, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useState } from 'react';
import type { z } from 'zod';
import { api } from '../../../main/contract/api';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import type { DuplicateCandidate, Relation } from '../../../main/contract/types-households';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { FormError, useContractForm } from '../../lib/form';
import { msg } from '../../lib/messages';
import { useSearch } from '../search/useSearch';
import { DuplicateNotice, duplicatesFromError, useDuplicateCheck, withIdClash } from './Duplicates';
import { errorsUnder, setChanged } from './formBind';
import { relationOptions, noImplicitSubmit } from './format';
import { emptyPerson, PersonFields, personInput, type PersonValue } from './PersonFields';

/** A registered person picked to join: with a current household they move in instead. */
interface Picked {
  personId: number;
  name: string;
  householdId: number | null;
  addressText: string;
}

function PersonSearch({ householdId, onPick }: { householdId: number; onPick(p: Picked): void }) {
  const [q, setQ] = useState('');
  const { result } = useSearch(q, 10);
  const people = (result?.hits ?? []).flatMap((h) => h.members.map((m) => ({ ...m, householdId: h.householdId, addressText: h.addressText })));
  return (
    <Stack gap="xs">
      <TextInput label={msg.members.findPerson} description={msg.members.findPersonHelp} value={q} onChange={(e) => setQ(e.currentTarget.value)} autoComplete="off" />
      {result?.hint && <Text size="xs" c="dimmed">{result.hint}</Text>}
      {result && !result.hint && people.length === 0 && <Text size="xs" c="dimmed">{msg.search.noResults}</Text>}
      <Stack gap={4} role="listbox" aria-label={msg.members.findPerson}>
        {people.map((p) => (
          <Paper key={p.personId} withBorder>
            <UnstyledButton
              role="option"
              aria-selected={false}
              p="xs"
              w="100%"
              disabled={p.householdId === householdId}
              onClick={() => onPick({ personId: p.personId, name: p.name, householdId: p.householdId, addressText: p.addressText })}
            >
              <Text size="sm">
                {p.name} <Text span size="xs" ff="monospace">{p.maskedNationalId}</Text> {p.birthDate && <Text span size="xs" c="dimmed">{formatRocDate(p.birthDate)}</Text>}
              </Text>
              <Text size="xs" c="dimmed">{p.householdId === householdId ? '已是本戶成員' : p.householdId ? `${p.addressText}（${p.relation ?? ''}）` : msg.search.noHousehold}</Text>
            </UnstyledButton>
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}

interface AddMemberValues extends PersonValue, Record<string, unknown> {
  relation: Relation | null;
  joinedOn: string | null;
  moveReason: string;
}

type AnyInput = Record<string, unknown>;
// Each way in is checked against the contract method(s) it calls; the person's fields and the membership's
// share one form (no name in common), so a refusal's path is the field's own name.
const newPersonSchema = api['persons.create'].input.extend(api['households.addMember'].input.pick({ relation: true, joinedOn: true }).shape);
const joinSchema = api['households.addMember'].input.pick({ relation: true, joinedOn: true });
const moveSchema = api['households.moveMember'].input.pick({ relation: true, movedOn: true, reason: true });
/** Server and schema paths → this form's fields. */
const PATHS = { movedOn: 'joinedOn', reason: 'moveReason' } as const;

function AddMemberForm({ householdId, onSaved }: { householdId: number; onSaved(): void }) {
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const [picked, setPicked] = useState<Picked | null>(null);
  const [madePersonId, setMadePersonId] = useState<number | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const movingIn = mode === 'existing' && !!picked?.householdId;
  const creating = mode === 'new' && madePersonId === null;
  const schema = creating ? newPersonSchema : movingIn ? moveSchema : joinSchema;

  const f = useContractForm(schema as unknown as z.ZodType<AnyInput, AnyInput>, {
    initialValues: { ...emptyPerson, relation: null, joinedOn: todayIso(), moveReason: '' } as AddMemberValues,
    paths: PATHS,
    required: [...(creating ? ['name'] : []), 'relation', 'joinedOn', ...(movingIn ? ['moveReason'] : [])],
    toInput: (v): AnyInput =>
      creating
        ? { ...personInput(v), confirmDuplicate: confirmed, relation: v.relation, joinedOn: v.joinedOn }
        : movingIn
          ? { relation: v.relation, movedOn: v.joinedOn, reason: v.moveReason }
          : { relation: v.relation, joinedOn: v.joinedOn },
  });
  const form = f.form as unknown as UseFormReturnType<never>;
  const values = f.form.getValues();
  const person: PersonValue = personValueFrom(values);
  const [found, setFound] = useDuplicateCheck(mode === 'new' ? person.name : '', person.birthDate, person.nationalId, madePersonId ?? undefined);

  const useExisting = (c: DuplicateCandidate) => {
    setPicked({ personId: c.personId, name: c.name, householdId: c.householdId, addressText: '' });
    setMode('existing');
    f.setFormError(null);
  };

  const submit = f.formProps(async (_input, v) => {
    const relation = v.relation as Relation;
    const date = v.joinedOn ?? '';
    try {
      if (mode === 'existing' && picked?.householdId) {
        await call('households.moveMember', { personId: picked.personId, toHouseholdId: householdId, relation, movedOn: date, reason: v.moveReason });
      } else if (mode === 'existing' && picked) {
        await call('households.addMember', { householdId, personId: picked.personId, relation, joinedOn: date });
      } else {
        let personId = madePersonId;
        if (personId === null) {
          personId = (await call('persons.create', { ...personInput(person), confirmDuplicate: confirmed })).id;
          setMadePersonId(personId);
        }
        await call('households.addMember', { householdId, personId, relation, joinedOn: date });
      }
      onSaved();
    } catch (err) {
      // A duplicate refusal is shown by DuplicateNotice, with its links.
      const dup = duplicatesFromError(err);
      if (dup) setFound(dup);
      else throw err;
    }
  });

  const errors = f.form.errors as Record<string, unknown>;
  const own = errorsUnder(errors, '');
  return (
    <Stack component="form" {...submit} onKeyDown={noImplicitSubmit}>
      <SegmentedControl
        value={mode}
        onChange={(m) => setMode(m as 'new' | 'existing')}
        data={[
          { value: 'new', label: msg.members.addNew },
          { value: 'existing', label: msg.members.addExisting },
        ]}
        disabled={madePersonId !== null}
      />
      {mode === 'new' && (
        <>
          {madePersonId === null ? (
            <PersonFields value={person} onChange={(v) => setChanged(form, '', person, v)} errors={withIdClash(own, found)} />
          ) : (
            <Text size="sm">{msg.members.personMade(person.name)}</Text>
          )}
          <DuplicateNotice found={found} confirmed={confirmed} onConfirm={setConfirmed} onUseExisting={useExisting} />
        </>
      )}
      {mode === 'existing' &&
        (picked ? (
          <Alert color="teal" variant="light">
            <Group justify="space-between">
              <Text size="sm">
                {picked.name}
                {picked.householdId ? `（${msg.members.alreadyInOther}${picked.addressText}）` : ''}
              </Text>
              <Button size="compact-xs" variant="subtle" onClick={() => setPicked(null)}>{msg.edit}</Button>
            </Group>
          </Alert>
        ) : (
          <PersonSearch householdId={householdId} onPick={setPicked} />
        ))}
      <Group grow align="flex-start">
        <Select {...f.field('relation')} label={msg.person.relation} allowDeselect={false} data={relationOptions} />
        <RocDateInput
          label={movingIn ? msg.members.movedOn : msg.members.joinedOnLabel}
          withAsterisk
          {...f.control<string | null>('joinedOn')}
        />
      </Group>
      {movingIn && <TextInput {...f.field('moveReason')} label={msg.members.moveReason} />}
      <FormError message={f.formError} />
      <Group justify="flex-end">
        <Button type="submit" loading={f.busy} disabled={mode === 'existing' && !picked}>{msg.save}</Button>
      </Group>
    </Stack>
  );
}

/** The person's part of the form values. */
function personValueFrom(v: AddMemberValues): PersonValue {
  const { relation: _r, joinedOn: _j, moveReason: _m, ...person } = v;
  return person as PersonValue;
}

/** Adds a member: a new person, or a registered one (moving in when they belong to another household). */
export function AddMemberModal({ householdId, opened, onClose, onSaved }: { householdId: number; opened: boolean; onClose(): void; onSaved(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={msg.members.add} size="xl">
      {opened && <AddMemberForm householdId={householdId} onSaved={onSaved} />}
    </Modal>
  );
}
