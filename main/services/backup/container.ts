import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scryptSync,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * The backup file (備份檔): our own authenticated, encrypted container around a
 * consistent copy of the database, so it does not matter whether the live file
 * is plain SQLite or SQLCipher.
 *
 *   magic "WDBACKUP" | u16 format version | u32 header length | header JSON
 *   then chunks: u32 ciphertext length | ciphertext | 16-byte GCM tag
 *
 * The header holds only crypto parameters (no names, no counts). A random
 * 32-byte file key encrypts the payload with AES-256-GCM in 1 MiB chunks; the
 * nonce is the chunk index, and every chunk's additional data binds the header
 * hash, the index and a "last chunk" flag, so an edited header, reordered,
 * dropped or truncated chunks and flipped bytes all fail authentication.
 *
 * The file key is wrapped in key slots:
 * - `install`: AES-256-GCM under the install's `backupKey` (restores on this PC);
 * - `recovery`: an X25519 sealed box to the recovery public key. The private key
 *   is derived from the administrator's recovery passphrase with scrypt, so the
 *   app stores only the public key and salt, and a scheduled backup can add the
 *   slot without knowing the passphrase.
 *
 * The plaintext stream is `u32 meta length | meta JSON | database bytes`.
 */
export const MAGIC = Buffer.from('WDBACKUP', 'ascii');
export const FORMAT_VERSION = 1;
export const CHUNK_SIZE = 1024 * 1024;
const TAG_BYTES = 16;
const MAX_HEADER_BYTES = 64 * 1024;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
/** 2^17 × 8 × 128 B = 128 MiB and about half a second per guess. */
export const RECOVERY_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

interface InstallSlot {
  kind: 'install';
  keyId: string;
  iv: string;
  wrapped: string;
}
/** The recovery passphrase's public part, plus the file key sealed to it. */
interface RecoverySlot extends RecoveryPublic {
  kind: 'recovery';
  ephemeral: string;
  iv: string;
  wrapped: string;
}
type KeySlot = InstallSlot | RecoverySlot;

export interface ContainerHeader {
  format: number;
  cipher: 'aes-256-gcm';
  chunkSize: number;
  slots: KeySlot[];
}

/** What the app keeps of the recovery passphrase: never the passphrase, never a key that opens backups. */
export interface RecoveryPublic {
  kdf: 'scrypt';
  salt: string;
  N: number;
  r: number;
  p: number;
  publicKey: string;
}

export type ContainerErrorCode = 'NOT_A_BACKUP' | 'NEWER_FORMAT' | 'NO_KEY' | 'WRONG_PASSPHRASE' | 'DAMAGED';

/** A container problem with a zh-TW message a user can act on. */
export class BackupFileError extends Error {
  constructor(
    readonly code: ContainerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackupFileError';
  }
}

const damaged = () => new BackupFileError('DAMAGED', '備份檔已損毀或遭修改，無法還原。請改用其他備份檔。');

// --- keys ----------------------------------------------------------------------------

function installKeyId(backupKey: Buffer): string {
  return createHmac('sha256', backupKey).update('welfare-desk backup key id').digest('hex').slice(0, 16);
}

const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

function x25519Private(raw: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
}
function x25519Public(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}
function rawPublic(key: KeyObject): Buffer {
  return (key.export({ format: 'der', type: 'spki' }) as Buffer).subarray(X25519_SPKI_PREFIX.length);
}

/** The passphrase as typed, made comparable: full-width and half-width forms give the same key. */
function passphraseBytes(passphrase: string): Buffer {
  return Buffer.from(passphrase.normalize('NFKC'), 'utf8');
}

function recoveryPrivate(passphrase: string, salt: Buffer, params: ScryptParams): KeyObject {
  const seed = scryptSync(passphraseBytes(passphrase), salt, 32, { ...params, maxmem: 256 * 1024 * 1024 });
  return x25519Private(seed);
}

/** Derives the recovery key pair from a new passphrase; returns what the app may store. */
export function createRecovery(passphrase: string, params: ScryptParams = RECOVERY_SCRYPT): RecoveryPublic {
  const salt = randomBytes(16);
  const priv = recoveryPrivate(passphrase, salt, params);
  return { kdf: 'scrypt', salt: salt.toString('base64'), ...params, publicKey: rawPublic(createPublicKey(priv)).toString('base64') };
}

function sealKey(aesKey: Buffer, plain: Buffer, aad: string): { iv: string; wrapped: string } {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', aesKey, iv);
  c.setAAD(Buffer.from(aad));
  const body = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  return { iv: iv.toString('base64'), wrapped: body.toString('base64') };
}

