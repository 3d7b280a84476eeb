import type { HandlerTable } from '../../api/registry';
import type { ServerInfo } from '../../contract/methods/system';

/** What a process serves when nobody says otherwise: the single-PC app (Electron or the 127.0.0.1 host). */
export const SINGLE_PC: ServerInfo = { deployment: 'single', url: null, fingerprint: null };

/** `info` is read on every call: the center server knows its port (and URL) only once it listens. */
export function systemHandlers(info: () => ServerInfo = () => SINGLE_PC): HandlerTable<'system.serverInfo'> {
  return {
    'system.serverInfo': () => ({ ...info() }),
  };
}
