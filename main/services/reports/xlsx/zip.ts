/**
 * A small, defensive zip reader/writer for OOXML packages.
 *
 * Reading: everything is decided from the central directory before anything is inflated. Declared
 * sizes are checked against the limits; inflation is streamed in small chunks and aborted as soon as
 * the output exceeds the declared size, so a zip bomb (honest or lying about its sizes) is refused
 * without being expanded. CRC-32 is verified for every part that is read.
 *
 * Writing: entries are written in the original central-directory order. Entries that were not
 * replaced are copied with their original compressed bytes (so their content is byte-identical);
 * replaced entries are deflated anew.
 */
import { Inflate, deflateSync } from 'fflate';
import { fileErrors } from './errors';
import type { TemplateLimits } from './limits';

export interface ZipEntry {
  /** Index in central-directory order. */
  readonly index: number;
  /** Name as stored (decoded as UTF-8 or CP437-ish latin1). */
  readonly name: string;
  /** Name normalised for look-ups: forward slashes, no leading slash, lower case. */
  readonly key: string;
  readonly rawName: Uint8Array;
  readonly versionMadeBy: number;
  readonly versionNeeded: number;
  readonly flags: number;
  readonly method: number;
  readonly time: number;
  readonly date: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly internalAttrs: number;
  readonly externalAttrs: number;
  readonly localHeaderOffset: number;
  /** Offset of the compressed data in the archive (resolved from the local header). */
  readonly dataOffset: number;
  readonly isDirectory: boolean;
}

