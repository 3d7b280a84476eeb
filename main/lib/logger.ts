/**
 * One named logger per module. Lines go to stderr as `[name] message`.
 * Never pass national IDs, narratives or passwords here: log ids and counts.
 */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

let quiet = false;
/** Tests and the CLI's report commands silence routine lines; errors still print. Returns the previous setting. */
export function setQuiet(q: boolean): boolean {
  const was = quiet;
  quiet = q;
  return was;
}

export function createLogger(name: string): Logger {
  const line = (level: string, msg: string) => `${new Date().toISOString()} ${level} [${name}] ${msg}\n`;
  return {
    info(msg) {
      if (!quiet) process.stderr.write(line('INFO', msg));
    },
    warn(msg) {
      if (!quiet) process.stderr.write(line('WARN', msg));
    },
    error(msg, err) {
      const detail = err instanceof Error ? `: ${err.name}: ${err.message}` : '';
      process.stderr.write(line('ERROR', msg + detail));
    },
  };
}
