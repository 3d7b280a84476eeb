import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';

export interface JobState {
  done: number;
  total: number | null;
}

/**
 * Polls a job until it ends: `poll` returns the job's state and whether it finished; `onEnd` gets the last
 * answer (or the error). Polling stops when the component unmounts.
 */
export function useJobPoll<T>(jobKey: string | number | null, poll: () => Promise<{ state: JobState; finished: boolean; value: T }>, onEnd: (value: T | null, error: unknown) => void, everyMs = 300): JobState | null {
  const [state, setState] = useState<JobState | null>(null);
  const pollRef = useRef(poll);
  pollRef.current = poll;
  const endRef = useRef(onEnd);
  endRef.current = onEnd;
  useEffect(() => {
    if (jobKey === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const r = await pollRef.current();
        if (stopped) return;
        setState(r.state);
        if (r.finished) {
          endRef.current(r.value, null);
          return;
        }
      } catch (err) {
        if (!stopped) endRef.current(null, err);
        return;
      }
      timer = setTimeout(() => void tick(), everyMs);
    };
    setState({ done: 0, total: null });
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [jobKey, everyMs]);
  return state;
}

/** A progress bar with row counts and a 取消 button. */
export function JobProgressBar({ label, state, text, onCancel, cancelLabel, note, testId }: { label: string; state: JobState | null; text: (done: number, total: number | null) => string; onCancel?: () => void; cancelLabel: string; note?: string; testId: string }) {
  const done = state?.done ?? 0;
  const total = state?.total ?? null;
  const pct = total && total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <Stack gap="xs" data-testid={testId}>
      <Text fw={600}>{label}</Text>
      <Progress value={total ? pct : 100} animated striped={!total} size="lg" aria-label={label} />
      <Group justify="space-between">
        <Text size="sm" role="status">
          {text(done, total)}
        </Text>
        {onCancel && (
          <Button variant="default" color="red" size="xs" onClick={onCancel} data-testid={`${testId}-cancel`}>
            {cancelLabel}
          </Button>
        )}
      </Group>
      {note && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
    </Stack>
  );
}
