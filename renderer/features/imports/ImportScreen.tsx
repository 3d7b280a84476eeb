import { Alert, Anchor, Button, Group, Paper, SimpleGrid, Stack, Stepper, Text, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { ImportBatchView, ImportCounts, ImportInspection, ImportJobProgress } from '../../../main/contract/methods/imports';
import { IMPORT_ROW_STATUS_LABELS, IMPORT_ROW_STATUSES } from '../../../main/contract/methods/imports';
import { ConfirmAction } from '../../components/ConfirmAction';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgImports as m } from '../../lib/messages-imports';
import { currentRoute, navigate, routeQuery } from '../../lib/router';
import { useUnsavedGuard } from '../../lib/unsaved';
import { useApiQuery } from '../../lib/useApi';
import { downloadBase64, errorText } from '../reports/reportFiles';
import { BatchRows, FixHint, STATUS_COLORS } from './CheckStep';
import { FileStep, type ChosenFile } from './FileStep';
import { JobProgressBar, useJobPoll } from './JobProgress';
import { MappingStep, type MappingChoice } from './MappingStep';
import { SheetStep, type Reinspect } from './SheetStep';

type Phase =
  | { step: 'file' }
  | { step: 'sheet' }
  | { step: 'mapping' }
  | { step: 'dryrun'; jobId: string }
  | { step: 'check'; batchId: number }
  | { step: 'commit'; batchId: number; jobId: string }
  | { step: 'done'; batchId: number };

const STEP_INDEX: Record<Phase['step'], number> = { file: 0, sheet: 1, mapping: 2, dryrun: 3, check: 3, commit: 4, done: 5 };

/** Downloads a batch's result report (xlsx); a refusal comes back as the promise's rejection. */
export async function downloadResult(batchId: number): Promise<void> {
  const file = await call('imports.result', { batchId });
  downloadBase64(file.fileName, file.dataBase64);
}

/** Counts of a batch as 「新增 3、已存在 2…」, statuses with none left out. */
export function countsText(c: ImportCounts): string {
  return IMPORT_ROW_STATUSES.filter((s) => c[s] > 0)
    .map((s) => `${IMPORT_ROW_STATUS_LABELS[s]} ${c[s]}`)
    .join('、');
}

/**
 * `#/imports` 資料匯入: file → sheet and header row → mapping and options → dry run (progress, 取消) → the
 * check result (counts, rows, exclude, decide) → commit (confirm, progress, 取消 writes nothing) → the batch
 * and its result report. `#/imports?batch=N` reopens a batch (its check result, or its outcome).
 */
