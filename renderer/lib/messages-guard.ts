/** zh-TW strings of the required-field checks that replaced the browser's own (issue 11 §3). */
export const guardMsg = {
  required: (label: string) => `請輸入${label}。`,
};
