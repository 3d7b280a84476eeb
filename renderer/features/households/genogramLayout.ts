import type { MemberView, Relation, Sex } from '../../../main/contract/types-households';
import type { HouseholdLinksView, LinkRelation } from '../../../main/contract/types-links';
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

// --- Linked households (issue 14 §5) -------------------------------------------------------------

/** A person of a linked household, drawn in its box; `name` null: a household out of the caller's scope. */
export interface LinkedPerson {
  key: string;
  x: number;
  y: number;
  sex: Sex | null;
  name: string | null;
}

/** A linked household's box around the one drawn: its persons, a caption, where a click leads. */
export interface LinkedCluster {
  key: string;
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  /** In scope: the household to open; null otherwise (or none recorded). */
  householdId: number | null;
  inScope: boolean;
  persons: LinkedPerson[];
  /** The relations drawn to it, for its accessible name. */
  relations: string[];
}

export interface LinkedLine {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  label: string;
  dashed: boolean;
}

export interface LinkedLayout extends GenoLayout {
  clusters: LinkedCluster[];
  linkLines: LinkedLine[];
}

const CLUSTER_GAP = 110;
const CLUSTER_SLOT = 100;
const CLUSTER_H = 150;
const CLUSTER_MIN_W = 200;

interface Group {
  key: string;
  label: string;
  householdId: number | null;
  inScope: boolean;
  persons: { key: string; sex: Sex | null; name: string | null; links: { memberId: number; relation: LinkRelation }[] }[];
}

/**
 * The household's genogram with its linked households around it: boxes alternately to the right and
 * to the left, one per linked household in scope (its linked persons together), one per link to a
 * household out of scope (never grouped: nothing tells whether two of them are one household), each
 * person joined to the member by a line labelled with the relation.
 */
export function layoutWithLinks(members: MemberView[], links: HouseholdLinksView | null, householdId: number | null, outOfScopeLabel: string, noHouseholdLabel: string): LinkedLayout {
  const core = layoutGenogram(members);
  const groups = new Map<string, Group>();
  for (const m of links?.members ?? []) {
    for (const l of m.links) {
      const o = l.other;
      let key: string;
      let person: string;
      if (o.inScope && o.householdId !== null) {
        if (o.householdId === householdId) continue;
        key = `hh:${o.householdId}`;
        person = `p:${o.personId}`;
      } else if (o.inScope) {
        key = `p:${o.personId}`;
        person = key;
      } else {
        key = `x:${l.id}`;
        person = key;
      }
      let g = groups.get(key);
      if (!g) {
        g = {
          key,
          label: o.inScope ? (o.householdLabel ?? noHouseholdLabel) : outOfScopeLabel,
          householdId: o.inScope ? o.householdId : null,
          inScope: o.inScope,
          persons: [],
        };
        groups.set(key, g);
      }
      let p = g.persons.find((x) => x.key === person);
      if (!p) {
        p = { key: person, sex: o.sex, name: o.inScope ? o.name : null, links: [] };
        g.persons.push(p);
      }
      p.links.push({ memberId: m.personId, relation: l.relation });
    }
  }
  const list = [...groups.values()];
  if (list.length === 0) return { ...core, clusters: [], linkLines: [] };

  const right = list.filter((_, i) => i % 2 === 0);
  const left = list.filter((_, i) => i % 2 === 1);
  const widthOf = (g: Group) => Math.max(CLUSTER_MIN_W, g.persons.length * CLUSTER_SLOT + 40);
  const leftW = left.length ? Math.max(...left.map(widthOf)) : 0;
  const rightW = right.length ? Math.max(...right.map(widthOf)) : 0;
  const shift = left.length ? leftW + CLUSTER_GAP : 0;
  const nodes = core.nodes.map((n) => ({ ...n, x: n.x + shift }));
  const lines = core.lines.map((l) => ({ ...l, x1: l.x1 + shift, x2: l.x2 + shift }));
  const coreRight = shift + core.width;
  const top = 20;

  const clusters: LinkedCluster[] = [];
  const linkLines: LinkedLine[] = [];
  const nodeOf = (personId: number) => nodes.find((n) => n.member.personId === personId && !n.past) ?? nodes.find((n) => n.member.personId === personId);
  const place = (col: Group[], x0: number, colW: number, side: 'left' | 'right') => {
    col.forEach((g, i) => {
      const w = widthOf(g);
      const x = side === 'left' ? x0 + colW - w : x0;
      const y = top + i * (CLUSTER_H + 30);
      const persons: LinkedPerson[] = g.persons.map((p, j) => ({ key: p.key, sex: p.sex, name: p.name, x: x + 20 + CLUSTER_SLOT / 2 + j * CLUSTER_SLOT + (w - 40 - g.persons.length * CLUSTER_SLOT) / 2, y: y + 70 }));
      const relations: string[] = [];
      g.persons.forEach((p, j) => {
        const lp = persons[j] as LinkedPerson;
        for (const l of p.links) {
          const member = nodeOf(l.memberId);
          relations.push(l.relation);
          if (!member) continue;
          const fromX = side === 'right' ? member.x + SYMBOL / 2 : member.x - SYMBOL / 2;
          const toX = side === 'right' ? lp.x - SYMBOL / 2 : lp.x + SYMBOL / 2;
          linkLines.push({ x1: fromX, y1: member.y, x2: toX, y2: lp.y, label: l.relation, dashed: l.relation === '前配偶' });
        }
      });
      clusters.push({ key: g.key, x, y, w, h: CLUSTER_H, label: g.label, householdId: g.householdId, inScope: g.inScope, persons, relations });
    });
  };
  place(right, coreRight + CLUSTER_GAP - MARGIN, rightW, 'right');
  place(left, MARGIN / 2, leftW, 'left');
  const colH = (n: number) => top + n * (CLUSTER_H + 30);
  const width = coreRight + (right.length ? CLUSTER_GAP - MARGIN + rightW + MARGIN / 2 : 0);
  const height = Math.max(core.height, colH(right.length), colH(left.length));
  return { nodes, lines, width, height, othersY: core.othersY, clusters, linkLines };
}
