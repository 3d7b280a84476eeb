/** Safety limits applied before and while reading a template. */
export interface TemplateLimits {
  /** Largest accepted file, in bytes (default 20 MiB). */
  maxFileBytes: number;
  /** Largest sum of the declared uncompressed sizes of all zip entries (default 200 MiB). */
  maxTotalUncompressed: number;
  /** Largest declared uncompressed size of one zip entry (default 100 MiB). */
  maxPartUncompressed: number;
  /** Largest number of zip entries (default 10,000). */
  maxEntries: number;
  /** Largest number of `<c>` cells over all parsed sheets (default 2,000,000). */
  maxCells: number;
  /** Largest number of sheets (default 1,000). */
  maxSheets: number;
}

export const DEFAULT_LIMITS: Readonly<TemplateLimits> = Object.freeze({
  maxFileBytes: 20 * 1024 * 1024,
  maxTotalUncompressed: 200 * 1024 * 1024,
  maxPartUncompressed: 100 * 1024 * 1024,
  maxEntries: 10_000,
  maxCells: 2_000_000,
  maxSheets: 1_000,
});

export function resolveLimits(partial: Partial<TemplateLimits> | undefined): TemplateLimits {
  return { ...DEFAULT_LIMITS, ...(partial ?? {}) };
}

/** Excel's grid limits. */
export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;
