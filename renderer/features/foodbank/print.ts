/** A4 print documents (receipts, the family's sign-off, the count sheet, a donor's statement) as self-contained HTML. */
import { formatRocDate, formatRocLong } from '../../../main/contract/roc-date';
import type { FbDonorStatement, FbHandoutView, FbReceiptView, FbStocktakeView } from '../../../main/contract/types-foodbank';
import { FB_RECEIPT_KIND_LABELS } from '../../../main/contract/types-foodbank';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const money = (n: number) => n.toLocaleString('zh-TW');

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8"><title>${esc(title)}</title><style>
@page { size: A4; margin: 18mm 16mm; }
body { font-family: 'Noto Sans CJK TC', 'Noto Sans TC', sans-serif; font-size: 11pt; color: #000; margin: 12mm; }
h1 { font-size: 17pt; text-align: center; margin: 0 0 2mm; } h2 { font-size: 12pt; text-align: center; margin: 0 0 6mm; font-weight: normal; }
table { width: 100%; border-collapse: collapse; margin: 4mm 0; } th, td { border: 1px solid #000; padding: 1.6mm 2mm; text-align: left; }
td.n, th.n { text-align: right; } .meta { display: flex; justify-content: space-between; margin: 2mm 0; }
.sign { margin-top: 14mm; display: flex; justify-content: space-between; } .sign div { width: 45%; border-top: 1px solid #000; padding-top: 2mm; }
@media print { body { margin: 0; } }
</style></head><body>${body}</body></html>`;
}

export function receiptHtml(r: FbReceiptView): string {
  const rows = r.lines
    .map((l, i) => `<tr><td>${i + 1}</td><td>${esc(l.itemName)}</td><td class="n">${l.quantity}</td><td>${esc(l.unit)}</td><td>${esc(formatRocDate(l.expiry) || '—')}</td><td class="n">${money(l.value)}</td><td class="n">${l.kg}</td></tr>`)
    .join('');
  const who = r.donor ? `${esc(r.donor.name)}${r.donor.contact ? `（聯絡人 ${esc(r.donor.contact)}）` : ''}` : esc(r.supplier ?? '—');
  return page(
    `收據 ${r.receiptNo ?? r.id}`,
    `<h1>${esc(r.centerName)}</h1><h2>實物${r.kind === 'donation' ? '捐贈收據' : `${FB_RECEIPT_KIND_LABELS[r.kind]}入庫單`}</h2>
<div class="meta"><span>${r.receiptNo ? `收據編號：${esc(r.receiptNo)}` : `單號：${r.id}`}</span><span>日期：${esc(formatRocLong(r.receivedOn))}</span></div>
<div class="meta"><span>${r.kind === 'donation' ? '捐贈者' : r.kind === 'purchase' ? '供應商' : '來源'}：${who}</span><span>入庫據點：${esc(r.locationName)}</span></div>
<table><thead><tr><th>#</th><th>品項</th><th class="n">數量</th><th>單位</th><th>有效日期</th><th class="n">價值（元）</th><th class="n">公斤</th></tr></thead><tbody>${rows}
<tr><td colspan="5">合計</td><td class="n">${money(r.totalValue)}</td><td class="n">${r.totalKg}</td></tr></tbody></table>
${r.kind === 'donation' ? '<p>感謝您的愛心捐贈，本中心將用於協助轄區弱勢家庭。</p>' : ''}
<div class="sign"><div>經手人：${esc(r.createdByName ?? '')}</div><div>單位戳章</div></div>`,
  );
}

export function handoutHtml(h: FbHandoutView): string {
  const rows = h.picks
    .map((p, i) => `<tr><td>${i + 1}</td><td>${esc(p.itemName)}</td><td>#${p.lotId}</td><td>${esc(formatRocDate(p.expiry) || '—')}</td><td class="n">${p.quantity}</td><td>${esc(p.unit)}</td></tr>`)
    .join('');
  return page(
    `發放簽收單 ${h.id}`,
    `<h1>${esc(h.centerName)}</h1><h2>實物銀行發放簽收單</h2>
<div class="meta"><span>單號：${h.id}</span><span>日期：${esc(formatRocLong(h.handedOn))}</span></div>
<div class="meta"><span>戶長：${esc(h.headName ?? '')}（${h.householdSize} 人）</span><span>發放據點：${esc(h.locationName)}</span></div>
<table><thead><tr><th>#</th><th>品項</th><th>批號</th><th>有效日期</th><th class="n">數量</th><th>單位</th></tr></thead><tbody>${rows}</tbody></table>
<p>本次使用額度 ${h.allowanceUsed} ${h.mode === 'points' ? '點' : '件'}。</p>
<div class="sign"><div>領取人簽名：</div><div>發放人員：${esc(h.createdByName ?? '')}</div></div>`,
  );
}

export function countSheetHtml(s: FbStocktakeView, blank: boolean): string {
  const rows = s.lines
    .map((l, i) => `<tr><td>${i + 1}</td><td>${esc(l.itemName)}</td><td>#${l.lotId}</td><td>${esc(formatRocDate(l.expiry) || '—')}</td><td>${esc(l.unit)}</td><td class="n">${blank ? '' : l.expected}</td><td class="n">${l.counted ?? ''}</td><td></td></tr>`)
    .join('');
  return page(
    `盤點單 ${s.id}`,
    `<h1>盤點單 #${s.id}</h1><h2>${esc(s.locationName)} ${esc(formatRocLong(s.startedOn))}</h2>
<table><thead><tr><th>#</th><th>品項</th><th>批號</th><th>有效日期</th><th>單位</th><th class="n">帳上</th><th class="n">實盤</th><th>備註</th></tr></thead><tbody>${rows}</tbody></table>
<div class="sign"><div>盤點人：</div><div>覆核人：</div></div>`,
  );
}

export function statementHtml(s: FbDonorStatement): string {
  const rows = s.receipts
    .map((r) => `<tr><td>${esc(r.receiptNo ?? '')}</td><td>${esc(formatRocDate(r.receivedOn))}</td><td>${esc(r.lines.map((l) => `${l.itemName} ${l.quantity}${l.unit}`).join('、'))}</td><td class="n">${money(r.totalValue)}</td><td class="n">${r.totalKg}</td></tr>`)
    .join('');
  return page(
    `捐贈明細 ${s.donor.name} ${s.year - 1911}`,
    `<h1>${esc(s.centerName)}</h1><h2>${s.year - 1911} 年度實物捐贈明細</h2>
<div class="meta"><span>捐贈者：${esc(s.donor.name)}</span><span>共 ${s.receipts.length} 筆</span></div>
<table><thead><tr><th>收據編號</th><th>日期</th><th>品項</th><th class="n">價值（元）</th><th class="n">公斤</th></tr></thead><tbody>${rows}
<tr><td colspan="3">合計</td><td class="n">${money(s.totalValue)}</td><td class="n">${s.totalKg}</td></tr></tbody></table>
<div class="sign"><div>經手人：</div><div>單位戳章</div></div>`,
  );
}
