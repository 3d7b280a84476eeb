import { Box, ScrollArea, Table, Text } from '@mantine/core';
import { msgImports as m } from '../../lib/messages-imports';

/** 'A', 'B', ... 'Z', 'AA' for a 0-based column index, as Excel names its columns. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export interface PreviewRow {
  /** The sheet's row number as Excel shows it (1-based). */
  line: number;
  cells: readonly string[];
}

/**
 * The first rows of a sheet as a grid with Excel's row numbers and column letters. Clicking a row (or
 * pressing Enter on it) makes it the header row; the rows above it are dimmed, as they will not be read.
 */
export function PreviewGrid({ rows, letters, headerRow, onPickHeader }: { rows: readonly PreviewRow[]; letters?: readonly string[]; headerRow: number | null; onPickHeader: (line: number) => void }) {
  const width = rows.reduce((w, r) => Math.max(w, r.cells.length), letters?.length ?? 0);
  if (rows.length === 0) return <Text c="dimmed">{m.sheet.empty}</Text>;
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Table withTableBorder withColumnBorders highlightOnHover fz="xs" data-testid="import-preview" style={{ whiteSpace: 'nowrap' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={48} ta="center" bg="gray.1">
              {m.sheet.rowNo}
            </Table.Th>
            {Array.from({ length: width }, (_, i) => (
              <Table.Th key={i} ta="center" bg="gray.1">
                {letters?.[i] ?? columnLetter(i)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => {
            const isHeader = r.line === headerRow;
            const above = headerRow !== null && r.line < headerRow;
            return (
              <Table.Tr
                key={r.line}
                data-testid={`preview-row-${r.line}`}
                data-header={isHeader ? 'true' : undefined}
                aria-selected={isHeader}
                tabIndex={0}
                onClick={() => onPickHeader(r.line)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onPickHeader(r.line);
                  }
                }}
                style={{
                  cursor: 'pointer',
                  background: isHeader ? 'var(--mantine-color-blue-1)' : undefined,
                  fontWeight: isHeader ? 700 : undefined,
                  color: above ? 'var(--mantine-color-gray-5)' : undefined,
                }}
              >
                <Table.Td ta="center" bg={isHeader ? 'blue.2' : 'gray.0'}>
                  {r.line}
                </Table.Td>
                {Array.from({ length: width }, (_, i) => (
                  <Table.Td key={i}>
                    <Box maw={220} style={{ overflow: 'hidden', textOverflow: 'ellipsis' }} title={r.cells[i] ?? ''}>
                      {r.cells[i] ?? ''}
                    </Box>
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
