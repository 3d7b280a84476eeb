/**
 * The one registry of field labels (issue 11 §3), keyed by the field's name as the contract spells it.
 * The renderer's form layer uses it as each input's label, and both sides use it in messages, so a
 * message names a field the way the screen does and never by its internal path ("lots.2.quantity").
 * A form may override a label for its own context (`useContractForm(..., { labels })`).
 */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  // people and households
  name: '姓名',
  nationalId: '身分證字號',
  birthDate: '出生日期',
  sex: '性別',
  phone: '電話',
  notes: '備註',
  note: '說明',
  relation: '與戶長關係',
  joinedOn: '加入日期',
  leftOn: '離開日期',
  endReason: '結束原因',
  movedOn: '遷移日期',
  head: '戶長',
  newPerson: '戶長',
  householdType: '家戶類型',
  address: '地址',
  countyCode: '縣市',
  townCode: '鄉鎮市區',
  villageCode: '村里',
  neighborhood: '鄰',
  street: '街路巷弄門牌',
  disabilityLevel: '身心障礙等級',
  incomeStatus: '福利身分',
  personId: '成員',
  householdId: '家戶',
  caregiverPersonId: '主要照顧者',
  caregiverNote: '照顧者說明',
  needs: '照顧需求',
  services: '使用中的服務',
  service: '服務',
  provider: '提供單位',
  since: '開始日期',
  until: '結束日期',
  kind: '類別',
  cmsLevel: 'CMS 等級',
  assessedOn: '評估日期',
  // cases and concerns
  source: '案件來源',
  referringUnit: '轉介單位',
  caseType: '個案類型',
  riskLevel: '風險等級',
  summary: '案情摘要',
  narrative: '服務內容',
  openedOn: '開案日',
  leadWorkerId: '主責社工',
  workerId: '社工',
  assistantIds: '協力社工',
  receivedAt: '收案時間',
  dispatchedAt: '派案時間',
  supervisorId: '督導',
  teamId: '組別',
  factors: '脆弱性因子',
  reason: '原因',
  reasonNote: '原因說明',
  status: '狀態',
  nextFollowUp: '下次追蹤日',
  intervalDays: '追蹤間隔（天）',
  frequency: '關懷頻率',
  transferTo: '轉出對象',
  // food bank
  itemId: '物資',
  donorId: '捐贈者',
  lot: '批號',
  lots: '批號',
  lines: '品項',
  items: '物資',
  quantity: '數量',
  counted: '實盤數量',
  unit: '單位',
  unitName: '單位名稱',
  unitKind: '單位類別',
  kgPerUnit: '每單位公斤數',
  expiresOn: '有效期限',
  expiry: '有效期限',
  receivedOn: '收受日期',
  locationId: '存放地點',
  fromLocationId: '移出地點',
  toLocationId: '移入地點',
  category: '分類',
  perishable: '易腐',
  shelfLifeDays: '保存天數',
  supplier: '來源',
  remark: '備註',
  // users and settings
  username: '帳號',
  displayName: '姓名',
  role: '角色',
  password: '密碼',
  initialPassword: '初始密碼',
  active: '啟用',
  centerName: '中心名稱',
  idleLockMinutes: '閒置鎖定（分鐘）',
  // common
  title: '標題',
  topic: '主題',
  place: '地點',
  amount: '金額',
  code: '代碼',
  label: '名稱',
  startDate: '開始日期',
  endDate: '結束日期',
  startsOn: '開始日期',
  endsOn: '結束日期',
  occurredAt: '服務時間',
  minutes: '分鐘數',
  method: '服務方式',
};

/** The label of one path segment, or null for an index or an unknown name. */
function segmentLabel(segment: string, overrides?: Readonly<Record<string, string>>): string | null {
  if (/^\d+$/.test(segment)) return null;
  return overrides?.[segment] ?? FIELD_LABELS[segment] ?? null;
}

/**
 * A user-facing name for a dotted path: "lots.2.quantity" → "第 3 筆的數量", "head.newPerson.name" → "姓名",
 * "address.townCode" → "鄉鎮市區". The full path, then its last named segment, is looked up (overrides first);
 * null when nothing is known (the caller then names no field at all rather than the path).
 */
export function fieldLabel(path: string, overrides?: Readonly<Record<string, string>>): string | null {
  if (path === '' || path === '_') return null;
  const direct = overrides?.[path];
  if (direct) return direct;
  const parts = path.split('.');
  let label: string | null = null;
  let index: number | null = null;
  for (let i = parts.length - 1; i >= 0; i--) {
    const seg = parts[i]!;
    if (/^\d+$/.test(seg)) {
      if (label !== null && index === null) index = Number(seg);
      continue;
    }
    if (label === null) label = segmentLabel(seg, overrides);
    else break;
  }
  if (label === null) return null;
  return index === null ? label : `第 ${index + 1} 筆的${label}`;
}

/** "數量：不可小於 0" or the message alone when the field has no known label. Never an internal path. */
export function fieldMessage(path: string, message: string, overrides?: Readonly<Record<string, string>>): string {
  const label = fieldLabel(path, overrides);
  return label ? `${label}：${message}` : message;
}
