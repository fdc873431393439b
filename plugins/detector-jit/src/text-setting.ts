import type { TextFact } from "@modelaudit/core";

/**
 * Where a text value sits, which decides how much a piece of code in it means:
 * - `code`: a field a loader runs as code (a Keras Lambda layer's `function` source). Judged in full.
 * - `value`: metadata and config values. No loader needs code there, so a value that is a whole Python
 *   statement or shell command line is judged in full; anything that does not parse as one is prose.
 * - `documentation`: model cards and doc strings. Code samples are normal there: notes only.
 */
export type TextSetting = "code" | "value" | "documentation";

/**
 * Keys of fields that hold source a loader runs (format-keras names them `keras.Lambda.<field>`). The names a
 * Lambda refers to (module and function) arrive as role "name": they are imports Keras performs, judged once by
 * the code-execution detector from format-keras' import facts, not again here.
 */
const CODE_KEYS = /(?:^|\.)Lambda\.(?:function|output_shape)$/;

/** The setting of a text fact, or undefined when its text is never code (tokens, identifiers). */
export function textSetting(fact: TextFact): TextSetting | undefined {
  if (fact.role === "vocabulary" || fact.role === "name") return undefined;
  if (fact.key !== undefined && CODE_KEYS.test(fact.key)) return "code";
  if (fact.role === "documentation") return "documentation";
  return "value";
}

/** How a finding names the place, e.g. "the metadata value `__metadata__.setup`". */
export function describePlace(fact: TextFact, setting: TextSetting): string {
  const where = fact.location?.path ?? fact.key ?? "";
  const named = where ? ` \`${where.length > 80 ? `${where.slice(0, 80)}…` : where}\`` : "";
  if (setting === "code") return `the Lambda layer's function source${named}`;
  if (setting === "documentation") return `the documentation text${named}`;
  return `the ${fact.role ?? "text"} value${named}`;
}

/** What running the text would mean, for the `when` of a finding (`...; it {{when}}.`). */
export function describeWhen(setting: TextSetting, place: string): string {
  if (setting === "code") return `runs when Keras rebuilds the layer from ${place}`;
  if (setting === "documentation") return `is written in ${place} (noted in case something runs it)`;
  return `is written in ${place}, where no loader needs code: whatever evaluates the string runs it`;
}
