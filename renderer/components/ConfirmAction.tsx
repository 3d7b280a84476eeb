import { Alert, Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { formsMsg } from '../lib/messages-forms';

interface Props {
  /** The button that opens the dialog. */
  label: ReactNode;
  buttonProps?: ButtonProps & { 'data-testid'?: string };
  /** The dialog's title, e.g. 停用帳號. */
  title: string;
  /** What will happen, in zh-TW, e.g. 「王小明 將無法再登入。」 (此動作無法復原 is added unless `reversible`). */
  message: ReactNode;
  /** The confirming button's label, e.g. 確定停用. */
  confirmLabel: string;
  color?: string;
  reversible?: boolean;
  /** Extra inputs inside the dialog (e.g. a reason per line). */
  children?: ReactNode;
  /** False keeps the confirm button disabled (e.g. a required reason is missing). */
  canConfirm?: boolean;
  /** Runs the call; a rejection's message is shown INSIDE the dialog, which then stays open. */
  onConfirm: () => Promise<unknown>;
  onOpen?: () => void;
  disabled?: boolean;
  testId?: string;
}

/**
 * Confirms what cannot be undone (issue 11 §7): a button, then a dialog that says what will happen; the
 * call runs from the dialog and its error is shown in the dialog that raised it.
 *
 *   <ConfirmAction label="停用" title="停用帳號" message={`${u.displayName} 將無法再登入。`}
 *     confirmLabel="確定停用" color="red" onConfirm={() => call('users.setActive', { ... })} />
 */
export function ConfirmAction(p: Props) {
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const open = () => {
    setError(null);
    p.onOpen?.();
    setOpened(true);
  };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await p.onConfirm();
      setOpened(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button color={p.color} {...p.buttonProps} disabled={p.disabled} onClick={open}>
        {p.label}
      </Button>
      <Modal opened={opened} onClose={() => !busy && setOpened(false)} title={p.title} centered size="lg" data-testid={p.testId ?? 'confirm-action'}>
        <Stack>
          <Text size="sm">{p.message}</Text>
          {!p.reversible && (
            <Text size="sm" fw={600} c="red">
              {formsMsg.confirm.irreversible}
            </Text>
          )}
          {p.children}
          {error && (
            <Alert color="red" variant="light" role="alert" data-testid="confirm-error">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)} disabled={busy}>
              {formsMsg.confirm.cancel}
            </Button>
            <Button color={p.color ?? 'red'} loading={busy} disabled={p.canConfirm === false} onClick={() => void confirm()} data-testid="confirm-action-ok">
              {p.confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
