import { Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgResources as m } from '../../lib/messages-resources';
import { useApiQuery } from '../../lib/useApi';
import { PrintFrame } from '../foodbank/PrintFrame';
import { downloadBase64 } from '../reports/reportFiles';
import { referralFormHtml } from './referralFormHtml';

/** `#/referrals/:id/form`: the 轉介單 on A4, 列印 (audited print) and 匯出 (an .xlsx, audited by the server). */
export function ReferralFormScreen({ id }: { id: number }) {
  const form = useApiQuery('referrals.form', { referralId: id });
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const exportFile = async () => {
    setBusy(true);
    setError(null);
    try {
      const f = await call('referrals.exportForm', { referralId: id });
      downloadBase64(f.fileName, f.fileBase64 ?? '', f.mimeType);
      setDone(m.form.exported(f.fileName));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      <FormError message={form.error ?? error} />
      {done && (
        <Text size="sm" c="teal" data-testid="export-done">
          {done}
        </Text>
      )}
      <PrintFrame
        title={m.form.title}
        html={form.data ? referralFormHtml(form.data) : null}
        entity="referral_form"
        entityId={id}
        what="轉介單"
        testId="referral-form-frame"
        actions={
          <>
            <Button variant="default" onClick={() => window.history.back()}>
              {m.form.back}
            </Button>
            <Button variant="light" onClick={() => void exportFile()} loading={busy} disabled={!form.data} data-testid="export-form">
              {m.form.export}
            </Button>
          </>
        }
      />
    </Stack>
  );
}
