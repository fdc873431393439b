/** Thresholds of the archive-safety detector, from `options["archive-safety"]` in the config. */
export interface ArchiveSafetyOptions {
  /** Largest accepted uncompressed/compressed ratio for one member. */
  maxRatio: number;
  /**
   * Members smaller than this (bytes, uncompressed) are not judged by ratio: a bomb is a high ratio AND
   * a large output, and zero tensors, masks and sparse data deflate ~1000:1 at any size. The same
   * default as the engine's `limits.ratioMinBytes`.
   */
  ratioMinSize: number;
  /** Largest accepted declared uncompressed size of one member, in bytes. */
  maxEntrySize: number;
  /** Most members accepted in one archive. */
  maxEntries: number;
  /** Deepest accepted nesting of archives (the top-level archive is level 1). */
  maxNesting: number;
}

export const DEFAULT_OPTIONS: ArchiveSafetyOptions = {
  maxRatio: 100,
  ratioMinSize: 64 * 1024 ** 2,
  maxEntrySize: 10 * 1024 ** 3,
  maxEntries: 10_000,
  maxNesting: 3,
};

/** Takes each known option that is a positive finite number; anything else keeps its default. */
export function resolveOptions(options: Readonly<Record<string, unknown>>): ArchiveSafetyOptions {
  const resolved = { ...DEFAULT_OPTIONS };
  for (const key of Object.keys(DEFAULT_OPTIONS) as (keyof ArchiveSafetyOptions)[]) {
    const value = options[key];
    if (typeof value === "number" && Number.isFinite(value) && value > 0) resolved[key] = value;
  }
  return resolved;
}
