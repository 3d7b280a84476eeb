import { Alert, Badge, Button, Grid, Group, Loader, NavLink, Paper, ScrollArea, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { formatRocDate, formatRocDateTime, todayIso } from '../../../main/contract/roc-date';
import { GUIDE_BODY_MAX, guideLabel, type GuideKey, type GuideSummary, type GuideVersionView } from '../../../main/contract/types-guides';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { ApiCallError, call } from '../../lib/api';
import { NO_VALIDATE } from '../../lib/form';
import { msg } from '../../lib/messages';
import { msgGuides } from '../../lib/messages-guides';
import { useApiQuery } from '../../lib/useApi';
import { stopEnterSubmit } from '../cases/hooks';
import { GuideBody } from './WorkGuide';

const rangeOf = (v: GuideVersionView) => msgGuides.effectiveRange(formatRocDate(v.effectiveFrom), v.effectiveTo ? formatRocDate(v.effectiveTo) : null);

/** 作業指引 `#/admin/guides` (管理者): the steps and service items, a new version with its preview, the history. */
export function GuidesScreen() {
  const list = useApiQuery('guides.list', {});
  const [selected, setSelected] = useState<GuideKey>('intake');
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const rows = list.data ?? [];
  const summary = rows.find((r) => r.key === selected) ?? null;

  const pick = (key: GuideKey) => {
    setSelected(key);
    setEditing(false);
  };

  return (
    <Stack maw={1280}>
      <Title order={2}>{msgGuides.title}</Title>
      <Text size="sm" c="dimmed" maw={900}>
        {msgGuides.intro}
      </Text>
      <FormError message={list.error} />
      {saved && (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setSaved(null)} closeButtonLabel={msg.close}>
          {saved}
        </Alert>
      )}
      <Grid>
        <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
          <Paper withBorder p={4} component="nav" aria-label={msgGuides.title}>
            <GuideList title={msgGuides.steps} rows={rows.filter((r) => r.kind === 'step')} selected={selected} onPick={pick} />
            <GuideList title={msgGuides.items} rows={rows.filter((r) => r.kind === 'item')} selected={selected} onPick={pick} />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
          {summary && (
            <GuidePane
              key={selected}
              summary={summary}
              editing={editing}
              onEdit={() => {
                setEditing(true);
                setSaved(null);
              }}
              onCancel={() => setEditing(false)}
              onSaved={(v) => {
                setEditing(false);
                setSaved(msgGuides.saved(guideLabel(v.key), formatRocDate(v.effectiveFrom)));
                void list.reload();
              }}
            />
          )}
          {!summary && list.loading && <Loader size="sm" aria-label={msg.loading} />}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function GuideList({ title, rows, selected, onPick }: { title: string; rows: GuideSummary[]; selected: GuideKey; onPick(k: GuideKey): void }) {
  return (
    <Stack gap={0} mb="xs">
      <Text size="xs" fw={700} c="dimmed" px="sm" pt={6} pb={2}>
        {title}
      </Text>
      {rows.map((r) => (
        <NavLink
          key={r.key}
          active={r.key === selected}
          onClick={() => onPick(r.key)}
          label={r.kind === 'item' ? r.key.slice(5) : r.label}
          description={r.current ? msgGuides.inEffectSince(formatRocDate(r.current.effectiveFrom)) : msgGuides.noVersion}
          rightSection={
            r.upcoming ? (
              <Badge size="xs" color="blue" variant="light">
                {msgGuides.future}
              </Badge>
            ) : undefined
          }
          data-testid={`guide-key-${r.key}`}
        />
      ))}
    </Stack>
  );
}

function GuidePane({ summary, editing, onEdit, onCancel, onSaved }: { summary: GuideSummary; editing: boolean; onEdit(): void; onCancel(): void; onSaved(v: GuideVersionView): void }) {
  const history = useApiQuery('guides.history', { key: summary.key }, [summary.versionCount]);
  const [shownId, setShownId] = useState<number | null>(null);
  const versions = history.data ?? [];
  const today = todayIso();
  const shown = versions.find((v) => v.id === shownId) ?? summary.current;
  const newest = versions[versions.length - 1] ?? null;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>{summary.label}</Title>
        {!editing && <Button onClick={onEdit}>{msgGuides.edit}</Button>}
      </Group>
      {editing ? (
        <GuideEditor summary={summary} base={newest} onCancel={onCancel} onSaved={onSaved} />
      ) : (
        <Paper withBorder p="md" data-testid="guide-shown">
          <Text size="sm" c="dimmed" mb={6}>
            {shown ? (shown.id === summary.current?.id ? `${msgGuides.current}（${rangeOf(shown)}）` : msgGuides.viewing(rangeOf(shown))) : msgGuides.none}
          </Text>
          {shown && <GuideBody body={shown.body} />}
        </Paper>
      )}
      {upcomingNote(summary)}
      <Title order={4}>{msgGuides.historyOf(summary.label)}</Title>
      <FormError message={history.error} />
      <Paper withBorder>
        <Table aria-label={msgGuides.history} highlightOnHover data-testid="guide-history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{msgGuides.effective}</Table.Th>
              <Table.Th>{msgGuides.note}</Table.Th>
              <Table.Th>{msgGuides.author}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...versions].reverse().map((v) => {
              const inForce = v.id === summary.current?.id;
              const sameDay = v.effectiveTo !== null && v.effectiveTo < v.effectiveFrom;
              return (
                <Table.Tr key={v.id} bg={v.id === shown?.id && !editing ? 'var(--mantine-color-teal-light)' : undefined} data-testid={`guide-version-${v.id}`}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {sameDay ? `${formatRocDate(v.effectiveFrom)}（${msgGuides.replacedSameDay}）` : rangeOf(v)}
                    {inForce && (
                      <Badge ml={6} size="sm" color="teal">
                        {msgGuides.inForce}
                      </Badge>
                    )}
                    {v.effectiveFrom > today && (
                      <Badge ml={6} size="sm" color="blue" variant="light">
                        {msgGuides.future}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{v.note ?? ''}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{v.createdBy ? `${v.createdBy.name} ${formatRocDateTime(v.createdAt)}` : msgGuides.seeded}</Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="subtle" onClick={() => setShownId(v.id)} disabled={editing} aria-label={`${msgGuides.view} ${formatRocDate(v.effectiveFrom)}`}>
                      {msgGuides.view}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

function upcomingNote(summary: GuideSummary) {
  if (!summary.upcoming) return null;
  return (
    <Text size="sm" c="blue">
      {msgGuides.upcoming(formatRocDate(summary.upcoming.effectiveFrom))}
    </Text>
  );
}

function GuideEditor({ summary, base, onCancel, onSaved }: { summary: GuideSummary; base: GuideVersionView | null; onCancel(): void; onSaved(v: GuideVersionView): void }) {
  const today = todayIso();
  const earliest = base && base.effectiveFrom > today ? base.effectiveFrom : today;
  const [body, setBody] = useState(base?.body ?? '');
  const [effectiveFrom, setEffectiveFrom] = useState<string | null>(earliest);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!body.trim()) problems.body = '請填寫指引內容';
    if (!effectiveFrom) problems.effectiveFrom = '請填寫生效日';
    setFields(problems);
    if (Object.keys(problems).length > 0 || !effectiveFrom) {
      setError('請修正標示的欄位。');
      return;
    }
    setBusy(true);
    try {
      onSaved(await call('guides.save', { key: summary.key, body, effectiveFrom, ...(note.trim() ? { note: note.trim() } : {}) }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setFields(err instanceof ApiCallError ? err.fields : {});
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack component="form" onSubmit={submit} onKeyDown={stopEnterSubmit} aria-label={msgGuides.editorTitle(summary.label)} {...NO_VALIDATE}>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack>
            <Textarea
              label={msgGuides.body}
              description={msgGuides.bodyHelp}
              withAsterisk
              autosize
              minRows={8}
              maxRows={20}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              error={fields.body}
              data-autofocus
            />
            <Text size="xs" c={body.length > GUIDE_BODY_MAX ? 'red' : 'dimmed'} ta="right" mt={-12}>
              {msgGuides.chars(body.trim().length, GUIDE_BODY_MAX)}
            </Text>
            <Group align="flex-start" grow>
              <RocDateInput label={msgGuides.effectiveFrom} required value={effectiveFrom} onChange={setEffectiveFrom} error={fields.effectiveFrom} description={msgGuides.effectiveHelp} minDate={earliest} />
              <TextInput label={msgGuides.note} description={msgGuides.noteHelp} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={fields.note} />
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Text size="sm" fw={500} mb={4}>
            {msgGuides.preview}
          </Text>
          <Paper withBorder p="sm" bg="var(--mantine-color-blue-light)" data-testid="guide-preview">
            <Text size="sm" fw={600} c="blue.8" mb={6}>
              {`${msgGuides.heading}：${summary.label}`}
              {effectiveFrom ? `\u3000${msgGuides.versionOf(formatRocDate(effectiveFrom))}` : ''}
            </Text>
            <ScrollArea.Autosize mah={360}>{body.trim() ? <GuideBody body={body} /> : <Text size="sm" c="dimmed">{msgGuides.previewEmpty}</Text>}</ScrollArea.Autosize>
          </Paper>
        </Grid.Col>
      </Grid>
      <FormError message={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {msgGuides.cancel}
        </Button>
        <Button type="submit" loading={busy}>
          {msgGuides.save}
        </Button>
      </Group>
    </Stack>
  );
}
