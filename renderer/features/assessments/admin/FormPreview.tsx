import { Badge, Checkbox, Fieldset, Group, Radio, Stack, Text, TextInput } from '@mantine/core';
import type { InstrumentDefinition, InstrumentItem } from '../../../../main/contract/types-assessments';
import { msgInstruments } from '../../../lib/messages-instruments';

const m = msgInstruments.preview;

function Flags({ item, domain }: { item: InstrumentItem; domain: string | undefined }) {
  return (
    <Group gap={4}>
      {item.required && <Badge size="xs" color="red" variant="light">{m.required}</Badge>}
      {item.repeats && <Badge size="xs" variant="light">{m.repeats}</Badge>}
      {domain && <Badge size="xs" color="grape" variant="light">{domain}</Badge>}
      {item.factor && <Badge size="xs" color={item.factor === 'risk' ? 'orange' : 'teal'} variant="light">{item.factor === 'risk' ? '風險' : '保護'}</Badge>}
    </Group>
  );
}

function PreviewItem({ item, def }: { item: InstrumentItem; def: InstrumentDefinition }) {
  const domain = def.domains.find((d) => d.key === item.domain)?.label;
  const title = `${item.linkId} ${item.text}`;
  if (item.type === 'group') {
    return (
      <Fieldset legend={<Group gap="xs"><Text fw={600} size="sm">{title}</Text><Flags item={item} domain={domain} /></Group>}>
        <Stack gap="sm">
          {(item.items ?? []).map((c) => <PreviewItem key={c.linkId} item={c} def={def} />)}
        </Stack>
      </Fieldset>
    );
  }
  if (item.type === 'display') return <Text size="sm" c="dimmed">{item.text}</Text>;
  const options = item.answerOptions ?? [];
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text size="sm" fw={500}>{title}</Text>
        <Flags item={item} domain={domain} />
      </Group>
      {item.help && <Text size="xs" c="dimmed">{item.help}</Text>}
      {item.type === 'choice' || item.type === 'open-choice' ? (
        item.repeats ? (
          <Group gap="md">{options.map((o) => <Checkbox key={o.code} disabled label={`${o.display}（${m.score(o.score ?? 0)}）`} />)}</Group>
        ) : (
          <Radio.Group>
            <Group gap="md">{options.map((o) => <Radio key={o.code} value={o.code} disabled label={`${o.display}（${m.score(o.score ?? 0)}）`} />)}</Group>
          </Radio.Group>
        )
      ) : item.type === 'boolean' ? (
        <Radio.Group>
          <Group gap="md"><Radio value="true" disabled label="是" /><Radio value="false" disabled label="否" /></Group>
        </Radio.Group>
      ) : (
        <TextInput disabled maw={item.type === 'text' ? undefined : 320} aria-label={item.text} />
      )}
    </Stack>
  );
}

/** A read-only rendering of the form, to check items, options and scores before saving. */
export function FormPreview({ def }: { def: InstrumentDefinition }) {
  return (
    <Stack gap="md" data-testid="form-preview">
      <Text size="sm" c="dimmed">{m.note}</Text>
      {def.items.map((it) => <PreviewItem key={it.linkId} item={it} def={def} />)}
    </Stack>
  );
}
