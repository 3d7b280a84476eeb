import { Alert, Anchor, Button, FileButton, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgReports as m } from '../../lib/messages';
import { msgReportManage as mm } from '../../lib/messages-report-manage';
import { navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { ArchivedDefinitions, DefinitionActions, TemplateActions, type RowNotice } from './ManageActions';
import { errorText, readFileBase64, readFileText } from './reportFiles';

/** 季報範本: import central xlsx templates, list report definitions, import a definition file; rename and delete them. */
export function TemplatesScreen() {
  const templates = useApiQuery('reports.listTemplates', {});
  const all = useApiQuery('reports.listDefinitions', { includeArchived: true });
  const definitions = { ...all, data: all.data?.filter((d) => !d.archivedAt) };
  const archived = all.data?.filter((d) => d.archivedAt) ?? [];
  // The answer of a rename or delete (or its refusal), shown beside the row it concerns.
  const [rowNotice, setRowNotice] = useState<RowNotice | null>(null);
  const afterChange = async (n: RowNotice) => {
    setRowNotice(n);
    await Promise.all([all.reload(), templates.reload()]);
  };
  const noticeFor = (kind: RowNotice['kind'], id: number) =>
    rowNotice && rowNotice.kind === kind && rowNotice.id === id ? (
      <Text size="sm" c={rowNotice.ok ? 'teal' : 'red'} data-testid={`row-notice-${kind}-${id}`} style={{ whiteSpace: 'pre-wrap' }}>
        {rowNotice.ok ? rowNotice.text : `${mm.refusedBeside}${rowNotice.text}`}
      </Text>
    ) : null;
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [importName, setImportName] = useState('');
  // Cleared after each pick, so choosing the same file again (after fixing the name) still imports.
  const resetTemplate = useRef<() => void>(null);
  const resetDefinition = useRef<() => void>(null);

  const importTemplate = async (file: File | null) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const bytesBase64 = await readFileBase64(file);
      const t = await call('reports.importTemplate', { fileName: file.name, bytesBase64 });
      setNotice(t.reused ? m.templates.reused(t.fileName) : m.templates.imported(t.fileName));
      await templates.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      resetTemplate.current?.();
    }
  };

  const importDefinition = async (file: File | null) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const json = await readFileText(file);
      const d = await call('reports.importDefinition', { fileName: file.name, json, ...(importName.trim() ? { name: importName.trim() } : {}) });
      await all.reload();
      await templates.reload();
      navigate(`/reports/definitions/${d.id}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      resetDefinition.current?.();
    }
  };

  return (
    <Stack>
      <Title order={2}>{m.templates.title}</Title>
      <Text c="dimmed" size="sm">{m.templates.intro}</Text>
      <Group align="flex-end">
        <FileButton resetRef={resetTemplate} onChange={(f) => void importTemplate(f)} accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
          {(props) => (
            <Button {...props} loading={busy} data-testid="import-template">
              {m.templates.importTemplate}
            </Button>
          )}
        </FileButton>
        <TextInput label={m.templates.importName} value={importName} onChange={(e) => setImportName(e.currentTarget.value)} w={240} data-testid="import-name" />
        <FileButton resetRef={resetDefinition} onChange={(f) => void importDefinition(f)} accept=".json,application/json">
          {(props) => (
            <Button {...props} variant="default" loading={busy} data-testid="import-definition">
              {m.templates.importDefinition}
            </Button>
          )}
        </FileButton>
      </Group>
      {error && (
        <Alert color="red" title={m.refused} data-testid="refusal">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{error}</Text>
        </Alert>
      )}
      {notice && <Alert color="green">{notice}</Alert>}

      <Paper withBorder p="md">
        <Title order={4} mb="sm">{m.templates.definitions}</Title>
        <FormError message={definitions.error} />
        {definitions.data && definitions.data.length === 0 && <Text c="dimmed">{m.templates.noDefinitions}</Text>}
        {definitions.data && definitions.data.length > 0 && (
          <Table striped data-testid="definitions-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.def.name}</Table.Th>
                <Table.Th>{m.def.formNo}</Table.Th>
                <Table.Th>{m.def.agency}</Table.Th>
                <Table.Th>{m.templates.file}</Table.Th>
                <Table.Th>{m.templates.mappingCount}</Table.Th>
                <Table.Th>{m.templates.lastSubmitted}</Table.Th>
                <Table.Th>{m.templates.updated}</Table.Th>
                <Table.Th>{mm.actions}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {definitions.data.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>
                    <Anchor href={`#/reports/definitions/${d.id}`}>{d.name}</Anchor>
                  </Table.Td>
                  <Table.Td>{d.formNo}</Table.Td>
                  <Table.Td>{d.agency}</Table.Td>
                  <Table.Td>{d.templateFileName}</Table.Td>
                  <Table.Td>{d.mappingCount}</Table.Td>
                  <Table.Td>{d.lastSubmitted ?? '—'}</Table.Td>
                  <Table.Td>
                    {formatRocDateTime(d.updatedAt)} {d.updatedBy}
                  </Table.Td>
                  <Table.Td>
                    <DefinitionActions definition={d} onDone={afterChange} />
                    {noticeFor('definition', d.id)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {rowNotice && rowNotice.kind === 'definition' && rowNotice.ok && !all.data?.some((d) => d.id === rowNotice.id) && (
          <Alert color="teal" mt="sm" data-testid="definition-gone-notice">
            {rowNotice.text}
          </Alert>
        )}
      </Paper>

      <Paper withBorder p="md">
        <Title order={4} mb="sm">{m.templates.templates}</Title>
        <FormError message={templates.error} />
        {templates.data && templates.data.length === 0 && <Text c="dimmed">{m.templates.noTemplates}</Text>}
        {templates.data && templates.data.length > 0 && (
          <Table striped data-testid="templates-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.templates.file}</Table.Th>
                <Table.Th>{m.templates.sheets}</Table.Th>
                <Table.Th>{m.templates.imported_}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {templates.data.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>{t.fileName}</Table.Td>
                  <Table.Td>{t.sheets.map((s) => s.name).join('、')}</Table.Td>
                  <Table.Td>
                    {formatRocDateTime(t.importedAt)} {t.importedBy}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="compact-sm" variant="light" onClick={() => navigate(`/reports/definitions/new?templateId=${t.id}`)} data-testid={`map-template-${t.id}`}>
                        {m.templates.newDefinition}
                      </Button>
                      <TemplateActions template={t} onDone={afterChange} />
                    </Group>
                    {noticeFor('template', t.id)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {rowNotice && rowNotice.kind === 'template' && !templates.data?.some((t) => t.id === rowNotice.id) && (
          <Alert color={rowNotice.ok ? 'teal' : 'red'} mt="sm" data-testid="template-gone-notice">
            {rowNotice.text}
          </Alert>
        )}
      </Paper>

      <ArchivedDefinitions definitions={archived} notice={rowNotice} />
    </Stack>
  );
}
