import { useEffect, useRef, type CSSProperties, type KeyboardEvent } from 'react';
import type { TemplateGridSheet, TemplateGridStyle } from '../../../main/contract/types-reports';
import { colLetters, expandToMerges, inRange, rangeOf, type CellPos, type GridRange } from './gridRange';

function widthPx(sheet: TemplateGridSheet, col: number): number {
  const c = sheet.columns.find((x) => col >= x.min && col <= x.max);
  if (c?.hidden) return 0;
  const w = c?.width ?? sheet.defaultColumnWidth ?? 8.43;
  return Math.round(w * 7 + 5);
}

function heightPx(sheet: TemplateGridSheet, row: number): number | undefined {
  const r = sheet.rows.find((x) => x.row === row);
  const h = r?.height ?? sheet.defaultRowHeight;
  return h ? Math.round(h * 1.33) : undefined;
}

function cellStyle(st: TemplateGridStyle | undefined): CSSProperties {
  if (!st) return {};
  const b = '1px solid #555';
  return {
    fontWeight: st.bold ? 700 : undefined,
    fontStyle: st.italic ? 'italic' : undefined,
    fontSize: st.fontSize ? `${Math.max(9, Math.min(st.fontSize, 20)) * 1.2}px` : undefined,
    color: st.fontColor ? `#${st.fontColor.slice(-6)}` : undefined,
    backgroundColor: st.fillColor ? `#${st.fillColor.slice(-6)}` : undefined,
    textAlign: (st.horizontal === 'center' || st.horizontal === 'centerContinuous' ? 'center' : st.horizontal === 'right' ? 'right' : st.horizontal === 'left' ? 'left' : undefined) as CSSProperties['textAlign'],
    verticalAlign: st.vertical === 'top' ? 'top' : st.vertical === 'center' ? 'middle' : 'bottom',
    whiteSpace: st.wrapText ? 'pre-wrap' : 'nowrap',
    borderTop: st.border.top ? b : undefined,
    borderRight: st.border.right ? b : undefined,
    borderBottom: st.border.bottom ? b : undefined,
    borderLeft: st.border.left ? b : undefined,
  };
}

export interface GridMark {
  label: string;
  color: string;
}

/** The selection: where it started (anchor) and where it ends (focus, the active cell). */
export interface GridSelection {
  anchor: CellPos;
  focus: CellPos;
}

/** The selected range, grown to cover every merge it touches. */
export function selectionRange(sheet: TemplateGridSheet, sel: GridSelection | null): GridRange | null {
  return sel ? expandToMerges(sheet, rangeOf(sel.anchor, sel.focus)) : null;
}

const SEL = '#1c7ed6';

/**
 * The template's sheet drawn as a grid: values, merges, widths, heights and basic styles.
 * A range is selected by dragging, by shift-click, or from the keyboard (arrows move, shift+arrows extend).
 */
