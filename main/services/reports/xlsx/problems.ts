/**
 * Refusals an administrator can act on (issue 13 §5): the mapping check reports one problem per
 * cell, and a renamed sheet or an inserted row makes every cell of a block fail the same way. Here
 * the per-cell problems become one line per problem, each naming the cells it affects as ranges
 * (「脆弱家庭服務!B10:H16：…」), and a missing sheet is matched to a similarly named one in the
 * template (「是否已改名為「1-服務量統計」？」).
 */
import { colToLetters, encodeCell, parseCellRef } from './cellref';

/** The fields of a mapping problem the grouping reads (the engine's MappingProblem and the API's view). */
export interface ProblemToGroup {
  sheet: string;
  cell: string;
  code: string;
  severity: 'error' | 'warning';
  message: string;
  suggestedCell: string | null;
  suggestedSheet?: string | null | undefined;
  /** The label (or style, or merged area) the mapping was saved with, and what the template has now. */
  before?: string | null | undefined;
  after?: string | null | undefined;
}

export interface GroupedProblem {
  sheet: string;
  code: string;
  severity: 'error' | 'warning';
  cells: string[];
  message: string;
  suggestedSheet: string | null;
}

/** At most this many ranges are named in one line; the rest are counted. */
const MAX_RANGES = 8;

function squash(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length] as number;
}

/**
 * The sheet `missing` was probably renamed to: among `candidates`, one whose name contains it or is
 * contained in it (1-服務量 → 1-服務量統計), or differs by a small edit (at most 2 characters and a
 * third of the name). Null when there is none or no single best.
 */
export function similarSheetName(missing: string, candidates: readonly string[]): string | null {
  const m = squash(missing);
  if (m === '') return null;
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    const c = squash(name);
    if (c === '') continue;
    if (c.includes(m) || m.includes(c)) {
      scored.push({ name, score: Math.abs([...c].length - [...m].length) });
      continue;
    }
    const d = editDistance(m, c);
    const allowed = Math.min(2, Math.max(1, Math.floor(Math.min([...m].length, [...c].length) / 3)));
    if (d <= allowed) scored.push({ name, score: 100 + d });
  }
  if (scored.length === 0) return null;
  scored.sort((a, b) => a.score - b.score);
  const [best, next] = scored;
  if (!best || (next && next.score === best.score)) return null;
  return best.name;
}

/**
 * Cells as few A1 ranges: each column's consecutive rows become one run, and neighbouring columns
 * with the same runs become one rectangle (B10..B16 and C10..C16 → B10:C16). Sorted by position.
 */
export function compactCells(cells: readonly string[]): string[] {
  const byCol = new Map<number, Set<number>>();
  const odd: string[] = [];
  for (const c of cells) {
    const p = parseCellRef(c.trim());
    if (!p) {
      if (!odd.includes(c)) odd.push(c);
      continue;
    }
    const set = byCol.get(p.col) ?? new Set<number>();
    set.add(p.row);
    byCol.set(p.col, set);
  }
  const runs: { top: number; bottom: number; left: number; right: number }[] = [];
  for (const col of [...byCol.keys()].sort((a, b) => a - b)) {
    const rows = [...(byCol.get(col) as Set<number>)].sort((a, b) => a - b);
    let start = rows[0] as number;
    let prev = start;
    const colRuns: { top: number; bottom: number }[] = [];
    for (const r of rows.slice(1)) {
      if (r === prev + 1) {
        prev = r;
        continue;
      }
      colRuns.push({ top: start, bottom: prev });
      start = r;
      prev = r;
    }
    colRuns.push({ top: start, bottom: prev });
    for (const run of colRuns) {
      const open = runs.find((x) => x.right === col - 1 && x.top === run.top && x.bottom === run.bottom);
      if (open) open.right = col;
      else runs.push({ ...run, left: col, right: col });
    }
  }
  runs.sort((a, b) => a.top - b.top || a.left - b.left);
  const refs = runs.map((r) => {
    const a = encodeCell(r.top, r.left);
    return r.top === r.bottom && r.left === r.right ? a : `${a}:${colToLetters(r.right)}${r.bottom}`;
  });
  return [...refs, ...odd];
}

function cellList(cells: readonly string[]): { ranges: string[]; text: string } {
  const ranges = compactCells(cells);
  const shown = ranges.slice(0, MAX_RANGES).join('、');
  return { ranges, text: ranges.length > MAX_RANGES ? `${shown}…等 ${cells.length} 格` : shown };
}

function quote(s: string | null | undefined): string {
  return s === null || s === undefined || s.trim() === '' ? '（空白）' : `「${s.trim()}」`;
}

