import { Alert, Checkbox, Fieldset, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { CodeListView } from '../../../main/contract/types-cases';
import { call } from '../../lib/api';
import { msgCases } from '../../lib/messages';

export interface FactorPickerProps {
  /** The version in force on this date (intake: the received date)… */
  onDate?: string | null;
  /** …or exactly this version (editing a case keeps the version it was coded with). */
  versionId?: number | null;
  value: string[];
  onChange(codes: string[]): void;
  /** Told when a change of version unticks factors the new version does not have. */
  onDropped?(labels: string[]): void;
  error?: string | undefined;
  disabled?: boolean;
}

/** 脆弱性因子 as checkboxes grouped by the six 面向, from the code-list version that applies. */
export function FactorPicker({ onDate, versionId, value, onChange, onDropped, error, disabled }: FactorPickerProps) {
  const [list, setList] = useState<CodeListView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  // The latest selection, read when a new version arrives (the effect must not re-run on every tick).
  const valueRef = useRef(value);
  valueRef.current = value;
  const changeRef = useRef({ onChange, onDropped });
  changeRef.current = { onChange, onDropped };

  useEffect(() => {
    if (!versionId && !onDate) {
      setList(null);
      return;
    }
    let live = true;
    setLoading(true);
    const input = versionId ? { list: 'vulnerability' as const, versionId } : { list: 'vulnerability' as const, onDate: onDate ?? undefined };
    call('codelists.get', input)
      .then((l) => {
        if (!live) return;
        setList(l);
        setLoadError(null);
        const known = new Map(l.groups.flatMap((g) => g.items.map((i) => [i.code, i.label] as const)));
        const current = valueRef.current;
        const kept = current.filter((c) => known.has(c));
        if (kept.length !== current.length) {
          changeRef.current.onChange(kept);
          changeRef.current.onDropped?.(current.filter((c) => !known.has(c)));
        }
      })
      .catch((e: unknown) => {
        if (!live) return;
        setList(null);
        setLoadError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [onDate, versionId]);

  const selected = new Set(value);
  const legend = msgCases.field.factors;
  return (
    <Fieldset legend={legend} aria-label={legend} disabled={disabled}>
      <Stack gap="sm">
        {loading && <Loader size="xs" aria-label="載入代碼表" />}
        {list && (
          <Text size="xs" c="dimmed" data-testid="factor-version">
            {msgCases.field.factorsVersion(formatRocDate(list.version.effectiveFrom), list.version.effectiveTo ? formatRocDate(list.version.effectiveTo) : null)}
          </Text>
        )}
        {loadError && (
          <Alert color="yellow" variant="light">
            {loadError}
          </Alert>
        )}
        {!list && !loadError && !loading && <Text size="sm" c="dimmed">{msgCases.field.factorsNone}</Text>}
        {list?.groups.map((g) => (
          <Checkbox.Group
            key={g.code}
            label={`${g.code} ${g.label}`}
            value={g.items.filter((i) => selected.has(i.code)).map((i) => i.code)}
            onChange={(codes) => {
              const inGroup = new Set(g.items.map((i) => i.code));
              onChange([...value.filter((c) => !inGroup.has(c)), ...codes]);
            }}
          >
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing={6} verticalSpacing={6} mt={6}>
              {g.items.map((i) => (
                <Checkbox key={i.code} value={i.code} label={i.label} size="sm" />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
        ))}
        {error && (
          <Text size="sm" c="red" role="alert">
            {error}
          </Text>
        )}
      </Stack>
    </Fieldset>
  );
}