export interface ZipArchive {
  readonly bytes: Uint8Array;
  readonly entries: readonly ZipEntry[];
  readonly comment: Uint8Array;
  find(name: string): ZipEntry | undefined;
  /** Inflates one entry (size- and CRC-checked). */
  read(entry: ZipEntry): Uint8Array;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

/** Deflate cannot expand more than ~1032:1; anything declaring more is lying or not deflate. */
const MAX_DEFLATE_RATIO = 1100;
/** Input chunk size for streamed inflation (bounds the output of one step to ~16 MiB). */
const INFLATE_CHUNK = 16 * 1024;
/** How far past its declared size an entry may inflate before it is treated as a bomb, not damage. */
const SIZE_SLACK = 4 * 1024 * 1024;

export function normaliseZipName(name: string): string {
  let n = name.replace(/\\/g, '/');
  while (n.startsWith('/')) n = n.slice(1);
  return n.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// CRC-32

let crcTable: Uint32Array | null = null;

function getCrcTable(): Uint32Array {
  if (crcTable) return crcTable;
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  crcTable = t;
  return t;
}

export function crc32(data: Uint8Array): number {
  const t = getCrcTable();
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    c = (t[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Reading

function u16(b: Uint8Array, o: number): number {
  return (b[o] as number) | ((b[o + 1] as number) << 8);
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16)) + (b[o + 3] as number) * 0x1000000;
}

function u64(b: Uint8Array, o: number): number {
  const lo = u32(b, o);
  const hi = u32(b, o + 4);
  if (hi > 0x1fffff) return Number.MAX_SAFE_INTEGER;
  return hi * 0x100000000 + lo;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function decodeName(raw: Uint8Array): string {
  try {
    return utf8Strict.decode(raw);
  } catch {
    // Not UTF-8: legacy code page. Latin-1 keeps it lossless enough for look-ups of ASCII part names.
    let s = '';
    for (let i = 0; i < raw.length; i++) s += String.fromCharCode(raw[i] as number);
    return s;
  }
}

function findEocd(b: Uint8Array): number {
  const min = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= min; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      // The comment length must reach exactly to the end (or at least not past it).
      const commentLen = u16(b, i + 20);
      if (i + 22 + commentLen <= b.length) return i;
    }
  }
  return -1;
}

export function openZip(bytes: Uint8Array, limits: TemplateLimits): ZipArchive {
  if (bytes.length > limits.maxFileBytes) throw fileErrors.tooLarge('file', bytes.length, limits.maxFileBytes);
  const eocd = findEocd(bytes);
  if (eocd < 0) throw fileErrors.corruptZip('end of central directory not found');
  let entryCount = u16(bytes, eocd + 10);
  let cdSize = u32(bytes, eocd + 12);
  let cdOffset = u32(bytes, eocd + 16);
  const commentLen = u16(bytes, eocd + 20);
  const comment = bytes.slice(eocd + 22, eocd + 22 + commentLen);
  if (u16(bytes, eocd + 4) !== 0 || u16(bytes, eocd + 6) !== 0) throw fileErrors.corruptZip('multi-disk archive');

  if (entryCount === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(bytes, loc) !== SIG_ZIP64_LOCATOR) throw fileErrors.corruptZip('zip64 locator missing');
    const z64 = u64(bytes, loc + 8);
    if (z64 + 56 > bytes.length || u32(bytes, z64) !== SIG_ZIP64_EOCD) throw fileErrors.corruptZip('zip64 end record missing');
    entryCount = u64(bytes, z64 + 32);
    cdSize = u64(bytes, z64 + 40);
    cdOffset = u64(bytes, z64 + 48);
  }
  if (entryCount > limits.maxEntries) throw fileErrors.tooLarge('entries', entryCount, limits.maxEntries);
  if (cdOffset + cdSize > bytes.length) throw fileErrors.corruptZip('central directory out of range');

  const entries: ZipEntry[] = [];
  const byKey = new Map<string, ZipEntry>();
  let p = cdOffset;
  let total = 0;
  for (let i = 0; i < entryCount; i++) {
    if (p + 46 > bytes.length || u32(bytes, p) !== SIG_CENTRAL) throw fileErrors.corruptZip('bad central directory record');
    const versionMadeBy = u16(bytes, p + 4);
    const versionNeeded = u16(bytes, p + 6);
    const flags = u16(bytes, p + 8);
    const method = u16(bytes, p + 10);
    const time = u16(bytes, p + 12);
    const date = u16(bytes, p + 14);
    const crc = u32(bytes, p + 16);
    let compressedSize = u32(bytes, p + 20);
    let uncompressedSize = u32(bytes, p + 24);
    const nameLen = u16(bytes, p + 28);
    const extraLen = u16(bytes, p + 30);
    const commentLength = u16(bytes, p + 32);
    const internalAttrs = u16(bytes, p + 36);
    const externalAttrs = u32(bytes, p + 38);
    let localHeaderOffset = u32(bytes, p + 42);
    const nameStart = p + 46;
    const extraStart = nameStart + nameLen;
    const next = extraStart + extraLen + commentLength;
    if (next > bytes.length) throw fileErrors.corruptZip('central directory record out of range');
    const rawName = bytes.slice(nameStart, extraStart);
    const name = decodeName(rawName);

    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      // ZIP64 extended information extra field (0x0001): fields present only for the values that overflowed.
      let q = extraStart;
      const end = extraStart + extraLen;
      let found = false;
      while (q + 4 <= end) {
        const id = u16(bytes, q);
        const len = u16(bytes, q + 2);
        if (id === 0x0001) {
          let r = q + 4;
          const rend = Math.min(end, r + len);
          if (uncompressedSize === 0xffffffff && r + 8 <= rend) {
            uncompressedSize = u64(bytes, r);
            r += 8;
          }
          if (compressedSize === 0xffffffff && r + 8 <= rend) {
            compressedSize = u64(bytes, r);
            r += 8;
          }
          if (localHeaderOffset === 0xffffffff && r + 8 <= rend) {
            localHeaderOffset = u64(bytes, r);
            r += 8;
          }
          found = true;
          break;
        }
        q += 4 + len;
      }
      if (!found) throw fileErrors.corruptZip('zip64 extra field missing', name);
    }

    if (flags & 0x0001) throw fileErrors.encrypted(`zip entry ${name} is encrypted`);
    const isDirectory = name.endsWith('/') || name.endsWith('\\');
    if (method !== 0 && method !== 8) {
      throw fileErrors.corruptZip(`unsupported compression method ${method}`, name);
    }
    if (uncompressedSize > limits.maxPartUncompressed) {
      throw fileErrors.tooLarge('part', uncompressedSize, limits.maxPartUncompressed, name);
    }
    if (method === 8 && uncompressedSize > Math.max(compressedSize, 1) * MAX_DEFLATE_RATIO + 1024) {
      throw fileErrors.zipBomb(name, `declared ratio ${uncompressedSize}/${compressedSize}`);
    }
    if (method === 0 && uncompressedSize !== compressedSize) {
      throw fileErrors.corruptZip('stored entry size mismatch', name);
    }
    total += uncompressedSize;
    if (total > limits.maxTotalUncompressed) throw fileErrors.tooLarge('total', total, limits.maxTotalUncompressed);

    // Resolve the data offset from the local header.
    const lh = localHeaderOffset;
    if (lh + 30 > bytes.length || u32(bytes, lh) !== SIG_LOCAL) throw fileErrors.corruptZip('bad local header', name);
    const dataOffset = lh + 30 + u16(bytes, lh + 26) + u16(bytes, lh + 28);
    if (dataOffset + compressedSize > bytes.length) throw fileErrors.corruptZip('entry data out of range', name);

    const entry: ZipEntry = {
      index: i,
      name,
      key: normaliseZipName(name),
      rawName,
      versionMadeBy,
      versionNeeded,
      flags,
      method,
      time,
      date,
      crc,
      compressedSize,
      uncompressedSize,
      internalAttrs,
      externalAttrs,
      localHeaderOffset,
      dataOffset,
      isDirectory,
    };
    if (!isDirectory) {
      if (byKey.has(entry.key)) throw fileErrors.corruptZip(`duplicate entry ${name}`, name);
      byKey.set(entry.key, entry);
    }
    entries.push(entry);
    p = next;
  }

