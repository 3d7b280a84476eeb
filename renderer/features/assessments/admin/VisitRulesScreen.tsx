import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { RISK_LEVELS, type RiskLevel } from '../../../../main/contract/types-cases';
import type { VisitFrequencyRule } from '../../../../main/contract/types-assessments';
import { FormError } from '../../../components/FormError';
import { ApiCallError, call } from '../../../lib/api';
import { msgVisitRules as m } from '../../../lib/messages-instruments';
import { useUser } from '../../../lib/session';
import { useApiQuery } from '../../../lib/useApi';
import { RiskBadge } from '../../cases/labels';

type Texts = Record<RiskLevel, { visit: string; reassess: string }>;
const LEVELS: RiskLevel[] = [...RISK_LEVELS].reverse(); // 高, 中, 低

function textsOf(rules: VisitFrequencyRule[]): Texts {
  const out = {} as Texts;
  for (const l of RISK_LEVELS) {
    const r = rules.find((x) => x.level === l);
    out[l] = { visit: r ? String(r.visitEveryDays) : '', reassess: r ? String(r.reassessEveryDays) : '' };
  }
  return out;
}

/** A whole number of days 1..730 (full-width digits allowed), or the zh-TW reason it is not. */
function days(text: string): number | string {
  const t = text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
  if (t === '') return m.required;
  if (!/^\d+$/.test(t)) return m.whole;
  const n = Number(t);
  return n >= 1 && n <= 730 ? n : m.whole;
}

/** 訪視頻率設定 `#/admin/visit-rules`: per level, days between visits and to the next assessment. 督導 read only. */
export function VisitRulesScreen() {
  const user = useUser();
  const admin = user.role === 'admin';
  const rules = useApiQuery('visitRules.list', {});
  const [texts, setTexts] = useState<Texts | null>(null);
  const [serverFields, setServerFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const [touched, setTouched] = useState(false);
  const shown = texts ?? (rules.data ? textsOf(rules.data) : null);

  const set = (l: RiskLevel, f: 'visit' | 'reassess', v: string) => {
    if (!shown) return;
    setTexts({ ...shown, [l]: { ...shown[l], [f]: v } });
    setSaved(false);
    setServerFields({});
  };
  const fieldError = (l: RiskLevel, f: 'visit' | 'reassess', i: number): string | undefined => {
    if (!shown) return undefined;
    const v = days(shown[l][f]);
    if (typeof v === 'string' && (touched || texts !== null)) return v;
    const key = f === 'visit' ? 'visitEveryDays' : 'reassessEveryDays';
    return serverFields[`rules.${i}.${key}`] ?? serverFields[`${l}.${key}`];
  };

  const save = async () => {
    if (!shown) return;
    setTouched(true);
    setError(null);
    const out: VisitFrequencyRule[] = [];
    for (const l of RISK_LEVELS) {
      const visit = days(shown[l].visit);
      const reassess = days(shown[l].reassess);
      if (typeof visit === 'string' || typeof reassess === 'string') return;
      out.push({ level: l, visitEveryDays: visit, reassessEveryDays: reassess });
    }
    setSaving(true);
    try {
      await call('visitRules.save', { rules: out });
      setTexts(null);
      setSaved(true);
      await rules.reload();
    } catch (e) {
      if (e instanceof ApiCallError) setServerFields(e.fields);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack maw={800}>
      <Title order={2}>{m.title}</Title>
      <Text size="sm" c="dimmed">{m.intro}</Text>
      {!admin && <Alert variant="light">{m.readOnly}</Alert>}
      <FormError message={rules.error ?? error} />
      {saved && <Alert color="teal" variant="light" data-testid="visit-rules-saved">{m.saved}</Alert>}
      {shown && (
        <Paper withBorder p="md">
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.level}</Table.Th>
                <Table.Th>{m.visitEvery}</Table.Th>
                <Table.Th>{m.reassessEvery}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {LEVELS.map((l) => {
                const i = RISK_LEVELS.indexOf(l);
                return (
                  <Table.Tr key={l} data-testid={`visit-rule-${l}`}>
                    <Table.Td valign="top" pt="md"><RiskBadge level={l} /></Table.Td>
                    <Table.Td valign="top">
                      <TextInput aria-label={`${m.levelLabel(l)} ${m.visitEvery}`} value={shown[l].visit} readOnly={!admin} inputMode="numeric" error={fieldError(l, 'visit', i)} onChange={(e) => set(l, 'visit', e.currentTarget.value)} />
                    </Table.Td>
                    <Table.Td valign="top">
                      <TextInput aria-label={`${m.levelLabel(l)} ${m.reassessEvery}`} value={shown[l].reassess} readOnly={!admin} inputMode="numeric" error={fieldError(l, 'reassess', i)} onChange={(e) => set(l, 'reassess', e.currentTarget.value)} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {admin && (
            <Group justify="flex-end" mt="md">
              <Button onClick={() => void save()} loading={saving}>{m.save}</Button>
            </Group>
          )}
        </Paper>
      )}
    </Stack>
  );
}
