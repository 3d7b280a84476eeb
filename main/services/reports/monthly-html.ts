/**
 * The monthly report as a complete, self-contained A4 HTML page in the 公務統計報表
 * layout (DOMAIN.md): 公開類 / 月報 / deadline top left; 編製機關 and 表號 top right;
 * title; period line; unit; the tables; the supervisor's remark; the signature row
 * 填表 / 審核 / 業務主管人員 / 機關首長 with the 編製 date; 資料來源; 填表說明.
 *
 * Pure (no I/O, no Node or DOM APIs): the print view shows this same HTML and the
 * CLI prints it to PDF with Chromium, so the two never drift apart.
 */
import type { MonthlyReportData, MonthlyTable } from '../../contract/types-reports';

export const PRINT_FONT_FAMILY = '"TW-Kai","全字庫正楷體","DFKai-SB","標楷體","AR PL UKai TW",serif';

const CN_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** 12345.5 → 12,345.5 (no locale data needed). */
function groupDigits(n: number): string {
  const [int = '', frac] = String(n).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

function cell(v: number | string | null): string {
  if (v === null) return '－';
  if (typeof v === 'number') return v === 0 ? '－' : groupDigits(v);
  return escapeHtml(v);
}

function table(t: MonthlyTable, index: number): string {
  const head = `<tr><th scope="col" class="stub">${escapeHtml(t.rowHeading)}</th>${t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = t.rows
    .map(
      (r) =>
        `<tr${r.total ? ' class="total"' : ''}><th scope="row" class="stub">${escapeHtml(r.label)}</th>${r.values.map((v) => `<td class="num">${cell(v)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<section class="block" data-section="${escapeHtml(t.id)}">
<h2>${CN_NUMERALS[index] ?? String(index + 1)}、${escapeHtml(t.title)}<span class="unit">單位：${escapeHtml(t.unit)}</span></h2>
<table class="figures">
<thead>${head}</thead>
<tbody>
${body}
</tbody>
</table>
${t.note ? `<p class="note">說明：${escapeHtml(t.note)}</p>` : ''}
</section>`;
}

export function renderMonthlyHtml(data: MonthlyReportData): string {
  const h = data.header;
  const remark = data.remark?.text.trim() ? escapeHtml(data.remark.text.trim()).replace(/\n/g, '<br>') : '';
  return `<!DOCTYPE html>
<html lang="zh-Hant-TW">
<head>
<meta charset="utf-8">
<title>${escapeHtml(h.title)} ${escapeHtml(h.periodLine)}</title>
<style>
@page { size: A4; margin: 14mm 12mm 14mm 12mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: ${PRINT_FONT_FAMILY}; font-size: 11pt; line-height: 1.35; color: #000; background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.sheet { width: 186mm; margin: 0 auto; }
.form-head { display: flex; justify-content: space-between; align-items: flex-start; }
.meta { border-collapse: collapse; font-size: 10.5pt; }
.meta td, .meta th { border: 1px solid #000; padding: 1.5mm 3mm; font-weight: normal; text-align: left; white-space: nowrap; }
.meta th { letter-spacing: 0.3em; }
h1 { font-size: 17pt; font-weight: bold; text-align: center; margin: 5mm 0 1mm; letter-spacing: 0.05em; }
.period { text-align: center; font-size: 12pt; margin: 0 0 1mm; }
.unit-line { text-align: right; font-size: 10pt; margin: 0 0 2mm; }
.block { margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }
h2 { font-size: 11.5pt; margin: 3mm 0 1.5mm; display: flex; justify-content: space-between; align-items: baseline; }
h2 .unit { font-size: 9.5pt; font-weight: normal; }
table.figures { width: 100%; border-collapse: collapse; font-size: 10pt; }
table.figures th, table.figures td { border: 1px solid #000; padding: 1mm 1.5mm; }
table.figures thead th { text-align: center; font-weight: normal; background: #f0f0f0; }
table.figures th.stub { text-align: left; font-weight: normal; white-space: nowrap; }
table.figures td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.figures tr.total th, table.figures tr.total td { font-weight: bold; border-top: 1.5px solid #000; }
thead { display: table-header-group; }
.note { font-size: 9pt; margin: 1mm 0 0; }
.remark { border: 1px solid #000; min-height: 16mm; padding: 2mm 3mm; font-size: 10.5pt; }
.signatures { width: 100%; border-collapse: collapse; margin-top: 6mm; font-size: 11pt; }
.signatures td { width: 25%; padding: 0 2mm 12mm 0; vertical-align: top; }
.compiled { text-align: right; margin: 0 0 3mm; }
.source { font-size: 9.5pt; margin: 0 0 1mm; }
.notes { font-size: 9.5pt; }
.notes ol { margin: 0.5mm 0 0 0; padding-left: 6mm; }
@media screen { body { background: #e8e8e8; } .sheet { background: #fff; padding: 14mm 12mm; margin: 8mm auto; width: 210mm; box-shadow: 0 1px 4px rgba(0,0,0,.3); } }
</style>
</head>
<body>
<main class="sheet">
<header class="form-head">
<table class="meta left">
<tr><td>${escapeHtml(h.publicity)}</td></tr>
<tr><td>${escapeHtml(h.frequency)}</td></tr>
<tr><td>${escapeHtml(h.deadline)}</td></tr>
</table>
<table class="meta right">
<tr><th>編製機關</th><td>${escapeHtml(h.agency)}</td></tr>
<tr><th>表號</th><td>${escapeHtml(h.formNo)}</td></tr>
</table>
</header>
<h1>${escapeHtml(h.title)}</h1>
<p class="period">${escapeHtml(h.periodLine)}</p>
<p class="unit-line">${escapeHtml(h.unit)}</p>
${data.tables.map((t, i) => table(t, i)).join('\n')}
<section class="block" data-section="remark">
<h2>${CN_NUMERALS[data.tables.length] ?? String(data.tables.length + 1)}、督導意見</h2>
<div class="remark">${remark}</div>
</section>
<footer>
<table class="signatures"><tr>${data.footer.signatures.map((s) => `<td>${escapeHtml(s)}</td>`).join('')}</tr></table>
<p class="compiled">${escapeHtml(h.compiledOn)}編製</p>
<p class="source">${escapeHtml(data.footer.dataSource)}</p>
<div class="notes">填表說明：<ol>${data.footer.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ol></div>
</footer>
</main>
</body>
</html>
`;
}
