/**
 * The desktop app's protection of keys.json: Electron's safeStorage, i.e. DPAPI
 * on Windows (the current Windows user), the Keychain on macOS and libsecret on
 * Linux. Only typechecked here: the Electron binary cannot run on this machine.
 */
import { plainProtector, type KeyProtector } from '../lib/keystore';
import { KeyRingError } from '../lib/keystore';

/** The part of Electron's safeStorage used here (a structural type, so this file needs no Electron at runtime). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export function safeStorageProtector(safeStorage: SafeStorageLike): KeyProtector {
  return {
    kind: 'safeStorage',
    wrap: (secret) => safeStorage.encryptString(secret.toString('base64')),
    unwrap(wrapped) {
      try {
        return Buffer.from(safeStorage.decryptString(wrapped), 'base64');
      } catch {
        throw new KeyRingError('WRONG_PASSPHRASE', '無法以這個 Windows（作業系統）帳號解開資料金鑰。請以建立資料的帳號登入後再開啟，或從備份還原。');
      }
    },
  };
}

/**
 * safeStorage when the OS really protects it; on Linux without a keyring Electron falls
 * back to a fixed key ('basic_text'), which protects nothing, so keys.json stays plain
 * (owner-only) there. A plain keys.json from before is moved to safeStorage once.
 */
export function desktopKeyProtection(safeStorage: SafeStorageLike, platform: NodeJS.Platform): { keyProtector: KeyProtector; upgradeFrom: KeyProtector[] } {
  const weak = platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || weak) return { keyProtector: plainProtector, upgradeFrom: [] };
  return { keyProtector: safeStorageProtector(safeStorage), upgradeFrom: [plainProtector] };
}
