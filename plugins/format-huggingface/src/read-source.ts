import type { ParseContext } from "@modelaudit/core";
import { JsonProblem, parseBoundedJson, readWhole } from "@modelaudit/core/format";

/** Records a structural problem that stops the analysis: an anomaly fact and an inconclusive reason. */
export function blocked(context: ParseContext, code: "malformed" | "limit-exceeded" | "truncated", message: string) {
  context.emit({ kind: "anomaly", code, message });
  context.inconclusive(message);
}

/** Reads the whole source when it is at most `cap` bytes (and within the engine's in-memory bound). */
export function readBounded(context: ParseContext, cap: number, what: string): Promise<Uint8Array | null> {
  return readWhole(context, what, cap);
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
