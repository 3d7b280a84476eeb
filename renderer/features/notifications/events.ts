/** One window event that tells the bell to ask again at once (after the inbox marks something read). */
const EVENT = 'welfare-desk:notifications-changed';

export function notificationsChanged(): void {
  window.dispatchEvent(new Event(EVENT));
}

export function onNotificationsChanged(fn: () => void): () => void {
  window.addEventListener(EVENT, fn);
  return () => window.removeEventListener(EVENT, fn);
}