  return {
    bytes,
    entries,
    comment,
    find(name: string): ZipEntry | undefined {
      return byKey.get(normaliseZipName(name));
    },
    read(entry: ZipEntry): Uint8Array {
      return readEntry(bytes, entry, limits.maxPartUncompressed);
    },
  };
}

class InflateLimitExceeded extends Error {}

function readEntry(bytes: Uint8Array, entry: ZipEntry, maxPart: number): Uint8Array {
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    out = data.slice();
  } else {
    const expected = entry.uncompressedSize;
    // A little past the declared size we still call it damage; far past it, a bomb.
    const slack = expected + Math.min(SIZE_SLACK, maxPart);
    out = new Uint8Array(expected);
    let written = 0;
    let ended = false;
    const inflater = new Inflate((chunk: Uint8Array, final: boolean) => {
      if (written + chunk.length > slack) throw new InflateLimitExceeded();
      if (written < expected) out.set(chunk.subarray(0, Math.max(0, Math.min(chunk.length, expected - written))), written);
      written += chunk.length;
      if (final) ended = true;
    });
    try {
      if (data.length === 0) {
        inflater.push(new Uint8Array(0), true);
      } else {
        for (let o = 0; o < data.length; o += INFLATE_CHUNK) {
          const end = Math.min(data.length, o + INFLATE_CHUNK);
          inflater.push(data.subarray(o, end), end === data.length);
        }
      }
    } catch (e) {
      if (e instanceof InflateLimitExceeded) {
        throw fileErrors.zipBomb(entry.name, 'inflated data larger than declared size');
      }
      throw fileErrors.corruptZip(`inflate failed: ${e instanceof Error ? e.message : String(e)}`, entry.name);
    }
    if (!ended) throw fileErrors.corruptZip('deflate stream ends early', entry.name);
    if (written !== expected) throw fileErrors.corruptZip(`inflated size ${written} differs from declared size ${expected}`, entry.name);
  }
  if (crc32(out) !== entry.crc) throw fileErrors.corruptZip('CRC-32 mismatch', entry.name);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

function w16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}

function w32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

