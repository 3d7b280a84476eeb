/** Pure helpers of the instrument editor: the item tree addressed by index paths, and error paths. */
import type { InstrumentItem } from '../../../../main/contract/types-assessments';

export type ItemPath = number[];

export function itemAt(items: InstrumentItem[], path: ItemPath): InstrumentItem | undefined {
  let list: InstrumentItem[] | undefined = items;
  let found: InstrumentItem | undefined;
  for (const i of path) {
    found = list?.[i];
    list = found?.items;
  }
  return found;
}

/** A copy of the tree with `fn` applied to the list that holds `parent`'s children (parent [] = the top level). */
function mapChildren(items: InstrumentItem[], parent: ItemPath, fn: (list: InstrumentItem[]) => InstrumentItem[]): InstrumentItem[] {
  if (parent.length === 0) return fn(items);
  const [head, ...rest] = parent;
  return items.map((it, i) => (i === head ? { ...it, items: mapChildren(it.items ?? [], rest, fn) } : it));
}

export function updateItem(items: InstrumentItem[], path: ItemPath, fn: (it: InstrumentItem) => InstrumentItem): InstrumentItem[] {
  const parent = path.slice(0, -1);
  const index = path[path.length - 1] ?? 0;
  return mapChildren(items, parent, (list) => list.map((it, i) => (i === index ? fn(it) : it)));
}

export function removeItem(items: InstrumentItem[], path: ItemPath): InstrumentItem[] {
  const index = path[path.length - 1] ?? 0;
  return mapChildren(items, path.slice(0, -1), (list) => list.filter((_, i) => i !== index));
}

export function insertItem(items: InstrumentItem[], parent: ItemPath, index: number, item: InstrumentItem): InstrumentItem[] {
  return mapChildren(items, parent, (list) => [...list.slice(0, index), item, ...list.slice(index)]);
}

/** Moves an item one place up (−1) or down (+1) among its siblings; returns the tree and the item's new path. */
export function moveItem(items: InstrumentItem[], path: ItemPath, delta: -1 | 1): { items: InstrumentItem[]; path: ItemPath } {
  const parent = path.slice(0, -1);
  const index = path[path.length - 1] ?? 0;
  const siblings = parent.length === 0 ? items : (itemAt(items, parent)?.items ?? []);
  const to = index + delta;
  if (to < 0 || to >= siblings.length) return { items, path };
  const next = mapChildren(items, parent, (list) => {
    const copy = [...list];
    const [moved] = copy.splice(index, 1);
    if (moved) copy.splice(to, 0, moved);
    return copy;
  });
  return { items: next, path: [...parent, to] };
}

export function allLinkIds(items: InstrumentItem[]): string[] {
  return items.flatMap((it) => [it.linkId, ...allLinkIds(it.items ?? [])]);
}

/** A linkId not yet used: the parent's linkId and the next number ("2.3"), or the next top-level number. */
export function freshLinkId(items: InstrumentItem[], parent: ItemPath): string {
  const used = new Set(allLinkIds(items));
  const prefix = parent.length === 0 ? '' : `${itemAt(items, parent)?.linkId ?? ''}.`;
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** The error path prefix of an item (`items.0.items.2`), as validateDefinition reports paths. */
export function itemPrefix(path: ItemPath): string {
  return path.map((i) => `items.${i}`).join('.');
}

/** Every item with its path, depth first (the tree list). */
export function flatten(items: InstrumentItem[], parent: ItemPath = []): { item: InstrumentItem; path: ItemPath }[] {
  return items.flatMap((item, i) => [{ item, path: [...parent, i] }, ...flatten(item.items ?? [], [...parent, i])]);
}

/** Parses a number typed by the user ('' = absent); null when it is not a number. Accepts full-width digits. */
export function parseNumber(text: string): number | undefined | null {
  const t = text.replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
  if (t === '') return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}
