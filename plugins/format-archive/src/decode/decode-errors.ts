/** The encoded bytes break the codec's rules (bad magic, impossible distance, bad Huffman table). */
export class CorruptDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorruptDataError";
  }
}

/** The encoded bytes ended before the codec said the stream was complete. */
export class TruncatedDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TruncatedDataError";
  }
}

/** Decoding stopped because the output reached a bound; what was decoded so far is kept. */
export class OutputLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputLimitError";
  }
}

/** A feature of the container or codec this plugin does not decode (a filter, a method, encryption). */
export class UnsupportedFeatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedFeatureError";
  }
}

/**
 * Errors that must leave a decoder untouched: the engine's own limits and deadline, and our output
 * bound. Anything else a codec library throws on hostile bytes is corrupt data.
 */
export function isBoundError(error: unknown): boolean {
  if (error instanceof OutputLimitError) return true;
  if (typeof error !== "object" || error === null) return false;
  return Symbol.for("modelaudit.TimeLimitError") in error || Symbol.for("modelaudit.LimitError") in error;
}
