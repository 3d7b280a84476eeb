import { ActionIcon, Alert, Button, Checkbox, Group, Paper, Select, Stack, Table, Text, TextInput, Textarea, UnstyledButton } from '@mantine/core';
import {
  FACTOR_KINDS,
  FACTOR_LABELS,
  ITEM_TYPES,
  ITEM_TYPE_LABELS,
  type FactorKind,
  type InstrumentDomain,
  type InstrumentItem,
  type ItemType,
} from '../../../../main/contract/types-assessments';
import { msgInstruments } from '../../../lib/messages-instruments';
import { NumField, useErrors } from './fields';
import { flatten, freshLinkId, insertItem, itemAt, itemPrefix, moveItem, removeItem, updateItem, type ItemPath } from './tree';

const m = msgInstruments.items;
const TYPE_OPTIONS = ITEM_TYPES.map((t) => ({ value: t, label: ITEM_TYPE_LABELS[t] }));
const hasOptions = (t: ItemType) => t === 'choice' || t === 'open-choice';
const isNumber = (t: ItemType) => t === 'integer' || t === 'decimal';

/** Drops the fields an item of its type does not use, so a type change leaves no stray options or children. */
function tidy(it: InstrumentItem): InstrumentItem {
  const out: InstrumentItem = { ...it };
  if (!hasOptions(out.type)) {
    delete out.answerOptions;
    delete out.answerValueSet;
  } else if (!out.answerOptions) out.answerOptions = [];
  if (!isNumber(out.type)) {
    delete out.min;
    delete out.max;
  }
  if (out.type !== 'group') delete out.items;
  else if (!out.items) out.items = [];
  return out;
}

function setOpt<K extends keyof InstrumentItem>(it: InstrumentItem, key: K, value: InstrumentItem[K] | undefined): InstrumentItem {
  const out = { ...it };
  if (value === undefined || value === '' || value === false) delete out[key];
  else out[key] = value;
  return out;
}

/** 題目: the item tree on the left (add child/sibling, move, delete), the selected item's fields on the right. */
export function ItemsEditor(p: {
  items: InstrumentItem[];
  domains: InstrumentDomain[];
  onChange: (items: InstrumentItem[]) => void;
  selected: ItemPath | null;
  onSelect: (path: ItemPath | null) => void;
}) {
  const errors = useErrors();
  const rows = flatten(p.items);
  const selected = p.selected ? itemAt(p.items, p.selected) : undefined;
  const sel = selected && p.selected ? p.selected : null;
  const blank = (parent: ItemPath): InstrumentItem => ({ linkId: freshLinkId(p.items, parent), text: '', type: 'choice', answerOptions: [] });

  const addTop = () => {
    const path = [p.items.length];
    p.onChange(insertItem(p.items, [], p.items.length, blank([])));
    p.onSelect(path);
  };
  const addSibling = (path: ItemPath) => {
    const parent = path.slice(0, -1);
    const index = (path[path.length - 1] ?? 0) + 1;
    p.onChange(insertItem(p.items, parent, index, blank(parent)));
    p.onSelect([...parent, index]);
  };
  const addChild = (path: ItemPath) => {
    const parentItem = itemAt(p.items, path);
    const n = parentItem?.items?.length ?? 0;
    // A child makes its parent a group.
    const asGroup = updateItem(p.items, path, (it) => tidy({ ...it, type: 'group' }));
    p.onChange(insertItem(asGroup, path, n, blank(path)));
    p.onSelect([...path, n]);
  };

  return (
    <Group align="flex-start" wrap="nowrap" gap="md">
      <Paper withBorder p="xs" w={360} style={{ flexShrink: 0 }}>
        <Stack gap={2}>
          {errors.at('items') && <Text size="sm" c="red">{errors.at('items')}</Text>}
          {rows.length === 0 && <Text size="sm" c="dimmed">{m.empty}</Text>}
          {rows.map(({ item, path }) => {
            const prefix = itemPrefix(path);
            const own = errors.under(prefix, []).length > 0;
            const active = sel !== null && itemPrefix(sel) === prefix;
            return (
              <UnstyledButton
                key={prefix}
                onClick={() => p.onSelect(path)}
                data-testid={`item-node-${item.linkId}`}
                aria-current={active ? 'true' : undefined}
                style={{ paddingLeft: 8 + (path.length - 1) * 16, paddingTop: 3, paddingBottom: 3, borderRadius: 4, background: active ? 'var(--mantine-color-blue-light)' : undefined }}
              >
                <Text size="sm" c={own ? 'red' : undefined} fw={item.type === 'group' ? 600 : undefined} lineClamp={1}>
                  {`${item.linkId} ${item.text || m.untitled}`}
                </Text>
              </UnstyledButton>
            );
          })}
          {!errors.readOnly && (
            <Button size="compact-sm" variant="subtle" onClick={addTop} mt="xs">
              {m.add}
            </Button>
          )}
        </Stack>
      </Paper>
      <Stack style={{ flex: 1, minWidth: 0 }}>
        {!sel || !selected ? (
          <Text size="sm" c="dimmed">{m.select}</Text>
        ) : (
          <>
            {!errors.readOnly && (
              <Group gap="xs">
                <Button size="compact-sm" variant="light" onClick={() => addChild(sel)}>{m.addChild}</Button>
                <Button size="compact-sm" variant="light" onClick={() => addSibling(sel)}>{m.addSibling}</Button>
                <Button size="compact-sm" variant="default" onClick={() => { const r = moveItem(p.items, sel, -1); p.onChange(r.items); p.onSelect(r.path); }}>{m.up}</Button>
                <Button size="compact-sm" variant="default" onClick={() => { const r = moveItem(p.items, sel, 1); p.onChange(r.items); p.onSelect(r.path); }}>{m.down}</Button>
                <Button size="compact-sm" variant="light" color="red" onClick={() => { p.onChange(removeItem(p.items, sel)); p.onSelect(null); }}>{m.remove}</Button>
              </Group>
            )}
            <ItemFields key={itemPrefix(sel)} path={sel} item={selected} domains={p.domains} onChange={(it) => p.onChange(updateItem(p.items, sel, () => it))} />
          </>
        )}
      </Stack>
    </Group>
  );
}

