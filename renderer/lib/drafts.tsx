import { Alert, Button, Group, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { formatRocDateTime } from '../../main/contract/roc-date';
import { call } from './api';
import { decryptDraft, encryptDraft, importDraftKey, parseStoredDraft, type StoredDraft } from './draft-crypto';
import { formsMsg } from './messages-forms';
import { useUser } from './session';

/**
 * A local draft of one long text (a narrative), per user, per form (issue 11 §2):
 *
 *   const draft = useDraft(`record:new:${caseId}`, narrative, setNarrative);
 *   ...{draft.prompt}                         // 「找到尚未儲存的草稿（115/05/20 10:02）」 恢復草稿 / 捨棄
 *   after a successful save: draft.clear();
 *
 * Kept in localStorage ENCRYPTED (AES-GCM, ./draft-crypto) under the key `auth.draftKey` gives this user;
 * never sent to the server. Saved a moment after each change, offered back when the form opens again,
 * removed when saved or discarded.
 */

const PREFIX = 'welfare-desk.draft.';
const SAVE_DELAY_MS = 600;
const keys = new Map<number, Promise<CryptoKey>>();

function keyFor(userId: number): Promise<CryptoKey> {
  let k = keys.get(userId);
  if (!k) {
    k = call('auth.draftKey', {}).then((r) => importDraftKey(r.key));
    k.catch(() => keys.delete(userId));
    keys.set(userId, k);
  }
  return k;
}

export function draftSlot(userId: number, formId: string): string {
  return `${PREFIX}${userId}.${formId}`;
}

export interface Draft {
  /** The offer (restore / discard) while a draft from an earlier visit waits; null otherwise. */
  prompt: ReactElement | null;
  /** Removes the draft (after a successful save). */
  clear: () => void;
}

export function useDraft(formId: string | null, value: string, restore: (text: string) => void): Draft {
  const user = useUser();
  const slot = formId === null ? null : draftSlot(user.id, formId);
  const [offer, setOffer] = useState<StoredDraft | null>(null);
  const [note, setNote] = useState<string | null>(null);
  // Nothing is written until the offer is answered and the text changed from what the form opened with.
  const baseline = useRef<string | null>(null);
  const cleared = useRef(false);

  useEffect(() => {
    baseline.current = null;
    cleared.current = false;
    setOffer(slot ? parseStoredDraft(localStorage.getItem(slot)) : null);
  }, [slot]);

  useEffect(() => {
    if (!slot || offer) return;
    if (baseline.current === null) {
      baseline.current = value;
      return;
    }
    if (value === baseline.current && !localStorage.getItem(slot)) return;
    cleared.current = false;
    const t = setTimeout(() => {
      if (cleared.current) return;
      if (value.trim() === '') {
        localStorage.removeItem(slot);
        return;
      }
      void keyFor(user.id)
        .then((key) => encryptDraft(key, slot, value, new Date().toISOString()))
        .then((stored) => {
          if (!cleared.current) localStorage.setItem(slot, JSON.stringify(stored));
        })
        .catch(() => undefined); // no key (signed out, locked): nothing is stored in the clear
    }, SAVE_DELAY_MS);
    return () => clearTimeout(t);
  }, [slot, value, offer, user.id]);

  const clear = useCallback(() => {
    cleared.current = true;
    if (slot) localStorage.removeItem(slot);
    setOffer(null);
  }, [slot]);

  const onRestore = async () => {
    if (!slot || !offer) return;
    try {
      const text = await decryptDraft(await keyFor(user.id), slot, offer);
      baseline.current = text;
      restore(text);
    } catch {
      localStorage.removeItem(slot);
      setNote(formsMsg.draft.unreadable);
    }
    setOffer(null);
  };
  const onDiscard = () => {
    if (slot) localStorage.removeItem(slot);
    baseline.current = value;
    setOffer(null);
  };

  let prompt: ReactElement | null = null;
  if (offer) {
    prompt = (
      <Alert color="blue" variant="light" data-testid="draft-offer">
        <Group justify="space-between">
          <Text size="sm">{formsMsg.draft.found(formatRocDateTime(offer.savedAt))}</Text>
          <Group gap="xs">
            <Button size="xs" onClick={() => void onRestore()}>{formsMsg.draft.restore}</Button>
            <Button size="xs" variant="default" onClick={onDiscard}>{formsMsg.draft.discard}</Button>
          </Group>
        </Group>
      </Alert>
    );
  } else if (note) {
    prompt = (
      <Alert color="orange" variant="light" withCloseButton onClose={() => setNote(null)}>
        {note}
      </Alert>
    );
  }
  return { prompt, clear };
}
