import type { ParseContext } from "@modelaudit/core";

/** Largest model this package reads into memory, whatever the engine allows. */
export const MAX_MODEL_BYTES = 1024 ** 3;

/**
 * Reads the whole source when it fits the in-memory bound; otherwise records a limit anomaly,
 * marks the artifact inconclusive and returns null. Tree models are parsed as one document.
 */
export async function readModelBytes(context: ParseContext, what: string): Promise<Uint8Array | null> {
  const limit = Math.min(context.limits.maxInMemoryBytes, MAX_MODEL_BYTES);
  const { source } = context;
  if (source.size > limit) {
    const message = `${what} is ${source.size} bytes, over the in-memory limit of ${limit}; structure not checked`;
    context.emit({ kind: "anomaly", code: "limit-exceeded", message });
    context.inconclusive(message);
    return null;
  }
  const bytes = await source.read(0, source.size);
  if (bytes.length !== source.size) {
    const message = `${what}: read ${bytes.length} of ${source.size} bytes`;
    context.emit({ kind: "anomaly", code: "truncated", message });
    context.inconclusive(message);
    return null;
  }
  return bytes;
}

const lenient = new TextDecoder("utf-8");

/** The sniff head as text, for content checks only (never for facts). */
export function headText(head: Uint8Array, length = 4096): string {
  return lenient.decode(head.subarray(0, length));
}
