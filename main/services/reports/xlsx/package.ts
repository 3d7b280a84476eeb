/**
 * Opens an xlsx package safely: sniff the bytes, read the zip directory with limits, find the
 * workbook part through _rels/.rels, list the sheets through workbook.xml + workbook.xml.rels.
 */
import { TemplateFileError, fileErrors } from './errors';
import { resolveLimits, type TemplateLimits } from './limits';
import { sniffOrThrow } from './sniff';
import { openZip, type ZipArchive, type ZipEntry } from './zip';
import { TOK_CLOSE, TOK_END, TOK_OPEN, TOK_TEXT, XmlError, XmlScanner } from './xml';

export type SheetKind = 'worksheet' | 'chartsheet' | 'dialogsheet' | 'macrosheet' | 'unknown';
export type SheetState = 'visible' | 'hidden' | 'veryHidden';

export interface SheetRef {
  name: string;
  /** 0-based position in the workbook's tab order. */
  index: number;
  /** Zip path of the sheet part, resolved through workbook.xml.rels (e.g. `xl/worksheets/sheet1.xml`). */
  path: string;
  kind: SheetKind;
  state: SheetState;
}

export interface DefinedName {
  name: string;
  /** The formula text, e.g. `'脆弱家庭服務'!$B$10:$J$16`. */
  ref: string;
  /** Sheet the name is local to, or null for a workbook-level name. */
  scopeSheet: string | null;
  hidden: boolean;
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface PartText {
  text: string;
  encoding: TextEncoding;
}

export interface WorkbookPackage {
  bytes: Uint8Array;
  zip: ZipArchive;
  limits: TemplateLimits;
  workbookEntry: ZipEntry;
  sheets: SheetRef[];
  definedNames: DefinedName[];
  date1904: boolean;
  sharedStringsPath: string | null;
  stylesPath: string | null;
  themePath: string | null;
  /** Reads a part as text; throws TemplateFileError for a missing/damaged part. */
  readText(path: string): PartText;
  readEntryText(entry: ZipEntry): PartText;
}

interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

export function decodePart(bytes: Uint8Array, part: string): PartText {
  let encoding: TextEncoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  try {
    // ignoreBOM keeps a BOM in the string, so re-encoding gives the same bytes back.
    return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes), encoding };
  } catch {
    throw fileErrors.corruptXml(part, `invalid ${encoding} text`);
  }
}

export function encodePart(text: string, encoding: TextEncoding): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (encoding === 'utf-16le') {
      out[2 * i] = c & 0xff;
      out[2 * i + 1] = c >>> 8;
    } else {
      out[2 * i] = c >>> 8;
      out[2 * i + 1] = c & 0xff;
    }
  }
  return out;
}

/** Wraps XmlError (and only XmlError) into the user-facing corrupt-xml error. */
export function withXml<T>(part: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof XmlError) throw fileErrors.corruptXml(part, e.message);
    throw e;
  }
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i + 1);
}

/** Resolves a relationship target against the source part's folder (OPC rules, tolerant of `\`). */
export function resolveTarget(sourcePart: string, target: string): string {
  let t = target.replace(/\\/g, '/');
  // Strip a fragment or query, if any.
  const hash = t.indexOf('#');
  if (hash >= 0) t = t.slice(0, hash);
  const segs = (t.startsWith('/') ? t.slice(1) : dirOf(sourcePart.replace(/\\/g, '/')) + t).split('/');
  const out: string[] = [];
  for (const s of segs) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else {
      let d = s;
      try {
        d = decodeURIComponent(s);
      } catch {
        d = s;
      }
      out.push(d);
    }
  }
  return out.join('/');
}

function relsPathFor(part: string): string {
  const p = part.replace(/\\/g, '/');
  const i = p.lastIndexOf('/');
  return i < 0 ? `_rels/${p}.rels` : `${p.slice(0, i + 1)}_rels/${p.slice(i + 1)}.rels`;
}

function parseRels(text: string, part: string): Relationship[] {
  return withXml(part, () => {
    const sc = new XmlScanner(text);
    const rels: Relationship[] = [];
    for (let t = sc.next(); t !== TOK_END; t = sc.next()) {
      if (t === TOK_OPEN && sc.local === 'Relationship') {
        const id = sc.attr('Id');
        const type = sc.attr('Type');
        const target = sc.attr('Target');
        if (id !== null && type !== null && target !== null) {
          rels.push({ id, type, target, external: sc.attr('TargetMode') === 'External' });
        }
      }
    }
    return rels;
  });
}

function relKind(type: string): string {
  const i = type.lastIndexOf('/');
  return i < 0 ? type : type.slice(i + 1);
}

function sheetKindOf(type: string): SheetKind {
  switch (relKind(type)) {
    case 'worksheet':
      return 'worksheet';
    case 'chartsheet':
      return 'chartsheet';
    case 'dialogsheet':
      return 'dialogsheet';
    case 'xlMacrosheet':
    case 'xlIntlMacrosheet':
      return 'macrosheet';
    default:
      return 'unknown';
  }
}

function refuseNonWorkbook(zip: ZipArchive): never {
  if (zip.find('xl/workbook.bin')) throw fileErrors.unsupported('xlsb');
  if (zip.find('content.xml') && zip.find('mimetype')) throw fileErrors.unsupported('ods');
  if (zip.find('word/document.xml')) throw fileErrors.unsupported('docx');
  if (zip.find('ppt/presentation.xml')) throw fileErrors.unsupported('pptx');
  if (!zip.find('[Content_Types].xml')) throw fileErrors.unsupported('zip');
  throw fileErrors.missingWorkbook('no workbook part');
}