function openKey(aesKey: Buffer, iv: string, wrapped: string, aad: string): Buffer | null {
  const body = Buffer.from(wrapped, 'base64');
  if (body.length < TAG_BYTES) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', aesKey, Buffer.from(iv, 'base64'));
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([d.update(body.subarray(0, body.length - TAG_BYTES)), d.final()]);
  } catch {
    return null;
  }
}

function sealedBoxKey(shared: Buffer, ephemeral: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeral, recipient]), 'welfare-desk backup recovery slot', 32));
}

function recoverySlot(recovery: RecoveryPublic, fileKey: Buffer): RecoverySlot {
  const recipient = Buffer.from(recovery.publicKey, 'base64');
  const eph = generateKeyPairSync('x25519');
  const ephRaw = rawPublic(eph.publicKey);
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: x25519Public(recipient) });
  const sealed = sealKey(sealedBoxKey(shared, ephRaw, recipient), fileKey, 'recovery');
  return { kind: 'recovery', kdf: 'scrypt', salt: recovery.salt, N: recovery.N, r: recovery.r, p: recovery.p, publicKey: recovery.publicKey, ephemeral: ephRaw.toString('base64'), ...sealed };
}

// --- writing -------------------------------------------------------------------------

function chunkNonce(index: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(index), 4);
  return iv;
}

function chunkAad(headerHash: Buffer, index: number, last: boolean): Buffer {
  const b = Buffer.alloc(headerHash.length + 9);
  headerHash.copy(b, 0);
  b.writeBigUInt64BE(BigInt(index), headerHash.length);
  b[headerHash.length + 8] = last ? 1 : 0;
  return b;
}

export interface WriteOptions {
  backupKey: Buffer;
  recovery: RecoveryPublic | null;
  meta: unknown;
  chunkSize?: number;
}

/**
 * Writes a container from bytes pushed in one piece at a time (a file read chunk by chunk, or a
 * `pg_dump` stream), so the plaintext never has to exist on disk or whole in memory. Full chunks are
 * sealed as soon as more bytes follow them; `finish` seals the rest as the last chunk and fsyncs.
 * `outFile` must not exist; it is created 0600.
 */
export class ContainerWriter {
  readonly #out: number;
  readonly #fileKey = randomBytes(32);
  readonly #headerHash: Buffer;
  readonly #chunkSize: number;
  #pending: Buffer;
  #index = 0;
  #bytes = 0;