export function ImportScreen() {
  const kinds = useApiQuery('imports.kinds', {});
  const [phase, setPhase] = useState<Phase>(() => {
    const b = Number(routeQuery(currentRoute()).get('batch'));
    return Number.isInteger(b) && b > 0 ? { step: 'check', batchId: b } : { step: 'file' };
  });
  const [chosen, setChosen] = useState<ChosenFile | null>(null);
  const [inspection, setInspection] = useState<ImportInspection | null>(null);
  const [choice, setChoice] = useState<MappingChoice | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const leaveGuard = useUnsavedGuard(chosen !== null && phase.step !== 'done');
  const kind = kinds.data?.find((k) => k.name === chosen?.kind) ?? null;

  const reinspect = async (r: Reinspect) => {
    if (!chosen || !inspection) return;
    setBusy(true);
    setError(null);
    try {
      const encoding = r.encoding ?? (inspection.encoding as 'utf-8' | 'big5' | null) ?? undefined;
      const sheet = r.sheet ?? inspection.sheet;
      const next = await call('imports.inspect', {
        kind: chosen.kind,
        fileName: chosen.fileName,
        dataBase64: chosen.dataBase64,
        source: chosen.source,
        sheet,
        ...(encoding && inspection.encoding !== null ? { encoding } : {}),
        // A new sheet or encoding finds its own header row; a clicked row is kept.
        ...(r.headerRow !== undefined ? { headerRow: r.headerRow } : {}),
      });
      setInspection(next);
      setChoice(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const startOver = () => {
    setChosen(null);
    setInspection(null);
    setChoice(null);
    setError(null);
    setNotice(null);
    setPhase({ step: 'file' });
  };

  const pollJob = useCallback(async (jobId: string) => {
    const p = await call('imports.progress', { jobId });
    return { state: { done: p.done, total: p.total }, finished: p.state !== 'running', value: p };
  }, []);

  const dryJob = phase.step === 'dryrun' ? phase.jobId : null;
  const dryState = useJobPoll<ImportJobProgress>(
    dryJob,
    () => pollJob(dryJob ?? ''),
    (p, err) => {
      if (err || !p) {
        setError(errorText(err));
        setPhase({ step: 'mapping' });
      } else if (p.state === 'done' && p.batchId !== null) {
        setPhase({ step: 'check', batchId: p.batchId });
      } else if (p.state === 'cancelled') {
        setNotice(m.dryRun.cancelled);
        setPhase({ step: 'mapping' });
      } else {
        setError(`${m.dryRun.failed}：${p.error ?? ''}`);
        setPhase({ step: 'mapping' });
      }
    },
  );

  const commitJob = phase.step === 'commit' ? phase.jobId : null;
  const commitBatch = phase.step === 'commit' ? phase.batchId : null;
  const commitState = useJobPoll<ImportJobProgress>(
    commitJob,
    () => pollJob(commitJob ?? ''),
    (p, err) => {
      if (commitBatch === null) return;
      if (err || !p) {
        setError(errorText(err));
        setPhase({ step: 'check', batchId: commitBatch });
      } else if (p.state === 'done') {
        setPhase({ step: 'done', batchId: commitBatch });
      } else if (p.state === 'cancelled') {
        setNotice(m.commit.cancelled);
        setPhase({ step: 'check', batchId: commitBatch });
      } else {
        setError(`${m.commit.failed}：${p.error ?? ''}`);
        setPhase({ step: 'check', batchId: commitBatch });
      }
    },
  );

  const cancelJob = async (jobId: string) => {
    try {
      await call('imports.cancel', { jobId });
    } catch (e) {
      setError(errorText(e));
    }
  };

  const batchId = phase.step === 'check' || phase.step === 'commit' || phase.step === 'done' ? phase.batchId : null;
  const batch = useApiQuery('imports.batch', batchId === null ? null : { batchId }, [phase.step]);

  return (
    <Stack>
      {leaveGuard}
      <Group justify="space-between">
        <Title order={2}>{m.title}</Title>
        <Group gap="xs">
          {phase.step !== 'file' && (
            <Button variant="default" onClick={startOver} data-testid="import-start-over">
              {m.startOver}
            </Button>
          )}
          <Button variant="light" onClick={() => navigate('/imports/batches')}>
            {m.toBatches}
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {m.help}
      </Text>
      <Stepper active={STEP_INDEX[phase.step]} size="sm" allowNextStepsSelect={false} data-testid="import-stepper">
        <Stepper.Step label={m.steps.file} description={chosen ? chosen.fileName : m.steps.fileDesc} />
        <Stepper.Step label={m.steps.sheet} description={inspection ? `${inspection.sheet}・${m.sheet.headerRowIs(inspection.headerRow)}` : m.steps.sheetDesc} />
        <Stepper.Step label={m.steps.mapping} description={m.steps.mappingDesc} />
        <Stepper.Step label={m.steps.check} description={m.steps.checkDesc} />
        <Stepper.Step label={m.steps.commit} description={m.steps.commitDesc} />
      </Stepper>
      {notice && (
        <Alert color="teal" variant="light" role="status" withCloseButton onClose={() => setNotice(null)} data-testid="import-notice">
          {notice}
        </Alert>
      )}
      <FormError message={kinds.error} />

      {phase.step === 'file' && kinds.data && (
        <FileStep
          kinds={kinds.data}
          initial={chosen}
          onInspected={(c, i) => {
            if (chosen?.dataBase64 !== c.dataBase64 || chosen.kind !== c.kind) setChoice(null);
            setChosen(c);
            setInspection(i);
            setError(null);
            setNotice(null);
            setPhase({ step: 'sheet' });
          }}
        />
      )}

      {phase.step === 'sheet' && inspection && (
        <SheetStep
          inspection={inspection}
          busy={busy}
          error={error}
          onChange={(r) => void reinspect(r)}
          onBack={() => setPhase({ step: 'file' })}
          onNext={() => {
            setError(null);
            setPhase({ step: 'mapping' });
          }}
        />
      )}

      {phase.step === 'mapping' && inspection && chosen && kind && (
        <Stack>
          <FormError message={error} />
          <MappingStep
            key={`${kind.name}-${inspection.sheet}-${inspection.headerRow}`}
            kind={kind}
            inspection={inspection}
            initial={choice}
            onBack={() => setPhase({ step: 'sheet' })}
            onRun={async (c) => {
              setChoice(c);
              setError(null);
              setNotice(null);
              const { jobId } = await call('imports.dryRun', {
                kind: chosen.kind,
                source: chosen.source,
                fileName: chosen.fileName,
                dataBase64: chosen.dataBase64,
                ...(inspection.encoding === 'utf-8' || inspection.encoding === 'big5' ? { encoding: inspection.encoding } : {}),
                sheet: inspection.sheet,
                headerRow: inspection.headerRow,
                mapping: c.mapping,
                options: c.options,
              });
              setPhase({ step: 'dryrun', jobId });
            }}
          />
        </Stack>
      )}

      {phase.step === 'dryrun' && (
        <Paper withBorder p="md">
          <JobProgressBar
            label={m.dryRun.running}
            state={dryState}
            text={(d, t) => (t ? m.dryRun.progress(d, t) : m.dryRun.progressUnknown(d))}
            onCancel={() => void cancelJob(phase.jobId)}
            cancelLabel={m.dryRun.cancel}
            testId="import-dryrun-progress"
          />
        </Paper>
      )}

      {phase.step === 'check' && (
        <CheckView
          batchId={phase.batchId}
          batch={batch.data}
          error={error ?? batch.error}
          onCommit={async () => {
            setError(null);
            setNotice(null);
            const { jobId } = await call('imports.commit', { batchId: phase.batchId });
            setPhase({ step: 'commit', batchId: phase.batchId, jobId });
          }}
        />
      )}

      {phase.step === 'commit' && (
        <Paper withBorder p="md">
          <JobProgressBar
            label={m.commit.running}
            state={commitState}
            text={(d, t) => (t ? m.commit.progress(d, t) : m.dryRun.progressUnknown(d))}
            onCancel={() => void cancelJob(phase.jobId)}
            cancelLabel={m.commit.cancel}
            note={m.commit.cancelNote}
            testId="import-commit-progress"
          />
        </Paper>
      )}

      {phase.step === 'done' && batch.data && <DoneView batch={batch.data} onAnother={startOver} />}
    </Stack>
  );
}

/** The dry run's result: counts as filter chips, the rows (exclude, decide), the hint, and 匯入 N 筆. */
function CheckView({ batchId, batch, error, onCommit }: { batchId: number; batch: ImportBatchView | null; error: string | null; onCommit: () => Promise<void> }) {
  const [exportError, setExportError] = useState<string | null>(null);
  if (batch && batch.state !== 'dryrun') {
    return <DoneView batch={batch} />;
  }
  const n = batch?.counts.toWrite ?? 0;
  return (
    <Stack data-testid="import-check-step">
      {batch && (
        <Text size="sm" c="dimmed">
          {m.batches.batchNo} {batch.batchNo}・{batch.kindLabel}・{batch.fileName}
        </Text>
      )}
      {batch && <FixHint counts={batch.counts} />}
      <FormError message={error ?? exportError} />
      <BatchRows
        batchId={batchId}
        editable
        listName={m.result.table}
        actions={
          <Button
            variant="default"
            size="xs"
            onClick={() => {
              setExportError(null);
              downloadResult(batchId).catch((e: unknown) => setExportError(errorText(e)));
            }}
            data-testid="import-export-check"
          >
            {m.result.exportCheck}
          </Button>
        }
      />
      <Group justify="flex-end">
        {batch && n === 0 && (
          <Text size="sm" c="dimmed">
            {m.result.nothing}
          </Text>
        )}
        <ConfirmAction
          label={m.commit.button(n)}
          title={m.commit.title}
          message={
            <>
              {m.commit.question(n)}
              <br />
              {m.commit.detail}
            </>
          }
          confirmLabel={m.commit.confirm}
          color="blue"
          reversible
          disabled={!batch || n === 0}
          buttonProps={{ 'data-testid': 'import-commit' }}
          testId="import-commit-confirm"
          onConfirm={onCommit}
        />
      </Group>
    </Stack>
  );
}

/** A committed (or undone, cancelled...) batch: number, counts, the result report, and its rows. */
function DoneView({ batch, onAnother }: { batch: ImportBatchView; onAnother?: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Stack data-testid="import-done">
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Title order={3}>{batch.state === 'committed' ? m.commit.done : batch.stateLabel}</Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <div>
              <Text size="xs" c="dimmed">
                {m.commit.batchNo}
              </Text>
              <Text fw={700} data-testid="import-batch-no">
                {batch.batchNo}
              </Text>
            </div>
            <div>
              <Text size="xs" c="dimmed">
                {m.batches.kind}
              </Text>
              <Text>{batch.kindLabel}・{batch.source}</Text>
            </div>
            <div>
              <Text size="xs" c="dimmed">
                {m.batches.importedAt}
              </Text>
              <Text>{batch.committedAt ?? batch.createdAt}</Text>
            </div>
          </SimpleGrid>
          <Group gap="xs" data-testid="import-done-counts">
            {IMPORT_ROW_STATUSES.filter((s) => batch.counts[s] > 0).map((s) => (
              <Text key={s} size="sm" c={STATUS_COLORS[s]} fw={600}>
                {IMPORT_ROW_STATUS_LABELS[s]} {batch.counts[s]}
              </Text>
            ))}
            <Text size="sm" fw={600}>
              {m.commit.written(batch.counts.toWrite)}
            </Text>
            {batch.counts.excluded > 0 && <Text size="sm">{m.statuses.excluded} {batch.counts.excluded}</Text>}
          </Group>
          {batch.undoDeadline && (
            <Text size="sm" c="dimmed">
              {m.commit.undoUntil(batch.undoDeadline)}
            </Text>
          )}
          <FormError message={error} />
          <Group>
            <Button
              loading={busy}
              onClick={() => {
                setBusy(true);
                setError(null);
                downloadResult(batch.id)
                  .catch((e: unknown) => setError(errorText(e)))
                  .finally(() => setBusy(false));
              }}
              data-testid="import-download-result"
            >
              {m.commit.download}
            </Button>
            {onAnother && (
              <Button variant="default" onClick={onAnother}>
                {m.commit.another}
              </Button>
            )}
            <Anchor href="#/imports/batches" size="sm">
              {m.toBatches}
            </Anchor>
          </Group>
        </Stack>
      </Paper>
      <BatchRows batchId={batch.id} editable={false} listName={`${m.commit.resultList}-${batch.batchNo}`} />
    </Stack>
  );
}
