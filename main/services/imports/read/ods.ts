/**
 * Sheet visibility in OpenDocument spreadsheets, which SheetJS does not read: a table is hidden when its
 * automatic style has table:display="false". Taiwanese government offices use ODF by policy, so lists
 * from a 公所 may well be .ods.
 */
import { Unzip, UnzipInflate } from 'fflate';

function indexOf(b: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const n = needle.length;
  outer: for (let i = b.indexOf(first as number, from); i !== -1 && i + n <= b.length; i = b.indexOf(first as number, i + 1)) {
    for (let k = 1; k < n; k++) if (b[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

function lastIndexOf(b: Uint8Array, needle: Uint8Array, before: number): number {
  const n = needle.length;
  outer: for (let i = Math.min(before, b.length - n); i >= 0; i--) {
    for (let k = 0; k < n; k++) if (b[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8');

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`${name}="([^"]*)"`).exec(tag);
  return m?.[1]?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function contentXml(zip: Uint8Array): Uint8Array | null {
  let out: Uint8Array | null = null;
  const chunks: Uint8Array[] = [];
  const unzip = new Unzip((file) => {
    if (file.name !== 'content.xml') return;
    file.ondata = (err, data, final) => {
      if (err) return;
      chunks.push(data);
      if (final) {
        const total = chunks.reduce((n, c) => n + c.length, 0);
        out = new Uint8Array(total);
        let o = 0;
        for (const c of chunks) {
          out.set(c, o);
          o += c.length;
        }
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.push(zip, true);
  return out;
}

/** The names of the hidden tables of an .ods (bytes of the zip); empty when none or when it cannot tell. */
export function odsHiddenSheets(zip: Uint8Array): Set<string> {
  const hidden = new Set<string>();
  try {
    const xml = contentXml(zip);
    if (!xml) return hidden;
    // Styles that hide a table.
    const hiding = new Set<string>();
    const display = enc.encode('table:display="false"');
    const styleOpen = enc.encode('<style:style ');
    for (let i = indexOf(xml, display, 0); i !== -1; i = indexOf(xml, display, i + 1)) {
      const s = lastIndexOf(xml, styleOpen, i);
      if (s < 0) continue;
      const end = xml.indexOf(0x3e /* > */, s);
      const name = attr(dec.decode(xml.subarray(s, end + 1)), 'style:name');
      if (name) hiding.add(name);
    }
    if (hiding.size === 0) return hidden;
    const tableOpen = enc.encode('<table:table ');
    for (let i = indexOf(xml, tableOpen, 0); i !== -1; i = indexOf(xml, tableOpen, i + 1)) {
      const end = xml.indexOf(0x3e, i);
      if (end < 0) break;
      const tag = dec.decode(xml.subarray(i, end + 1));
      const style = attr(tag, 'table:style-name');
      const name = attr(tag, 'table:name');
      if (style && name && hiding.has(style)) hidden.add(name);
    }
  } catch {
    // Visibility is a nicety: a file SheetJS could read is not refused for it.
  }
  return hidden;
}
