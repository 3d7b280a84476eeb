import { Alert, Button, Checkbox, Divider, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useApiQuery } from '../../lib/useApi';
import { z } from 'zod';
import type { ImportInspection, ImportKindView } from '../../../main/contract/methods/imports';
import { RocDateInput } from '../../components/RocDateInput';
import { FormError, useContractForm } from '../../lib/form';
import { msgImports as m } from '../../lib/messages-imports';
import { optionDefaults, optionInputs, optionsPayload, optionsZod, type OptionInput } from './optionsSchema';

export interface MappingChoice {
  mapping: Record<string, string>;
  options: Record<string, unknown>;
}

interface Values {
  mapping: Record<string, string | null>;
  options: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Step 3: for each field of the kind a column of the file (「C 欄：身分證字號」), prefilled from the suggestion
 * (a saved mapping of the source, or the header texts), and the kind's options (生效日期...). A required field
 * left unmapped, and a bad option, show their zh-TW message beside the input; so does the server's refusal
 * of the dry run (mapping.<key> / options.<key>).
 */
export function MappingStep({ kind, inspection, initial, onBack, onRun }: { kind: ImportKindView; inspection: ImportInspection; initial: MappingChoice | null; onBack: () => void; onRun: (choice: MappingChoice) => Promise<void> }) {
  const inputs = useMemo(() => optionInputs(kind.optionsSchema), [kind]);
  const schema = useMemo(
    () =>
      z.object({
        mapping: z.object(
          Object.fromEntries(
            kind.fields.map((fl) => {
              const missing = m.mapping.requiredUnmapped(fl.label);
              return [fl.key, fl.required ? z.string({ error: missing }).min(1, missing) : z.string().nullable().optional()];
            }),
          ),
        ),
        options: optionsZod(inputs),
      }),
    [kind, inputs],
  );
  const labels = useMemo(
    () => Object.fromEntries([...kind.fields.map((fl) => [`mapping.${fl.key}`, fl.label]), ...inputs.map((i) => [`options.${i.key}`, i.label])]),
    [kind, inputs],
  );
  const columns = inspection.columns;
  const suggested = initial?.mapping ?? inspection.mapping;
  const f = useContractForm(schema, {
    initialValues: {
      mapping: Object.fromEntries(kind.fields.map((fl) => [fl.key, columns.some((c) => c.col === suggested[fl.key]) ? (suggested[fl.key] ?? null) : null])),
      options: { ...optionDefaults(kind.optionsSchema, inputs), ...(initial?.options ?? {}) },
    } as Values,
    labels,
    // A refusal may name an option or a field bare (effectiveFrom) or under its group (options.effectiveFrom).
    paths: Object.fromEntries([...kind.fields.map((fl) => [fl.key, `mapping.${fl.key}`]), ...inputs.map((i) => [i.key, `options.${i.key}`])]),
    required: [...kind.fields.filter((fl) => fl.required).map((fl) => `mapping.${fl.key}`), ...inputs.filter((i) => i.required).map((i) => `options.${i.key}`)],
  });
  const columnOptions = columns.map((c) => ({ value: c.col, label: m.mapping.column(c.col, c.header) }));

  return (
    <Stack
      component="form"
      {...f.formProps(async (_input, values) => {
        const mapping: Record<string, string> = {};
        for (const [k, v] of Object.entries(values.mapping)) if (v) mapping[k] = v;
        await onRun({ mapping, options: optionsPayload(inputs, values.options) });
      })}
      data-testid="import-mapping-step"
    >
      <Text size="sm" c="dimmed">
        {m.mapping.help}
      </Text>
      <Alert variant="light" color="blue" p="xs" data-testid="import-mapping-from">
        {inspection.mappingFrom.saved ? m.mapping.fromSaved(inspection.mappingFrom.source) : m.mapping.fromHeaders} {m.mapping.dataRows(inspection.dataRowCount)}
      </Alert>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="xs">
        {kind.fields.map((fl) => (
          <Select
            key={fl.key}
            {...f.field(`mapping.${fl.key}`)}
            data={columnOptions}
            placeholder={m.mapping.none}
            description={fl.hint ?? undefined}
            clearable={!fl.required}
            searchable
            data-testid={`map-${fl.key}`}
          />
        ))}
      </SimpleGrid>
      {inputs.length > 0 && (
        <>
          <Divider />
          <Title order={4}>{m.mapping.options}</Title>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="xs">
            {inputs.map((i) => (
              <OptionField key={i.key} input={i} form={f} />
            ))}
          </SimpleGrid>
        </>
      )}
      <FormError message={f.formError} />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack} disabled={f.busy}>
          {m.back}
        </Button>
        <Button type="submit" loading={f.busy} data-testid="import-dryrun">
          {m.dryRun.run}
        </Button>
      </Group>
    </Stack>
  );
}

function OptionField({ input, form: f }: { input: OptionInput; form: ReturnType<typeof useContractForm<z.ZodType, Values>> }) {
  const path = `options.${input.key}`;
  const testId = `opt-${input.key}`;
  const description = input.hint ?? undefined;
  switch (input.type) {
    case 'date': {
      const c = f.control<string | null>(path);
      return <RocDateInput label={input.label} withAsterisk={input.required} description={description} value={c.value} onChange={c.onChange} error={c.error} data-testid={testId} />;
    }
    case 'select':
      return <Select {...f.field(path)} data={input.choices} description={description} allowDeselect={!input.required} data-testid={testId} />;
    case 'boolean':
      return <Checkbox {...f.field(path, { type: 'checkbox' })} description={description} mt="lg" data-testid={testId} />;
    case 'number':
      // A team is chosen by its name (the administrator's list of teams), not typed as a number.
      if (input.key === 'teamId') return <TeamSelect input={input} form={f} />;
      return <NumberInput {...f.field(path)} description={description} min={input.min ?? undefined} max={input.max ?? undefined} allowDecimal={!input.integer} data-testid={testId} />;
    case 'text':
      return <TextInput {...f.field(path)} description={description} maxLength={input.maxLength ?? undefined} data-testid={testId} />;
    default: {
      const never: never = input;
      return never;
    }
  }
}

function TeamSelect({ input, form: f }: { input: OptionInput; form: ReturnType<typeof useContractForm<z.ZodType, Values>> }) {
  const teams = useApiQuery('teams.list', {});
  const c = f.control<number | string | null>(`options.${input.key}`);
  return (
    <Select
      label={input.label}
      withAsterisk={input.required}
      description={input.hint ?? undefined}
      data={(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
      value={c.value === null || c.value === '' ? null : String(c.value)}
      onChange={(v) => c.onChange(v === null ? null : Number(v))}
      error={c.error ?? teams.error ?? undefined}
      clearable={!input.required}
      data-testid={`opt-${input.key}`}
    />
  );
}
