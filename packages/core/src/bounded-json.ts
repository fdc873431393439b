/**
 * JSON parsing with bounds: a nesting cap checked by a linear pre-scan (so no parser recursion is
 * ever driven by the input) and a clear error kind for the caller to turn into an anomaly.
 */

export type JsonProblemKind = "malformed" | "limit-exceeded";

export class JsonProblem extends Error {
  constructor(
    readonly kind: JsonProblemKind,
    message: string,
  ) {
    super(message);
    this.name = "JsonProblem";
  }
}

export const MAX_JSON_DEPTH = 64;

/** Deepest `[`/`{` nesting outside string literals; stops counting once past `limit`. */
export function jsonNestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // backslash escapes the next character
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return deepest;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes UTF-8 strictly and parses JSON, refusing nesting deeper than `maxDepth`. */
export function parseBoundedJson(bytes: Uint8Array, maxDepth = MAX_JSON_DEPTH): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new JsonProblem("malformed", "not valid UTF-8");
  }
  const depth = jsonNestingDepth(text, maxDepth);
  if (depth > maxDepth) throw new JsonProblem("limit-exceeded", `JSON nested deeper than ${maxDepth} levels`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JsonProblem("malformed", `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The first non-whitespace character of `text` after an optional byte-order mark. */
export function firstSignificantChar(text: string): string {
  const match = /^\uFEFF?\s*(\S)/.exec(text);
  return match?.[1] ?? "";
}
