import type { ParseContext } from "@modelaudit/core";
import type { OutputBounds } from "./output-buffer.js";

/**
 * The ratio bound: a bomb is a high ratio AND a large output. Below `ratioMinBytes` the
 * ratio is not judged (zero tensors, masks and sparse data deflate ~1000:1 and harm nobody at a few
 * MB), so such output is decoded and scanned in full; past it, output beyond `maxCompressionRatio`
 * times the compressed size stops the decoder.
 */
export function ratioBound(context: ParseContext, compressedSize: number): number {
  const { maxCompressionRatio, ratioMinBytes } = context.limits;
  return Math.max(ratioMinBytes, compressedSize * maxCompressionRatio);
}

function ratioReason(context: ParseContext, compressedSize: number): string {
  const { maxCompressionRatio, ratioMinBytes } = context.limits;
  return `compression ratio above ${maxCompressionRatio}:1 for ${compressedSize} compressed bytes, past ${ratioMinBytes} bytes of output`;
}

/**
 * The most bytes one compressed stream or member may decode to: the in-memory bound, and the ratio
 * bound. Every decoded byte is also charged to the artifact budget.
 */
export function outputBounds(context: ParseContext, compressedSize: number, expectedSize?: number): OutputBounds {
  const { maxInMemoryBytes } = context.limits;
  const byRatioBytes = ratioBound(context, compressedSize);
  const byRatio = byRatioBytes < maxInMemoryBytes;
  const bounds: OutputBounds = {
    maxBytes: Math.min(maxInMemoryBytes, byRatioBytes),
    reason: byRatio ? ratioReason(context, compressedSize) : `in-memory limit of ${maxInMemoryBytes} bytes`,
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
  return {
    maxBytes: ratioBound(context, compressedSize),
    reason: ratioReason(context, compressedSize),
    charge: (bytes) => context.chargeInflated(bytes),
    checkDeadline: () => context.checkDeadline(),
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
