/** The 轉介單 as one self-contained A4 HTML page (printed from a frame, like the food bank's receipts). */
import { formatRocDate, formatRocLong } from '../../../main/contract/roc-date';
import type { ReferralFormView } from '../../../main/contract/types-resources';
import { KAI_STACK } from '../../theme';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const blank = '<span class="blank"></span>';
const cell = (v: string | null | undefined) => (v && v.trim() !== '' ? esc(v) : blank);

export function referralFormHtml(f: ReferralFormView): string {
  const persons = f.persons
    .map(
      (p) => `<tr><td>${esc(p.name)}</td><td>${esc(p.sex)}</td><td>${cell(formatRocDate(p.birthDate))}</td><td data-testid="form-national-id">${cell(p.nationalIdMasked)}</td><td>${cell(p.phone)}</td><td>${cell(p.address)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8"><title>轉介單</title><style>
@page { size: A4; margin: 16mm 15mm; }
body { font-family: 'Noto Sans CJK TC', 'Noto Sans TC', sans-serif; font-size: 11pt; color: #000; margin: 12mm; }
h1, h2 { font-family: ${KAI_STACK}; text-align: center; margin: 0; } h1 { font-size: 18pt; letter-spacing: 1pt; } h2 { font-size: 16pt; margin: 2mm 0 5mm; letter-spacing: 6pt; }
.meta { display: flex; justify-content: space-between; margin: 0 0 2mm; }
table { width: 100%; border-collapse: collapse; margin: 0 0 4mm; } th, td { border: 1px solid #000; padding: 1.8mm 2mm; text-align: left; vertical-align: top; }
th { background: #f3f3f3; font-weight: normal; white-space: nowrap; } caption { text-align: left; font-weight: bold; padding: 1mm 0; font-family: ${KAI_STACK}; font-size: 12.5pt; }
.blank { display: inline-block; min-width: 30mm; border-bottom: 1px solid #999; height: 1em; }
.reply { margin-top: 6mm; } .reply td { height: 14mm; } .fine { font-size: 9pt; color: #333; margin-top: 4mm; }
@media print { body { margin: 0; } }
</style></head><body>
<h1>${esc(f.center.name)}</h1>
<h2>轉介單</h2>
<div class="meta"><span>轉介日期：<span data-testid="form-date">${esc(formatRocLong(f.referredOn))}</span></span><span>${f.caseNo ? `案號：${esc(f.caseNo)}` : ''}</span></div>
<table><caption>轉介單位</caption><tbody>
<tr><th>單位</th><td>${esc(f.center.name)}</td><th>承辦社工</th><td>${esc(f.worker.name)}</td></tr>
<tr><th>地址</th><td>${cell(f.center.address)}</td><th>聯絡電話</th><td>${cell(f.center.phone)}</td></tr>
</tbody></table>
<table><caption>受轉介單位</caption><tbody>
<tr><th>單位</th><td data-testid="form-unit">${esc(f.receiving.name)}</td><th>類別</th><td>${esc(f.receiving.unitKind)}</td></tr>
<tr><th>聯絡人</th><td>${cell(f.receiving.contactPerson)}</td><th>電話</th><td>${cell(f.receiving.phone)}</td></tr>
<tr><th>地址</th><td>${cell(f.receiving.address)}</td><th>電子郵件</th><td>${cell(f.receiving.email)}</td></tr>
</tbody></table>
<table><caption>被轉介人</caption><thead><tr><th>姓名</th><th>性別</th><th>出生日期</th><th>身分證字號</th><th>電話</th><th>地址</th></tr></thead><tbody>${persons}</tbody></table>
<table><caption>轉介內容</caption><tbody>
<tr><th>轉介原因</th><td>${esc(f.reason)}</td></tr>
<tr><th>需求服務</th><td>${f.requestedServices.length ? esc(f.requestedServices.join('、')) : blank}</td></tr>
</tbody></table>
<table class="reply"><caption>受轉介單位回覆（請於收案後回覆本中心）</caption><tbody>
<tr><th>處理情形</th><td>□ 受案 &emsp; □ 不受案 &emsp; □ 其他：</td></tr>
<tr><th>回覆人／日期</th><td></td></tr>
</tbody></table>
<p class="fine">本轉介單僅載明受轉介單位提供服務所需之資料，身分證字號已遮蔽；請依個人資料保護法妥善保管，勿轉作他用。</p>
</body></html>`;
}
