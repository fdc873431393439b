/**
 * Python Jinja accepts syntax that @huggingface/jinja rejects; payloads use it (`().__class__` is the
 * usual start of a subclass walk). When a template does not parse, these rewrites give the analysis an
 * AST of what Python Jinja would run. The template is still reported as unparsable.
 */

const KEYWORDS_BEFORE_VALUE = /(?:^|[^A-Za-z0-9_])(?:in|not|and|or|if|else|is)$/;

/** `()` as an empty tuple (not a call) becomes `[]`, which behaves the same for attribute walks. */
export function repairEmptyTuples(source: string): string {
  return source.replace(/\(\s*\)/g, (match, offset: number) => {
    const before = source.slice(Math.max(0, offset - 16), offset).trimEnd();
    const previous = before.at(-1) ?? "";
    const isCall = /[A-Za-z0-9_)\]'"]/.test(previous) && !KEYWORDS_BEFORE_VALUE.test(before);
    return isCall ? match : "[]";
  });
}
