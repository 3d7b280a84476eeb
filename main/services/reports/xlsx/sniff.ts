/**
 * Content sniffing before any parsing: decides from the first bytes (and, for OLE compound files,
 * from the directory) whether this can be an xlsx at all, and if not, which refusal applies.
 */
import { fileErrors, type TemplateFileError } from './errors';

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

function u16(b: Uint8Array, o: number): number {
  return (b[o] as number) | ((b[o + 1] as number) << 8);
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16)) + (b[o + 3] as number) * 0x1000000;
}

export interface OleInfo {
  /** Names of the directory entries that could be read. */
  names: string[];
  /** True when the directory could be walked without inconsistencies. */
  intact: boolean;
  reason: string;
}

const END_OF_CHAIN = 0xfffffffe;

interface OleStream {
  name: string;
  root: boolean;
  start: number;
  size: number;
}
const MAX_REGULAR_SECTOR = 0xfffffffa;

/** Reads the directory entry names of an OLE2 / CFB compound file, defensively and in bounded time. */
export function readOleDirectory(b: Uint8Array): OleInfo {
  const names: string[] = [];
  if (b.length < 512) return { names, intact: false, reason: 'shorter than a CFB header' };
  const major = u16(b, 0x1a);
  const shift = u16(b, 0x1e);
  if (!((major === 3 && shift === 9) || (major === 4 && shift === 12))) {
    return { names, intact: false, reason: `bad version/sector shift ${major}/${shift}` };
  }
  const sectorSize = 1 << shift;
  const sectorCount = Math.floor((b.length - sectorSize) / sectorSize);
  const sectorOffset = (s: number): number => (s + 1) * sectorSize;
  const validSector = (s: number): boolean => s < MAX_REGULAR_SECTOR && s < sectorCount && sectorOffset(s) + sectorSize <= b.length;

  // Collect FAT sector numbers from the header DIFAT and the DIFAT chain.
  const numFat = u32(b, 0x2c);
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < numFat; i++) {
    const s = u32(b, 0x4c + i * 4);
    if (s >= MAX_REGULAR_SECTOR) break;
    fatSectors.push(s);
  }
  let difat = u32(b, 0x44);
  let difatSteps = 0;
  const perDifat = sectorSize / 4 - 1;
  let intact = true;
  let reason = '';
  while (difat < MAX_REGULAR_SECTOR && fatSectors.length < numFat) {
    if (!validSector(difat) || ++difatSteps > sectorCount) {
      intact = false;
      reason = 'bad DIFAT chain';
      break;
    }
    const o = sectorOffset(difat);
    for (let i = 0; i < perDifat && fatSectors.length < numFat; i++) {
      const s = u32(b, o + i * 4);
      if (s < MAX_REGULAR_SECTOR) fatSectors.push(s);
    }
    difat = u32(b, o + perDifat * 4);
  }
  const fat: number[] = [];
  for (const s of fatSectors) {
    if (!validSector(s)) {
      intact = false;
      reason = 'FAT sector out of range';
      continue;
    }
    const o = sectorOffset(s);
    for (let i = 0; i < sectorSize / 4; i++) fat.push(u32(b, o + i * 4));
  }

  // Walk the directory chain.
  let dir = u32(b, 0x30);
  const seen = new Set<number>();
  const streams: OleStream[] = [];
  while (dir !== END_OF_CHAIN) {
    if (!validSector(dir) || seen.has(dir)) {
      intact = false;
      reason = reason || 'bad directory chain';
      break;
    }
    seen.add(dir);
    const o = sectorOffset(dir);
    for (let e = 0; e < sectorSize / 128; e++) {
      const eo = o + e * 128;
      const type = b[eo + 0x42] as number;
      if (type === 0) continue;
      const len = u16(b, eo + 0x40);
      if (len < 2 || len > 64 || len % 2 !== 0) continue;
      let name = '';
      for (let i = 0; i < len - 2; i += 2) name += String.fromCharCode(u16(b, eo + i));
      names.push(name);
      if (type === 2 || type === 5) streams.push({ name, root: type === 5, start: u32(b, eo + 0x74), size: u32(b, eo + 0x78) });
    }
    const next = fat[dir];
    if (next === undefined) {
      intact = false;
      reason = reason || 'directory chain leaves the FAT';
      break;
    }
    dir = next;
  }
  if (names.length === 0) {
    intact = false;
    reason = reason || 'no directory entries';
  }
  // Check the sector chains of the root (mini-stream container) and of every large stream: in
  // range, no loops, no sector used twice (also not by the directory), and exactly as long as the
  // declared size needs. A damaged .xls usually fails here.
  const cutoff = u32(b, 0x38) || 4096;
  const used = new Set<number>(seen);
  for (const st of streams) {
    if (!st.root && st.size < cutoff) continue; // small streams live in the mini stream
    const need = Math.ceil(st.size / sectorSize);
    let s = st.start;
    for (let k = 0; k < need; k++) {
      if (!validSector(s) || used.has(s)) {
        intact = false;
        reason = reason || `broken sector chain of ${st.name}`;
        break;
      }
      used.add(s);
      const next = fat[s];
      if (next === undefined) {
        intact = false;
        reason = reason || `sector chain of ${st.name} leaves the FAT`;
        break;
      }
      s = next;
    }
    if (intact && need > 0 && s < MAX_REGULAR_SECTOR) {
      intact = false;
      reason = reason || `sector chain of ${st.name} is longer than its size`;
    }
  }
  return { names, intact, reason };
}

