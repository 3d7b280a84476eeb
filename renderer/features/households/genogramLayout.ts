import type { MemberView, Relation } from '../../../main/contract/types-households';
import { ageOf, sortMembers } from './format';

/**
 * Places a household's members for the genogram from their relation to the 戶長 only (the data
 * records nothing else): the head's generation in the middle with the spouse beside and siblings to
 * the left; parents and grandparents above; children and grandchildren below; 其他親屬 / 非親屬 in a
 * row of their own without lines.
 */
export const SLOT = 120;
export const ROW = 130;
export const SYMBOL = 40;
const MARGIN = 70;
/** Height of the name and relation written under a symbol. */
const LABELS = 40;

const GENERATION: Partial<Record<Relation, number>> = { 祖父母: -2, 父母: -1, 戶長: 0, 配偶: 0, 兄弟姊妹: 0, 子女: 1, 孫子女: 2 };

export interface GenoNode {
  member: MemberView;
  x: number;
  y: number;
  age: number | null;
  past: boolean;
  deceased: boolean;
  head: boolean;
}

export interface GenoLine {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  dashed: boolean;
}

export interface GenoLayout {
  nodes: GenoNode[];
  lines: GenoLine[];
  width: number;
  height: number;
  /** y of the 其他同住者 row's caption, when there is one. */
  othersY: number | null;
}

function placeRow(members: MemberView[], centerX: number): { m: MemberView; x: number }[] {
  const start = centerX - ((members.length - 1) * SLOT) / 2;
  return members.map((m, i) => ({ m, x: start + i * SLOT }));
}

const centerOf = (xs: number[], fallback: number) => (xs.length ? (Math.min(...xs) + Math.max(...xs)) / 2 : fallback);

export function layoutGenogram(all: MemberView[]): GenoLayout {
  const members = sortMembers(all);
  const by = (r: Relation) => members.filter((m) => m.relation === r);
  // The current 戶長 (or, failing that, a past one) anchors everything.
  const head = members.find((m) => m.relation === '戶長' && m.leftOn === null) ?? members.find((m) => m.relation === '戶長') ?? null;
  const heads = by('戶長').filter((m) => m !== head);
  const siblings = by('兄弟姊妹');
  const spouses = by('配偶');
  const row0 = [...siblings, ...heads, ...(head ? [head] : []), ...spouses];
  const headIndex = head ? siblings.length + heads.length : -1;
  const placed0 = row0.map((m, i) => ({ m, x: i * SLOT }));
  const headX = headIndex >= 0 ? headIndex * SLOT : centerOf(placed0.map((p) => p.x), 0);
  const coupleMid = head && spouses.length > 0 ? headX + SLOT / 2 : headX;
  const sibGroup = placed0.slice(0, headIndex + 1).map((p) => p.x);
  const parents = placeRow(by('父母'), centerOf(sibGroup, headX));
  const grand = placeRow(by('祖父母'), centerOf(parents.map((p) => p.x), headX));
  const children = placeRow(by('子女'), coupleMid);
  const grandchildren = placeRow(by('孫子女'), centerOf(children.map((p) => p.x), coupleMid));
  const others = members.filter((m) => GENERATION[m.relation] === undefined);

  const rows: { gen: number; items: { m: MemberView; x: number }[] }[] = [
    { gen: -2, items: grand },
    { gen: -1, items: parents },
    { gen: 0, items: placed0 },
    { gen: 1, items: children },
    { gen: 2, items: grandchildren },
  ];
  const used = rows.filter((r) => r.items.length > 0);
  const topGen = used.length ? Math.min(...used.map((r) => r.gen)) : 0;
  const bottomGen = used.length ? Math.max(...used.map((r) => r.gen)) : 0;
  const yOf = (gen: number) => MARGIN - 20 + (gen - topGen) * ROW;
  const othersRowY = others.length ? yOf(bottomGen + 1) + 20 : null;
  const otherItems = placeRow(others, headX);

  const allX = [...used.flatMap((r) => r.items.map((i) => i.x)), ...otherItems.map((i) => i.x)];
  const minX = allX.length ? Math.min(...allX) : 0;
  const maxX = allX.length ? Math.max(...allX) : 0;
  const shift = MARGIN - minX;
  const X = (x: number) => x + shift;

  const nodes: GenoNode[] = [];
  const node = (m: MemberView, x: number, y: number) =>
    nodes.push({ member: m, x: X(x), y, age: ageOf(m.birthDate), past: m.leftOn !== null, deceased: /死亡|歿|過世|往生/.test(m.leftReason ?? ''), head: m === head });
  for (const r of used) for (const i of r.items) node(i.m, i.x, yOf(r.gen));
  if (othersRowY !== null) for (const i of otherItems) node(i.m, i.x, othersRowY);

  const lines: GenoLine[] = [];
  const line = (x1: number, y1: number, x2: number, y2: number, dashed = false) => lines.push({ x1: X(x1), y1, x2: X(x2), y2, dashed });
  const half = SYMBOL / 2;
  const y0 = yOf(0);

  // Marriage lines from the head to each spouse.
  spouses.forEach((s, i) => {
    const sx = placed0.find((p) => p.m === s)?.x ?? 0;
    line(headX + half, y0 + i * 4, sx - half, y0 + i * 4, s.leftOn !== null);
  });
  /** A couple (or one parent) above, a bar over the children below, a stem between. */
  const descent = (upper: { x: number }[], upperY: number, lower: number[], lowerY: number, dashed = false, fromLine = false) => {
    if (lower.length === 0 || upper.length === 0) return;
    if (upper.length >= 2) line(upper[0]!.x + half, upperY, upper[upper.length - 1]!.x - half, upperY, dashed);
    const from = centerOf(upper.map((u) => u.x), lower[0]!);
    // A single person's stem starts below their name and relation labels.
    const stemTop = upper.length >= 2 || fromLine ? upperY : upperY + half + LABELS;
    const barY = lowerY - half - 22;
    line(from, stemTop, from, barY, dashed);
    line(Math.min(from, ...lower), barY, Math.max(from, ...lower), barY, dashed);
    for (const x of lower) line(x, barY, x, lowerY - half, dashed);
  };
  descent(grand, yOf(-2), parents.length ? parents.map((p) => p.x) : sibGroup, parents.length ? yOf(-1) : y0, parents.length === 0);
  descent(parents, yOf(-1), sibGroup, y0);
  // Children descend from the marriage line (or from the head alone).
  const withSpouse = head !== null && spouses.length > 0;
  if (head || children.length) descent([{ x: coupleMid }], y0, children.map((c) => c.x), yOf(1), false, withSpouse);
  // Which child a grandchild descends from is not recorded: a dashed line from the children's row.
  if (grandchildren.length) {
    const fromChildren = children.length > 0;
    descent([{ x: fromChildren ? centerOf(children.map((c) => c.x), coupleMid) : coupleMid }], fromChildren ? yOf(1) : y0, grandchildren.map((g) => g.x), yOf(2), true, !fromChildren && withSpouse);
  }

  const lastY = othersRowY ?? yOf(bottomGen);
  return { nodes, lines, width: maxX - minX + MARGIN * 2, height: lastY + SYMBOL + 50, othersY: othersRowY };
}