function shiftOf(p: ProblemToGroup): { dr: number; dc: number } | null {
  if (!p.suggestedCell) return null;
  const a = parseCellRef(p.cell);
  const b = parseCellRef(p.suggestedCell);
  return a && b ? { dr: b.row - a.row, dc: b.col - a.col } : null;
}

function shiftWords(dr: number, dc: number): string {
  const parts: string[] = [];
  if (dr !== 0) parts.push(`${dr > 0 ? '下移' : '上移'} ${Math.abs(dr)} 列`);
  if (dc !== 0) parts.push(`${dc > 0 ? '右移' : '左移'} ${Math.abs(dc)} 欄`);
  return parts.join('、');
}

/** The grouping key of a problem and the text after 「sheet!cells：」 for its group. */
function describe(p: ProblemToGroup, members: () => ProblemToGroup[]): { key: string; text: () => string; named?: boolean } {
  switch (p.code) {
    case 'sheet-missing':
      return {
        key: '',
        text: () => `範本中找不到工作表「${p.sheet}」${p.suggestedSheet ? `，是否已改名為「${p.suggestedSheet}」？` : '，請確認範本或修正對應。'}`,
      };
    case 'invalid-cell':
      return { key: '', text: () => '不是有效的儲存格位置' };
    case 'row-label-changed':
    case 'column-label-changed': {
      const what = p.code === 'row-label-changed' ? '列標題' : '欄標題';
      const shift = shiftOf(p);
      if (shift) {
        return {
          key: `shift:${shift.dr},${shift.dc}`,
          text: () => {
            const all = members();
            const first = all[0] as ProblemToGroup;
            if (all.length === 1) return `${what}由${quote(first.before)}變成${quote(first.after)}，可能已移到 ${first.suggestedCell ?? ''}，請確認範本後重新對應。`;
            return `${what}與儲存時不同，整塊似乎${shiftWords(shift.dr, shift.dc)}（例如 ${first.cell} 原本的${what}${quote(first.before)}現在在 ${first.suggestedCell ?? ''}），請確認範本後重新對應。`;
          },
        };
      }
      return {
        key: `labels:${p.before ?? ''}\u0000${p.after ?? ''}`,
        text: () => `${what}由${quote(p.before)}變成${quote(p.after)}，請確認範本後重新對應。`,
      };
    }
    case 'formula-cell':
      return { key: '', text: () => '現在是公式，不能填入數值。' };
    case 'merged-cell':
      return {
        key: '',
        text: () => {
          const refs = [...new Set(members().map((m) => m.after ?? '').filter((r) => r !== ''))];
          return `現在位於合併儲存格${refs.length ? ` ${refs.join('、')} ` : ''}之中，填入的數值不會顯示。`;
        },
      };
    case 'style-changed':
      return { key: '', text: () => '格式已變更，請確認範本是否調整過。' };
    default:
      // A problem this module does not know (one that may already name its cells, e.g. a fixed month
      // outside the period): identical messages are one line, kept as written.
      return { key: `msg:${p.message}`, text: () => p.message, named: p.message.includes(p.cell) };
  }
}

/**
 * One line per problem: problems of one sheet, code and cause (the same label change, the same
 * shift of a block, the same missing sheet) are one line naming all their cells. Errors first, in
 * the order they were first met.
 */
export function groupProblems(problems: readonly ProblemToGroup[]): GroupedProblem[] {
  const groups = new Map<string, { first: ProblemToGroup; members: ProblemToGroup[]; text: () => string; named: boolean }>();
  for (const p of problems) {
    const box: { members: ProblemToGroup[] } = { members: [] };
    const d = describe(p, () => box.members);
    const key = `${p.severity}\u0001${p.sheet.toLowerCase()}\u0001${p.code}\u0001${d.key}`;
    const g = groups.get(key);
    if (g) {
      g.members.push(p);
      continue;
    }
    box.members.push(p);
    groups.set(key, { first: p, members: box.members, text: d.text, named: d.named ?? false });
  }
  const out: GroupedProblem[] = [];
  for (const g of groups.values()) {
    const { ranges, text } = cellList(g.members.map((m) => m.cell));
    out.push({
      sheet: g.first.sheet,
      code: g.first.code,
      severity: g.first.severity,
      cells: ranges,
      message: g.named && g.members.length === 1 ? g.text() : `${g.first.sheet}!${text}：${g.text()}`,
      suggestedSheet: g.first.suggestedSheet ?? null,
    });
  }
  return [...out.filter((g) => g.severity === 'error'), ...out.filter((g) => g.severity !== 'error')];
}
