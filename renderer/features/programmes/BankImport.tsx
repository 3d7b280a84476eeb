import { Alert, Button, FileInput, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { BankImportMapping, BankImportResult } from '../../../main/contract/types-programmes';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgProgrammes as m } from '../../lib/messages';

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** 匯入銀行存款檔: pick the file, map its columns once (kept for next time), check, import. */
export function BankImport({ onDone }: { onDone: () => void }) {
  const [file, setFile] = useState<string | null>(null);
  const [check, setCheck] = useState<BankImportResult | null>(null);
  const [mapping, setMapping] = useState<Partial<BankImportMapping>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const complete = mapping.accountNo && mapping.date && mapping.amount ? (mapping as BankImportMapping) : undefined;
  const run = async (dryRun: boolean, base64 = file, map = complete) => {
    if (!base64) return;
    try {
      const r = await call('childAccounts.importBank', { fileBase64: base64, ...(map ? { mapping: map } : {}), dryRun });
      setCheck(r);
      if (r.mapping) setMapping(r.mapping);
      setError(null);
      if (!dryRun) {
        setCheck(null);
        setDone(m.importDone(r.imported, r.skipped));
        onDone();
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const options = (check?.headers ?? []).filter((h) => h !== '');
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {m.importHelp}
      </Text>
      <FileInput
        label={m.importFile}
        accept=".xlsx"
        onChange={async (f) => {
          setCheck(null);
          setDone(null);
          if (!f) return setFile(null);
          const b = await toBase64(f);
          setFile(b);
          await run(true, b, undefined);
        }}
      />
      {check && (
        <Group grow>
          {(['accountNo', 'date', 'amount'] as const).map((k) => (
            <Select key={k} label={m.importColumns[k]} data={options} value={mapping[k] ?? null} onChange={(v) => setMapping((p) => ({ ...p, [k]: v ?? undefined }))} />
          ))}
        </Group>
      )}
      {check && check.problems.length > 0 && (
        <Alert color="orange" variant="light">
          {check.problems.slice(0, 10).map((p) => (
            <div key={p.row}>{`第 ${p.row} 列：${p.message}`}</div>
          ))}
        </Alert>
      )}
      {check && complete && check.problems.length === 0 && <Text size="sm">{m.importReady(check.imported, check.skipped)}</Text>}
      <FormError message={error} />
      {done && (
        <Text c="green" size="sm" role="status">
          {done}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="light" disabled={!file || !complete} onClick={() => void run(true)}>
          {m.importCheck}
        </Button>
        <Button disabled={!file || !complete || (check?.problems.length ?? 0) > 0} onClick={() => void run(false)}>
          {m.importSubmit}
        </Button>
      </Group>
    </Stack>
  );
}
