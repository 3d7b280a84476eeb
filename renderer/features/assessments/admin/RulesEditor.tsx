import { Alert, Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import {
  FACTOR_KINDS,
  FACTOR_LABELS,
  SCORING_RULE_LABELS,
  type FactorKind,
  type InstrumentDefinition,
  type ScoringRule,
  type ScoringRuleKind,
} from '../../../../main/contract/types-assessments';
import { RISK_LEVELS, type RiskLevel } from '../../../../main/contract/types-cases';
import { msgInstruments } from '../../../lib/messages-instruments';
import { NumField, useErrors } from './fields';
import { allLinkIds } from './tree';

const m = msgInstruments.rules;
const KINDS = Object.keys(SCORING_RULE_LABELS) as ScoringRuleKind[];
const LEVEL_OPTIONS = RISK_LEVELS.map((l) => ({ value: l, label: `${l}風險` }));

function blankRule(kind: ScoringRuleKind, def: InstrumentDefinition): ScoringRule {
  const firstScore = def.rules.find((r) => r.kind === 'sum' || r.kind === 'count');
  const scoreName = firstScore && 'name' in firstScore ? firstScore.name : '';
  switch (kind) {
    case 'sum':
      return { kind, name: '', label: '' };
    case 'count':
      return { kind, name: '', label: '', atLeast: 1 };
    case 'band':
      return { kind, score: scoreName, bands: [{ from: 0, level: '低' }] };
    case 'floor':
      return { kind, linkId: '', codes: [], level: '高' };
    case 'adjust':
      return { kind, score: scoreName, atLeast: 0, steps: -1 };
    default: {
      const never: never = kind;
      throw new Error(String(never));
    }
  }
}

/** A comma-separated list kept as typed until it is left (so "1, " can be typed). */
function ListField({ label, value, onChange, error, path }: { label: string; value: string[] | undefined; onChange: (v: string[] | undefined) => void; error?: string | undefined; path: string }) {
  const ro = useErrors().readOnly;
  const joined = (value ?? []).join(', ');
  const [text, setText] = useState(joined);
  const [synced, setSynced] = useState(joined);
  if (joined !== synced) {
    setSynced(joined);
    setText(joined);
  }
  return (
    <TextInput
      label={label}
      value={text}
      readOnly={ro}
      error={error}
      data-path={path}
      onChange={(e) => {
        const t = e.currentTarget.value;
        setText(t);
        const list = t.split(/[,，、\s]+/).map((x) => x.trim()).filter(Boolean);
        const next = list.length ? list : undefined;
        setSynced((next ?? []).join(', '));
        onChange(next);
      }}
    />
  );
}

/** 計分規則: the five kinds, applied in order. */
export function RulesEditor({ def, onChange }: { def: InstrumentDefinition; onChange: (rules: ScoringRule[]) => void }) {
  const errors = useErrors();
  const ro = errors.readOnly;
  const [kind, setKind] = useState<ScoringRuleKind>('sum');
  const rules = def.rules;
  const set = (i: number, r: ScoringRule) => onChange(rules.map((x, k) => (k === i ? r : x)));
  const move = (i: number, d: -1 | 1) => {
    const to = i + d;
    if (to < 0 || to >= rules.length) return;
    const copy = [...rules];
    const [r] = copy.splice(i, 1);
    if (r) copy.splice(to, 0, r);
    onChange(copy);
  };
  const scoreNames = rules.flatMap((r) => (r.kind === 'sum' || r.kind === 'count' ? [{ value: r.name, label: r.label ? `${r.label}（${r.name}）` : r.name }] : [])).filter((o) => o.value !== '');
  const domainOptions = [{ value: '', label: m.anyDomain }, ...def.domains.map((d) => ({ value: d.key, label: d.label || d.key }))];
  const factorOptions = [{ value: '', label: m.anyFactor }, ...FACTOR_KINDS.map((f) => ({ value: f, label: FACTOR_LABELS[f] }))];
  const linkIds = allLinkIds(def.items).map((l) => ({ value: l, label: l }));

  return (
    <Stack>
      {errors.at('rules') && <Text size="sm" c="red">{errors.at('rules')}</Text>}
      {rules.length === 0 && <Text size="sm" c="dimmed">{m.empty}</Text>}
      {rules.map((r, i) => {
        const p = `rules.${i}`;
        const at = (f: string) => errors.at(`${p}.${f}`);
        const own = errors.under(p, ['name', 'label', 'domain', 'factor', 'linkIds', 'atLeast', 'codes', 'score', 'bands', 'linkId', 'level', 'steps'].map((f) => `${p}.${f}`));
        return (
          <Paper key={i} withBorder p="sm" data-testid={`rule-${i}`}>
            <Stack gap="xs">
              <Group justify="space-between">
                <Text fw={600} size="sm">{`${i + 1}. ${SCORING_RULE_LABELS[r.kind]}`}</Text>
                {!ro && (
                  <Group gap={4}>
                    <Button size="compact-xs" variant="default" onClick={() => move(i, -1)}>{m.up}</Button>
                    <Button size="compact-xs" variant="default" onClick={() => move(i, 1)}>{m.down}</Button>
                    <Button size="compact-xs" variant="light" color="red" onClick={() => onChange(rules.filter((_, k) => k !== i))}>{m.remove}</Button>
                  </Group>
                )}
              </Group>
              {own.length > 0 && (
                <Alert color="red" variant="light" p="xs">
                  {own.map((o) => <Text size="sm" key={o}>{o}</Text>)}
                </Alert>
              )}
              {(r.kind === 'sum' || r.kind === 'count') && (
                <>
                  <Group grow align="flex-start">
                    <TextInput label={m.name} value={r.name} readOnly={ro} error={at('name')} onChange={(e) => set(i, { ...r, name: e.currentTarget.value })} />
                    <TextInput label={m.label} value={r.label} readOnly={ro} error={at('label')} onChange={(e) => set(i, { ...r, label: e.currentTarget.value })} />
                  </Group>
                  <Group grow align="flex-start">
                    <Select label={m.domain} data={domainOptions} value={r.domain ?? ''} readOnly={ro} allowDeselect={false} error={at('domain')} onChange={(v) => { const n = { ...r }; if (v) n.domain = v; else delete n.domain; set(i, n); }} />
                    <Select label={m.factor} data={factorOptions} value={r.factor ?? ''} readOnly={ro} allowDeselect={false} error={at('factor')} onChange={(v) => { const n = { ...r }; if (v) n.factor = v as FactorKind; else delete n.factor; set(i, n); }} />
                  </Group>
                  <ListField label={m.linkIds} path={`${p}.linkIds`} value={r.linkIds} error={at('linkIds')} onChange={(v) => { const n = { ...r }; if (v) n.linkIds = v; else delete n.linkIds; set(i, n); }} />
                  {r.kind === 'count' && (
                    <Group grow align="flex-start">
                      <NumField path={`${p}.atLeast`} label={m.atLeast} value={r.atLeast} onChange={(v) => { const n = { ...r }; if (v === undefined) delete n.atLeast; else n.atLeast = v; set(i, n); }} />
                      <ListField label={m.codes} path={`${p}.codes`} value={r.codes} error={at('codes')} onChange={(v) => { const n = { ...r }; if (v) n.codes = v; else delete n.codes; set(i, n); }} />
                    </Group>
                  )}
                </>
              )}
              {r.kind === 'band' && (
                <>
                  <Select label={m.score} data={scoreNames} value={r.score || null} readOnly={ro} error={at('score')} onChange={(v) => set(i, { ...r, score: v ?? '' })} maw={320} />
                  <Text size="sm" fw={500}>{m.bands}</Text>
                  {at('bands') && <Text size="xs" c="red">{at('bands')}</Text>}
                  {r.bands.map((b, j) => (
                    <Group key={j} align="flex-start" data-testid={`band-${i}-${j}`}>
                      <NumField path={`${p}.bands.${j}.from`} label={j === 0 ? m.bandFrom : undefined} aria-label={`${m.bandFrom} ${j + 1}`} required value={b.from} w={140} onChange={(v) => set(i, { ...r, bands: r.bands.map((x, k) => (k === j ? { ...x, from: v ?? 0 } : x)) })} />
                      <Select label={j === 0 ? m.bandLevel : undefined} aria-label={`${m.bandLevel} ${j + 1}`} data={LEVEL_OPTIONS} value={b.level} readOnly={ro} allowDeselect={false} w={140} error={errors.at(`${p}.bands.${j}.level`)} onChange={(v) => set(i, { ...r, bands: r.bands.map((x, k) => (k === j ? { ...x, level: (v ?? '低') as RiskLevel } : x)) })} />
                      {!ro && (
                        <Button size="compact-xs" variant="subtle" color="red" mt={j === 0 ? 28 : 6} onClick={() => set(i, { ...r, bands: r.bands.filter((_, k) => k !== j) })}>
                          {m.removeBand}
                        </Button>
                      )}
                    </Group>
                  ))}
                  {!ro && (
                    <Button size="compact-sm" variant="subtle" w="fit-content" onClick={() => set(i, { ...r, bands: [...r.bands, { from: (r.bands[r.bands.length - 1]?.from ?? 0) + 1, level: '高' }] })}>
                      {m.addBand}
                    </Button>
                  )}
                </>
              )}
              {r.kind === 'floor' && (
                <Group grow align="flex-start">
                  <Select label={m.linkId} data={linkIds} value={r.linkId || null} searchable readOnly={ro} error={at('linkId')} onChange={(v) => set(i, { ...r, linkId: v ?? '' })} />
                  <ListField label={m.codes} path={`${p}.codes`} value={r.codes} error={at('codes')} onChange={(v) => set(i, { ...r, codes: v ?? [] })} />
                  <Select label={m.level} data={LEVEL_OPTIONS} value={r.level} readOnly={ro} allowDeselect={false} error={at('level')} onChange={(v) => set(i, { ...r, level: (v ?? '高') as RiskLevel })} />
                </Group>
              )}
              {r.kind === 'adjust' && (
                <Group grow align="flex-start">
                  <Select label={m.score} data={scoreNames} value={r.score || null} readOnly={ro} error={at('score')} onChange={(v) => set(i, { ...r, score: v ?? '' })} />
                  <NumField path={`${p}.atLeast`} label={m.atLeast} required value={r.atLeast} onChange={(v) => set(i, { ...r, atLeast: v ?? 0 })} />
                  <NumField path={`${p}.steps`} label={m.steps} required value={r.steps} onChange={(v) => set(i, { ...r, steps: v ?? 0 })} />
                </Group>
              )}
            </Stack>
          </Paper>
        );
      })}
      {!ro && (
        <Group>
          <Select aria-label={m.kind} data={KINDS.map((k) => ({ value: k, label: SCORING_RULE_LABELS[k] }))} value={kind} allowDeselect={false} onChange={(v) => v && setKind(v as ScoringRuleKind)} w={240} />
          <Button variant="light" onClick={() => onChange([...rules, blankRule(kind, def)])}>{m.add}</Button>
        </Group>
      )}
    </Stack>
  );
}
