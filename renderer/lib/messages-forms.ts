/** zh-TW strings of the form layer (issue 11 §2, §3, §7): unsaved-input guard, drafts, confirmations. */
export const formsMsg = {
  leave: {
    title: '尚未儲存',
    body: '尚未儲存的內容將會遺失，確定離開？',
    stay: '留在此頁',
    leave: '確定離開',
  },
  draft: {
    found: (when: string) => `找到尚未儲存的草稿（${when}）。`,
    restore: '恢復草稿',
    discard: '捨棄',
    unreadable: '草稿無法讀取，已移除。',
  },
  confirm: {
    cancel: '取消',
    irreversible: '此動作無法復原。',
  },
  formInvalid: '有欄位需要修正，請看各欄位旁的說明。',
};

/** zh-TW confirmations of what cannot be undone (issue 11 §7). */
export const confirmMsg = {
  disableUser: {
    title: '停用帳號',
    body: (name: string) => `停用後「${name}」將立即被登出，且無法再登入；紀錄保留。`,
    ok: '確定停用',
  },
  endConcern: {
    title: '結束關懷',
    body: (reason: string, date: string) => `將以「${reason}」於 ${date} 結束此長期關懷，之後不再排定訪視。`,
    ok: '確定結束',
  },
  submitReport: {
    title: '送出並鎖定',
    body: (period: string) => `${period} 的季報送出後即鎖定，數字不再隨資料變動；如需修改須由督導以理由解除鎖定。`,
    ok: '確定送出並鎖定',
  },
  postStocktake: {
    title: '過帳盤差',
    body: (n: number) => `將依實盤數量調整 ${n} 筆庫存，每筆盤差與原因記入庫存異動紀錄。`,
    ok: '確定過帳',
    reason: '盤差原因',
    reasonRequired: '請填寫盤差原因',
  },
};