interface OutEntry {
  src: ZipEntry;
  method: number;
  flags: number;
  versionNeeded: number;
  crc: number;
  csize: number;
  usize: number;
  data: Uint8Array;
}

/**
 * Writes a new archive: same entries, same order, same names and timestamps. Entries in
 * `replacements` (keyed by entry index) get new content; all others keep their original compressed
 * bytes.
 */
export function rewriteZip(zip: ZipArchive, replacements: ReadonlyMap<number, Uint8Array>): Uint8Array {
  const outs: OutEntry[] = [];
  for (const e of zip.entries) {
    const rep = replacements.get(e.index);
    if (rep) {
      const data = deflateSync(rep, { level: 6 });
      // Keep the UTF-8 name flag only; no data descriptor, no encryption, default deflate option bits.
      outs.push({ src: e, method: 8, flags: e.flags & 0x0800, versionNeeded: 20, crc: crc32(rep), csize: data.length, usize: rep.length, data });
    } else {
      const data = zip.bytes.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
      // Sizes and CRC come from the central directory, so the data descriptor is not needed.
      outs.push({
        src: e,
        method: e.method,
        flags: e.flags & ~0x0008,
        versionNeeded: Math.min(e.versionNeeded, 20) || 10,
        crc: e.crc,
        csize: e.compressedSize,
        usize: e.uncompressedSize,
        data,
      });
    }
  }

  let size = 0;
  for (const o of outs) size += 30 + o.src.rawName.length + o.csize + 46 + o.src.rawName.length;
  size += 22 + zip.comment.length;
  if (size > 0xffffffff) throw fileErrors.tooLarge('file', size, 0xffffffff);

  const buf = new Uint8Array(size);
  let p = 0;
  const offsets: number[] = [];
  for (const o of outs) {
    offsets.push(p);
    w32(buf, p, SIG_LOCAL);
    w16(buf, p + 4, o.versionNeeded);
    w16(buf, p + 6, o.flags);
    w16(buf, p + 8, o.method);
    w16(buf, p + 10, o.src.time);
    w16(buf, p + 12, o.src.date);
    w32(buf, p + 14, o.crc);
    w32(buf, p + 18, o.csize);
    w32(buf, p + 22, o.usize);
    w16(buf, p + 26, o.src.rawName.length);
    w16(buf, p + 28, 0);
    buf.set(o.src.rawName, p + 30);
    p += 30 + o.src.rawName.length;
    buf.set(o.data, p);
    p += o.csize;
  }
  const cdStart = p;
  outs.forEach((o, i) => {
    w32(buf, p, SIG_CENTRAL);
    w16(buf, p + 4, o.src.versionMadeBy);
    w16(buf, p + 6, o.versionNeeded);
    w16(buf, p + 8, o.flags);
    w16(buf, p + 10, o.method);
    w16(buf, p + 12, o.src.time);
    w16(buf, p + 14, o.src.date);
    w32(buf, p + 16, o.crc);
    w32(buf, p + 20, o.csize);
    w32(buf, p + 24, o.usize);
    w16(buf, p + 28, o.src.rawName.length);
    w16(buf, p + 30, 0);
    w16(buf, p + 32, 0);
    w16(buf, p + 34, 0);
    w16(buf, p + 36, o.src.internalAttrs);
    w32(buf, p + 38, o.src.externalAttrs);
    w32(buf, p + 42, offsets[i] as number);
    buf.set(o.src.rawName, p + 46);
    p += 46 + o.src.rawName.length;
  });
  const cdSize = p - cdStart;
  w32(buf, p, SIG_EOCD);
  w16(buf, p + 4, 0);
  w16(buf, p + 6, 0);
  w16(buf, p + 8, outs.length);
  w16(buf, p + 10, outs.length);
  w32(buf, p + 12, cdSize);
  w32(buf, p + 16, cdStart);
  w16(buf, p + 20, zip.comment.length);
  buf.set(zip.comment, p + 22);
  p += 22 + zip.comment.length;
  return p === buf.length ? buf : buf.slice(0, p);
}
