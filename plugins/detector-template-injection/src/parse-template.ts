import { createRequire } from "node:module";
import type { Template as JinjaTemplate } from "@huggingface/jinja";
import { normalizePythonEscapes } from "./escape-sequences.js";
import { isNode, type JinjaNode } from "./template-ast.js";

const requireModule = createRequire(import.meta.url);
let Template: typeof JinjaTemplate | undefined;

/** @huggingface/jinja, loaded on the first template (synchronously, its CommonJS build): most scans have none. */
function jinjaTemplate(): typeof JinjaTemplate {
  Template ??= (requireModule("@huggingface/jinja") as { Template: typeof JinjaTemplate }).Template;
  return Template;
}

export type ParseResult = { ok: true; program: JinjaNode } | { ok: false; reason: string };

/**
 * Parses a template into its AST with @huggingface/jinja. Only the constructor runs: it tokenizes and
 * parses; `render` is never called. Hostile input may make the parser throw anything, including a
 * stack overflow on deep nesting; every throw becomes a reason.
 */
export function parseTemplate(source: string): ParseResult {
  try {
    const program: unknown = new (jinjaTemplate())(normalizePythonEscapes(source)).parsed;
    if (!isNode(program)) return { ok: false, reason: "the parser returned no program" };
    return { ok: true, program };
  } catch (error) {
    return { ok: false, reason: describeParseError(error) };
  }
}

function describeParseError(error: unknown): string {
  if (error instanceof RangeError) return "nested too deeply for the parser";
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line || "unknown parser error";
}
