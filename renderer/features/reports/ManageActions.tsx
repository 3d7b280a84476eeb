import { Badge, Button, Group, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import type { DefinitionSummary, PeriodStatusView, TemplateView } from '../../../main/contract/types-reports';
import { ConfirmAction } from '../../components/ConfirmAction';
import { FormError } from '../../components/FormError';
import { ApiCallError, call } from '../../lib/api';
import { msgReports as m } from '../../lib/messages';
import { msgReportManage as mm } from '../../lib/messages-report-manage';
import { downloadBase64, errorText } from './reportFiles';

/** What a rename or delete answered, shown beside its row (issue 13 §7). */
export interface RowNotice {
  kind: 'template' | 'definition';
  id: number;
  ok: boolean;
  text: string;
}

type Done = (n: RowNotice) => Promise<void>;

/** 改名: a dialog with the name; a refused name is explained beside the field. */
function RenameButton(p: { title: string; label: string; value: string; testId: string; onSave: (name: string) => Promise<void> }) {
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState(p.value);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await p.onSave(name);
      setOpened(false);
    } catch (e) {
      // The field's own message when the check names it only briefly (名稱重複): the whole sentence says what to do.
      setError(e instanceof ApiCallError && e.code === 'VALIDATION' ? (Object.values(e.fields)[0] ?? e.message) : errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        size="compact-sm"
        variant="default"
        data-testid={`${p.testId}-rename`}
        onClick={() => {
          setName(p.value);
          setError(null);
          setOpened(true);
        }}
      >
        {mm.rename}
      </Button>
      <Modal opened={opened} onClose={() => !busy && setOpened(false)} title={p.title} centered data-testid={`${p.testId}-rename-dialog`}>
        <Stack>
          <TextInput label={p.label} value={name} onChange={(e) => setName(e.currentTarget.value)} error={error} data-autofocus data-testid="rename-input" />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)} disabled={busy}>
              {mm.cancel}
            </Button>
            <Button onClick={() => void save()} loading={busy} data-testid="rename-save">
              {mm.save}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** Runs a delete; a refusal closes the dialog and is shown beside the row, as is what the delete did. */
async function runDelete(kind: RowNotice['kind'], id: number, onDone: Done, fn: () => Promise<{ message: string }>): Promise<void> {
  try {
    const out = await fn();
    await onDone({ kind, id, ok: true, text: out.message });
  } catch (e) {
    await onDone({ kind, id, ok: false, text: errorText(e) });
  }
}

export function TemplateActions({ template: t, onDone }: { template: TemplateView; onDone: Done }) {
  return (
    <>
      <RenameButton
        title={mm.renameTemplate}
        label={mm.renameTemplateLabel}
        value={t.fileName}
        testId={`template-${t.id}`}
        onSave={async (fileName) => {
          const after = await call('reports.renameTemplate', { templateId: t.id, fileName });
          await onDone({ kind: 'template', id: t.id, ok: true, text: mm.renamed(t.fileName, after.fileName) });
        }}
      />
      <ConfirmAction
        label={mm.delete}
        buttonProps={{ size: 'compact-sm', variant: 'light', 'data-testid': `template-${t.id}-delete` }}
        color="red"
        title={mm.deleteTemplate}
        message={mm.deleteTemplateMessage(t.fileName)}
        confirmLabel={mm.deleteTemplateConfirm}
        onConfirm={() => runDelete('template', t.id, onDone, () => call('reports.deleteTemplate', { templateId: t.id }))}
      />
    </>
  );
}

export function DefinitionActions({ definition: d, onDone }: { definition: DefinitionSummary; onDone: Done }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <RenameButton
        title={mm.renameDefinition}
        label={mm.renameDefinitionLabel}
        value={d.name}
        testId={`definition-${d.id}`}
        onSave={async (name) => {
          const after = await call('reports.renameDefinition', { id: d.id, version: d.version, name });
          await onDone({ kind: 'definition', id: d.id, ok: true, text: mm.renamed(d.name, after.name) });
        }}
      />
      <ConfirmAction
        label={mm.delete}
        buttonProps={{ size: 'compact-sm', variant: 'light', 'data-testid': `definition-${d.id}-delete` }}
        color="red"
        title={mm.deleteDefinition}
        message={mm.deleteDefinitionMessage(d.name, d.lastSubmitted)}
        reversible={d.lastSubmitted !== null}
        confirmLabel={mm.deleteDefinitionConfirm}
        onConfirm={() => runDelete('definition', d.id, onDone, () => call('reports.deleteDefinition', { id: d.id, version: d.version }))}
      />
    </Group>
  );
}

