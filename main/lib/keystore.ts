import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * The keys that protect a data folder, kept outside the database in
 * `keys.json` (readable by the owner only). One random master secret; every
 * purpose gets its own key derived from it with HKDF, so a key used for one
 * thing never doubles as another.
 *
 * How the master secret is protected on disk is the protector's business:
 * `plain` stores it as is (protects against copies of the database file and
 * of backups, not against someone who can read this user's files);
 * `passphrase` wraps it with a key derived from a start-up passphrase (scrypt,
 * AES-256-GCM); the Electron adapter adds `safeStorage` (DPAPI, Keychain,
 * libsecret) in main/electron/key-protector.ts.
 */
export const KEYS_FILE_NAME = 'keys.json';

export interface KeyRing {
  /** The SQLCipher key of welfare-desk.db. */
  dbKey: Buffer;
  /** The HMAC key of the audit chain and its signed checkpoints. */
  auditKey: Buffer;
  /** The key that wraps backup files made on this install. */
  backupKey: Buffer;
}

/** Wraps and unwraps the master secret for storage (DPAPI via safeStorage, a passphrase, or nothing). */
export interface KeyProtector {
  kind: string;
  wrap(secret: Buffer): Buffer;
  /** Throws a KeyRingError when the wrapped secret cannot be opened (wrong passphrase, another user). */
  unwrap(wrapped: Buffer): Buffer;
}

/** Why the key ring could not be opened, with a zh-TW message a user can act on. */
export class KeyRingError extends Error {
  constructor(
    readonly code: 'WRONG_PASSPHRASE' | 'PROTECTION_MISMATCH' | 'UNREADABLE' | 'MISSING',
    message: string,
  ) {
    super(message);
    this.name = 'KeyRingError';
  }
}

export const plainProtector: KeyProtector = {
  kind: 'plain',
  wrap: (s) => Buffer.from(s),
  unwrap: (w) => Buffer.from(w),
};

const PASSPHRASE_MAGIC = Buffer.from('WDPP1');
/** scrypt cost: 64 MiB and about a third of a second, once per start. */
const SCRYPT = { N: 2 ** 16, r: 8, p: 1, maxmem: 128 * 1024 * 1024 } as const;

/**
 * A start-up passphrase as protector: scrypt turns it into a key-encrypting
 * key that wraps the master secret with AES-256-GCM. The passphrase itself is
 * never stored; forgetting it loses the data (unless a backup's recovery
 * passphrase is known).
 */
export function passphraseProtector(passphrase: string): KeyProtector {
  if (passphrase.length === 0) throw new KeyRingError('WRONG_PASSPHRASE', '通行密語不可為空白。');
  const kek = (salt: Buffer) => scryptSync(passphrase.normalize('NFC'), salt, 32, SCRYPT);
  return {
    kind: 'passphrase',
    wrap(secret) {
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', kek(salt), iv);
      cipher.setAAD(PASSPHRASE_MAGIC);
      const body = Buffer.concat([cipher.update(secret), cipher.final()]);
      return Buffer.concat([PASSPHRASE_MAGIC, salt, iv, cipher.getAuthTag(), body]);
    },
    unwrap(wrapped) {
      const m = PASSPHRASE_MAGIC.length;
      if (wrapped.length < m + 16 + 12 + 16 + 1 || !wrapped.subarray(0, m).equals(PASSPHRASE_MAGIC)) {
        throw new KeyRingError('UNREADABLE', '金鑰檔（keys.json）格式不正確。');
      }
      const salt = wrapped.subarray(m, m + 16);
      const iv = wrapped.subarray(m + 16, m + 28);
      const tag = wrapped.subarray(m + 28, m + 44);
      const decipher = createDecipheriv('aes-256-gcm', kek(salt), iv);
      decipher.setAAD(PASSPHRASE_MAGIC);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(wrapped.subarray(m + 44)), decipher.final()]);
      } catch {
        throw new KeyRingError('WRONG_PASSPHRASE', '通行密語不正確，無法開啟資料。請確認後再試一次。');
      }
    },
  };
}

interface KeysFile {
  version: 1;
  protection: string;
  master: string; // base64 of the wrapped master secret
}

export function deriveKeyRing(master: Buffer): KeyRing {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `welfare-desk ${info}`, 32));
  return { dbKey: derive('database'), auditKey: derive('audit-chain'), backupKey: derive('backup') };
}

