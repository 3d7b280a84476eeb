/**
 * The preload: exposes exactly the contract's methods on window.welfareDesk,
 * each a function that sends its name and payload over one IPC channel, and the
 * connection setup on a second channel. The renderer never sees ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES } from '../main/contract/api';
import { IPC_CHANNEL, type ApiBridge, type WelfareDeskBridge } from '../main/contract/bridge';
import { CONNECTION_IPC_CHANNEL, type ConnectionBridge } from '../main/contract/connection';

const api = Object.fromEntries(
  METHOD_NAMES.map((name) => [name, (input: unknown, requestId?: string) => ipcRenderer.invoke(IPC_CHANNEL, name, input, requestId)]),
) as ApiBridge;

/** The first-run connection setup: state, check a server, confirm the choice, forget a changed server. */
const connection: ConnectionBridge = Object.freeze({
  state: () => ipcRenderer.invoke(CONNECTION_IPC_CHANNEL, 'state'),
  probe: (input: { url: string }) => ipcRenderer.invoke(CONNECTION_IPC_CHANNEL, 'probe', input),
  confirm: (input: unknown) => ipcRenderer.invoke(CONNECTION_IPC_CHANNEL, 'confirm', input),
  reset: () => ipcRenderer.invoke(CONNECTION_IPC_CHANNEL, 'reset'),
});

const bridge: WelfareDeskBridge = Object.freeze({ kind: 'electron' as const, api: Object.freeze(api), connection });
contextBridge.exposeInMainWorld('welfareDesk', bridge);