export function openPackage(bytes: Uint8Array, limitOverrides?: Partial<TemplateLimits>): WorkbookPackage {
  const limits = resolveLimits(limitOverrides);
  if (bytes.length > limits.maxFileBytes) throw fileErrors.tooLarge('file', bytes.length, limits.maxFileBytes);
  sniffOrThrow(bytes);
  const zip = openZip(bytes, limits);

  const readEntryText = (entry: ZipEntry): PartText => decodePart(zip.read(entry), entry.name);
  const readText = (path: string): PartText => {
    const e = zip.find(path);
    if (!e) throw fileErrors.corruptZip(`part ${path} is missing`, path);
    return readEntryText(e);
  };
  const readOptionalText = (path: string): PartText | null => {
    const e = zip.find(path);
    return e ? readEntryText(e) : null;
  };

  // 1. The workbook part, through the package relationships.
  let workbookPath = '';
  const rootRels = readOptionalText('_rels/.rels');
  if (rootRels) {
    const rel = parseRels(rootRels.text, '_rels/.rels').find((r) => relKind(r.type) === 'officeDocument' && !r.external);
    if (rel) workbookPath = resolveTarget('', rel.target);
  }
  if (!workbookPath || !zip.find(workbookPath)) workbookPath = 'xl/workbook.xml';
  const workbookEntry = zip.find(workbookPath);
  if (!workbookEntry) refuseNonWorkbook(zip);
  if (workbookEntry.key.endsWith('.bin')) throw fileErrors.unsupported('xlsb');

  // 2. Workbook relationships.
  const wbRelsPath = relsPathFor(workbookEntry.name);
  const wbRelsText = readOptionalText(wbRelsPath);
  const wbRels = wbRelsText ? parseRels(wbRelsText.text, wbRelsPath) : [];
  const relById = new Map(wbRels.map((r) => [r.id, r]));
  const findRel = (kind: string): string | null => {
    const r = wbRels.find((x) => relKind(x.type) === kind && !x.external);
    if (!r) return null;
    const p = resolveTarget(workbookEntry.name, r.target);
    const e = zip.find(p);
    return e ? e.name : null;
  };

  // 3. workbook.xml: sheets, defined names, date system.
  const wbText = readEntryText(workbookEntry).text;
  const rawSheets: Array<{ name: string; rid: string | null; state: SheetState }> = [];
  const rawNames: Array<{ name: string; localSheetId: number | null; hidden: boolean; ref: string }> = [];
  let date1904 = false;
  withXml(workbookEntry.name, () => {
    const sc = new XmlScanner(wbText);
    let current: { name: string; localSheetId: number | null; hidden: boolean; ref: string } | null = null;
    for (let t = sc.next(); t !== TOK_END; t = sc.next()) {
      if (t === TOK_OPEN) {
        if (sc.local === 'sheet' && sc.parentLocal() === 'sheets') {
          const name = sc.attr('name');
          const st = sc.attr('state');
          if (name !== null) {
            if (rawSheets.length >= limits.maxSheets) throw fileErrors.tooLarge('entries', rawSheets.length + 1, limits.maxSheets);
            rawSheets.push({ name, rid: sc.attr('id'), state: st === 'hidden' ? 'hidden' : st === 'veryHidden' ? 'veryHidden' : 'visible' });
          }
        } else if (sc.local === 'workbookPr') {
          const d = sc.attr('date1904');
          date1904 = d === '1' || d === 'true';
        } else if (sc.local === 'definedName') {
          const lsi = sc.attr('localSheetId');
          const h = sc.attr('hidden');
          current = {
            name: sc.attr('name') ?? '',
            localSheetId: lsi !== null && /^\d+$/.test(lsi) ? Number(lsi) : null,
            hidden: h === '1' || h === 'true',
            ref: '',
          };
          if (sc.selfClosing) {
            rawNames.push(current);
            current = null;
          }
        }
      } else if (t === TOK_TEXT && current) {
        current.ref += sc.text();
      } else if (t === TOK_CLOSE && sc.local === 'definedName' && current) {
        rawNames.push(current);
        current = null;
      }
    }
  });

  const sheets: SheetRef[] = [];
  rawSheets.forEach((s, index) => {
    const rel = s.rid !== null ? relById.get(s.rid) : undefined;
    let path = '';
    let kind: SheetKind = 'unknown';
    if (rel && !rel.external) {
      path = resolveTarget(workbookEntry.name, rel.target);
      kind = sheetKindOf(rel.type);
    }
    const entry = path ? zip.find(path) : undefined;
    if (!entry) {
      throw fileErrors.corruptZip(`sheet "${s.name}" has no part (${path || 'no relationship'})`, path || workbookEntry.name);
    }
    sheets.push({ name: s.name, index, path: entry.name, kind, state: s.state });
  });
  if (sheets.length === 0) throw fileErrors.noSheets();

  const definedNames: DefinedName[] = rawNames.map((n) => ({
    name: n.name,
    ref: n.ref,
    scopeSheet: n.localSheetId !== null ? (sheets[n.localSheetId]?.name ?? null) : null,
    hidden: n.hidden,
  }));

  return {
    bytes,
    zip,
    limits,
    workbookEntry,
    sheets,
    definedNames,
    date1904,
    sharedStringsPath: findRel('sharedStrings'),
    stylesPath: findRel('styles'),
    themePath: findRel('theme'),
    readText,
    readEntryText,
  };
}

export function isTemplateFileError(e: unknown): e is TemplateFileError {
  return e instanceof TemplateFileError;
}