/** The submitted reports of an archived definition, each downloadable (reports.snapshot). */
function SubmittedReports({ definitionId }: { definitionId: number }) {
  const [periods, setPeriods] = useState<PeriodStatusView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const toggle = async () => {
    if (open) {
      setOpen(false);
      return;
    }
    setOpen(true);
    setError(null);
    try {
      const all = await call('reports.periods', { definitionId, count: 8 });
      setPeriods(all.filter((p) => p.submissions.length > 0));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const download = async (p: PeriodStatusView, submissionId: number) => {
    setError(null);
    try {
      const snap = await call('reports.snapshot', { definitionId, period: p.period, submissionId });
      downloadBase64(snap.fileName, snap.fileBase64);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Stack gap={6} align="flex-start">
      <Button size="compact-sm" variant="subtle" onClick={() => void toggle()} data-testid={`archived-${definitionId}-submitted`}>
        {open ? mm.hideSubmitted : mm.showSubmitted}
      </Button>
      <FormError message={error} />
      {open && periods && periods.length === 0 && <Text size="sm" c="dimmed">{mm.noSubmitted}</Text>}
      {open &&
        periods?.map((p) =>
          p.submissions.map((s) => (
            <Group key={s.id} gap="sm" wrap="nowrap">
              <Stack gap={0}>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {p.label}
                </Text>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {mm.submittedBy(formatRocDateTime(s.submittedAt), s.submittedBy)}
                </Text>
              </Stack>
              <Button size="compact-sm" variant="light" style={{ flexShrink: 0 }} onClick={() => void download(p, s.id)} data-testid={`archived-${definitionId}-download-${s.id}`}>
                {mm.download}
              </Button>
            </Group>
          )),
        )}
    </Stack>
  );
}

export function ArchivedDefinitions({ definitions, notice }: { definitions: DefinitionSummary[]; notice: RowNotice | null }) {
  return (
    <Paper withBorder p="md" data-testid="archived-definitions">
      <Group gap="xs" mb="xs">
        <Title order={4}>{mm.archived}</Title>
        <Badge variant="light" color="gray">
          {definitions.length}
        </Badge>
      </Group>
      <Text c="dimmed" size="sm" mb="sm">
        {mm.archivedIntro}
      </Text>
      {definitions.length === 0 && <Text c="dimmed">{mm.noArchived}</Text>}
      {definitions.length > 0 && (
        <Table striped data-testid="archived-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{m.def.name}</Table.Th>
              <Table.Th>{m.def.formNo}</Table.Th>
              <Table.Th>{m.templates.file}</Table.Th>
              <Table.Th>{m.templates.lastSubmitted}</Table.Th>
              <Table.Th>{mm.archivedAt}</Table.Th>
              <Table.Th>{mm.submitted}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {definitions.map((d) => (
              <Table.Tr key={d.id} data-testid={`archived-row-${d.id}`}>
                <Table.Td>
                  {d.name}
                  {notice && notice.kind === 'definition' && notice.id === d.id && (
                    <Text size="sm" c="teal" data-testid={`row-notice-definition-${d.id}`}>
                      {notice.text}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{d.formNo}</Table.Td>
                <Table.Td>{d.templateFileName}</Table.Td>
                <Table.Td>{d.lastSubmitted ?? '—'}</Table.Td>
                <Table.Td>{formatRocDateTime(d.archivedAt ?? null)}</Table.Td>
                <Table.Td>
                  <SubmittedReports definitionId={d.id} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
