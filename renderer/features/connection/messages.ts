/** The first-run connection screens' zh-TW text (kept beside the feature; the shared catalog is lib/messages.ts). */
export const connectionMsg = {
  title: '這台電腦要怎麼使用？',
  intro: '第一次使用社福中心工作台，請選擇這台電腦的使用方式。選定後如需變更，請洽系統管理者。',
  local: {
    choose: '本機單機使用',
    help: '資料只存放在這台電腦，適合只有一台電腦使用本系統的中心。',
    confirmTitle: '確定只在這台電腦上使用？',
    confirmBody: '資料會存放在這台電腦，其他電腦看不到。之後若中心架設了中心伺服器，可由系統管理者把資料移到伺服器。',
    confirm: '確定，本機單機使用',
  },
  server: {
    choose: '連線到中心伺服器',
    help: '中心的多台電腦共用同一份資料（同一個個案、審核與報表）。需要系統管理者提供的伺服器位址。',
    title: '連線到中心伺服器',
    address: '伺服器位址',
    addressHelp: '系統管理者提供的位址，例如 https://192.168.1.10:8443',
    check: '檢查',
    fingerprintTitle: '請核對伺服器的憑證指紋',
    fingerprintIntro:
      '請與系統管理者畫面上顯示的憑證指紋逐行核對（可以請對方唸出來）。每一行都完全相同，才按「確認並連線」；只要有一個字不同，請不要連線，並通知系統管理者。',
    line: (n: number) => `第 ${n} 行`,
    serverName: '憑證名稱',
    validTo: '憑證有效至',
    selfSigned: '這是中心伺服器自行產生的憑證，所以必須由您核對指紋。',
    confirm: '確認並連線',
    editAddress: '返回修改位址',
  },
  back: '返回',
  changed: {
    title: '無法連線：中心伺服器的憑證已變更',
    pinned: '先前確認的憑證指紋',
    reset: '重新設定連線',
  },
  loadFailed: '無法讀取這台電腦的連線設定，請重新啟動程式。',
} as const;
