import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The keys that protect a data folder, kept outside the database in
 * `keys.json` (readable by the owner only). One random master secret; every
 * purpose gets its own key derived from it with HKDF, so a key used for one
 * thing never doubles as another.
 *
 * How the master secret is protected on disk is the protector's business:
 * `plain` stores it as is (protects against copies of the database file and
 * of backups, not against someone who can read this user's files); the
 * Electron adapter and a start-up passphrase add protectors of their own.
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
  unwrap(wrapped: Buffer): Buffer;
}

export const plainProtector: KeyProtector = {
  kind: 'plain',
  wrap: (s) => Buffer.from(s),
  unwrap: (w) => Buffer.from(w),
};

interface KeysFile {
  version: 1;
  protection: string;
  master: string; // base64 of the wrapped master secret
}

export function deriveKeyRing(master: Buffer): KeyRing {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `welfare-desk ${info}`, 32));
  return { dbKey: derive('database'), auditKey: derive('audit-chain'), backupKey: derive('backup') };
}

/** Reads the data folder's keys, creating them on first use. */
export function loadOrCreateKeyRing(dataDir: string, protector: KeyProtector = plainProtector): KeyRing {
  const file = join(dataDir, KEYS_FILE_NAME);
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as KeysFile;
    if (parsed.protection !== protector.kind) {
      throw new Error(`keys.json is protected by "${parsed.protection}", not "${protector.kind}"`);
    }
    return deriveKeyRing(protector.unwrap(Buffer.from(parsed.master, 'base64')));
  }
  const master = randomBytes(32);
  const body: KeysFile = { version: 1, protection: protector.kind, master: protector.wrap(master).toString('base64') };
  // Written aside and renamed, so a crash never leaves half a key file.
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return deriveKeyRing(master);
}
