import { Alert, Anchor, Button, Checkbox, Group, List, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { validateNationalId } from '../../../main/contract/national-id';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { DuplicateCandidate, DuplicateCheckResult, DuplicateElsewhere } from '../../../main/contract/types-households';
import { ApiCallError, call } from '../../lib/api';
import { msg } from '../../lib/messages';

const NONE: DuplicateCheckResult = { sameId: null, sameNameBirth: [] };

/**
 * Asks the server, as the user types, whether the ID is already registered or someone with the same
 * name and birth date exists, so the clash shows before saving. `selfId` (editing) is left out.
 */
export function useDuplicateCheck(name: string, birthDate: string | null, nationalId: string, selfId?: number): [DuplicateCheckResult, (d: DuplicateCheckResult) => void] {
  const [found, setFound] = useState<DuplicateCheckResult>(NONE);
  const id = validateNationalId(nationalId);
  const idKey = id.ok ? id.id : null;
  const nameKey = name.trim();
  useEffect(() => {
    if (!nameKey || (!idKey && !birthDate)) {
      setFound(NONE);
      return;
    }
    let alive = true;
    const t = setTimeout(() => {
      call('persons.checkDuplicates', { name: nameKey, birthDate, nationalId: idKey ?? '' })
        .then((r) => {
          if (!alive) return;
          const notSelf = (c: DuplicateCheckResult['sameId']) => (c && !(c.visible && c.personId === selfId) ? c : null);
          setFound({ sameId: notSelf(r.sameId), sameNameBirth: r.sameNameBirth.filter((c) => c.personId !== selfId) });
        })
        .catch(() => undefined);
    }, 300);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [nameKey, birthDate, idKey, selfId]);
  return [found, setFound];
}

/** The form's field errors with a short note beside the ID field when the ID is already registered. */
export function withIdClash(errors: Record<string, string>, found: DuplicateCheckResult): Record<string, string> {
  const c = found.sameId;
  if (!c || errors.nationalId) return errors;
  return { ...errors, nationalId: c.visible ? msg.person.idClashField : msg.person.idClashElsewhereField(c.responsibleTeam) };
}

/** What a refused persons.create / persons.update said about duplicates, if anything. */
export function duplicatesFromError(err: unknown): DuplicateCheckResult | null {
  if (!(err instanceof ApiCallError) || err.code !== 'RULE') return null;
  const existing = err.details.existing as DuplicateCandidate | undefined;
  const elsewhere = err.details.elsewhere as DuplicateElsewhere | undefined;
  const candidates = err.details.candidates as DuplicateCandidate[] | undefined;
  if (existing) return { sameId: existing, sameNameBirth: [] };
  if (elsewhere) return { sameId: elsewhere, sameNameBirth: [] };
  if (candidates) return { sameId: null, sameNameBirth: candidates };
  return null;
}

function HouseholdLink({ c }: { c: DuplicateCandidate }) {
  if (c.householdId) return <Anchor href={`#/households/${c.householdId}`}>{msg.person.idClashGo}</Anchor>;
  return <Text span size="sm" c="dimmed">{msg.person.idClashNoHousehold}</Text>;
}

interface Props {
  found: DuplicateCheckResult;
  confirmed: boolean;
  onConfirm(v: boolean): void;
  /** Offered when the existing person can be used instead (e.g. as the 戶長 of a new household). */
  onUseExisting?: (c: DuplicateCandidate) => void;
}

/** The ID clash (refused) and the same-name-and-birth warning (confirmable). */
export function DuplicateNotice({ found, confirmed, onConfirm, onUseExisting }: Props) {
  const c = found.sameId;
  return (
    <Stack gap="xs">
      {c && !c.visible && (
        <Alert color="red" variant="light" data-testid="id-clash">
          <Text size="sm">{msg.person.idClashElsewhere(c.responsibleTeam)}</Text>
        </Alert>
      )}
      {c && c.visible && (
        <Alert color="red" variant="light" data-testid="id-clash">
          <Group gap="sm">
            <Text size="sm">
              {msg.person.idClash(c.name)}
              {c.birthDate ? `（${formatRocDate(c.birthDate)} 生，${c.maskedNationalId}）` : `（${c.maskedNationalId}）`}，
            </Text>
            <HouseholdLink c={c} />
            {onUseExisting && !c.householdId && (
              <Button size="compact-xs" variant="light" onClick={() => onUseExisting(c)}>{msg.person.useThis}</Button>
            )}
          </Group>
        </Alert>
      )}
      {found.sameNameBirth.length > 0 && (
        <Alert color="yellow" variant="light" data-testid="same-name-birth">
          <Text size="sm">{msg.person.sameNameBirth}</Text>
          <List size="sm" mt={4}>
            {found.sameNameBirth.map((d) => (
              <List.Item key={d.personId}>
                <Group gap="xs">
                  <Text size="sm">
                    {d.name}，{formatRocDate(d.birthDate)} 生{d.maskedNationalId ? `，${d.maskedNationalId}` : ''}
                  </Text>
                  {d.householdId && <Anchor size="sm" href={`#/households/${d.householdId}`}>{msg.person.candidateHousehold}</Anchor>}
                  {onUseExisting && !d.householdId && (
                    <Button size="compact-xs" variant="light" onClick={() => onUseExisting(d)}>{msg.person.useThis}</Button>
                  )}
                </Group>
              </List.Item>
            ))}
          </List>
          <Checkbox mt="xs" label={msg.person.confirmDifferent} checked={confirmed} onChange={(e) => onConfirm(e.currentTarget.checked)} />
        </Alert>
      )}
    </Stack>
  );
}
