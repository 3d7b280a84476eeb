import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import type { InstrumentDomain } from '../../../../main/contract/types-assessments';
import { msgInstruments } from '../../../lib/messages-instruments';
import { useErrors } from './fields';

const m = msgInstruments.domains;

/** 面向: the radar chart's axes. */
export function DomainsEditor({ domains, onChange }: { domains: InstrumentDomain[]; onChange: (d: InstrumentDomain[]) => void }) {
  const errors = useErrors();
  const ro = errors.readOnly;
  const set = (i: number, patch: Partial<InstrumentDomain>) => onChange(domains.map((d, k) => (k === i ? { ...d, ...patch } : d)));
  return (
    <Stack gap="xs" maw={640}>
      {errors.at('domains') && <Text size="sm" c="red">{errors.at('domains')}</Text>}
      {domains.length === 0 && <Text size="sm" c="dimmed">{m.empty}</Text>}
      {domains.map((d, i) => (
        <Group key={i} align="flex-start" data-testid={`domain-${i}`}>
          <TextInput aria-label={`${m.key} ${i + 1}`} label={i === 0 ? m.key : undefined} value={d.key} readOnly={ro} w={160} error={errors.at(`domains.${i}.key`) ?? errors.at(`domains.${i}`)} onChange={(e) => set(i, { key: e.currentTarget.value })} />
          <TextInput aria-label={`${m.label} ${i + 1}`} label={i === 0 ? m.label : undefined} value={d.label} readOnly={ro} style={{ flex: 1 }} error={errors.at(`domains.${i}.label`)} onChange={(e) => set(i, { label: e.currentTarget.value })} />
          {!ro && (
            <ActionIcon variant="subtle" color="red" mt={i === 0 ? 28 : 6} aria-label={`${m.remove} ${i + 1}`} onClick={() => onChange(domains.filter((_, k) => k !== i))}>
              ×
            </ActionIcon>
          )}
        </Group>
      ))}
      {!ro && (
        <Button size="compact-sm" variant="subtle" w="fit-content" onClick={() => onChange([...domains, { key: `d${domains.length + 1}`, label: '' }])}>
          {m.add}
        </Button>
      )}
    </Stack>
  );
}
