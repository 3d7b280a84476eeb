import { ActionIcon, Alert, Badge, Button, Fieldset, Grid, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { addDays, addMonths, formatRocDate, formatRocDateTime, todayIso } from '../../../main/contract/roc-date';
import { CODE_LIST_LABELS, type CodeListVersionView, type CodeListView } from '../../../main/contract/types-cases';
import { FormError } from '../../components/FormError';
import { RocDateInput } from '../../components/RocDateInput';
import { ApiCallError, call } from '../../lib/api';
import { msg, msgCodelists } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';
import { stopEnterSubmit, useMaybeQuery } from '../cases/hooks';

const LIST = 'vulnerability' as const;

function inForce(v: CodeListVersionView, today: string): boolean {
  return v.effectiveFrom <= today && (v.effectiveTo === null || v.effectiveTo >= today);
}

/** 代碼表 `#/codelists` (管理者): versions of the vulnerability-factor list and a new version from a date. */
export function CodeListsScreen() {
  const today = todayIso();
  const versions = useApiQuery('codelists.versions', { list: LIST });
  const [selected, setSelected] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const rows = versions.data ?? [];
  const current = rows.find((v) => inForce(v, today)) ?? rows[rows.length - 1] ?? null;
  const shownId = selected ?? current?.id ?? null;
  const view = useMaybeQuery('codelists.get', shownId !== null && !adding ? { list: LIST, versionId: shownId } : null);
  const newest = rows[rows.length - 1] ?? null;

  return (
    <Stack maw={1200}>
      <Group justify="space-between">
        <Title order={2}>{`${msgCodelists.title}：${CODE_LIST_LABELS[LIST]}`}</Title>
        {!adding && newest && (
          <Button
            onClick={() => {
              setAdding(true);
              setSaved(null);
            }}
          >
            {msgCodelists.addVersion}
          </Button>
        )}
      </Group>
      <FormError message={versions.error} />
      {saved && (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setSaved(null)} closeButtonLabel={msg.close}>
          {saved}
        </Alert>
      )}
      <Paper withBorder>
        <Table aria-label={msgCodelists.versions} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{msgCodelists.effective}</Table.Th>
              <Table.Th>{msgCodelists.note}</Table.Th>
              <Table.Th>{msgCodelists.itemCount}</Table.Th>
              <Table.Th>{msgCodelists.createdBy}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...rows].reverse().map((v) => (
              <Table.Tr key={v.id} bg={v.id === shownId && !adding ? 'var(--mantine-color-teal-light)' : undefined} data-testid={`version-${v.effectiveFrom}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {msgCodelists.effectiveRange(formatRocDate(v.effectiveFrom), v.effectiveTo ? formatRocDate(v.effectiveTo) : null)}
                  {inForce(v, today) && (
                    <Badge ml={6} size="sm" color="teal">
                      {msgCodelists.inForce}
                    </Badge>
                  )}
                  {v.effectiveFrom > today && (
                    <Badge ml={6} size="sm" color="blue" variant="light">
                      {msgCodelists.future}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{v.note ?? ''}</Table.Td>
                <Table.Td>{msgCodelists.items(v.itemCount)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{v.createdBy ? `${v.createdBy.name} ${formatRocDateTime(v.createdAt)}` : msgCodelists.seeded}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => {
                      setSelected(v.id);
                      setAdding(false);
                    }}
                    aria-label={`${msgCodelists.view} ${formatRocDate(v.effectiveFrom)}`}
                  >
                    {msgCodelists.view}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      {adding && newest ? (
        <NewVersionEditor
          base={newest}
          onCancel={() => setAdding(false)}
          onSaved={(v) => {
            setAdding(false);
            setSelected(v.version.id);
            setSaved(msgCodelists.saved(formatRocDate(v.version.effectiveFrom)));
            void versions.reload();
          }}
        />
      ) : (
        <>
          <FormError message={view.error} />
          {view.loading && <Loader size="sm" aria-label={msg.loading} />}
          {view.data && <VersionView list={view.data} />}
        </>
      )}
    </Stack>
  );
}

function VersionView({ list }: { list: CodeListView }) {
  const v = list.version;
  return (
    <Stack gap="sm" data-testid="version-view">
      <Title order={3}>{msgCodelists.effectiveRange(formatRocDate(v.effectiveFrom), v.effectiveTo ? formatRocDate(v.effectiveTo) : null)}</Title>
      <Grid>
        {list.groups.map((g) => (
          <Grid.Col key={g.code} span={{ base: 12, md: 6 }}>
            <Paper withBorder p="sm" h="100%">
              <Text fw={700} mb={4}>{`${g.code} ${g.label}`}</Text>
              <Stack gap={2}>
                {g.items.map((i) => (
                  <Text key={i.code} size="sm">
                    <Text span c="dimmed" size="sm" mr={6}>
                      {i.code}
                    </Text>
                    {i.label}
                  </Text>
                ))}
              </Stack>
            </Paper>
          </Grid.Col>
        ))}
      </Grid>
    </Stack>
  );
}

interface EditItem {
  key: string;
  /** The code the row started with: names its fields for screen readers while the code is edited. */
  tag: string;
  code: string;
  label: string;
}
interface EditGroup {
  key: string;
  code: string;
  label: string;
  items: EditItem[];
}

function nextCode(group: EditGroup): string {
  const nums = group.items.map((i) => Number(/-(\d+)$/.exec(i.code)?.[1] ?? 0));
  return `${group.code}-${String(Math.max(0, ...nums) + 1).padStart(2, '0')}`;
}

/** The first of next month, or the day after the newest version when that is later. */
function defaultEffective(newestFrom: string): string {
  const today = todayIso();
  const firstNext = `${addMonths(today, 1).slice(0, 8)}01`;
  const afterNewest = addDays(newestFrom, 1);
  return firstNext > afterNewest ? firstNext : afterNewest;
}

function NewVersionEditor({ base, onCancel, onSaved }: { base: CodeListVersionView; onCancel(): void; onSaved(v: CodeListView): void }) {
  const source = useApiQuery('codelists.get', { list: LIST, versionId: base.id });
  const [groups, setGroups] = useState<EditGroup[] | null>(null);
  const [effectiveFrom, setEffectiveFrom] = useState<string | null>(() => defaultEffective(base.effectiveFrom));
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [itemErrors, setItemErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  if (groups === null && source.data) {
    setGroups(
      source.data.groups.map((g) => ({
        key: g.code,
        code: g.code,
        label: g.label,
        items: g.items.map((i) => ({ key: i.code, tag: i.code, code: i.code, label: i.label })),
      })),
    );
  }

  const update = (gi: number, fn: (g: EditGroup) => EditGroup) => setGroups((gs) => (gs ? gs.map((g, i) => (i === gi ? fn(g) : g)) : gs));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!groups) return;
    if (!effectiveFrom) {
      setFields({ effectiveFrom: '請填寫生效日' });
      return;
    }
    // Blank codes or names, marked on their own fields (the server would only name an index).
    const blanks: Record<string, string> = {};
    for (const g of groups) {
      if (!g.label.trim()) blanks[`g:${g.key}`] = '請填寫名稱';
      for (const i of g.items) {
        if (!i.code.trim()) blanks[`c:${i.key}`] = '請填寫代碼';
        if (!i.label.trim()) blanks[`l:${i.key}`] = '請填寫名稱';
      }
    }
    setItemErrors(blanks);
    if (Object.keys(blanks).length > 0) {
      setError('請填寫標示欄位的代碼與名稱，或刪除不需要的項目。');
      return;
    }
    setBusy(true);
    try {
      const v = await call('codelists.addVersion', {
        list: LIST,
        effectiveFrom,
        ...(note.trim() ? { note: note.trim() } : {}),
        items: [
          ...groups.map((g) => ({ code: g.code.trim(), group: null, label: g.label })),
          ...groups.flatMap((g) => g.items.map((i) => ({ code: i.code.trim(), group: g.code.trim(), label: i.label }))),
        ],
      });
      onSaved(v);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setFields(err instanceof ApiCallError ? err.fields : {});
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack component="form" onSubmit={submit} onKeyDown={stopEnterSubmit} aria-label={msgCodelists.addVersion}>
      <Title order={3}>{msgCodelists.addVersion}</Title>
      <Text size="sm" c="dimmed">
        {msgCodelists.addVersionHelp}
      </Text>
      <Group align="flex-start">
        <RocDateInput label={msgCodelists.effectiveFrom} required value={effectiveFrom} onChange={setEffectiveFrom} error={fields.effectiveFrom} minDate={addDays(base.effectiveFrom, 1)} />
        <TextInput label={msgCodelists.note} value={note} onChange={(e) => setNote(e.currentTarget.value)} w={420} error={fields.note} />
      </Group>
      {!groups && <Loader size="sm" aria-label={msg.loading} />}
      <Grid>
        {(groups ?? []).map((g, gi) => (
          <Grid.Col key={g.key} span={{ base: 12, lg: 6 }}>
            <Fieldset legend={`${msgCodelists.group} ${g.code}`}>
              <Stack gap={6}>
                <TextInput
                  aria-label={msgCodelists.groupLabel(g.key)}
                  value={g.label}
                  onChange={(e) => {
                    const label = e.currentTarget.value;
                    update(gi, (x) => ({ ...x, label }));
                  }}
                  error={itemErrors[`g:${g.key}`]}
                />
                {g.items.map((it, ii) => (
                  <Group key={it.key} gap={6} wrap="nowrap" align="flex-start">
                    <TextInput
                      aria-label={msgCodelists.itemCode(it.tag)}
                      value={it.code}
                      w={80}
                      error={itemErrors[`c:${it.key}`]}
                      onChange={(e) => {
                        const code = e.currentTarget.value;
                        update(gi, (x) => ({ ...x, items: x.items.map((y, j) => (j === ii ? { ...y, code } : y)) }));
                      }}
                    />
                    <TextInput
                      aria-label={msgCodelists.itemLabel(it.tag)}
                      value={it.label}
                      style={{ flex: 1 }}
                      error={itemErrors[`l:${it.key}`]}
                      onChange={(e) => {
                        const label = e.currentTarget.value;
                        update(gi, (x) => ({ ...x, items: x.items.map((y, j) => (j === ii ? { ...y, label } : y)) }));
                      }}
                    />
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`${msgCodelists.removeItem} ${it.code}`}
                      title={msgCodelists.removeItem}
                      onClick={() => update(gi, (x) => ({ ...x, items: x.items.filter((_, j) => j !== ii) }))}
                    >
                      ✕
                    </ActionIcon>
                  </Group>
                ))}
                <Group>
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={() =>
                      update(gi, (x) => {
                        const code = nextCode(x);
                        return { ...x, items: [...x.items, { key: `new-${code}-${Date.now()}`, tag: code, code, label: '' }] };
                      })
                    }
                    aria-label={`${msgCodelists.addItem}（${msgCodelists.group} ${g.code}）`}
                  >
                    {msgCodelists.addItem}
                  </Button>
                </Group>
              </Stack>
            </Fieldset>
          </Grid.Col>
        ))}
      </Grid>
      <FormError message={error} />
      {fields.items && (
        <Text c="red" size="sm">
          {fields.items}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {msg.cancel}
        </Button>
        <Button type="submit" loading={busy} disabled={!groups}>
          {msgCodelists.save}
        </Button>
      </Group>
    </Stack>
  );
}
