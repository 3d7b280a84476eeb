import { Alert, Badge, Button, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { IMPORT_ENCODINGS, type ImportEncoding, type ImportInspection } from '../../../main/contract/methods/imports';
import { FormError } from '../../lib/form';
import { msgImports as m } from '../../lib/messages-imports';
import { PreviewGrid } from './PreviewGrid';

export interface Reinspect {
  sheet?: string;
  headerRow?: number;
  encoding?: ImportEncoding;
}

/**
 * Step 2: which sheet, and which row holds the headers. The preview shows the first rows with Excel's row
 * numbers and column letters; clicking a row makes it the header row (the detected one comes chosen). A CSV
 * whose encoding was guessed offers UTF-8 / Big5, which reads the file again.
 */
export function SheetStep({ inspection, busy, error, onChange, onBack, onNext }: { inspection: ImportInspection; busy: boolean; error: string | null; onChange: (r: Reinspect) => void; onBack: () => void; onNext: () => void }) {
  const sheetOptions = inspection.sheets.map((s) => ({ value: s.name, label: `${s.name}${s.hidden ? m.sheet.hidden : ''}（${m.sheet.rows(s.rowCount)}）` }));
  const rows = inspection.preview.map((cells, i) => ({ line: i + 1, cells }));
  const total = inspection.sheets.find((s) => s.name === inspection.sheet)?.rowCount ?? rows.length;
  return (
    <Stack data-testid="import-sheet-step">
      <Group align="flex-end" wrap="wrap">
        <Select
          label={m.sheet.sheet}
          data={sheetOptions}
          value={inspection.sheet}
          allowDeselect={false}
          onChange={(v) => v && v !== inspection.sheet && onChange({ sheet: v })}
          disabled={busy}
          w={320}
          data-testid="import-sheet"
        />
        {inspection.encoding !== null && (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {m.file.encoding}
            </Text>
            <SegmentedControl
              data={IMPORT_ENCODINGS.map((e) => ({ value: e, label: m.file.encodings[e] ?? e }))}
              value={inspection.encoding}
              onChange={(v) => onChange({ encoding: v as ImportEncoding })}
              disabled={busy}
              data-testid="import-encoding"
            />
          </Stack>
        )}
      </Group>
      {inspection.encoding !== null && inspection.encodingGuessed && (
        <Alert color="yellow" variant="light" data-testid="import-encoding-guessed">
          {m.file.encodingGuessed(m.file.encodings[inspection.encoding] ?? inspection.encoding)}
        </Alert>
      )}
      <Group gap="xs">
        <Text fw={600} data-testid="import-header-row">
          {m.sheet.headerRowIs(inspection.headerRow)}
        </Text>
        {inspection.headerRow === inspection.detectedHeaderRow && (
          <Badge variant="light" color="gray">
            {m.sheet.detected}
          </Badge>
        )}
        <Text size="sm" c="dimmed">
          {m.mapping.dataRows(inspection.dataRowCount)}
        </Text>
      </Group>
      <Text size="sm" c="dimmed">
        {m.sheet.clickHint} {m.sheet.previewOf(rows.length, total)}
      </Text>
      <PreviewGrid rows={rows} letters={inspection.previewColumns} headerRow={inspection.headerRow} onPickHeader={(line) => !busy && line !== inspection.headerRow && onChange({ headerRow: line })} />
      <FormError message={error} />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack} disabled={busy}>
          {m.back}
        </Button>
        <Button onClick={onNext} loading={busy} disabled={inspection.columns.length === 0} data-testid="import-sheet-next">
          {m.next}
        </Button>
      </Group>
    </Stack>
  );
}
