import { createTheme, Modal, PasswordInput } from '@mantine/core';

/** Screen text in Noto Sans TC (Microsoft JhengHei on Windows); printed forms in a Kai face. */
export const SANS_STACK = '"Noto Sans TC", "Noto Sans CJK TC", "Microsoft JhengHei", "PingFang TC", sans-serif';
export const KAI_STACK = '"TW-Kai", "全字庫正楷體", "DFKai-SB", "標楷體", "BiauKai", "AR PL UKai TW", serif';

export const theme = createTheme({
  fontFamily: SANS_STACK,
  headings: { fontFamily: SANS_STACK },
  primaryColor: 'teal',
  defaultRadius: 'sm',
  components: {
    // Mantine's built-in labels are English; screen readers should speak zh-TW too.
    PasswordInput: PasswordInput.extend({ defaultProps: { visibilityToggleButtonProps: { 'aria-label': '顯示或隱藏輸入內容' } } }),
    // Dialogs appear at once, without the zoom-in: a click that lands while a dialog is still moving into place
    // (a quick confirm, or a loaded PC) otherwise misses its button or closes the dialog on the overlay.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': '關閉' }, transitionProps: { duration: 0 } } }),
  },
});