export function TemplateGridView(props: {
  sheet: TemplateGridSheet;
  styles: TemplateGridStyle[];
  selection: GridSelection | null;
  marks: Map<string, GridMark>;
  onSelect(sel: GridSelection): void;
}) {
  const { sheet, styles, selection } = props;
  const dragAnchor = useRef<CellPos | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const up = () => {
      dragAnchor.current = null;
    };
    window.addEventListener('mouseup', up);
    return () => window.removeEventListener('mouseup', up);
  }, []);
  const byAddr = new Map(sheet.cells.map((c) => [c.address, c]));
  let maxRow = 1;
  let maxCol = 1;
  for (const c of sheet.cells) {
    if (c.row > maxRow) maxRow = c.row;
    if (c.col > maxCol) maxCol = c.col;
  }
  for (const mg of sheet.merges) {
    if (mg.bottom > maxRow) maxRow = mg.bottom;
    if (mg.right > maxCol) maxCol = mg.right;
  }
  maxRow = Math.min(maxRow + 1, 400);
  maxCol = Math.min(maxCol + 1, 60);
  const covered = new Set<string>();
  const spans = new Map<string, { rowSpan: number; colSpan: number }>();
  for (const mg of sheet.merges) {
    spans.set(`${mg.top}:${mg.left}`, { rowSpan: mg.bottom - mg.top + 1, colSpan: mg.right - mg.left + 1 });
    for (let r = mg.top; r <= mg.bottom; r++) for (let c = mg.left; c <= mg.right; c++) if (r !== mg.top || c !== mg.left) covered.add(`${r}:${c}`);
  }
  const range = selectionRange(sheet, selection);
  const focus = selection?.focus ?? null;
  const cols = Array.from({ length: maxCol }, (_, i) => i + 1);
  const rows = Array.from({ length: maxRow }, (_, i) => i + 1);
  const head: CSSProperties = { background: '#eef1f4', color: '#555', fontSize: 11, textAlign: 'center', border: '1px solid #d0d4d9', position: 'sticky', top: 0, zIndex: 1 };
  const headOn: CSSProperties = { background: '#d0ebff', color: '#1864ab', fontWeight: 700 };

  const select = (sel: GridSelection) => {
    props.onSelect(sel);
    const el = boxRef.current?.querySelector(`td[data-cell="${colLetters(sel.focus.col)}${sel.focus.row}"]`);
    if (el && 'scrollIntoView' in el) (el as HTMLElement).scrollIntoView({ block: 'nearest', inline: 'nearest' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const d: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const step = d[e.key];
    if (!step) return;
    e.preventDefault();
    const from = focus ?? { row: 1, col: 1 };
    let row = from.row;
    let col = from.col;
    // Step over the covered part of a merge.
    do {
      row = Math.max(1, Math.min(maxRow, row + step[0]));
      col = Math.max(1, Math.min(maxCol, col + step[1]));
    } while (covered.has(`${row}:${col}`) && row > 1 && col > 1 && row < maxRow && col < maxCol);
    const next = { row, col };
    select(e.shiftKey && selection ? { anchor: selection.anchor, focus: next } : { anchor: next, focus: next });
  };

  return (
    <div
      ref={boxRef}
      tabIndex={0}
      role="grid"
      aria-label={sheet.name}
      aria-multiselectable
      onKeyDown={onKeyDown}
      style={{ overflow: 'auto', maxHeight: '70vh', border: '1px solid #ccc', background: '#fff', userSelect: 'none' }}
    >
      <table data-testid="template-grid" data-sheet={sheet.name} style={{ width: 36 + cols.reduce((sum, c) => sum + widthPx(sheet, c), 0), borderCollapse: 'collapse', tableLayout: 'fixed', fontFamily: '"TW-Kai","全字庫正楷體","DFKai-SB","標楷體",serif', fontSize: 13 }}>
        <colgroup>
          <col style={{ width: 36 }} />
          {cols.map((c) => (
            <col key={c} style={{ width: widthPx(sheet, c) }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th style={head} />
            {cols.map((c) => (
              <th key={c} style={{ ...head, ...(range && c >= range.left && c <= range.right ? headOn : {}) }}>
                {colLetters(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r} style={{ height: heightPx(sheet, r) }}>
              <th style={{ ...head, position: 'sticky', left: 0, top: undefined, ...(range && r >= range.top && r <= range.bottom ? headOn : {}) }}>{r}</th>
              {cols.map((c) => {
                if (covered.has(`${r}:${c}`)) return null;
                const address = `${colLetters(c)}${r}`;
                const cell = byAddr.get(address);
                const span = spans.get(`${r}:${c}`);
                const mark = props.marks.get(address);
                const base = cellStyle(cell ? styles[cell.styleId] : undefined);
                const inSel = inRange(range, r, c);
                const isFocus = focus?.row === r && focus.col === c;
                const bottom = r + (span?.rowSpan ?? 1) - 1;
                const right = c + (span?.colSpan ?? 1) - 1;
                const edges: string[] = [];
                if (range && inSel) {
                  if (r === range.top) edges.push(`inset 0 2px 0 ${SEL}`);
                  if (bottom === range.bottom) edges.push(`inset 0 -2px 0 ${SEL}`);
                  if (c === range.left) edges.push(`inset 2px 0 0 ${SEL}`);
                  if (right === range.right) edges.push(`inset -2px 0 0 ${SEL}`);
                }
                const background = mark ? mark.color : base.backgroundColor;
                return (
                  <td
                    key={c}
                    data-cell={address}
                    data-selected={inSel ? 'true' : undefined}
                    aria-selected={inSel}
                    rowSpan={span?.rowSpan}
                    colSpan={span?.colSpan}
                    onMouseDown={(e) => {
                      if (e.button !== 0) return;
                      e.preventDefault();
                      boxRef.current?.focus({ preventScroll: true });
                      const pos = { row: r, col: c };
                      if (e.shiftKey && selection) {
                        props.onSelect({ anchor: selection.anchor, focus: pos });
                      } else {
                        dragAnchor.current = pos;
                        props.onSelect({ anchor: pos, focus: pos });
                      }
                    }}
                    onMouseEnter={() => {
                      if (dragAnchor.current) props.onSelect({ anchor: dragAnchor.current, focus: { row: r, col: c } });
                    }}
                    title={cell?.formula ? `=${cell.formula}` : address}
                    style={{
                      ...base,
                      padding: '1px 3px',
                      overflow: 'hidden',
                      cursor: 'cell',
                      outline: isFocus ? `2px solid ${SEL}` : undefined,
                      outlineOffset: -2,
                      backgroundColor: background,
                      backgroundImage: inSel && !isFocus ? 'linear-gradient(rgba(28,126,214,0.16), rgba(28,126,214,0.16))' : undefined,
                      boxShadow: edges.length ? edges.join(', ') : undefined,
                      ...(base.borderTop || base.borderLeft || base.borderRight || base.borderBottom ? {} : { border: '1px solid #eceef0' }),
                    }}
                  >
                    {cell?.text}
                    {mark && <div style={{ fontSize: 10, lineHeight: 1.1, color: '#1864ab', whiteSpace: 'normal', fontFamily: 'sans-serif' }}>{mark.label}</div>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
