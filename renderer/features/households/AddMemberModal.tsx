import { Alert, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { formatRocDate, todayIso } from '../../../main/contract/roc-date';
import type { DuplicateCandidate, Relation } from '../../../main/contract/types-households';
import { RocDateInput } from '../../components/RocDateInput';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { useSearch } from '../search/useSearch';
import { DuplicateNotice, duplicatesFromError, useDuplicateCheck, withIdClash } from './Duplicates';
import { fieldErrors, relationOptions, noImplicitSubmit } from './format';
import { emptyPerson, PersonFields, personInput, type PersonValue } from './PersonFields';
import { SaveError } from './SaveError';

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

function AddMemberForm({ householdId, onSaved }: { householdId: number; onSaved(): void }) {
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const [person, setPerson] = useState<PersonValue>(emptyPerson);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [madePersonId, setMadePersonId] = useState<number | null>(null);
  const [relation, setRelation] = useState<Relation | null>(null);
  const [joinedOn, setJoinedOn] = useState<string | null>(todayIso());
  const [moveReason, setMoveReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useDuplicateCheck(mode === 'new' ? person.name : '', person.birthDate, person.nationalId, madePersonId ?? undefined);

  const useExisting = (c: DuplicateCandidate) => {
    setPicked({ personId: c.personId, name: c.name, householdId: c.householdId, addressText: '' });
    setMode('existing');
    setError(null);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!relation) return;
    setBusy(true);
    setError(null);
    try {
      const date = joinedOn ?? '';
      if (mode === 'existing' && picked?.householdId) {
        await call('households.moveMember', { personId: picked.personId, toHouseholdId: householdId, relation, movedOn: date, reason: moveReason });
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
      const dup = duplicatesFromError(err);
      if (dup) setFound(dup);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const errors = fieldErrors(error);
  const movingIn = mode === 'existing' && !!picked?.householdId;
  return (
    <Stack component="form" onSubmit={submit} onKeyDown={noImplicitSubmit}>
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
          {madePersonId === null ? <PersonFields value={person} onChange={setPerson} errors={withIdClash(errors, found)} /> : <Text size="sm">{msg.members.personMade(person.name)}</Text>}
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
        <Select label={msg.person.relation} required allowDeselect={false} data={relationOptions} value={relation} onChange={(r) => setRelation(r as Relation | null)} error={errors.relation} />
        <RocDateInput label={movingIn ? msg.members.movedOn : msg.members.joinedOnLabel} required value={joinedOn} onChange={setJoinedOn} error={errors.joinedOn ?? errors.movedOn} />
      </Group>
      {movingIn && <TextInput label={msg.members.moveReason} required value={moveReason} onChange={(e) => setMoveReason(e.currentTarget.value)} error={errors.reason} />}
      {/* A duplicate refusal is shown by DuplicateNotice, with its links. */}
      <SaveError error={duplicatesFromError(error) ? null : error} />
      <Group justify="flex-end">
        <Button type="submit" loading={busy} disabled={!relation || (mode === 'existing' && !picked)}>{msg.save}</Button>
      </Group>
    </Stack>
  );
}

/** Adds a member: a new person, or a registered one (moving in when they belong to another household). */
export function AddMemberModal({ householdId, opened, onClose, onSaved }: { householdId: number; opened: boolean; onClose(): void; onSaved(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={msg.members.add} size="xl">
      {opened && <AddMemberForm householdId={householdId} onSaved={onSaved} />}
    </Modal>
  );
}
