import { Button, Group, Stack, Title } from '@mantine/core';
import { useRef, useState, type ReactNode } from 'react';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgFoodbank as m } from '../../lib/messages';

/** An A4 document in a frame with a print button; the print is recorded in the audit log first. */
export function PrintFrame(props: { title: string; html: string | null; entity: string; entityId: number; what: string; testId: string; actions?: ReactNode }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [error, setError] = useState<string | null>(null);
  const print = async () => {
    try {
      await call('audit.recordPrint', { entity: props.entity, entityId: props.entityId, what: props.what });
      frame.current?.contentWindow?.print();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{props.title}</Title>
        <Group>
          {props.actions}
          <Button onClick={() => void print()} disabled={!props.html} data-testid="print-button">
            {m.print}
          </Button>
        </Group>
      </Group>
      <FormError message={error} />
      {props.html && <iframe ref={frame} title={props.title} data-testid={props.testId} srcDoc={props.html} style={{ width: '210mm', height: '297mm', border: '1px solid #ccc', background: 'white' }} />}
    </Stack>
  );
}
