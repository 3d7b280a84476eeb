/** The form's own data found in a template: 表號, 編製機關, the period line and the 編製日期 line. */
import type { TemplateGrid } from '../../../main/contract/types-reports';

export interface RecognisedCell {
  sheet: string;
  cell: string;
  text: string;
}

export interface RecognisedForm {
  formNo: RecognisedCell | null;
  agency: RecognisedCell | null;
  periodCell: RecognisedCell | null;
  compiledCell: RecognisedCell | null;
}

const squash = (s: string) => s.replace(/[\s\u3000]+/g, '');

/** Looks at the visible sheets first, then the hidden ones; the first match wins. */
export function recogniseForm(grid: TemplateGrid): RecognisedForm {
  const out: RecognisedForm = { formNo: null, agency: null, periodCell: null, compiledCell: null };
  const sheets = [...grid.sheets].sort((a, b) => Number(a.state !== 'visible') - Number(b.state !== 'visible') || a.index - b.index);
  for (const s of sheets) {
    const strings = s.cells.filter((c) => c.type === 'string' && c.text.trim());
    const rightOf = (row: number, col: number) =>
      strings.filter((c) => c.row === row && c.col > col).sort((a, b) => a.col - b.col)[0];
    for (const c of strings) {
      const t = squash(c.text);
      if ((t === '表號' || t === '表號:' || t === '表號：') && !out.formNo) {
        const v = rightOf(c.row, c.col);
        if (v) out.formNo = { sheet: s.name, cell: v.address, text: v.text.trim() };
      } else if (/^編製機關[:：]?$/.test(t) && !out.agency) {
        const v = rightOf(c.row, c.col);
        if (v) out.agency = { sheet: s.name, cell: v.address, text: v.text.trim() };
      } else if (/^(中華民國)?.*年.*(月|日)?.*編製$/.test(t) && /月.*日/.test(t) && !out.compiledCell) {
        out.compiledCell = { sheet: s.name, cell: c.address, text: c.text.trim() };
      } else if (/^中華民國.*年.*(季|月|半年|年度?)$/.test(t) && !/編製/.test(t) && !out.periodCell) {
        out.periodCell = { sheet: s.name, cell: c.address, text: c.text.trim() };
      }
    }
  }
  return out;
}
