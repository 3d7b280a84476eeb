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
