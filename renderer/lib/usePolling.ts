import { useEffect, useRef } from 'react';

/**
 * How often a screen that other PCs change (待審核, a case's status) asks the server again. Center
 * mode polls rather than pushes: the same contract call, no long-lived connection to keep alive
 * through proxies, and 40 PCs x 1 call / 20 s is negligible for the server.
 */
export const POLL_INTERVAL_MS = 20_000;

/** True while the person is typing into a field or has a dialog open: a refresh then must wait. */
export function isUserEditing(): boolean {
  if (typeof document === 'undefined') return false;
  const el = document.activeElement;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement && !['button', 'submit', 'reset', 'checkbox', 'radio'].includes(el.type)) return true;
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  return document.querySelector('[role="dialog"]') !== null;
}

/**
 * Calls `refresh` every `ms` while the window is visible, and at once when the window regains focus or
 * becomes visible again; never while `paused` (a form on the screen has unsaved input) or while the
 * person is editing (isUserEditing), and never twice at the same time.
 */
export function usePolling(refresh: () => Promise<unknown> | void, ms = POLL_INTERVAL_MS, paused = false): void {
  const fn = useRef(refresh);
  fn.current = refresh;
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  useEffect(() => {
    let running = false;
    const tick = () => {
      if (running || pausedRef.current || document.visibilityState !== 'visible' || isUserEditing()) return;
      running = true;
      Promise.resolve()
        .then(() => fn.current())
        .catch(() => undefined)
        .finally(() => {
          running = false;
        });
    };
    const timer = window.setInterval(tick, ms);
    const onVisible = () => {
      if (document.visibilityState === 'visible') tick();
    };
    window.addEventListener('focus', tick);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', tick);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [ms]);
}
