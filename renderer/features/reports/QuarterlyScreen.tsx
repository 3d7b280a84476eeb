import { ConfirmAction } from '../../components/ConfirmAction';
import { confirmMsg } from '../../lib/messages-forms';
import { Alert, Badge, Button, Group, Modal, Paper, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import { RELATIVE_PERIOD_LABELS, REPORT_FREQUENCY_LABELS, type ReportFrequency } from '../../../main/contract/report-periods';
import { PERIOD_STATE_LABELS, type GenerateResult, type PeriodStatusView } from '../../../main/contract/types-reports';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgReports as m } from '../../lib/messages';
import { msgPeriods as mp } from '../../lib/messages-periods';
import { useApiQuery } from '../../lib/useApi';
import { useMaybeQuery } from '../cases/hooks';
import { downloadBase64, errorText, reportFileName } from './reportFiles';

/** How many periods the picker offers, by frequency (about two years). */
const PERIOD_COUNT: Record<ReportFrequency, number> = { month: 13, quarter: 8, halfYear: 6, year: 5 };

function fmt(v: number | null): string {
  return v === null ? '—' : String(v);
}

/**
 * 定期報表產製 (every frequency since issue 13): pick a definition and one of its periods (months,
 * quarters, half-years or years, in ROC), generate, review, download, submit (lock), diff against
 * the snapshot, unlock; a submitted period's snapshot downloads as it was sent.
 */
export function QuarterlyScreen() {
  const definitions = useApiQuery('reports.listDefinitions', {});
  const [definitionId, setDefinitionId] = useState<string | null>(null);
  /** Null: the default, the last finished period (the one before the current). */
  const [chosen, setChosen] = useState<string | null>(null);
  const [result, setResult] = useState<GenerateResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [unlockOpen, setUnlockOpen] = useState(false);
  const [reason, setReason] = useState('');
  const defId = definitionId ? Number(definitionId) : (definitions.data?.[0]?.id ?? 0);
  const frequency: ReportFrequency = definitions.data?.find((d) => d.id === defId)?.frequency ?? 'quarter';
  const periods = useMaybeQuery('reports.periods', defId ? { definitionId: defId, count: PERIOD_COUNT[frequency] } : null);
  const period = chosen ?? periods.data?.[1]?.period ?? periods.data?.[0]?.period ?? '';
  const periodOptions = (periods.data ?? []).map((p) => ({ value: p.period, label: p.label }));

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
      setNotice(mp.submitted);
      await periods.reload();
      setResult(await call('reports.generate', { definitionId: defId, period }));
    });
  const unlock = () =>
    run(async () => {
      await call('reports.unlock', { definitionId: defId, period, reason });
      setUnlockOpen(false);
      setReason('');
      setNotice(mp.unlocked);
      await periods.reload();
      setResult(null);
    });

  const state = periods.data?.find((p) => p.period === period)?.state ?? 'open';
  const download = () => {
    if (!result) return;
    downloadBase64(reportFileName(REPORT_FREQUENCY_LABELS[frequency], result.periodLabel, 'xlsx'), result.fileBase64);
  };
  /** The snapshot as it was submitted (the newest submission of the period, locked or since unlocked). */
  const downloadSnapshot = (p: PeriodStatusView) =>
    run(async () => {
      const latest = p.submissions[0];
      const snap = await call('reports.snapshot', { definitionId: defId, period: p.period, ...(latest ? { submissionId: latest.id } : {}) });
      downloadBase64(reportFileName(`${REPORT_FREQUENCY_LABELS[frequency]}-送出版本`, p.label, 'xlsx'), snap.fileBase64);
    });
  const current = periods.data?.find((p) => p.period === period);

  return (
    <Stack>
      <Title order={2}>{mp.title}</Title>
      <FormError message={definitions.error} />
      {definitions.data && definitions.data.length === 0 && <Alert color="yellow">{m.q.noDefinitions}</Alert>}
      <Paper withBorder p="md">
        <Group align="flex-end">
          <Select
            label={m.q.definition}
            data={(definitions.data ?? []).map((d) => ({ value: String(d.id), label: `${d.name}（${d.formNo}）` }))}
            value={definitionId ?? (defId ? String(defId) : null)}
            onChange={(v) => { setDefinitionId(v); setChosen(null); setResult(null); }}
            w={340}
            data-testid="definition-select"
          />
          <Select
            label={mp.periodLabel[frequency]}
            data={periodOptions}
            value={period || null}
            onChange={(v) => { setChosen(v ?? period); setResult(null); }}
            w={180}
            data-testid="quarter-select"
          />
          <Button onClick={() => void generate()} loading={busy} disabled={!defId || !period} data-testid="generate">
            {m.q.generate}
          </Button>
          <Badge size="lg" variant="light" color={state === 'locked' ? 'red' : state === 'unlocked' ? 'orange' : 'gray'} data-testid="period-state">
            {PERIOD_STATE_LABELS[state]}
          </Badge>
          {current && current.submissions.length > 0 && (
            <Button variant="light" onClick={() => void downloadSnapshot(current)} data-testid="download-snapshot">
              {mp.snapshot}
            </Button>
          )}
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
                  message={mp.submitBody(result.periodLabel)}
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
                {mp.lockedInfo(formatRocDateTime(result.locked.submittedAt), result.locked.submittedBy)}
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
                <Table.Th>{mp.cellPeriod}</Table.Th>
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
                  <Table.Td data-testid={`cell-period-${f.cell}`}>
                    {RELATIVE_PERIOD_LABELS[f.period ?? 'report']}
                    {f.from && f.to && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {formatRocDate(f.from)}–{formatRocDate(f.to)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{fmt(f.value)}</Table.Td>
                  <Table.Td>{f.unit}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}

      <Paper withBorder p="md">
        <Title order={4} mb="sm">{mp.periodsTitle[frequency]}</Title>
        <FormError message={defId ? periods.error : null} />
        {periods.data && (
          <Table striped data-testid="periods-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{mp.periodLabel[frequency]}</Table.Th>
                <Table.Th>{m.q.state}</Table.Th>
                <Table.Th>{m.q.lastSubmission}</Table.Th>
                <Table.Th>{mp.snapshotColumn}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {periods.data.map((p) => {
                const s = p.submissions[0];
                return (
                  <Table.Tr key={p.period} data-period={p.period}>
                    <Table.Td>{p.label}</Table.Td>
                    <Table.Td>{PERIOD_STATE_LABELS[p.state]}</Table.Td>
                    <Table.Td>
                      {s ? `${formatRocDateTime(s.submittedAt)} ${s.submittedBy}${s.unlockedAt ? `；${formatRocDateTime(s.unlockedAt)} ${s.unlockedBy ?? ''} 解鎖：${s.unlockReason ?? ''}` : ''}` : '—'}
                    </Table.Td>
                    <Table.Td>
                      {s ? (
                        <Button size="compact-sm" variant="subtle" onClick={() => void downloadSnapshot(p)} data-testid={`snapshot-${p.period}`}>
                          {mp.snapshot}
                        </Button>
                      ) : (
                        '—'
                      )}
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
