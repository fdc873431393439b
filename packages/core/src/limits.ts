/** Every bound the engine and handlers enforce. Hostile input must hit one of these, never a crash or a hang. */
export interface Limits {
  /** Deepest nesting of archives and embedded streams (a top-level file is depth 0). */
  maxDepth: number;
  /** Most members scanned inside one top-level artifact, across all nesting. */
  maxMembers: number;
  /** Most bytes decompressed for one top-level artifact, across all nesting. */
  maxInflatedBytes: number;
  /**
   * Largest compression ratio accepted for one member or stream (inflated / compressed), judged only
   * once its output passes `ratioMinBytes`: decoding stops there and the file is a bomb.
   */
  maxCompressionRatio: number;
  /**
   * Output (of one member or stream) below which the compression ratio is never judged: it is decoded
   * and scanned in full however well it compressed (zero tensors deflate ~1000:1). Keep it below
   * `maxInMemoryBytes`, or an in-memory bomb stops at that bound instead (inconclusive, not a bomb).
   */
  ratioMinBytes: number;
  /** Largest stream a handler may hold in memory at once (a pickle, a header, a member to inflate). */
  maxInMemoryBytes: number;
  /** Wall-clock bound per top-level artifact, in milliseconds. */
  timeoutMs: number;
  /** Most facts one artifact may emit before the rest are dropped (and the artifact marked inconclusive). */
  maxFacts: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 8,
  maxMembers: 10_000,
  maxInflatedBytes: 4 * 1024 ** 3,
  maxCompressionRatio: 1000,
  ratioMinBytes: 64 * 1024 ** 2,
  maxInMemoryBytes: 512 * 1024 ** 2,
  timeoutMs: 120_000,
  maxFacts: 2_000_000,
};

const TIME_LIMIT_MARKER = Symbol.for("modelaudit.TimeLimitError");
const LIMIT_MARKER = Symbol.for("modelaudit.LimitError");

/** Raised when the per-artifact time bound passes. Checked by marker, robust to duplicate installs. */
export class TimeLimitError extends Error {
  readonly [TIME_LIMIT_MARKER] = true;
  constructor(message: string) {
    super(message);
    this.name = "TimeLimitError";
  }
  static isInstance(value: unknown): value is TimeLimitError {
    return typeof value === "object" && value !== null && TIME_LIMIT_MARKER in value;
  }
}

/** Raised when an input asks for more than a configured limit allows. */
export class LimitError extends Error {
  readonly [LIMIT_MARKER] = true;
  constructor(message: string) {
    super(message);
    this.name = "LimitError";
  }
  static isInstance(value: unknown): value is LimitError {
    return typeof value === "object" && value !== null && LIMIT_MARKER in value;
  }
}
