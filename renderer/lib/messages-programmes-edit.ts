/** zh-TW strings of the programme, enrolment, placement, account and catalogue-item edits (issue 11 §1). */
export const msgProgEdit = {
  edit: '修改',
  save: '儲存修改',
  cancel: '取消',
  editProgramme: '修改方案',
  editEnrolment: '修改參與紀錄',
  editPlacement: '修改安置',
  editItem: '修改品項',
  closeAccount: '結清帳戶',
  confirmClose: '確定結清',
  reopenAccount: '重新開啟',
  confirmReopen: '確定重新開啟',
  closed: (date: string) => `已結清 ${date}`,
  placedSince: (date: string) => `安置日 ${date}`,
  history: '修改紀錄',
  historyEntry: (at: string, by: string | null) => `${at} ${by ?? ''} 修改前：`,
  closeHistory: (action: 'close' | 'reopen', date: string, reason: string | null, by: string | null) =>
    action === 'close' ? `${by ?? ''} 結清（${date}，${reason ?? ''}）` : `${by ?? ''} 重新開啟（原結清日 ${date}，原因：${reason ?? ''}）`,
  /** What closing does, per DOMAIN.md (self-deposits matched 1:1 by the government). */
  closeMessage: (name: string, total: string, count: number) =>
    `${name} 的帳戶結清後，自結清日起不能再登錄存款，也不再列入開戶數與存款率（結清前的存款仍計入當期）。` +
    `目前自存款累計 ${total} 元（${count} 筆），政府 1:1 相對提撥同額；餘額依結清原因由銀行結算撥付，本系統不再追蹤。` +
    '結清只能由督導或管理者以更正理由重新開啟。',
  reopenMessage: (name: string) => `${name} 的帳戶將恢復為未結清，結清紀錄保留在修改紀錄中。`,
  removePlacement: '取消安置（登錄錯誤或已結束）',
  placementHelp: '更正長期安置日期，或取消安置並說明原因；原本的資料會保留在修改紀錄中。',
  labels: {
    name: '方案名稱',
    type: '方案類別',
    startsOn: '開始日期',
    endsOn: '結束日期',
    funder: '經費來源',
    partner: '委辦單位',
    targetPeople: '目標人數',
    targetSessions: '目標場次',
    status: '方案狀態',
    notes: '備註',
    endedOn: '結束日期',
    outcome: '成果',
    placedOn: '安置日期',
    reason: '原因',
    closedOn: '結清日期',
    closeReason: '結清原因',
    placed: '仍為長期安置',
  },
} as const;
