/**
 * The test clock. Tests start the browser host and the demo seeder with `--test-now <instant>` so that
 * what they see does not depend on the day they run: the clock starts at that instant and then advances
 * with real time (idle locks and timestamps keep working). Never used in production; the host says so
 * in its log when it is on.
 */

/** Parses an ISO-8601 instant with an explicit zone (`2026-05-20T10:00:00+08:00`), or throws. */
export function parseTestInstant(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    throw new Error(`--test-now 須為含時區的 ISO 時間，例如 2026-05-20T10:00:00+08:00（收到 ${text}）`);
  }
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`--test-now 不是有效的時間（收到 ${text}）`);
  return d;
}

/** A clock that reads `start` now and advances with the real one. */
export function clockStartingAt(start: Date, realNow: () => number = Date.now): () => Date {
  const offset = start.getTime() - realNow();
  return () => new Date(realNow() + offset);
}
