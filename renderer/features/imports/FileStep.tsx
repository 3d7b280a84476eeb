import { Autocomplete, Button, FileInput, Group, Select, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { z } from 'zod';
import { IMPORT_MAX_FILE_BYTES, type ImportInspection, type ImportKindName, type ImportKindView } from '../../../main/contract/methods/imports';
import { call } from '../../lib/api';
import { FormError, useContractForm } from '../../lib/form';
import { msgImports as m } from '../../lib/messages-imports';
import { readFileBase64 } from '../reports/reportFiles';

/** What the first step chose: the kind, the source name and the file as sent to the server. */
export interface ChosenFile {
  kind: ImportKindName;
  source: string;
  fileName: string;
  dataBase64: string;
  /** The file itself, so that going back to this step keeps it chosen. */
  file: File;
}

interface Values {
  kind: string | null;
  source: string;
  file: File | null;
  [key: string]: unknown;
}

const MAX_MB = Math.round(IMPORT_MAX_FILE_BYTES / 1024 / 1024);

const fileStepSchema = z.object({
  kind: z.string({ error: m.file.kindRequired }).min(1, m.file.kindRequired),
  source: z.string().trim().min(1, m.file.sourceRequired).max(60, '來源最多 60 個字'),
  file: z
    .custom<File>((v) => typeof File !== 'undefined' && v instanceof File, m.file.fileRequired)
    .refine((f) => f.size <= IMPORT_MAX_FILE_BYTES, m.file.tooLarge(MAX_MB)),
});

/**
 * Step 1: the kind of list, the source it comes from (saved sources offered) and the file. 下一步 reads the
 * file on the server (imports.inspect); a file the reader refuses (encrypted, corrupt, too large, not a
 * spreadsheet) gets its message beside the file input.
 */
export function FileStep({ kinds, initial, onInspected }: { kinds: ImportKindView[]; initial: ChosenFile | null; onInspected: (chosen: ChosenFile, inspection: ImportInspection) => void }) {
  const f = useContractForm(fileStepSchema, {
    initialValues: { kind: initial?.kind ?? null, source: initial?.source ?? '', file: initial?.file ?? null } as Values,
    labels: { kind: m.file.kind, source: m.file.source, file: m.file.file },
    required: ['kind', 'source', 'file'],
    // A server refusal of the file (dataBase64/fileName) belongs beside the file input.
    paths: { dataBase64: 'file', fileName: 'file', encoding: 'file' },
  });
  const kind = kinds.find((k) => k.name === f.form.getValues().kind) ?? null;
  const sources = useMemo(() => kind?.sources ?? [], [kind]);

  return (
    <Stack
      component="form"
      maw={640}
      {...f.formProps(async (input) => {
        const file = input.file as File;
        let dataBase64: string;
        try {
          dataBase64 = await readFileBase64(file);
        } catch {
          f.form.setFieldError('file', m.file.readFailed);
          return;
        }
        const chosen: ChosenFile = { kind: input.kind as ImportKindName, source: String(input.source).trim(), fileName: file.name, dataBase64, file };
        const inspection = await call('imports.inspect', { kind: chosen.kind, fileName: chosen.fileName, dataBase64, source: chosen.source });
        onInspected(chosen, inspection);
      })}
      data-testid="import-file-step"
    >
      {kinds.length === 0 && <Text c="dimmed">{m.file.noKinds}</Text>}
      <Select
        {...f.field('kind')}
        data={kinds.map((k) => ({ value: k.name, label: k.label }))}
        placeholder={m.file.kindPlaceholder}
        allowDeselect={false}
        data-testid="import-kind"
      />
      <Autocomplete
        {...f.field('source')}
        data={sources}
        placeholder={m.file.sourcePlaceholder}
        description={m.file.sourceHelp}
        data-testid="import-source"
      />
      <FileInput
        {...f.field('file')}
        accept=".xlsx,.xlsm,.xls,.ods,.csv,.txt"
        placeholder={m.file.filePlaceholder}
        description={m.file.fileHelp}
        clearable
        data-testid="import-file"
      />
      <FormError message={f.formError} />
      <Group justify="flex-end">
        <Button type="submit" loading={f.busy} data-testid="import-file-next">
          {m.next}
        </Button>
      </Group>
      {f.busy && (
        <Text size="sm" c="dimmed" role="status">
          {m.file.reading}
        </Text>
      )}
    </Stack>
  );
}
