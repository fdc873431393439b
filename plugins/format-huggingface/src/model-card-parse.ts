import type { ParseContext } from "@modelaudit/core";
import { blocked, decodeText, readBounded } from "./read-source.js";

/** A model card beyond this is not read (the scan says so). */
export const MAX_MODEL_CARD_BYTES = 4 * 1024 * 1024;
export const MAX_MODEL_CARD_FACTS = 100_000;
/** Opens or closes a fenced code block (three or more backticks or tildes). */
const FENCE = /^\s{0,3}(```|~~~)/;

/** The parse of {@link modelCardHandler}, imported on the first model card. */
export async function parseModelCard(context: ParseContext): Promise<void> {
  const bytes = await readBounded(context, MAX_MODEL_CARD_BYTES, "model card");
  if (!bytes) return;
  const text = decodeText(context, bytes, "model card");
  if (text === null) return;
  emitModelCard(context, text);
}

function emitModelCard(context: ParseContext, text: string): void {
  const lines = text.split(/\r?\n/);
  let emitted = 0;
  const emit = (value: string, key: string, line: number): boolean => {
    if (value.length === 0) return true;
    if (emitted >= MAX_MODEL_CARD_FACTS) return false;
    emitted++;
    context.emit({ kind: "text", text: value, key, role: "documentation", location: { line } });
    return true;
  };
  let index = 0;
  if (lines[0]?.replace(/^\uFEFF/, "") === "---") {
    const end = lines.indexOf("---", 1);
    if (end === -1) {
      context.emit({
        kind: "anomaly",
        code: "malformed",
        message: "model card front matter is never closed",
        location: { line: 1 },
      });
    } else {
      let parent = "";
      for (index = 1; index < end; index++) {
        const line = lines[index]!;
        const keyed = /^(\s*)(?:-\s+)?([\w.-]+):\s*(.*)$/.exec(line);
        const item = /^\s*-\s+(.*)$/.exec(line);
        if (keyed) {
          if (keyed[1]!.length === 0) parent = keyed[2]!;
          const key = keyed[1]!.length === 0 ? keyed[2]! : `${parent}.${keyed[2]}`;
          if (!emit(unquote(keyed[3]!), `front-matter.${key}`, index + 1)) {
            truncated(context);
            return;
          }
        } else if (item) {
          if (!emit(unquote(item[1]!), `front-matter.${parent}`, index + 1)) {
            truncated(context);
            return;
          }
        }
      }
      index = end + 1;
    }
  }
  let inCode = false;
  for (; index < lines.length; index++) {
    if ((index & 0xfff) === 0) context.checkDeadline();
    const line = lines[index]!;
    if (FENCE.test(line)) {
      inCode = !inCode;
      continue;
    }
    if (!emit(line.trim(), inCode ? "body.code" : "body", index + 1)) {
      truncated(context);
      return;
    }
  }
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return /^(['"]).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

function truncated(context: ParseContext): void {
  blocked(
    context,
    "limit-exceeded",
    `model card: more than ${MAX_MODEL_CARD_FACTS} non-empty lines; the rest were not emitted`,
  );
}
