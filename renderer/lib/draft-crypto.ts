/**
 * Local drafts, encrypted (issue 11 §2): AES-256-GCM with Web Crypto under the per-user key the main
 * process derives (`auth.draftKey`). The slot's name (user and form) is bound in as additional data, so a
 * draft copied into another slot, or altered in any byte, is refused rather than shown. Pure: runs in the
 * browser and in Node's test runner alike (globalThis.crypto).
 */

export interface StoredDraft {
  v: 1;
  iv: string;
  ct: string;
  /** ISO time of the last save (not secret: shown when the draft is offered back). */
  savedAt: string;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function toB64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromB64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Imports the base64 raw key `auth.draftKey` answers; not extractable. */
export function importDraftKey(base64: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', fromB64(base64), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

export async function encryptDraft(key: CryptoKey, slot: string, text: string, savedAt: string): Promise<StoredDraft> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(slot) }, key, enc.encode(text));
  return { v: 1, iv: toB64(iv), ct: toB64(new Uint8Array(ct)), savedAt };
}

/** The draft's text; rejects on a wrong key, another slot or any tampering (GCM's tag). */
export async function decryptDraft(key: CryptoKey, slot: string, stored: StoredDraft): Promise<string> {
  if (stored.v !== 1) throw new Error('unknown draft version');
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromB64(stored.iv), additionalData: enc.encode(slot) }, key, fromB64(stored.ct));
  return dec.decode(plain);
}

/** Parses what localStorage holds, or null when it is not a draft of ours. */
export function parseStoredDraft(raw: string | null): StoredDraft | null {
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Partial<StoredDraft>;
    return d.v === 1 && typeof d.iv === 'string' && typeof d.ct === 'string' && typeof d.savedAt === 'string' ? (d as StoredDraft) : null;
  } catch {
    return null;
  }
}
