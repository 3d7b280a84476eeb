import { Button, Checkbox, Group, MultiSelect, NumberInput, Paper, Radio, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { AnswerValue, InstrumentDefinition, InstrumentItem, ResponseItem } from '../../../main/contract/types-assessments';
import { RocDateInput } from '../../components/RocDateInput';
import { joinTimestamp, RocDateTimeInput, splitTimestamp, type DateTimeValue } from '../../components/RocDateTimeInput';
import { msgAssessments as m } from '../../lib/messages-assessments';
import { answersOf, entriesOf, putAnswers, putEntries } from './answers';

/** A person of the household a `reference` item may name. */
export interface MemberOption {
  personId: number;
  name: string;
  relation?: string | null;
}

interface Ctx {
  members: MemberOption[];
  /** zh-TW message per linkId (validateAnswers, or the service's field issues). */
  issues: Record<string, string>;
  disabled: boolean;
}

/** Up to this many options show as radio buttons / checkboxes; more become a drop-down. */
const INLINE_OPTIONS = 6;

function DateTimeAnswer({ item, value, onChange, error, ctx }: { item: InstrumentItem; value: string | undefined; onChange(v: string | null): void; error?: string; ctx: Ctx }) {
  const [local, setLocal] = useState<DateTimeValue>(() => splitTimestamp(value));
  return (
    <RocDateTimeInput
      label={item.text}
      value={local}
      required={item.required}
      error={error}
      disabled={ctx.disabled}
      description={item.help}
      onChange={(v) => {
        setLocal(v);
        onChange(joinTimestamp(v));
      }}
    />
  );
}

/** One question: the input its type asks for, its help text and the message beside it. */
function Question({ item, answers, onAnswers, ctx }: { item: InstrumentItem; answers: AnswerValue[]; onAnswers(a: AnswerValue[]): void; ctx: Ctx }) {
  const error = ctx.issues[item.linkId];
  const common = { label: item.text, description: item.help, withAsterisk: item.required === true, error, disabled: ctx.disabled };
  const testId = `item-${item.linkId}`;
  const first = answers[0];
  switch (item.type) {
    case 'display':
    case 'group':
      return null;
    case 'boolean':
      return (
        <Radio.Group
          {...common}
          value={first?.boolean === undefined ? '' : String(first.boolean)}
          onChange={(v) => onAnswers(v === '' ? [] : [{ boolean: v === 'true' }])}
          data-testid={testId}
        >
          <Group gap="lg" mt={4}>
            <Radio value="true" label={item.answerOptions?.find((o) => o.code === 'true')?.display ?? m.form.yes} disabled={ctx.disabled} />
            <Radio value="false" label={item.answerOptions?.find((o) => o.code === 'false')?.display ?? m.form.no} disabled={ctx.disabled} />
          </Group>
        </Radio.Group>
      );
    case 'integer':
    case 'decimal': {
      const key = item.type;
      const range = m.form.range(item.min, item.max);
      return (
        <NumberInput
          {...common}
          description={[item.help, range].filter(Boolean).join('；') || undefined}
          min={item.min}
          max={item.max}
          allowDecimal={key === 'decimal'}
          clampBehavior="none"
          maw={240}
          value={first?.[key] ?? ''}
          onChange={(v) => onAnswers(typeof v === 'number' && !Number.isNaN(v) ? [{ [key]: v }] : [])}
          data-testid={testId}
        />
      );
    }
    case 'string':
      return <TextInput {...common} value={first?.string ?? ''} onChange={(e) => onAnswers(e.currentTarget.value === '' ? [] : [{ string: e.currentTarget.value }])} data-testid={testId} />;
    case 'text':
      return <Textarea {...common} autosize minRows={2} value={first?.string ?? ''} onChange={(e) => onAnswers(e.currentTarget.value === '' ? [] : [{ string: e.currentTarget.value }])} data-testid={testId} />;
    case 'date':
      return (
        <RocDateInput
          label={item.text}
          description={item.help}
          required={item.required}
          error={error}
          disabled={ctx.disabled}
          value={first?.date ?? null}
          onChange={(iso) => onAnswers(iso ? [{ date: iso }] : [])}
          data-testid={testId}
        />
      );
    case 'dateTime':
      return (
        <div data-testid={testId}>
          <DateTimeAnswer item={item} value={first?.dateTime} ctx={ctx} error={error} onChange={(v) => onAnswers(v ? [{ dateTime: v }] : [])} />
        </div>
      );
    case 'reference': {
      const data = ctx.members.map((p) => ({ value: String(p.personId), label: p.relation ? `${p.name}（${p.relation}）` : p.name }));
      if (item.repeats) {
        return (
          <MultiSelect
            {...common}
            data={data}
            placeholder={data.length ? m.form.pickMember : m.form.noMembers}
            value={answers.filter((a) => a.personId !== undefined).map((a) => String(a.personId))}
            onChange={(v) => onAnswers(v.map((x) => ({ personId: Number(x) })))}
            clearable
            data-testid={testId}
          />
        );
      }
      return (
        <Select
          {...common}
          data={data}
          placeholder={data.length ? m.form.pickMember : m.form.noMembers}
          value={first?.personId !== undefined ? String(first.personId) : null}
          onChange={(v) => onAnswers(v ? [{ personId: Number(v) }] : [])}
          clearable
          maw={360}
          data-testid={testId}
        />
      );
    }
    case 'choice':
    case 'open-choice':
      return <ChoiceQuestion item={item} answers={answers} onAnswers={onAnswers} ctx={ctx} common={common} testId={testId} />;
    default: {
      const never: never = item.type;
      return never;
    }
  }
}

function ChoiceQuestion({
  item,
  answers,
  onAnswers,
  ctx,
  common,
  testId,
}: {
  item: InstrumentItem;
  answers: AnswerValue[];
  onAnswers(a: AnswerValue[]): void;
  ctx: Ctx;
  common: { label: string; description?: string; withAsterisk: boolean; error?: string; disabled: boolean };
  testId: string;
}) {
  const options = item.answerOptions ?? [];
  const open = item.type === 'open-choice';
  const codes = answers.filter((a) => a.code !== undefined).map((a) => a.code as string);
  const free = answers.find((a) => a.string !== undefined)?.string ?? '';
  const data = options.map((o) => ({ value: o.code, label: o.display }));
  const inline = options.length <= INLINE_OPTIONS;
  const withFree = (cs: string[], text: string): AnswerValue[] => [...cs.map((code) => ({ code })), ...(open && text !== '' ? [{ string: text }] : [])];
  const freeInput = open ? (
    <TextInput
      size="sm"
      label={m.form.other}
      placeholder={m.form.otherPlaceholder}
      disabled={ctx.disabled}
      value={free}
      maw={420}
      // One answer: a free text replaces the chosen option; several: it is one more answer.
      onChange={(e) => onAnswers(withFree(item.repeats ? codes : e.currentTarget.value === '' ? codes : [], e.currentTarget.value))}
      data-testid={`${testId}-other`}
    />
  ) : null;
  if (item.repeats) {
    const picker = inline ? (
      <Checkbox.Group {...common} value={codes} onChange={(v) => onAnswers(withFree(v, free))} data-testid={testId}>
        <Group gap="md" mt={4}>
          {options.map((o) => (
            <Checkbox key={o.code} value={o.code} label={o.display} disabled={ctx.disabled} />
          ))}
        </Group>
      </Checkbox.Group>
    ) : (
      <MultiSelect {...common} data={data} value={codes} onChange={(v) => onAnswers(withFree(v, free))} placeholder={m.form.select} clearable searchable data-testid={testId} />
    );
    return (
      <Stack gap={4}>
        {picker}
        {freeInput}
      </Stack>
    );
  }
  const picker = inline ? (
    <Radio.Group {...common} value={codes[0] ?? ''} onChange={(v) => onAnswers(v === '' ? [] : [{ code: v }])} data-testid={testId}>
      <Group gap="md" mt={4}>
        {options.map((o) => (
          <Radio key={o.code} value={o.code} label={o.display} disabled={ctx.disabled} />
        ))}
      </Group>
    </Radio.Group>
  ) : (
    <Select {...common} data={data} value={codes[0] ?? null} onChange={(v) => onAnswers(v ? [{ code: v }] : [])} placeholder={m.form.select} clearable searchable maw={420} data-testid={testId} />
  );
  return (
    <Stack gap={4}>
      {picker}
      {freeInput}
    </Stack>
  );
}

function GroupBlock({ item, entry, onEntry, depth, ctx, index, onRemove }: { item: InstrumentItem; entry: ResponseItem; onEntry(e: ResponseItem): void; depth: number; ctx: Ctx; index?: number; onRemove?: () => void }) {
  const order = Math.min(6, 3 + depth) as 3 | 4 | 5 | 6;
  return (
    <Paper withBorder p="sm" component="section" aria-label={index !== undefined ? `${item.text} ${m.form.groupNo(index + 1)}` : item.text} data-testid={`group-${item.linkId}`}>
      <Group justify="space-between" mb={6} wrap="nowrap" align="flex-start">
        <Stack gap={0}>
          <Title order={order} size={depth === 0 ? 'h4' : 'h5'}>
            {index !== undefined ? `${item.text} ${m.form.groupNo(index + 1)}` : item.text}
          </Title>
          {item.help && (
            <Text size="xs" c="dimmed">
              {item.help}
            </Text>
          )}
          {ctx.issues[item.linkId] && (
            <Text size="xs" c="red" role="alert">
              {ctx.issues[item.linkId]}
            </Text>
          )}
        </Stack>
        {onRemove && !ctx.disabled && (
          <Button size="compact-xs" variant="subtle" color="red" onClick={onRemove} data-testid={`remove-${item.linkId}`}>
            {m.form.removeGroup}
          </Button>
        )}
      </Group>
      <ItemList items={item.items ?? []} value={entry.items ?? []} onChange={(items) => onEntry({ linkId: item.linkId, items })} depth={depth + 1} ctx={ctx} />
    </Paper>
  );
}

function ItemList({ items, value, onChange, depth, ctx }: { items: InstrumentItem[]; value: ResponseItem[]; onChange(v: ResponseItem[]): void; depth: number; ctx: Ctx }) {
  return (
    <Stack gap="sm">
      {items.map((item) => {
        if (item.type === 'display') {
          return (
            <Text key={item.linkId} size="sm" c="dimmed" data-testid={`item-${item.linkId}`}>
              {item.text}
              {item.help ? `（${item.help}）` : ''}
            </Text>
          );
        }
        if (item.type === 'group') {
          const entries = entriesOf(value, item.linkId);
          if (!item.repeats) {
            const entry = entries[0] ?? { linkId: item.linkId, items: [] };
            return <GroupBlock key={item.linkId} item={item} entry={entry} depth={depth} ctx={ctx} onEntry={(e) => onChange(putEntries(items, value, item.linkId, [e]))} />;
          }
          // A repeating group (one per 關係人 …): at least one repetition to fill, more on demand.
          const shown = entries.length > 0 ? entries : [{ linkId: item.linkId, items: [] }];
          return (
            <Stack key={item.linkId} gap="xs">
              {shown.map((entry, i) => (
                <GroupBlock
                  key={i}
                  item={item}
                  entry={entry}
                  depth={depth}
                  ctx={ctx}
                  index={i}
                  onEntry={(e) => onChange(putEntries(items, value, item.linkId, shown.map((x, j) => (j === i ? e : x))))}
                  onRemove={
                    shown.length > 1 || (entry.items ?? []).length > 0
                      ? () => onChange(putEntries(items, value, item.linkId, shown.filter((_, j) => j !== i)))
                      : undefined
                  }
                />
              ))}
              {!ctx.disabled && (
                <Group>
                  <Button size="compact-sm" variant="light" onClick={() => onChange(putEntries(items, value, item.linkId, [...shown, { linkId: item.linkId, items: [] }]))} data-testid={`add-${item.linkId}`}>
                    {`${m.form.addGroup}（${item.text}）`}
                  </Button>
                </Group>
              )}
            </Stack>
          );
        }
        return <Question key={item.linkId} item={item} answers={answersOf(value, item.linkId)} onAnswers={(a) => onChange(putAnswers(items, value, item.linkId, a))} ctx={ctx} />;
      })}
    </Stack>
  );
}

/**
 * Fills any instrument version: nested groups as titled sections, repeating groups with 新增一組 / 刪除此組,
 * each question with the input its FHIR type asks for, its help text and its message beside it.
 */
export function AssessmentForm({
  definition,
  value,
  onChange,
  members,
  issues = {},
  disabled = false,
}: {
  definition: InstrumentDefinition;
  value: ResponseItem[];
  onChange(v: ResponseItem[]): void;
  members: MemberOption[];
  issues?: Record<string, string>;
  disabled?: boolean;
}) {
  return (
    <div data-testid="assessment-form">
      <ItemList items={definition.items} value={value} onChange={onChange} depth={0} ctx={{ members, issues, disabled }} />
    </div>
  );
}
