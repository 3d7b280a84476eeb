/**
 * The backup container on its own: a round trip, and each way of tampering with the file
 * (header, chunk order, truncation at a chunk boundary, a newer format) is refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupFileError, createRecovery, MAGIC, readContainer, writeContainer } from '../../main/services/backup/container';

const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
let dir: string;
let source: string;
let plain: Buffer;
const backupKey = randomBytes(32);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wd-container-'));
  source = join(dir, 'source.bin');
  plain = randomBytes(10_000);
  writeFileSync(source, plain);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function seal(chunkSize = 1000): string {
  const out = join(dir, `b-${randomBytes(4).toString('hex')}.wdbak`);
  writeContainer(source, out, { backupKey, recovery: createRecovery('正確的備份還原密語ABC', FAST_SCRYPT), meta: { madeBy: '林管理' }, chunkSize });
  return out;
}

function open(file: string, unlock: Parameters<typeof readContainer>[2] = { kind: 'install', backupKey }) {
  const out = join(dir, `out-${randomBytes(4).toString('hex')}`);
  const r = readContainer(file, out, unlock);
  return { meta: r.meta, bytes: readFileSync(out) };
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof BackupFileError ? err.code : `other: ${String(err)}`;
  }
}

describe('the backup container', () => {
  it('round-trips with the install key and with the passphrase, across many chunks', () => {
    const file = seal();
    expect(open(file).bytes.equals(plain)).toBe(true);
    expect(open(file).meta).toEqual({ madeBy: '林管理' });
    expect(open(file, { kind: 'passphrase', passphrase: '正確的備份還原密語ABC' }).bytes.equals(plain)).toBe(true);
    // Full-width and half-width forms of the same passphrase are the same passphrase.
    expect(code(() => open(file, { kind: 'passphrase', passphrase: '正確的備份還原密語ＡＢＣ' }))).toBeUndefined();
  });

  it('refuses another install key and a wrong passphrase', () => {
    const file = seal();
    expect(code(() => open(file, { kind: 'install', backupKey: randomBytes(32) }))).toBe('NO_KEY');
    expect(code(() => open(file, { kind: 'passphrase', passphrase: '錯誤的密語錯誤的密語' }))).toBe('WRONG_PASSPHRASE');
  });

  it('refuses an edited header, even one that still parses', () => {
    const file = seal();
    const b = readFileSync(file);
    const text = b.toString('latin1').replace('"chunkSize":1000', '"chunkSize":1001');
    writeFileSync(file, Buffer.from(text, 'latin1'));
    expect(code(() => open(file))).toBe('DAMAGED');
  });

  it('refuses swapped chunks and a file cut at a chunk boundary', () => {
    const file = seal();
    const b = readFileSync(file);
    const headerEnd = MAGIC.length + 6 + b.readUInt32BE(MAGIC.length + 2);
    const chunkBytes = 4 + 1000 + 16;
    const swapped = Buffer.concat([b.subarray(0, headerEnd), b.subarray(headerEnd + chunkBytes, headerEnd + 2 * chunkBytes), b.subarray(headerEnd, headerEnd + chunkBytes), b.subarray(headerEnd + 2 * chunkBytes)]);
    writeFileSync(file, swapped);
    expect(code(() => open(file))).toBe('DAMAGED');
    writeFileSync(file, b.subarray(0, headerEnd + 3 * chunkBytes));
    expect(code(() => open(file))).toBe('DAMAGED');
  });

  it('refuses a newer format and a file that is not a backup', () => {
    const file = seal();
    const b = readFileSync(file);
    b.writeUInt16BE(2, MAGIC.length);
    writeFileSync(file, b);
    expect(code(() => open(file))).toBe('NEWER_FORMAT');
    writeFileSync(file, readFileSync(source));
    expect(code(() => open(file))).toBe('NOT_A_BACKUP');
  });
});