  constructor(outFile: string, opts: WriteOptions) {
    this.#chunkSize = opts.chunkSize ?? CHUNK_SIZE;
    const slots: KeySlot[] = [{ kind: 'install', keyId: installKeyId(opts.backupKey), ...sealKey(opts.backupKey, this.#fileKey, 'install') }];
    if (opts.recovery) slots.push(recoverySlot(opts.recovery, this.#fileKey));
    const header: ContainerHeader = { format: FORMAT_VERSION, cipher: 'aes-256-gcm', chunkSize: this.#chunkSize, slots };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    this.#headerHash = createHash('sha256').update(headerBytes).digest();
    const prefix = Buffer.alloc(MAGIC.length + 6);
    MAGIC.copy(prefix, 0);
    prefix.writeUInt16BE(FORMAT_VERSION, MAGIC.length);
    prefix.writeUInt32BE(headerBytes.length, MAGIC.length + 2);
    const metaBytes = Buffer.from(JSON.stringify(opts.meta), 'utf8');
    const metaLen = Buffer.alloc(4);
    metaLen.writeUInt32BE(metaBytes.length);
    this.#pending = Buffer.concat([metaLen, metaBytes]);
    this.#out = openSync(outFile, 'wx', 0o600);
    try {
      this.#write(prefix);
      this.#write(headerBytes);
    } catch (err) {
      closeSync(this.#out);
      throw err;
    }
  }

  /** Adds plaintext; seals every full chunk that is not the last one. */
  push(data: Buffer): void {
    this.#pending = this.#pending.length === 0 ? Buffer.from(data) : Buffer.concat([this.#pending, data]);
    while (this.#pending.length > this.#chunkSize) {
      this.#seal(this.#pending.subarray(0, this.#chunkSize), false);
      this.#pending = this.#pending.subarray(this.#chunkSize);
    }
  }

  /** Seals what is left as the last chunk, fsyncs and closes; returns the container's size. */
  finish(): { bytes: number } {
    try {
      this.#seal(this.#pending, true);
      this.#pending = Buffer.alloc(0);
      fsyncSync(this.#out);
    } finally {
      closeSync(this.#out);
    }
    return { bytes: this.#bytes };
  }

  /** Closes without sealing the end: the file is incomplete and the caller deletes it. */
  abort(): void {
    try {
      closeSync(this.#out);
    } catch {
      // already closed
    }
  }

  #seal(plain: Buffer, last: boolean): void {
    const c = createCipheriv('aes-256-gcm', this.#fileKey, chunkNonce(this.#index));
    c.setAAD(chunkAad(this.#headerHash, this.#index, last));
    const body = Buffer.concat([c.update(plain), c.final()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    this.#write(len);
    this.#write(body);
    this.#write(c.getAuthTag());
    this.#index++;
  }

  #write(b: Buffer): void {
    writeSync(this.#out, b);
    this.#bytes += b.length;
  }
}

/**
 * Encrypts `sourceFile` (the plain database copy) with `meta` in front into
 * `outFile`, which must not exist. Reads and writes one chunk at a time, so
 * memory stays at a few MiB whatever the database's size; fsyncs before returning.
 */
export function writeContainer(sourceFile: string, outFile: string, opts: WriteOptions): { bytes: number } {
  const writer = new ContainerWriter(outFile, opts);
  const src = openSync(sourceFile, 'r');
  try {
    const buf = Buffer.alloc(opts.chunkSize ?? CHUNK_SIZE);
    for (;;) {
      const n = readSync(src, buf, 0, buf.length, null);
      if (n === 0) break;
      writer.push(buf.subarray(0, n));
    }
  } catch (err) {
    writer.abort();
    throw err;
  } finally {
    closeSync(src);
  }
  return writer.finish();
}

// --- reading -------------------------------------------------------------------------

export type Unlock = { kind: 'install'; backupKey: Buffer } | { kind: 'passphrase'; passphrase: string; backupKey?: Buffer };

interface Opened {
  fd: number;
  header: ContainerHeader;
  headerHash: Buffer;
  offset: number;
}

function readExactly(fd: number, length: number, position: number): Buffer {
  const b = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, b, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? b : b.subarray(0, got);
}

function openContainer(file: string): Opened {
  const fd = openSync(file, 'r');
  try {
    const prefix = readExactly(fd, MAGIC.length + 6, 0);
    if (prefix.length < MAGIC.length + 6 || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new BackupFileError('NOT_A_BACKUP', '這不是社福中心工作台的備份檔。');
    }
    const version = prefix.readUInt16BE(MAGIC.length);
    if (version > FORMAT_VERSION) throw new BackupFileError('NEWER_FORMAT', '此備份檔由較新版本的程式製作，請先更新程式再還原。');
    if (version !== FORMAT_VERSION) throw damaged();
    const headerLen = prefix.readUInt32BE(MAGIC.length + 2);
    if (headerLen > MAX_HEADER_BYTES) throw damaged();
    const headerBytes = readExactly(fd, headerLen, prefix.length);
    if (headerBytes.length !== headerLen) throw damaged();
    let header: ContainerHeader;
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as ContainerHeader;
    } catch {
      throw damaged();
    }
    if (header.cipher !== 'aes-256-gcm' || !Array.isArray(header.slots) || !(header.chunkSize > 0 && header.chunkSize <= 64 * CHUNK_SIZE)) throw damaged();
    return { fd, header, headerHash: createHash('sha256').update(headerBytes).digest(), offset: prefix.length + headerLen };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

function unwrapFileKey(header: ContainerHeader, unlock: Unlock): Buffer {
  // A header edited to point at another key fails later, at the first chunk (the header is in every chunk's AAD).
  if (unlock.kind === 'passphrase') {
    const slot = header.slots.find((s): s is RecoverySlot => s.kind === 'recovery');
    if (!slot) throw new BackupFileError('NO_KEY', '此備份檔製作時尚未設定備份還原密語，只能在原電腦上還原。');
    let priv: KeyObject;
    try {
      priv = recoveryPrivate(unlock.passphrase, Buffer.from(slot.salt, 'base64'), { N: slot.N, r: slot.r, p: slot.p });
    } catch {
      throw damaged();
    }
    const recipient = Buffer.from(slot.publicKey, 'base64');
    const derived = rawPublic(createPublicKey(priv));
    if (derived.length !== recipient.length || !timingSafeEqual(derived, recipient)) {
      throw new BackupFileError('WRONG_PASSPHRASE', '備份還原密語不正確。');
    }
    const eph = Buffer.from(slot.ephemeral, 'base64');
    const shared = diffieHellman({ privateKey: priv, publicKey: x25519Public(eph) });
    const key = openKey(sealedBoxKey(shared, eph, recipient), slot.iv, slot.wrapped, 'recovery');
    if (!key) throw damaged();
    return key;
  }
  const slot = header.slots.find((s): s is InstallSlot => s.kind === 'install' && s.keyId === installKeyId(unlock.backupKey));
  if (!slot) {
    throw new BackupFileError('NO_KEY', '此備份檔不是本機製作的，請輸入製作時設定的備份還原密語。');
  }
  const key = openKey(unlock.backupKey, slot.iv, slot.wrapped, 'install');
  if (!key) throw damaged();
  return key;
}

/** Yields the decrypted plaintext chunk by chunk, refusing anything that fails authentication. */
function* decryptChunks(o: Opened, fileKey: Buffer): Generator<Buffer> {
  let pos = o.offset;
  let index = 0;
  for (;;) {
    const lenBuf = readExactly(o.fd, 4, pos);
    if (lenBuf.length < 4) throw damaged(); // ended before the chunk marked last
    const len = lenBuf.readUInt32BE();
    if (len > o.header.chunkSize) throw damaged();
    const body = readExactly(o.fd, len + TAG_BYTES, pos + 4);
    if (body.length !== len + TAG_BYTES) throw damaged();
    pos += 4 + len + TAG_BYTES;
    const atEnd = readExactly(o.fd, 1, pos).length === 0;
    const d = createDecipheriv('aes-256-gcm', fileKey, chunkNonce(index));
    d.setAAD(chunkAad(o.headerHash, index, atEnd));
    d.setAuthTag(body.subarray(len));
    let plain: Buffer;
    try {
      plain = Buffer.concat([d.update(body.subarray(0, len)), d.final()]);
    } catch {
      throw damaged();
    }
    yield plain;
    index++;
    if (atEnd) return;
  }
}

/**
 * Decrypts a backup into `outFile` (created 0600, must not exist) and returns
 * its meta. Every chunk is authenticated before it is written; on any failure
 * the partial output is the caller's to delete.
 */
export function readContainer(file: string, outFile: string, unlock: Unlock): { meta: unknown } {
  const out = openSync(outFile, 'wx', 0o600);
  try {
    const { meta, chunks } = openContainerStream(file, unlock);
    for (const plain of chunks) writeSync(out, plain);
    fsyncSync(out);
    return { meta };
  } finally {
    closeSync(out);
  }
}

/**
 * Opens a backup and returns its meta and a generator of the authenticated plaintext after it, one
 * chunk at a time (the center server's restore pipes it into pg_restore). A damaged or cut-off file
 * throws while the generator runs, after the chunks before the damage.
 */
export function openContainerStream(file: string, unlock: Unlock): { meta: unknown; chunks: Generator<Buffer> } {
  const o = openContainer(file);
  let fileKey: Buffer;
  try {
    fileKey = unwrapFileKey(o.header, unlock);
  } catch (err) {
    closeSync(o.fd);
    throw err;
  }
  const it = decryptChunks(o, fileKey);
  let head = Buffer.alloc(0);
  let meta: unknown = undefined;
  let rest = Buffer.alloc(0);
  try {
    for (;;) {
      const next = it.next();
      if (next.done) throw damaged();
      head = Buffer.concat([head, next.value]);
      if (head.length < 4) continue;
      const metaLen = head.readUInt32BE();
      if (head.length < 4 + metaLen) continue;
      try {
        meta = JSON.parse(head.subarray(4, 4 + metaLen).toString('utf8'));
      } catch {
        throw damaged();
      }
      rest = head.subarray(4 + metaLen);
      break;
    }
  } catch (err) {
    closeSync(o.fd);
    throw err;
  }
  function* chunks(): Generator<Buffer> {
    try {
      if (rest.length > 0) yield rest;
      for (const plain of it) if (plain.length > 0) yield plain;
    } finally {
      closeSync(o.fd);
    }
  }
  return { meta, chunks: chunks() };
}

/** True when the file begins like a backup container (for listing a folder). */
export function looksLikeContainer(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    try {
      return readExactly(fd, MAGIC.length, 0).equals(MAGIC);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Checks a passphrase against the stored recovery public key (when the administrator changes it). */
export function passphraseMatches(passphrase: string, recovery: RecoveryPublic): boolean {
  const priv = recoveryPrivate(passphrase, Buffer.from(recovery.salt, 'base64'), recovery);
  const derived = rawPublic(createPublicKey(priv));
  const stored = Buffer.from(recovery.publicKey, 'base64');
  return derived.length === stored.length && timingSafeEqual(derived, stored);
}
