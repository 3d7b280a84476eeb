import { Alert, Button, Group, Paper, Stack, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { validateDefinition } from '../../../../main/contract/assessment-scoring';
import { addDays, todayIso } from '../../../../main/contract/roc-date';
import type { InstrumentDefinition, InstrumentSummary } from '../../../../main/contract/types-assessments';
import { RocDateInput } from '../../../components/RocDateInput';
import { ApiCallError, call } from '../../../lib/api';
import { msgInstruments } from '../../../lib/messages-instruments';
import { DomainsEditor } from './DomainsEditor';
import { ErrorsContext, normalisePath, type EditorErrors } from './fields';
import { FormPreview } from './FormPreview';
import { ItemsEditor } from './ItemEditor';
import { RulesEditor } from './RulesEditor';
import type { ItemPath } from './tree';

const m = msgInstruments.editor;
type Tab = 'domains' | 'items' | 'rules' | 'preview';

/** Errors by path, first message per path. */
function byPath(list: { path: string; message: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of list) {
    const p = normalisePath(e.path);
    if (!out.has(p)) out.set(p, e.message);
  }
  return out;
}

function under(errors: Map<string, string>, prefix: string, shown: string[]): string[] {
  const out: string[] = [];
  for (const [p, message] of errors) {
    const inside = prefix === '' ? true : p === prefix || p.startsWith(`${prefix}.`);
    if (!inside) continue;
    if (prefix !== '' && p.startsWith(`${prefix}.items.`)) continue;
    if (shown.some((s) => p === s || p.startsWith(`${s}.`))) continue;
    out.push(message);
  }
  return out;
}

/**
 * The definition editor: a new version of an instrument (prefilled with the current definition), a new
 * instrument, or (readOnly) a saved version. 面向, 題目 (a tree), 計分規則 and a preview, with
 * validateDefinition's messages beside the fields they concern.
 */
export function InstrumentEditor(p: {
  instrument: InstrumentSummary | null;
  base: InstrumentDefinition;
  readOnly?: boolean;
  title: string;
  onDone: (message: string | null) => void;
}) {
  const ro = p.readOnly === true;
  const creating = p.instrument === null;
  const [def, setDef] = useState<InstrumentDefinition>(p.base);
  const [tab, setTab] = useState<Tab>('items');
  const [selected, setSelected] = useState<ItemPath | null>(p.base.items.length ? [0] : null);
  const currentFrom = p.instrument?.current?.effectiveFrom ?? null;
  const [effectiveFrom, setEffectiveFrom] = useState<string | null>(ro ? null : currentFrom && currentFrom >= todayIso() ? addDays(currentFrom, 1) : todayIso());
  const [note, setNote] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [bad, setBadState] = useState<Set<string>>(new Set());
  const [serverFields, setServerFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const validation = useMemo(() => (ro ? [] : validateDefinition(def)), [def, ro]);
  const errors = useMemo(() => {
    const map = byPath(validation);
    for (const [k, v] of Object.entries(serverFields)) {
      const path = normalisePath(k);
      if (!map.has(path)) map.set(path, v);
    }
    return map;
  }, [validation, serverFields]);
  const setBad = useCallback((key: string, isBad: boolean) => {
    setBadState((prev) => {
      if (prev.has(key) === isBad) return prev;
      const next = new Set(prev);
      if (isBad) next.add(key);
      else next.delete(key);
      return next;
    });
  }, []);
  const ctx: EditorErrors = useMemo(() => ({ at: (path) => errors.get(path), under: (prefix, shown) => under(errors, prefix, shown), setBad, readOnly: ro }), [errors, setBad, ro]);
  const count = (prefix: string) => [...errors.keys()].filter((k) => k === prefix || k.startsWith(`${prefix}.`)).length + [...bad].filter((k) => k.startsWith(`${prefix}.`)).length;
  const problems = errors.size + bad.size;
  const general = under(errors, '', ['items', 'rules', 'domains', 'url']);
  const edit = (patch: Partial<InstrumentDefinition>) => {
    setDef((d) => ({ ...d, ...patch }));
    setServerFields({});
    setFormError(null);
  };

  const save = async () => {
    setFormError(null);
    if (problems > 0) {
      setFormError(m.invalid(problems));
      return;
    }
    if (!effectiveFrom) {
      setServerFields({ effectiveFrom: '請輸入生效日' });
      return;
    }
    setSaving(true);
    try {
      if (creating) {
        await call('instruments.create', { code, name, description: description || null, definition: def, effectiveFrom, note: note || null });
      } else if (p.instrument) {
        await call('instruments.saveVersion', { instrumentId: p.instrument.id, definition: def, effectiveFrom, note: note || null });
      }
      p.onDone(creating ? m.created : m.saved);
    } catch (e) {
      if (e instanceof ApiCallError) {
        setServerFields(e.fields);
        setFormError(e.message);
      } else setFormError(String(e));
    } finally {
      setSaving(false);
    }
  };

  const tabLabel = (t: Tab, prefix: string) => {
    const n = count(prefix);
    return `${m.tabs[t]}${n > 0 ? `（${n}）` : ''}`;
  };

  return (
    <ErrorsContext.Provider value={ctx}>
      <Paper withBorder p="md" data-testid="instrument-editor">
        <Stack>
          <Title order={3}>{p.title}</Title>
          {ro && <Alert variant="light">{m.readOnly}</Alert>}
          {creating && (
            <Group grow align="flex-start">
              <TextInput label={m.code} description={m.codeHelp} value={code} withAsterisk error={serverFields.code} onChange={(e) => setCode(e.currentTarget.value)} />
              <TextInput label={m.name} value={name} withAsterisk error={serverFields.name} onChange={(e) => setName(e.currentTarget.value)} />
              <TextInput label={m.description} value={description} error={serverFields.description} onChange={(e) => setDescription(e.currentTarget.value)} />
            </Group>
          )}
          {!ro && (
            <Group grow align="flex-start">
              <RocDateInput label={m.effectiveFrom} description={creating ? undefined : m.effectiveHelp} withAsterisk value={effectiveFrom} onChange={setEffectiveFrom} error={serverFields.effectiveFrom} data-testid="effective-from" />
              <Textarea label={m.note} placeholder={m.notePlaceholder} value={note} autosize minRows={1} error={serverFields.note} onChange={(e) => setNote(e.currentTarget.value)} />
            </Group>
          )}
          {general.length > 0 && (
            <Alert color="red" variant="light">
              {general.map((g) => <Text size="sm" key={g}>{g}</Text>)}
            </Alert>
          )}
          <Tabs value={tab} onChange={(t) => t && setTab(t as Tab)}>
            <Tabs.List>
              <Tabs.Tab value="domains">{tabLabel('domains', 'domains')}</Tabs.Tab>
              <Tabs.Tab value="items">{tabLabel('items', 'items')}</Tabs.Tab>
              <Tabs.Tab value="rules">{tabLabel('rules', 'rules')}</Tabs.Tab>
              <Tabs.Tab value="preview">{m.tabs.preview}</Tabs.Tab>
            </Tabs.List>
            {/* Panels stay mounted so a number field holding bad text keeps blocking the save while another tab is open. */}
            <Tabs.Panel value="domains" pt="md">
              <DomainsEditor domains={def.domains} onChange={(domains) => edit({ domains })} />
            </Tabs.Panel>
            <Tabs.Panel value="items" pt="md">
              <ItemsEditor items={def.items} domains={def.domains} onChange={(items) => edit({ items })} selected={selected} onSelect={setSelected} />
            </Tabs.Panel>
            <Tabs.Panel value="rules" pt="md">
              <RulesEditor def={def} onChange={(rules) => edit({ rules })} />
            </Tabs.Panel>
            <Tabs.Panel value="preview" pt="md">
              <FormPreview def={def} />
            </Tabs.Panel>
          </Tabs>
          {formError && <Alert color="red" variant="light" data-testid="editor-error">{formError}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => p.onDone(null)}>{ro ? m.close : m.cancel}</Button>
            {!ro && (
              <Button onClick={() => void save()} loading={saving}>
                {creating ? m.saveCreate : m.save}
              </Button>
            )}
          </Group>
        </Stack>
      </Paper>
    </ErrorsContext.Provider>
  );
}
