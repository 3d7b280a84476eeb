import { Alert, Badge, Loader, Paper, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import type { RecordEditView, RecordField, RecordHistoryView, RecordStateView } from '../../../main/contract/types-records';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgRecordEdit } from '../../lib/messages-edit-records';

/** A field's value as a user reads it: ROC dates, names joined with 、. */
function shown(field: RecordField, s: RecordStateView): string {
  switch (field) {
    case 'occurredAt':
      return formatRocDateTime(s.occurredAt);
    case 'method':
      return s.method;
    case 'minutes':
      return msgRecordEdit.minutesValue(s.minutes);
    case 'items':
      return s.items.join('、') || msgRecordEdit.empty;
    case 'participants':
      return s.participants.map((p) => p.name).join('、') || msgRecordEdit.empty;
    case 'nextFollowUp':
      return s.nextFollowUp ? formatRocDate(s.nextFollowUp) : msgRecordEdit.empty;
    case 'narrative':
      return s.narrative ? s.narrative : msgRecordEdit.empty;
    default: {
      const never: never = field;
      return String(never);
    }
  }
}

function Edit({ e, narrativeVisible }: { e: RecordEditView; narrativeVisible: boolean }) {
  const fields = e.changed.filter((f) => f !== 'narrative' || narrativeVisible);
  const hiddenNarrative = e.changed.includes('narrative') && !narrativeVisible;
  return (
    <Paper withBorder p="sm" data-testid="record-edit">
      <Stack gap={6}>
        <Text size="sm" fw={600}>{msgRecordEdit.historyEntry(formatRocDateTime(e.at), e.by.name)}</Text>
        <Text size="sm">{msgRecordEdit.historyReason(e.reason)}</Text>
        {fields.length > 0 && (
          <Table withTableBorder verticalSpacing={4} fz="sm" layout="fixed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={110}>{msgRecordEdit.cols.field}</Table.Th>
                <Table.Th>{msgRecordEdit.cols.before}</Table.Th>
                <Table.Th>{msgRecordEdit.cols.after}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {fields.map((f) => (
                <Table.Tr key={f} data-testid={`diff-${f}`}>
                  <Table.Td>{msgRecordEdit.fields[f]}</Table.Td>
                  <Table.Td c="red.8" style={{ whiteSpace: 'pre-wrap', textDecoration: f === 'narrative' ? undefined : 'line-through' }}>
                    {shown(f, e.before)}
                  </Table.Td>
                  <Table.Td c="teal.8" style={{ whiteSpace: 'pre-wrap' }}>
                    {shown(f, e.after)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {hiddenNarrative && (
          <Text size="sm" c="dimmed" data-testid="narrative-hidden">
            {msgRecordEdit.narrativeHidden}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** 修改歷程 of one record: who, when, why and what each correction changed (records.history, audited). */
export function RecordHistory({ recordId }: { recordId: number }) {
  const [view, setView] = useState<RecordHistoryView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call('records.history', { id: recordId })
      .then((v) => live && setView(v))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [recordId]);
  return (
    <Stack>
      <FormError message={error} />
      {!view && !error && <Loader size="sm" aria-label={msgRecordEdit.history} />}
      {view && (
        <>
          <Text size="sm" c="dimmed">
            {msgRecordEdit.author(view.author.name)}
            {view.edits.length > 0 && (
              <Badge ml="xs" size="sm" variant="light" color="orange">
                {msgRecordEdit.editedShort(view.edits.length)}
              </Badge>
            )}
          </Text>
          {view.edits.length === 0 && <Text size="sm">{msgRecordEdit.historyNone}</Text>}
          {view.edits.map((e) => (
            <Edit key={`${e.before.version}`} e={e} narrativeVisible={view.narrativeVisible} />
          ))}
          <Alert color="gray" variant="light">
            {msgRecordEdit.historyAudited}
          </Alert>
        </>
      )}
    </Stack>
  );
}
