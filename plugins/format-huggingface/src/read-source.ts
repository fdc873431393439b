import type { ParseContext } from "@modelaudit/core";
import { JsonProblem, parseBoundedJson } from "@modelaudit/core";

/** Records a structural problem that stops the analysis: an anomaly fact and an inconclusive reason. */
export function blocked(context: ParseContext, code: "malformed" | "limit-exceeded" | "truncated", message: string) {
  context.emit({ kind: "anomaly", code, message });
  context.inconclusive(message);
}

/** Reads the whole source when it is at most `cap` bytes (and within the engine's in-memory bound). */
export async function readBounded(context: ParseContext, cap: number, what: string): Promise<Uint8Array | null> {
  const limit = Math.min(cap, context.limits.maxInMemoryBytes);
  const { source } = context;
  if (source.size > limit) {
    blocked(context, "limit-exceeded", `${what} is ${source.size} bytes, over the ${limit}-byte bound; not analysed`);
    return null;
  }
  const bytes = await source.read(0, source.size);
  if (bytes.length !== source.size) {
    blocked(context, "truncated", `${what}: read ${bytes.length} of ${source.size} bytes`);
    return null;
  }
  return bytes;
}

/** Reads and parses a JSON file; a problem becomes an anomaly and makes the artifact inconclusive. */
export async function readJson(context: ParseContext, cap: number, what: string): Promise<{ value: unknown } | null> {
  const bytes = await readBounded(context, cap, what);
  if (!bytes) return null;
  try {
    return { value: parseBoundedJson(bytes) };
  } catch (error) {
    if (!(error instanceof JsonProblem)) throw error;
    blocked(context, error.kind, `${what}: ${error.message}`);
    return null;
  }
}

const strict = new TextDecoder("utf-8", { fatal: true });

/** Decodes a text file strictly; invalid UTF-8 is malformed. */
export function decodeText(context: ParseContext, bytes: Uint8Array, what: string): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    blocked(context, "malformed", `${what} is not valid UTF-8`);
    return null;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
