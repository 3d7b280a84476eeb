import { Alert, Button, Group, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { formatRocDateTime } from '../../../main/contract/roc-date';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgReports as m } from '../../lib/messages';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { errorText, monthOptions } from './reportFiles';
import './monthly.css';

const MONTHS = monthOptions(18);
const WHOLE = 'all';

/** Splits the backend's A4 page into its style sheet and body, for a shadow root in the print sheet. */
function splitHtml(html: string): { css: string; body: string } {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const css = [...doc.querySelectorAll('style')].map((s) => s.textContent ?? '').join('\n');
  return {
    // `body` and `@page` do not apply inside a shadow root: the host takes the body's rules; @page is in monthly.css.
    css: css.replace(/@page\s*\{[^}]*\}/g, '').replace(/html,\s*body\s*\{/g, ':host {').replace(/(^|[\s}])body\s*\{/g, '$1:host {'),
    body: doc.body.innerHTML,
  };
}

/** The print sheet: the same HTML in a shadow root under <body>, shown only when printing. */
function PrintSheet({ html }: { html: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    const { css, body } = splitHtml(html);
    root.innerHTML = `<style>${css}\n@media print { .sheet { margin: 0; padding: 0; box-shadow: none; width: auto; } }</style>${body}`;
  }, [html]);
  return createPortal(<div className="report-print-sheet" ref={host} data-testid="monthly-print-sheet" />, document.body);
}

/** 月報 (督導 + 管理者): the A4 statistical-form monthly report, a supervisor's remark, print / save as PDF. */
export function MonthlyScreen() {
  const user = useUser();
  const teams = useApiQuery('teams.list', {});
  const [month, setMonth] = useState<string>(MONTHS[1]?.value ?? MONTHS[0]?.value ?? '');
  const [team, setTeam] = useState<string | null>(null);
  const teamList = (teams.data ?? []).filter((t) => user.role === 'admin' || t.supervisorId === user.id);
  const teamValue = team ?? (user.role === 'admin' ? WHOLE : teamList[0] ? String(teamList[0].id) : WHOLE);
  const teamId = teamValue === WHOLE ? undefined : Number(teamValue);
  const report = useApiQuery('reports.monthlyHtml', { month, ...(teamId ? { teamId } : {}) }, []);
  const [remark, setRemark] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const remarkView = report.data?.data.remark ?? null;

  useEffect(() => {
    setRemark(remarkView?.text ?? '');
  }, [remarkView?.text, remarkView?.version]);

  const saveRemark = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await call('reports.saveMonthlyRemark', { month, ...(teamId ? { teamId } : {}), remark, ...(remarkView ? { version: remarkView.version } : {}) });
      setNotice(m.monthly.remarkSaved);
      await report.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const print = async () => {
    setError(null);
    try {
      // The report's own method records the print with the team scope checked in the main process.
      await call('reports.monthlyPrinted', { month, ...(teamId ? { teamId } : {}), to: 'printer' });
      window.print();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const teamOptions = [...(user.role === 'admin' ? [{ value: WHOLE, label: m.monthly.wholeCenter }] : []), ...teamList.map((t) => ({ value: String(t.id), label: t.name }))];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{m.monthly.title}</Title>
        <Button onClick={() => void print()} disabled={!report.data} data-testid="print-monthly">
          {m.monthly.print}
        </Button>
      </Group>
      <Paper withBorder p="md">
        <Group align="flex-end">
          <Select label={m.monthly.month} data={MONTHS} value={month} onChange={(v) => setMonth(v ?? month)} w={160} data-testid="month-select" />
          <Select label={m.monthly.team} data={teamOptions} value={teamValue} onChange={(v) => setTeam(v)} w={200} data-testid="team-select" />
        </Group>
      </Paper>
      <FormError message={report.error ?? teams.error} />
      {error && <Alert color="red" title={m.refused}>{error}</Alert>}
      {notice && <Alert color="green">{notice}</Alert>}
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Textarea label={m.monthly.remark} description={m.monthly.remarkHint} value={remark} onChange={(e) => setRemark(e.currentTarget.value)} minRows={2} maxLength={1000} autosize data-testid="remark" />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">{remarkView ? m.monthly.remarkBy(formatRocDateTime(remarkView.updatedAt), remarkView.updatedBy) : ''}</Text>
            <Button onClick={() => void saveRemark()} loading={busy} disabled={!report.data} data-testid="save-remark">
              {m.monthly.saveRemark}
            </Button>
          </Group>
        </Stack>
      </Paper>
      {report.loading && !report.data && <Text c="dimmed">{m.loading}</Text>}
      {report.data && (
        <div style={{ overflow: 'auto' }}>
          <iframe
            title={m.monthly.title}
            data-testid="monthly-frame"
            srcDoc={report.data.html}
            onLoad={(e) => {
              const doc = e.currentTarget.contentDocument;
              if (doc) e.currentTarget.style.height = `${doc.documentElement.scrollHeight + 8}px`;
            }}
            style={{ width: '100%', minWidth: '236mm', height: '1200px', border: '1px solid #ccc', background: '#e8e8e8', display: 'block' }}
          />
        </div>
      )}
      {report.data && <PrintSheet html={report.data.html} />}
    </Stack>
  );
}
