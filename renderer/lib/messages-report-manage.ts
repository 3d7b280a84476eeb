/** zh-TW strings of managing templates and definitions (issue 13 §7) on the 季報範本 screen. */
export const msgReportManage = {
  actions: '管理',
  rename: '改名',
  delete: '刪除',
  save: '儲存',
  cancel: '取消',
  renameTemplate: '範本改名',
  renameTemplateLabel: '範本名稱（清單上顯示的名稱，檔案內容不變）',
  renameDefinition: '報表定義改名',
  renameDefinitionLabel: '報表名稱',
  renamed: (from: string, to: string) => `已將「${from}」改名為「${to}」。`,
  deleteTemplate: '刪除範本',
  deleteTemplateMessage: (name: string) => `確定要刪除範本「${name}」嗎？仍有報表定義使用的範本不能刪除；只有已封存的報表定義使用時，範本會保留在系統中供其已送出的報表使用。`,
  deleteTemplateConfirm: '確定刪除範本',
  deleteDefinition: '刪除報表定義',
  deleteDefinitionMessage: (name: string, lastSubmitted: string | null) =>
    lastSubmitted
      ? `報表定義「${name}」已有送出的報表（最近一期 ${lastSubmitted}），刪除時會改為封存：不再列於清單，已送出的報表仍可在「已封存」下載。`
      : `確定要刪除報表定義「${name}」及其儲存格對應嗎？`,
  deleteDefinitionConfirm: '確定刪除',
  refusedBeside: '無法執行：',
  archived: '已封存',
  archivedIntro: '已送出過報表的報表定義刪除後會封存於此：不能再修改或產製，已送出的報表仍可下載。',
  archivedAt: '封存時間',
  noArchived: '沒有已封存的報表定義。',
  submitted: '已送出的報表',
  showSubmitted: '查看已送出的報表',
  hideSubmitted: '收起',
  noSubmitted: '沒有已送出的報表。',
  download: '下載',
  submittedBy: (at: string, by: string) => `${at} 由 ${by} 送出`,
} as const;
