/**
 * The preload: exposes exactly the contract's methods on window.welfareDesk,
 * each a function that sends its name and payload over one IPC channel. The
 * renderer never sees ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES } from '../main/contract/api';
import { IPC_CHANNEL, type ApiBridge, type WelfareDeskBridge } from '../main/contract/bridge';

const api = Object.fromEntries(
  METHOD_NAMES.map((name) => [name, (input: unknown, requestId?: string) => ipcRenderer.invoke(IPC_CHANNEL, name, input, requestId)]),
) as ApiBridge;

const bridge: WelfareDeskBridge = Object.freeze({ kind: 'electron' as const, api: Object.freeze(api) });
contextBridge.exposeInMainWorld('welfareDesk', bridge);
