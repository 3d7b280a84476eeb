import { Button, Group, Modal, Text } from '@mantine/core';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { formsMsg } from './messages-forms';
import { registerNavGuard, setLeaveAsker } from './nav-guard';

/**
 * Leaving a form with unsaved input asks first (issue 11 §2): the side menu, a search hit, a link, the
 * browser's back button and sign-out show 「尚未儲存的內容將會遺失，確定離開？」; a reload gets the browser's own
 * `beforeunload` question. Render the returned element inside the form's screen:
 *
 *   const leaveGuard = useUnsavedGuard(form.isDirty() && !saved);
 *   return <form ...>{leaveGuard}...</form>;
 *
 * After a successful save, pass false (or navigate after the state has settled) so leaving does not ask.
 */
export function useUnsavedGuard(dirty: boolean): ReactElement {
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const [pending, setPending] = useState<((ok: boolean) => void) | null>(null);

  useEffect(() => {
    const unregister = registerNavGuard(() => dirtyRef.current);
    setLeaveAsker(() => new Promise<boolean>((resolve) => setPending(() => resolve)));
    return () => {
      unregister();
      setLeaveAsker(null);
    };
  }, []);

  const answer = (ok: boolean) => {
    if (ok) dirtyRef.current = false;
    pending?.(ok);
    setPending(null);
  };

  return (
    <Modal opened={pending !== null} onClose={() => answer(false)} title={formsMsg.leave.title} centered data-testid="leave-guard">
      <Text size="sm">{formsMsg.leave.body}</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => answer(false)} data-autofocus>
          {formsMsg.leave.stay}
        </Button>
        <Button color="red" onClick={() => answer(true)}>
          {formsMsg.leave.leave}
        </Button>
      </Group>
    </Modal>
  );
}
