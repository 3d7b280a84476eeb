import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import { CASE_REQUEST_KIND_LABELS, type ApprovalRow } from '../../../main/contract/types-cases';
import { FormError } from '../../components/FormError';
import { ApiCallError, call } from '../../lib/api';
import { msgCases, msgWorklists } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';
import { usePolling } from '../../lib/usePolling';
import { CaseStatusBadge, RiskBadge } from '../cases/labels';

/**
 * 待審核 `#/approvals`: the 督導's inbox of pending requests, approved or returned in place. Requests sent
 * from other PCs appear by polling (usePolling), held while a comment is being written.
 */
export function ApprovalsScreen() {
  const list = useApiQuery('worklists.approvals', {});
  const [done, setDone] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<ReadonlySet<number>>(new Set());
  const onDraft = useCallback((id: number, has: boolean) => {
    setDrafts((cur) => {
      if (cur.has(id) === has) return cur;
      const next = new Set(cur);
      if (has) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  usePolling(list.reload, undefined, drafts.size > 0);
  return (
    <Stack maw={1100}>
      <Title order={2}>{msgWorklists.approvalsTitle}</Title>
      <FormError message={list.error} />
      {done && (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setDone(null)} closeButtonLabel="關閉" data-testid="approval-done">
          {done}
        </Alert>
      )}
      {list.data && list.data.length === 0 && <Text c="dimmed">{msgWorklists.approvalsEmpty}</Text>}
      {(list.data ?? []).map((row) => (
        <ApprovalCard
          key={row.request.id}
          row={row}
          onDraft={onDraft}
          onDecided={(text) => {
            setDone(text);
            void list.reload();
          }}
        />
      ))}
    </Stack>
  );
}

function ApprovalCard({ row, onDecided, onDraft }: { row: ApprovalRow; onDecided(text: string): void; onDraft(id: number, has: boolean): void }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const kind = CASE_REQUEST_KIND_LABELS[row.request.kind];

  async function decide(approve: boolean) {
    if (!approve && !comment.trim()) {
      setFieldError(msgCases.action.returnCommentHelp);
      return;
    }
    setBusy(true);
    try {
      const d = await call('cases.decide', { requestId: row.request.id, approve, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      onDraft(row.request.id, false);
      onDecided(`${d.caseNo}：${approve ? '已核准' : '已退回'}${kind}申請（目前狀態：${d.status}）`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setFieldError(err instanceof ApiCallError ? err.fields.comment : undefined);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md" data-testid={`approval-${row.caseNo}`} aria-label={`${kind}申請 ${row.caseNo}`} role="region">
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="sm">
            <Badge color="orange" size="lg">
              {`${msgWorklists.cols.kind}${kind}`}
            </Badge>
            <Anchor href={`#/cases/${row.request.caseId}`} fw={700}>
              {row.caseNo}
            </Anchor>
            <Anchor href={`#/households/${row.householdId}`} c="dark">
              {row.headName ?? ''}
            </Anchor>
            <CaseStatusBadge status={row.caseStatus} size="sm" />
            <Text size="sm">{row.caseType}</Text>
            <RiskBadge level={row.riskLevel} />
          </Group>
          <Text size="sm" c="dimmed">
            {`${msgCases.field.lead}：${row.lead?.name ?? '—'}`}
          </Text>
        </Group>
        <Text size="sm">
          <b>{`${msgWorklists.cols.requestReason}：`}</b>
          {row.request.reason}
        </Text>
        {row.request.transferTo && <Text size="sm">{`${msgCases.action.transferTo}：${row.request.transferTo.name}`}</Text>}
        <Text size="xs" c="dimmed">
          {`${row.request.requestedBy.name}\u3000${formatRocDateTime(row.request.requestedAt)}`}
        </Text>
        {row.canDecide ? (
          <>
            <Textarea
              label={msgCases.action.commentLabel}
              description={msgCases.action.returnCommentHelp}
              autosize
              minRows={2}
              value={comment}
              onChange={(e) => {
                setComment(e.currentTarget.value);
                onDraft(row.request.id, e.currentTarget.value.trim() !== '');
                setFieldError(undefined);
              }}
              error={fieldError}
            />
            <FormError message={error} />
            <Group justify="flex-end">
              <Button color="red" variant="light" loading={busy} onClick={() => void decide(false)}>
                {msgCases.action.return}
              </Button>
              <Button color="teal" loading={busy} onClick={() => void decide(true)}>
                {msgCases.action.approve}
              </Button>
            </Group>
          </>
        ) : (
          <Text size="sm" c="orange">
            {msgWorklists.ownRequest}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