const FIELDS = ['linkId', 'text', 'type', 'required', 'repeats', 'answerOptions', 'answerValueSet', 'min', 'max', 'domain', 'factor', 'weight', 'help'];

function ItemFields({ path, item, domains, onChange }: { path: ItemPath; item: InstrumentItem; domains: InstrumentDomain[]; onChange: (it: InstrumentItem) => void }) {
  const errors = useErrors();
  const prefix = itemPrefix(path);
  const at = (f: string) => errors.at(`${prefix}.${f}`);
  const ro = errors.readOnly;
  // Messages about the item itself or a field we have no input for (children have their own).
  const rest = errors.under(prefix, FIELDS.map((f) => `${prefix}.${f}`)).filter((msg, i, all) => all.indexOf(msg) === i);
  const options = item.answerOptions ?? [];
  const setOption = (j: number, patch: Partial<{ code: string; display: string; score: number | undefined }>) =>
    onChange({
      ...item,
      answerOptions: options.map((o, k) => {
        if (k !== j) return o;
        const next = { ...o, ...patch };
        if (next.score === undefined) delete next.score;
        return next;
      }),
    });
  return (
    <Stack gap="sm" data-testid="item-fields">
      {rest.length > 0 && (
        <Alert color="red" variant="light" p="xs">
          {rest.map((r) => <Text size="sm" key={r}>{r}</Text>)}
        </Alert>
      )}
      <Group align="flex-start" grow>
        <TextInput label={m.linkId} value={item.linkId} readOnly={ro} error={at('linkId')} onChange={(e) => onChange({ ...item, linkId: e.currentTarget.value })} maw={160} />
        <Select label={m.type} data={TYPE_OPTIONS} value={item.type} readOnly={ro} allowDeselect={false} error={at('type')} onChange={(v) => v && onChange(tidy({ ...item, type: v as ItemType }))} />
      </Group>
      <Textarea label={m.text} value={item.text} readOnly={ro} autosize minRows={1} error={at('text')} onChange={(e) => onChange({ ...item, text: e.currentTarget.value })} />
      <Group>
        <Checkbox label={m.required} checked={item.required ?? false} disabled={ro} onChange={(e) => onChange(setOpt(item, 'required', e.currentTarget.checked))} />
        <Checkbox label={m.repeats} checked={item.repeats ?? false} disabled={ro} onChange={(e) => onChange(setOpt(item, 'repeats', e.currentTarget.checked))} />
      </Group>
      {hasOptions(item.type) && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>{m.options}</Text>
          {at('answerOptions') && <Text size="xs" c="red">{at('answerOptions')}</Text>}
          <Table withTableBorder verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={120}>{m.optionCode}</Table.Th>
                <Table.Th>{m.optionDisplay}</Table.Th>
                <Table.Th w={140}>{m.optionScore}</Table.Th>
                <Table.Th w={40} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {options.map((o, j) => {
                const op = `${prefix}.answerOptions.${j}`;
                return (
                  <Table.Tr key={j} data-testid={`option-${item.linkId}-${j}`}>
                    <Table.Td valign="top">
                      <TextInput aria-label={`${m.optionCode} ${j + 1}`} value={o.code} readOnly={ro} error={errors.at(`${op}.code`) ?? errors.at(op)} onChange={(e) => setOption(j, { code: e.currentTarget.value })} />
                    </Table.Td>
                    <Table.Td valign="top">
                      <TextInput aria-label={`${m.optionDisplay} ${j + 1}`} value={o.display} readOnly={ro} error={errors.at(`${op}.display`)} onChange={(e) => setOption(j, { display: e.currentTarget.value })} />
                    </Table.Td>
                    <Table.Td valign="top">
                      <NumField path={`${op}.score`} aria-label={`${m.optionScore} ${j + 1}`} value={o.score} onChange={(n) => setOption(j, { score: n })} />
                    </Table.Td>
                    <Table.Td valign="top">
                      {!ro && (
                        <ActionIcon variant="subtle" color="red" aria-label={`${m.removeOption} ${j + 1}`} onClick={() => onChange({ ...item, answerOptions: options.filter((_, k) => k !== j) })}>
                          ×
                        </ActionIcon>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {!ro && (
            <Button size="compact-sm" variant="subtle" w="fit-content" onClick={() => onChange({ ...item, answerOptions: [...options, { code: String(options.length + 1), display: '', score: 0 }] })}>
              {m.addOption}
            </Button>
          )}
          <TextInput label={m.valueSet} value={item.answerValueSet ?? ''} readOnly={ro} error={at('answerValueSet')} onChange={(e) => onChange(setOpt(item, 'answerValueSet', e.currentTarget.value))} />
        </Stack>
      )}
      {isNumber(item.type) && (
        <Group grow>
          <NumField path={`${prefix}.min`} label={m.min} value={item.min} onChange={(n) => onChange(setOpt(item, 'min', n))} />
          <NumField path={`${prefix}.max`} label={m.max} value={item.max} onChange={(n) => onChange(setOpt(item, 'max', n))} />
        </Group>
      )}
      {item.type !== 'group' && item.type !== 'display' && (
        <Group grow align="flex-start">
          <Select
            label={m.domain}
            data={[{ value: '', label: m.noDomain }, ...domains.map((d) => ({ value: d.key, label: d.label || d.key }))]}
            value={item.domain ?? ''}
            readOnly={ro}
            allowDeselect={false}
            error={at('domain')}
            onChange={(v) => onChange(setOpt(item, 'domain', v ?? undefined))}
          />
          <Select
            label={m.factor}
            data={[{ value: '', label: m.noFactor }, ...FACTOR_KINDS.map((f) => ({ value: f, label: FACTOR_LABELS[f] }))]}
            value={item.factor ?? ''}
            readOnly={ro}
            allowDeselect={false}
            error={at('factor')}
            onChange={(v) => onChange(setOpt(item, 'factor', (v || undefined) as FactorKind | undefined))}
          />
          <NumField path={`${prefix}.weight`} label={m.weight} value={item.weight} placeholder="1" onChange={(n) => onChange(setOpt(item, 'weight', n))} />
        </Group>
      )}
      <Textarea label={m.help} value={item.help ?? ''} readOnly={ro} autosize minRows={1} error={at('help')} onChange={(e) => onChange(setOpt(item, 'help', e.currentTarget.value))} />
    </Stack>
  );
}
