import type { CSSProperties } from 'react';
import type { TemplateGridSheet, TemplateGridStyle } from '../../../main/contract/types-reports';

function colLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

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
    background: st.fillColor ? `#${st.fillColor.slice(-6)}` : undefined,
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

/** The template's sheet drawn as a grid: values, merges, widths, heights and basic styles. */
export function TemplateGridView(props: {
  sheet: TemplateGridSheet;
  styles: TemplateGridStyle[];
  selected: string | null;
  marks: Map<string, GridMark>;
  onSelect(address: string): void;
}) {
  const { sheet, styles } = props;
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
  const cols = Array.from({ length: maxCol }, (_, i) => i + 1);
  const rows = Array.from({ length: maxRow }, (_, i) => i + 1);
  const head: CSSProperties = { background: '#eef1f4', color: '#555', fontSize: 11, textAlign: 'center', border: '1px solid #d0d4d9', position: 'sticky', top: 0, zIndex: 1 };
  return (
    <div style={{ overflow: 'auto', maxHeight: '70vh', border: '1px solid #ccc', background: '#fff' }}>
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
              <th key={c} style={head}>
                {colLetters(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r} style={{ height: heightPx(sheet, r) }}>
              <th style={{ ...head, position: 'sticky', left: 0, top: undefined }}>{r}</th>
              {cols.map((c) => {
                if (covered.has(`${r}:${c}`)) return null;
                const address = `${colLetters(c)}${r}`;
                const cell = byAddr.get(address);
                const span = spans.get(`${r}:${c}`);
                const mark = props.marks.get(address);
                const base = cellStyle(cell ? styles[cell.styleId] : undefined);
                const sel = props.selected === address;
                return (
                  <td
                    key={c}
                    data-cell={address}
                    rowSpan={span?.rowSpan}
                    colSpan={span?.colSpan}
                    onClick={() => props.onSelect(address)}
                    title={cell?.formula ? `=${cell.formula}` : address}
                    style={{
                      ...base,
                      padding: '1px 3px',
                      overflow: 'hidden',
                      cursor: 'pointer',
                      outline: sel ? '2px solid #1c7ed6' : undefined,
                      outlineOffset: -2,
                      background: mark ? mark.color : base.background,
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
