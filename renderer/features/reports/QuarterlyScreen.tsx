import { ConfirmAction } from '../../components/ConfirmAction';
import { confirmMsg } from '../../lib/messages-forms';
import { Alert, Badge, Button, Group, Modal, Paper, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import { PERIOD_STATE_LABELS, type GenerateResult } from '../../../main/contract/types-reports';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgReports as m } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';
import { useMaybeQuery } from '../cases/hooks';
import { downloadBase64, errorText, quarterOptions, reportFileName } from './reportFiles';

const QUARTERS = quarterOptions(8);

function fmt(v: number | null): string {
  return v === null ? '—' : String(v);
}

/** 季報產製: generate a quarter, review, download, submit (lock), diff against the snapshot, unlock. */
export function QuarterlyScreen() {
  const definitions = useApiQuery('reports.listDefinitions', {});
  const [definitionId, setDefinitionId] = useState<string | null>(null);
  const [period, setPeriod] = useState<string>(QUARTERS.find((q) => q.value.endsWith('Q1'))?.value ?? QUARTERS[0]?.value ?? '');
  const [result, setResult] = useState<GenerateResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [unlockOpen, setUnlockOpen] = useState(false);
  const [reason, setReason] = useState('');
  const defId = definitionId ? Number(definitionId) : (definitions.data?.[0]?.id ?? 0);
  const periods = useMaybeQuery('reports.periods', defId ? { definitionId: defId, count: 8 } : null);

  const run = async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      return await fn();
    } catch (e) {
      setError(errorText(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  const generate = () =>
    run(async () => {
      setResult(null);
      setResult(await call('reports.generate', { definitionId: defId, period }));
    });
  // The call itself runs in the confirmation dialog (its error shows there); this refreshes the screen after it.
  const submit = () =>
    run(async () => {
      setNotice(m.q.submitted);
      await periods.reload();
      setResult(await call('reports.generate', { definitionId: defId, period }));
    });
  const unlock = () =>
    run(async () => {
      await call('reports.unlock', { definitionId: defId, period, reason });
      setUnlockOpen(false);
      setReason('');
      setNotice(m.q.unlocked);
      await periods.reload();
      setResult(null);
    });

  const state = periods.data?.find((p) => p.period === period)?.state ?? 'open';
  const download = () => {
    if (!result) return;
    downloadBase64(reportFileName('季報', result.periodLabel, 'xlsx'), result.fileBase64);
  };

  return (
    <Stack>
      <Title order={2}>{m.q.title}</Title>
      <FormError message={definitions.error} />
      {definitions.data && definitions.data.length === 0 && <Alert color="yellow">{m.q.noDefinitions}</Alert>}
      <Paper withBorder p="md">
        <Group align="flex-end">
          <Select
            label={m.q.definition}
            data={(definitions.data ?? []).map((d) => ({ value: String(d.id), label: `${d.name}（${d.formNo}）` }))}
            value={definitionId ?? (defId ? String(defId) : null)}
            onChange={(v) => { setDefinitionId(v); setResult(null); }}
            w={340}
            data-testid="definition-select"
          />
          <Select label={m.q.quarter} data={QUARTERS} value={period} onChange={(v) => { setPeriod(v ?? period); setResult(null); }} w={180} data-testid="quarter-select" />
          <Button onClick={() => void generate()} loading={busy} disabled={!defId} data-testid="generate">
            {m.q.generate}
          </Button>
          <Badge size="lg" variant="light" color={state === 'locked' ? 'red' : state === 'unlocked' ? 'orange' : 'gray'} data-testid="period-state">
            {PERIOD_STATE_LABELS[state]}
          </Badge>
        </Group>
      </Paper>
      {error && (
        <Alert color="red" title={m.refused} data-testid="refusal">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{error}</Text>
        </Alert>
      )}
      {notice && <Alert color="green">{notice}</Alert>}

      {result && (
        <Paper withBorder p="md" data-testid="generate-result">
          <Group justify="space-between" mb="sm">
            <Title order={4}>
              {m.q.review}：{result.periodLabel}
            </Title>
            <Group>
              <Button variant="default" onClick={download} data-testid="download-xlsx">
                {m.q.download}
              </Button>
              {state !== 'locked' && (
                <ConfirmAction
                  label={m.q.submit}
                  color="green"
                  buttonProps={{ 'data-testid': 'submit', loading: busy }}
                  title={confirmMsg.submitReport.title}
                  message={confirmMsg.submitReport.body(result.periodLabel)}
                  confirmLabel={confirmMsg.submitReport.ok}
                  onConfirm={async () => {
                    await call('reports.submit', { definitionId: defId, period });
                    await submit();
                  }}
                />
              )}
              {state === 'locked' && (
                <Button color="orange" variant="light" onClick={() => setUnlockOpen(true)} data-testid="unlock">
                  {m.q.unlock}
                </Button>
              )}
            </Group>
          </Group>
          {result.warnings.length > 0 && (
            <Alert color="yellow" title={m.q.warnings} mb="sm" data-testid="warnings">
              {result.warnings.map((w) => (
                <Text key={`${w.sheet}!${w.cell}-${w.code}`} size="sm">
                  {w.sheet}!{w.cell}：{w.message}
                </Text>
              ))}
            </Alert>
          )}
          {result.locked && (
            <Paper withBorder p="sm" mb="sm" bg="orange.0" data-testid="diff">
              <Text fw={600} mb={4}>
                {m.q.lockedInfo(formatRocDateTime(result.locked.submittedAt), result.locked.submittedBy)}
              </Text>
              {result.locked.diff.length === 0 ? (
                <Text size="sm" data-testid="no-diff">{m.q.noDiff}</Text>
              ) : (
                <Table withTableBorder data-testid="diff-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{m.q.sheet}</Table.Th>
                      <Table.Th>{m.q.cell}</Table.Th>
                      <Table.Th>{m.q.indicator}</Table.Th>
                      <Table.Th>{m.q.before}</Table.Th>
                      <Table.Th />
                      <Table.Th>{m.q.after}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {result.locked.diff.map((d) => (
                      <Table.Tr key={`${d.sheet}!${d.cell}`}>
                        <Table.Td>{d.sheet}</Table.Td>
                        <Table.Td>{d.cell}</Table.Td>
                        <Table.Td>{d.label ?? '—'}</Table.Td>
                        <Table.Td>{d.beforeText || '（空白）'}</Table.Td>
                        <Table.Td>→</Table.Td>
                        <Table.Td fw={700}>{d.afterText || '（空白）'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
          )}
          <Table striped withTableBorder data-testid="figures-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.q.sheet}</Table.Th>
                <Table.Th>{m.q.cell}</Table.Th>
                <Table.Th>{m.q.indicator}</Table.Th>
                <Table.Th ta="right">{m.q.value}</Table.Th>
                <Table.Th>{m.q.unit}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.figures.map((f) => (
                <Table.Tr key={`${f.sheet}!${f.cell}`} data-cell={f.cell}>
                  <Table.Td>{f.sheet}</Table.Td>
                  <Table.Td>{f.cell}</Table.Td>
                  <Table.Td>{f.label}</Table.Td>
                  <Table.Td ta="right">{fmt(f.value)}</Table.Td>
                  <Table.Td>{f.unit}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}

      <Paper withBorder p="md">
        <Title order={4} mb="sm">{m.q.periods}</Title>
        <FormError message={defId ? periods.error : null} />
        {periods.data && (
          <Table striped data-testid="periods-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{m.q.quarter}</Table.Th>
                <Table.Th>{m.q.state}</Table.Th>
                <Table.Th>{m.q.lastSubmission}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {periods.data.map((p) => {
                const s = p.submissions[0];
                return (
                  <Table.Tr key={p.period}>
                    <Table.Td>{p.label}</Table.Td>
                    <Table.Td>{PERIOD_STATE_LABELS[p.state]}</Table.Td>
                    <Table.Td>
                      {s ? `${formatRocDateTime(s.submittedAt)} ${s.submittedBy}${s.unlockedAt ? `；${formatRocDateTime(s.unlockedAt)} ${s.unlockedBy ?? ''} 解鎖：${s.unlockReason ?? ''}` : ''}` : '—'}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <Modal opened={unlockOpen} onClose={() => setUnlockOpen(false)} title={m.q.unlock}>
        <Stack>
          <Textarea label={m.q.unlockReason} value={reason} onChange={(e) => setReason(e.currentTarget.value)} minRows={3} data-testid="unlock-reason" />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setUnlockOpen(false)}>
              {m.cancel}
            </Button>
            <Button color="orange" onClick={() => void unlock()} loading={busy}>
              {m.q.unlockConfirm}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
