/** The form's own data found in a template: 表號, 編製機關, the period line and the 編製日期 line. */
import type { ReportFrequency } from '../../../main/contract/report-periods';
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
  /** The frequency the period line suggests (…年第…季: quarterly). */
  frequency: ReportFrequency | null;
}

/** What reports.templateGrid recognises on each sheet (types-reports RecognisedSheet, issue 13). */
interface ServerRecognised {
  sheet: string;
  hidden: boolean;
  formNo: { cell: string; value: string } | null;
  agency: { cell: string; value: string } | null;
  period: { cell: string; text: string; frequency: ReportFrequency | null } | null;
  compiledOn: { cell: string; text: string } | null;
}

/** The server's recognition when it gives one, else the renderer's own reading of the grid. */
export function recogniseForm(grid: TemplateGrid): RecognisedForm {
  const server = (grid as TemplateGrid & { recognised?: ServerRecognised[] }).recognised;
  if (!server) return readGrid(grid);
  const out: RecognisedForm = { formNo: null, agency: null, periodCell: null, compiledCell: null, frequency: null };
  const ordered = [...server].sort((a, b) => Number(a.hidden) - Number(b.hidden));
  for (const r of ordered) {
    if (!out.formNo && r.formNo?.value.trim()) out.formNo = { sheet: r.sheet, cell: r.formNo.cell, text: r.formNo.value.trim() };
    if (!out.agency && r.agency?.value.trim()) out.agency = { sheet: r.sheet, cell: r.agency.cell, text: r.agency.value.trim() };
    if (!out.periodCell && r.period) {
      out.periodCell = { sheet: r.sheet, cell: r.period.cell, text: r.period.text.trim() };
      out.frequency = r.period.frequency;
    }
    if (!out.compiledCell && r.compiledOn) out.compiledCell = { sheet: r.sheet, cell: r.compiledOn.cell, text: r.compiledOn.text.trim() };
  }
  return out;
}

const squash = (s: string) => s.replace(/[\s\u3000]+/g, '');

/** Looks at the visible sheets first, then the hidden ones; the first match wins. */
function readGrid(grid: TemplateGrid): RecognisedForm {
  const out: RecognisedForm = { formNo: null, agency: null, periodCell: null, compiledCell: null, frequency: null };
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
        out.frequency = /季$/.test(t) ? 'quarter' : /半年$/.test(t) ? 'halfYear' : /月$/.test(t) ? 'month' : 'year';
      }
    }
  }
  return out;
}