/** The data folder, created readable by its owner only (and tightened if it already exists). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
}

/** Written aside, flushed and renamed, so a crash never leaves half a file; 0600 from the first byte. */
export function writePrivateFileAtomic(file: string, content: string | Buffer): void {
  // Per thread too: the app pool's workers (one process) write the audit checkpoint each on its own.
  const tmp = `${file}.tmp-${process.pid}-${threadId}`;
  writeFileSync(tmp, content, { mode: 0o600 });
  if (process.platform !== 'win32') chmodSync(tmp, 0o600);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function keysPath(dataDir: string): string {
  return join(dataDir, KEYS_FILE_NAME);
}

function readKeysFile(dataDir: string): KeysFile | null {
  const file = keysPath(dataDir);
  if (!existsSync(file)) return null;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as KeysFile;
    if (parsed.version !== 1 || typeof parsed.protection !== 'string' || typeof parsed.master !== 'string') throw new Error('shape');
    return parsed;
  } catch {
    throw new KeyRingError('UNREADABLE', `金鑰檔（${file}）損壞或格式不正確，無法開啟資料。請從備份還原。`);
  }
}

/** How this folder's keys.json is protected ('plain', 'passphrase', 'safeStorage'), or null when there is none yet. */
export function readKeysProtection(dataDir: string): string | null {
  return readKeysFile(dataDir)?.protection ?? null;
}

export function keysFileExists(dataDir: string): boolean {
  return existsSync(keysPath(dataDir));
}

function writeKeysFile(dataDir: string, master: Buffer, protector: KeyProtector): void {
  const body: KeysFile = { version: 1, protection: protector.kind, master: protector.wrap(master).toString('base64') };
  writePrivateFileAtomic(keysPath(dataDir), JSON.stringify(body));
}

function protectionLabel(kind: string): string {
  switch (kind) {
    case 'plain':
      return '未加保護';
    case 'passphrase':
      return '通行密語';
    case 'safeStorage':
      return '作業系統（桌面版）';
    default:
      return kind;
  }
}

function unwrapMaster(dataDir: string, parsed: KeysFile, protector: KeyProtector): Buffer {
  if (parsed.protection !== protector.kind) {
    throw new KeyRingError(
      'PROTECTION_MISMATCH',
      `此資料目錄的金鑰以「${protectionLabel(parsed.protection)}」保護，目前的開啟方式（${protectionLabel(protector.kind)}）無法解開。` +
        (parsed.protection === 'passphrase'
          ? '請以 --passphrase-file 或環境變數 WELFARE_DESK_PASSPHRASE 提供通行密語。'
          : parsed.protection === 'safeStorage'
            ? '請改用桌面版開啟。'
            : ''),
    );
  }
  const master = protector.unwrap(Buffer.from(parsed.master, 'base64'));
  if (master.length !== 32) throw new KeyRingError('UNREADABLE', `金鑰檔（${keysPath(dataDir)}）內容不正確，無法開啟資料。`);
  return master;
}

/** Reads the data folder's keys, creating them on first use. */
export function loadOrCreateKeyRing(dataDir: string, protector: KeyProtector = plainProtector): KeyRing {
  const parsed = readKeysFile(dataDir);
  if (parsed) return deriveKeyRing(unwrapMaster(dataDir, parsed, protector));
  ensurePrivateDir(dataDir);
  const master = randomBytes(32);
  writeKeysFile(dataDir, master, protector);
  return deriveKeyRing(master);
}

/**
 * Opens the key ring with the protector this process prefers. A keys.json
 * protected by one of the `upgradeFrom` protectors (usually `plain`) is opened
 * with it and re-wrapped with the preferred one, atomically, so an install
 * that gains a passphrase or the desktop app's OS protection moves to it once.
 */
export function openKeyRing(dataDir: string, preferred: KeyProtector, upgradeFrom: KeyProtector[] = []): KeyRing {
  const parsed = readKeysFile(dataDir);
  if (!parsed || parsed.protection === preferred.kind) return loadOrCreateKeyRing(dataDir, preferred);
  const from = upgradeFrom.find((p) => p.kind === parsed.protection);
  if (!from) return deriveKeyRing(unwrapMaster(dataDir, parsed, preferred)); // throws PROTECTION_MISMATCH
  const master = unwrapMaster(dataDir, parsed, from);
  writeKeysFile(dataDir, master, preferred);
  return deriveKeyRing(master);
}

/** Changes how keys.json is protected (e.g. sets or changes the start-up passphrase). The keys stay the same. */
export function reprotectKeyRing(dataDir: string, from: KeyProtector, to: KeyProtector): void {
  const parsed = readKeysFile(dataDir);
  if (!parsed) throw new KeyRingError('MISSING', '此資料目錄沒有金鑰檔（keys.json）。');
  writeKeysFile(dataDir, unwrapMaster(dataDir, parsed, from), to);
}
