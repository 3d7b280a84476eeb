import { Alert, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate } from '../../../../main/contract/roc-date';
import type { InstrumentDefinition, InstrumentSummary, InstrumentVersionSummary } from '../../../../main/contract/types-assessments';
import { ConfirmAction } from '../../../components/ConfirmAction';
import { FormError } from '../../../components/FormError';
import { call } from '../../../lib/api';
import { msgInstruments } from '../../../lib/messages-instruments';
import { useApiQuery } from '../../../lib/useApi';
import { InstrumentEditor } from './InstrumentEditor';

const m = msgInstruments;
const EMPTY: InstrumentDefinition = { domains: [], items: [], rules: [] };

type Editing =
  | { mode: 'version'; instrument: InstrumentSummary; base: InstrumentDefinition }
  | { mode: 'create' }
  | { mode: 'view'; instrument: InstrumentSummary; version: InstrumentVersionSummary; base: InstrumentDefinition };

function download(name: string, value: unknown): void {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/fhir+json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** 評估工具 `#/admin/instruments` (管理者): instruments, their versions by effective date, a new version, FHIR export. */
export function InstrumentsScreen() {
  const list = useApiQuery('instruments.list', {});
  const [editing, setEditing] = useState<Editing | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (versionId: number) => (await call('instruments.version', { id: versionId })).definition;
  const run = async (fn: () => Promise<void>) => {
    setError(null);
    setFlash(null);
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const newVersion = (inst: InstrumentSummary) =>
    run(async () => {
      const latest = inst.current ?? inst.versions[inst.versions.length - 1] ?? null;
      setEditing({ mode: 'version', instrument: inst, base: latest ? await load(latest.id) : EMPTY });
    });
  const view = (inst: InstrumentSummary, v: InstrumentVersionSummary) =>
    run(async () => setEditing({ mode: 'view', instrument: inst, version: v, base: await load(v.id) }));
  const exportFhir = (inst: InstrumentSummary, v: InstrumentVersionSummary) =>
    run(async () => {
      const q = await call('instruments.exportQuestionnaire', { versionId: v.id });
      const name = `${inst.code}-v${v.versionNo}.json`;
      download(name, q);
      setFlash(m.exported(name));
    });

  if (editing) {
    const title =
      editing.mode === 'create' ? m.editor.titleCreate : editing.mode === 'version' ? m.editor.titleNew(editing.instrument.name) : m.editor.titleView(editing.instrument.name, editing.version.versionNo);
    return (
      <Stack maw={1400}>
        <Title order={2}>{m.title}</Title>
        <InstrumentEditor
          key={editing.mode === 'view' ? `v${editing.version.id}` : editing.mode}
          instrument={editing.mode === 'create' ? null : editing.instrument}
          base={editing.mode === 'create' ? EMPTY : editing.base}
          readOnly={editing.mode === 'view'}
          title={title}
          onDone={(message) => {
            setEditing(null);
            setFlash(message);
            if (message) void list.reload();
          }}
        />
      </Stack>
    );
  }

  const rows = list.data ?? [];
  return (
    <Stack maw={1200}>
      <Group justify="space-between">
        <Title order={2}>{m.title}</Title>
        <Button variant="light" onClick={() => setEditing({ mode: 'create' })}>{m.newInstrument}</Button>
      </Group>
      <Text size="sm" c="dimmed">{m.intro}</Text>
      {flash && <Alert color="teal" variant="light" withCloseButton onClose={() => setFlash(null)} data-testid="instruments-flash">{flash}</Alert>}
      <FormError message={list.error ?? error} />
      {list.loading && rows.length === 0 && <Loader aria-label="載入中" />}
      {!list.loading && rows.length === 0 && <Text c="dimmed">{m.empty}</Text>}
      {rows.map((inst) => (
        <Paper key={inst.id} withBorder p="md" data-testid={`instrument-${inst.code}`}>
          <Stack gap="sm">
            <Group justify="space-between" align="flex-start">
              <Stack gap={2}>
                <Group gap="xs">
                  <Title order={3}>{inst.name}</Title>
                  {inst.archived && <Badge color="gray">{m.archived}</Badge>}
                </Group>
                {inst.description && <Text size="sm" c="dimmed">{inst.description}</Text>}
              </Stack>
              <Group gap="xs">
                <ConfirmAction
                  label={inst.archived ? m.restore : m.archive}
                  buttonProps={{ variant: 'default' }}
                  title={inst.archived ? m.restore : m.archive}
                  message={inst.archived ? m.restoreConfirm(inst.name) : m.archiveConfirm(inst.name)}
                  confirmLabel={inst.archived ? m.restore : m.archive}
                  color={inst.archived ? undefined : 'red'}
                  reversible
                  onConfirm={async () => {
                    await call('instruments.archive', { id: inst.id, archived: !inst.archived });
                    await list.reload();
                  }}
                />
                {!inst.archived && (
                  <Button onClick={() => void newVersion(inst)} loading={busy} data-testid={`new-version-${inst.code}`}>
                    {m.newVersion}
                  </Button>
                )}
              </Group>
            </Group>
            <Table withTableBorder striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{m.cols.version}</Table.Th>
                  <Table.Th>{m.cols.effectiveFrom}</Table.Th>
                  <Table.Th>{m.cols.effectiveTo}</Table.Th>
                  <Table.Th>{m.cols.used}</Table.Th>
                  <Table.Th>{m.cols.note}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...inst.versions].sort((a, b) => b.versionNo - a.versionNo).map((v) => (
                  <Table.Tr key={v.id} data-testid={`version-${inst.code}-${v.versionNo}`}>
                    <Table.Td>
                      <Group gap={6}>
                        <Text size="sm">{`第 ${v.versionNo} 版`}</Text>
                        {inst.current?.id === v.id && <Badge size="sm" color="teal" variant="light">{m.current}</Badge>}
                      </Group>
                    </Table.Td>
                    <Table.Td>{formatRocDate(v.effectiveFrom)}</Table.Td>
                    <Table.Td>{v.effectiveTo ? formatRocDate(v.effectiveTo) : m.open}</Table.Td>
                    <Table.Td>{v.used}</Table.Td>
                    <Table.Td>{v.note ?? ''}</Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button size="compact-xs" variant="subtle" onClick={() => void view(inst, v)}>{m.view}</Button>
                        <Button size="compact-xs" variant="subtle" onClick={() => void exportFhir(inst, v)}>{m.exportFhir}</Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
