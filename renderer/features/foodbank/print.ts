/** A4 print documents (receipts, the family's sign-off, the count sheet, a donor's statement) as self-contained HTML. */
import { formatRocDate, formatRocLong, toRocYear } from '../../../main/contract/roc-date';
import type { FbDonorKind, FbDonorStatement, FbDonorView, FbHandoutView, FbReceiptView, FbStocktakeView } from '../../../main/contract/types-foodbank';
import { FB_DONOR_KIND_LABELS, FB_RECEIPT_KIND_LABELS } from '../../../main/contract/types-foodbank';
import { KAI_STACK } from '../../theme';
import { ntdInWords } from './numerals';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const money = (n: number) => n.toLocaleString('zh-TW');

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8"><title>${esc(title)}</title><style>
@page { size: A4; margin: 18mm 16mm; }
body { font-family: 'Noto Sans CJK TC', 'Noto Sans TC', sans-serif; font-size: 11pt; color: #000; margin: 12mm; }
h1 { font-size: 17pt; text-align: center; margin: 0 0 2mm; } h2 { font-size: 12pt; text-align: center; margin: 0 0 6mm; font-weight: normal; }
h1, h2, .kai { font-family: ${KAI_STACK}; } h1.kai { font-size: 20pt; letter-spacing: 2pt; } h2.kai { font-size: 16pt; margin-bottom: 2mm; }
.addr, .sub { text-align: center; margin: 0 0 4mm; } .total { font-size: 12pt; } .fine { font-size: 9pt; color: #333; }
table.donor th { width: 18%; background: #f3f3f3; font-weight: normal; }
.seals { margin-top: 10mm; display: flex; justify-content: space-between; align-items: flex-end; } .seals .handler { width: 30%; border-top: 1px solid #000; padding-top: 2mm; }
.seal { text-align: center; } .seal .box { width: 42mm; height: 42mm; border: 1.5px dashed #a00; margin: 0 auto 2mm; } .seal.small .box { width: 24mm; height: 24mm; }
table { width: 100%; border-collapse: collapse; margin: 4mm 0; } th, td { border: 1px solid #000; padding: 1.6mm 2mm; text-align: left; }
td.n, th.n { text-align: right; } .meta { display: flex; justify-content: space-between; margin: 2mm 0; }
.sign { margin-top: 14mm; display: flex; justify-content: space-between; } .sign div { width: 45%; border-top: 1px solid #000; padding-top: 2mm; }
@media print { body { margin: 0; } }
</style></head><body>${body}</body></html>`;
}

/** 統一編號 or 身分證字號, as the donor's kind calls it. */
const taxIdLabel = (kind: FbDonorKind) => (kind === 'person' ? '身分證字號' : '統一編號');

/** The header every tax document shares: the center's name in the Kai face, the title, the center's address. */
function taxHeader(centerName: string, centerAddress: string, title: string): string {
  return `<h1 class="kai">${esc(centerName)}</h1><h2 class="kai">${esc(title)}</h2>${centerAddress ? `<p class="addr">地址：${esc(centerAddress)}</p>` : ''}`;
}

/** The donor's block: name, type, tax ID (a person's masked), address. */
function donorBlock(d: FbDonorView): string {
  return `<table class="donor"><tbody>
<tr><th>捐贈者</th><td>${esc(d.name)}</td><th>類型</th><td>${esc(FB_DONOR_KIND_LABELS[d.kind])}</td></tr>
<tr><th>${taxIdLabel(d.kind)}</th><td data-testid="donor-tax-id">${esc(d.taxId ?? '（未提供）')}</td><th>聯絡電話</th><td>${esc(d.phone ?? '')}</td></tr>
<tr><th>地址</th><td colspan="3">${esc(d.address ?? '')}</td></tr>
</tbody></table>`;
}

/** The seal area: the center's seal (印信) and the person in charge's stamp. */
function sealArea(centerName: string, handler: string | null): string {
  return `<div class="seals"><div class="handler">經手人：${esc(handler ?? '')}</div>
<div class="seal"><div class="box" aria-label="印信"></div><div class="kai">${esc(centerName)} 印信</div></div>
<div class="seal small"><div class="box" aria-label="負責人章"></div><div class="kai">負責人章</div></div></div>`;
}

export function receiptHtml(r: FbReceiptView): string {
  const rows = r.lines
    .map((l, i) => `<tr><td>${i + 1}</td><td>${esc(l.itemName)}</td><td class="n">${l.quantity}</td><td>${esc(l.unit)}</td><td>${esc(formatRocDate(l.expiry) || '—')}</td><td class="n">${money(l.value)}</td><td class="n">${l.kg}</td></tr>`)
    .join('');
  const table = `<table><thead><tr><th>#</th><th>品項</th><th class="n">數量</th><th>單位</th><th>有效日期</th><th class="n">價值（元）</th><th class="n">公斤</th></tr></thead><tbody>${rows}
<tr><td colspan="5">合計</td><td class="n">${money(r.totalValue)}</td><td class="n">${r.totalKg}</td></tr></tbody></table>`;
  if (r.kind === 'donation' && r.donor) {
    return page(
      `捐贈收據 ${r.receiptNo ?? r.id}`,
      `${taxHeader(r.centerName, r.centerAddress, '實物捐贈收據')}
<div class="meta"><span>收據編號：<b data-testid="receipt-no">${esc(r.receiptNo ?? String(r.id))}</b></span><span>捐贈日期：${esc(formatRocLong(r.receivedOn))}</span></div>
${donorBlock(r.donor)}
${table}
<p class="total">捐贈物資價值合計：新臺幣 ${money(Math.round(r.totalValue))} 元整（<span class="kai">${esc(ntdInWords(r.totalValue))}</span>）</p>
<p>上列物資業經本中心點收入庫（入庫據點：${esc(r.locationName)}），將用於協助轄區弱勢家庭。感謝您的愛心捐贈。</p>
<p class="fine">本收據可作為捐贈者申報綜合所得稅或營利事業所得稅捐贈列舉扣除之憑證；實物捐贈之金額以本中心依品項單價估算之價值列示，申報時依稅捐稽徵機關核定為準。</p>
${sealArea(r.centerName, r.createdByName)}`,
    );
  }
  const who = r.donor ? esc(r.donor.name) : esc(r.supplier ?? '—');
  return page(
    `入庫單 ${r.receiptNo ?? r.id}`,
    `${taxHeader(r.centerName, r.centerAddress, `實物${FB_RECEIPT_KIND_LABELS[r.kind]}入庫單`)}
<div class="meta"><span>單號：${r.id}</span><span>日期：${esc(formatRocLong(r.receivedOn))}</span></div>
<div class="meta"><span>${r.kind === 'purchase' ? '供應商' : '來源'}：${who}</span><span>入庫據點：${esc(r.locationName)}</span></div>
${table}
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
  const roc = toRocYear(s.year);
  const rows = s.receipts
    .map((r) => `<tr><td>${esc(r.receiptNo ?? '')}</td><td>${esc(formatRocDate(r.receivedOn))}</td><td>${esc(r.lines.map((l) => `${l.itemName} ${l.quantity}${l.unit}`).join('、'))}</td><td class="n">${money(r.totalValue)}</td></tr>`)
    .join('');
  return page(
    `${roc}年度捐贈明細 ${s.donor.name}`,
    `${taxHeader(s.centerName, s.centerAddress, `${roc} 年度捐贈明細`)}
<p class="sub">（供申報 ${roc} 年度綜合所得稅捐贈列舉扣除之用）</p>
${donorBlock(s.donor)}
<div class="meta"><span>期間：${roc} 年 1 月 1 日至 ${roc} 年 12 月 31 日</span><span>共 ${s.receipts.length} 筆</span></div>
<table><thead><tr><th>收據編號</th><th>捐贈日期</th><th>品項</th><th class="n">價值（元）</th></tr></thead><tbody>${rows || '<tr><td colspan="4">本年度無捐贈紀錄</td></tr>'}
<tr><td colspan="3">合計</td><td class="n" data-testid="statement-total">${money(Math.round(s.totalValue))}</td></tr></tbody></table>
<p class="total">${roc} 年度捐贈物資價值合計：新臺幣 ${money(Math.round(s.totalValue))} 元整（<span class="kai">${esc(ntdInWords(s.totalValue))}</span>）</p>
<p class="fine">以上各筆捐贈均已由本中心開立收據；實物捐贈之金額以本中心依品項單價估算之價值列示，申報時依稅捐稽徵機關核定為準。</p>
${sealArea(s.centerName, null)}`,
  );
}
