import type { ApiOutput, MethodName } from './api';
import type { ConnectionBridge } from './connection';
import type { Envelope } from './envelope';

/**
 * What Electron's preload exposes on `window.welfareDesk`: one function per
 * contract method (never ipcRenderer itself), each answering with an envelope.
 */
/** One function per contract method; a write passes its request id (see renderer/lib/retry.ts) as the second argument. */
export type ApiBridge = { [N in MethodName]: (input: unknown, requestId?: string) => Promise<Envelope<ApiOutput<N>>> };

export interface WelfareDeskBridge {
  readonly kind: 'electron';
  readonly api: ApiBridge;
  /** The first-run choice (this PC alone, or a client of the center server); absent in older preloads. */
  readonly connection?: ConnectionBridge;
}

/** The IPC channel the preload and the main process share. */
export const IPC_CHANNEL = 'welfare-desk:api';