/** Linear search for an ASCII name stored as UTF-16LE. */
function containsUtf16(b: Uint8Array, name: string): boolean {
  const n = name.length * 2;
  const first = name.charCodeAt(0);
  outer: for (let i = 0; i + n <= b.length; i++) {
    if (b[i] !== first || b[i + 1] !== 0) continue;
    for (let k = 1; k < name.length; k++) {
      if (b[i + 2 * k] !== name.charCodeAt(k) || b[i + 2 * k + 1] !== 0) continue outer;
    }
    return true;
  }
  return false;
}

function classifyOle(b: Uint8Array): TemplateFileError {
  const info = readOleDirectory(b);
  const names = new Set(info.names.map((n) => n.toLowerCase()));
  if (names.has('encryptedpackage') || names.has('encryptioninfo')) {
    return fileErrors.encrypted('OLE container with EncryptionInfo/EncryptedPackage streams');
  }
  if ((names.has('workbook') || names.has('book')) && info.intact) {
    return fileErrors.legacyXls('OLE container with a Workbook/Book stream (BIFF5/8)');
  }
  if (!info.intact) {
    // The directory is damaged; look for the tell-tale stream names anywhere (bounded, linear scan).
    if (containsUtf16(b, 'EncryptedPackage') || containsUtf16(b, 'EncryptionInfo')) {
      return fileErrors.encrypted(`damaged OLE directory (${info.reason}) naming EncryptedPackage`);
    }
    return fileErrors.corruptOle(info.reason);
  }
  if (names.has('worddocument')) return fileErrors.notXlsx('unknown');
  return fileErrors.corruptOle(`OLE container without a workbook stream (${info.names.slice(0, 8).join(', ')})`);
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  let i = 0;
  if (startsWith(b, [0xef, 0xbb, 0xbf])) i = 3;
  for (; i < n; i++) {
    const c = b[i] as number;
    if (c === 9 || c === 10 || c === 13) continue;
    if (c < 32 || c === 127) return false;
  }
  if (n === b.length) return true;
  // Make sure the sample is valid UTF-8 (allowing a cut multi-byte sequence at the end).
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, n - 4));
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws the right TemplateFileError when the bytes cannot be an xlsx. Returns normally when they
 * start like a zip archive.
 */
export function sniffOrThrow(b: Uint8Array): void {
  if (b.length === 0) throw fileErrors.empty();
  // Zip: local file header, or an empty archive's end record.
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return;
  if (startsWith(b, [0x50, 0x4b, 0x07, 0x08]) || startsWith(b, [0x50, 0x4b, 0x30, 0x30])) return; // spanned marker
  if (startsWith(b, OLE_MAGIC)) throw classifyOle(b);
  // Raw BIFF2-BIFF4 worksheets/workbooks (not in an OLE container): BOF record 0x0009/0x0209/0x0409/0x0809.
  if (b.length >= 4 && (b[0] === 0x09 || b[0] === 0x08) && [0x00, 0x02, 0x04, 0x08].includes(b[1] as number)) {
    const len = u16(b, 2);
    if (len >= 4 && len <= 32 && b.length >= 4 + len) throw fileErrors.legacyXls('raw BIFF stream');
  }
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46])) throw fileErrors.notXlsx('pdf');
  if (looksLikeText(b)) {
    const head = new TextDecoder('utf-8').decode(b.subarray(0, Math.min(b.length, 2048))).replace(/^\uFEFF/, '').trimStart().toLowerCase();
    if (head.startsWith('<?xml') && head.includes('urn:schemas-microsoft-com:office:spreadsheet')) throw fileErrors.notXlsx('xml2003');
    if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.includes('<table')) throw fileErrors.notXlsx('html');
    const firstLine = head.split('\n', 1)[0] ?? '';
    if (firstLine.includes(',') || firstLine.includes('\t') || firstLine.includes(';')) throw fileErrors.notXlsx('csv');
    throw fileErrors.notXlsx('text');
  }
  // UTF-16 text (e.g. "Unicode text" exports from Excel) is also text.
  if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) throw fileErrors.notXlsx('text');
  throw fileErrors.notXlsx('unknown');
}
