import { z } from 'zod';
import type { Envelope } from './envelope';

/**
 * How a desktop PC reaches its data: on its own (`local`, the single-PC app) or as a client of the
 * center server (`server`, pinned to the certificate the user confirmed once). Shared by the main
 * process (main/client), the preload and the renderer's first-run screen, so it stays pure.
 */

/** What `details.connection` of an error envelope says when the center server could not be used. */
export type ConnectionProblem = 'certificate-changed' | 'unreachable' | 'timeout' | 'bad-answer';

export const CONNECTION_MESSAGES = {
  certificateChanged:
    '中心伺服器的憑證與先前確認的不同，可能是伺服器換了憑證或連線被攔截。請向系統管理者確認新的憑證指紋後，重新設定連線。',
  unreachable: '無法連線到中心伺服器，請確認網路連線與伺服器位址；若持續發生，請洽系統管理者。',
  timeout: '中心伺服器太久沒有回應，請稍後再試；若是新增或修改資料，請先查看是否已經存檔，再決定是否重做。',
  badAnswer: '中心伺服器的回應無法辨識，請稍後再試；若持續發生，請洽系統管理者。',
  notConfigured: '尚未設定這台電腦的使用方式，請先選擇本機單機使用或連線到中心伺服器。',
  urlRequired: '請輸入中心伺服器的位址，例如 https://192.168.1.10:8443',
  urlInvalid: '位址格式不正確，請輸入像 https://192.168.1.10:8443 這樣的位址。',
  urlNotHttps: '只能使用加密連線：位址必須以 https:// 開頭。',
  urlHasPath: '請只輸入伺服器的位址與連接埠，不要包含路徑、帳號或查詢參數。',
} as const;

export type ServerUrlCheck = { ok: true; url: string } | { ok: false; message: string };

/**
 * Checks an address typed by the user and returns its normal form (`https://host:port`).
 * Only https:// is accepted; a bare `host:port` is read as https.
 */
export function parseServerUrl(text: string): ServerUrlCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: CONNECTION_MESSAGES.urlRequired };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: CONNECTION_MESSAGES.urlInvalid };
  }
  if (url.protocol !== 'https:') return { ok: false, message: CONNECTION_MESSAGES.urlNotHttps };
  if (url.hostname === '') return { ok: false, message: CONNECTION_MESSAGES.urlInvalid };
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || (url.pathname !== '/' && url.pathname !== '')) {
    return { ok: false, message: CONNECTION_MESSAGES.urlHasPath };
  }
  return { ok: true, url: url.origin };
}

/** A SHA-256 certificate fingerprint in the form Node and the server print: 32 bytes, uppercase hex, colon-separated. */
export const fingerprintSchema = z
  .string()
  .transform((s) => normalizeFingerprint(s))
  .refine((s): s is string => s !== null, { message: '憑證指紋格式不正確（應為 64 個十六進位字元）。' });

/** `ab:cd:…`, `ABCD…` or with spaces -> `AB:CD:…`; null when it is not 32 bytes of hex. */
export function normalizeFingerprint(text: string): string | null {
  const hex = text.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

/** The fingerprint in short lines, numbered, to read aloud and compare with the administrator's screen. */
export function fingerprintLines(fingerprint: string, pairsPerLine = 8): string[] {
  const pairs = (normalizeFingerprint(fingerprint) ?? fingerprint).split(':');
  const lines: string[] = [];
  for (let i = 0; i < pairs.length; i += pairsPerLine) lines.push(pairs.slice(i, i + pairsPerLine).join(':'));
  return lines;
}

export const connectionConfigSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('local') }).strict(),
  z
    .object({
      mode: z.literal('server'),
      url: z.string().refine((u) => {
        const check = parseServerUrl(u);
        return check.ok && check.url === u;
      }, CONNECTION_MESSAGES.urlInvalid),
      fingerprint: z.string().refine((f) => normalizeFingerprint(f) === f, '憑證指紋格式不正確。'),
      /** When the user confirmed the fingerprint (ISO 8601). */
      pinnedAt: z.iso.datetime(),
    })
    .strict(),
]);
export type ConnectionConfig = z.infer<typeof connectionConfigSchema>;

/** What the first-run screen is told about this PC. */
export type ConnectionState =
  | { mode: 'unconfigured' }
  | { mode: 'local' }
  | { mode: 'server'; url: string; fingerprint: string; pinnedAt: string; problem: ConnectionProblem | null };

/** What the check (probe) found: the certificate the server presented, nothing sent to it. */
export interface ServerProbe {
  url: string;
  fingerprint: string;
  /** The certificate's subject common name and organisation, as presented (unverified). */
  subject: { commonName: string | null; organization: string | null };
  validFrom: string;
  validTo: string;
  /** Whether a certificate authority this PC trusts vouches for it (false for a self-signed one). */
  trusted: boolean;
}

export const probeInputSchema = z.object({ url: z.string().max(300) }).strict();
export const confirmInputSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('local') }).strict(),
  z.object({ mode: z.literal('server'), url: z.string().max(300), fingerprint: z.string().max(200) }).strict(),
]);
export type ConfirmInput = z.infer<typeof confirmInputSchema>;

/** The preload's `window.welfareDesk.connection`: one IPC channel, one operation per call. */
export interface ConnectionBridge {
  state(): Promise<Envelope<ConnectionState>>;
  probe(input: { url: string }): Promise<Envelope<ServerProbe>>;
  confirm(input: ConfirmInput): Promise<Envelope<ConnectionState>>;
  /** Forgets a server whose certificate changed, so the first-run choice shows again. */
  reset(): Promise<Envelope<ConnectionState>>;
}

export const CONNECTION_OPERATIONS = ['state', 'probe', 'confirm', 'reset'] as const;
export type ConnectionOperation = (typeof CONNECTION_OPERATIONS)[number];

/** The IPC channel of the connection setup. */
export const CONNECTION_IPC_CHANNEL = 'welfare-desk:connection';
