import type { ParseContext } from "@modelaudit/core";
import type { OutputBounds } from "./output-buffer.js";

/** Below this output size the compression ratio is not judged: tiny members compress absurdly well. */
export const RATIO_FLOOR = 64 * 1024;

/**
 * The most bytes one compressed stream or member may decode to: the in-memory bound, and the ratio
 * bound for anything past a few KB. Every decoded byte is also charged to the artifact budget.
 */
export function outputBounds(context: ParseContext, compressedSize: number, expectedSize?: number): OutputBounds {
  const { maxInMemoryBytes, maxCompressionRatio } = context.limits;
  const ratioBound = Math.max(RATIO_FLOOR, compressedSize * maxCompressionRatio);
  const byRatio = ratioBound < maxInMemoryBytes;
  const bounds: OutputBounds = {
    maxBytes: Math.min(maxInMemoryBytes, ratioBound),
    reason: byRatio
      ? `compression ratio above ${maxCompressionRatio}:1 for ${compressedSize} compressed bytes`
      : `in-memory limit of ${maxInMemoryBytes} bytes`,
    charge: (bytes) => context.chargeInflated(bytes),
    checkDeadline: () => context.checkDeadline(),
  };
  if (expectedSize !== undefined) bounds.expectedSize = expectedSize;
  return bounds;
}

/**
 * The bounds of a stream decoded to a `SpillOutput` (not held in memory): the ratio bound and the
 * artifact budget only.
 */
export function streamedOutputBounds(context: ParseContext, compressedSize: number): OutputBounds {
  const { maxCompressionRatio } = context.limits;
  return {
    maxBytes: Math.max(RATIO_FLOOR, compressedSize * maxCompressionRatio),
    reason: `compression ratio above ${maxCompressionRatio}:1 for ${compressedSize} compressed bytes`,
    charge: (bytes) => context.chargeInflated(bytes),
    checkDeadline: () => context.checkDeadline(),
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
