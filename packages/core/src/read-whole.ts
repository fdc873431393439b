import type { ParseContext } from "./plugin.js";

/**
 * Reads a handler's whole source when it fits `cap` and the engine's in-memory limit. Otherwise (too
 * large, or fewer bytes than the source declares) it emits an anomaly, marks the source inconclusive
 * naming `what`, and returns null: the caller stops there and nothing is reported clean.
 */
export async function readWhole(
  context: ParseContext,
  what: string,
  cap: number = Number.POSITIVE_INFINITY,
): Promise<Uint8Array | null> {
  const limit = Math.min(cap, context.limits.maxInMemoryBytes);
  const { source } = context;
  if (source.size > limit) {
    const message = `${what} is ${source.size} bytes, over the in-memory limit of ${limit}; not analysed`;
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
