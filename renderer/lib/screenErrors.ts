/**
 * What the app writes down when a screen fails to render: the screen's route pattern (never the
 * address with its ids), the error's class and the first characters of its message with anything that
 * could be personal data taken out. A render error's message can quote the data being drawn (a name, an
 * address, a national ID, a phone number), so Chinese text, ID-shaped strings and long digit runs are
 * replaced. In the browser host the line goes to the page's console; under Electron to the renderer's.
 */
export interface ScreenErrorReport {
  screen: string;
  kind: string;
  message: string;
}

const MAX_MESSAGE = 160;

/** Strips what could identify a person from an error message and truncates it. */
export function scrubErrorMessage(text: string): string {
  const scrubbed = text
    .replace(/[A-Za-z][A-Za-z0-9]\s*-?\s*\d{8}/g, '[ID]')
    .replace(/\d[\d\s-]{5,}\d/g, '[數字]')
    .replace(/[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]+/g, '…');
  return scrubbed.length > MAX_MESSAGE ? `${scrubbed.slice(0, MAX_MESSAGE)}…` : scrubbed;
}

export function describeScreenError(screen: string, error: unknown): ScreenErrorReport {
  const kind = error instanceof Error ? error.name || 'Error' : typeof error;
  const message = error instanceof Error ? error.message : '';
  return { screen, kind: scrubErrorMessage(kind).slice(0, 40), message: scrubErrorMessage(message) };
}

/** The one place a screen's failure is logged. */
export function logScreenError(report: ScreenErrorReport): void {
  console.error(`[screen-error] ${JSON.stringify(report)}`);
}
