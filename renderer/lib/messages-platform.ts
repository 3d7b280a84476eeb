/** User-visible strings of the renderer platform (route refusals, the lock screen), zh-TW. */
export const msgPlatform = {
  forbidden: {
    title: '無權限',
    body: '您的角色無法開啟此頁面。如需使用，請洽系統管理者調整權限。',
    home: '回首頁',
  },
  notFound: {
    title: '找不到此頁面',
    body: '此網址不存在，可能已移除或輸入有誤。',
    home: '回首頁',
  },
  lock: {
    manual: (name: string, at: string) => `${name}，您於 ${at} 按下「鎖定畫面」鎖定了畫面。請輸入密碼繼續；未儲存的內容仍保留在畫面上。`,
    idle: (name: string, minutes: number, at: string) =>
      `${name}，畫面於 ${at} 因閒置 ${minutes} 分鐘後自動鎖定。請輸入密碼繼續；未儲存的內容仍保留在畫面上。`,
    other: (name: string, at: string) => `${name}，畫面已於 ${at} 鎖定（例如在另一個視窗鎖定）。請輸入密碼繼續；未儲存的內容仍保留在畫面上。`,
  },
} as const;
