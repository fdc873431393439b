/** Longest string the analysis folds; longer constants are treated as unknown (bounded work). */
export const MAX_FOLDED_STRING = 4096;

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\n": "",
};

/**
 * Decodes a Python string literal as written (prefix, quotes, escapes) into its value; null for
 * f-strings or anything not shaped like a literal. Bytes literals decode to their latin-1 text.
 */
export function decodePythonString(literal: string): string | null {
  const prefixMatch = /^[rRbBuU]{0,2}/.exec(literal);
  const prefix = (prefixMatch?.[0] ?? "").toLowerCase();
  if (prefix.includes("f")) return null;
  let body = literal.slice(prefix.length);
  const quote = body.startsWith('"""') || body.startsWith("'''") ? body.slice(0, 3) : body.slice(0, 1);
  if (quote !== '"' && quote !== "'" && quote !== '"""' && quote !== "'''") return null;
  if (body.length < quote.length * 2 || !body.endsWith(quote)) return null;
  body = body.slice(quote.length, body.length - quote.length);
  if (body.length > MAX_FOLDED_STRING * 4) return null;
  if (prefix.includes("r")) return body;
  let result = "";
  for (let index = 0; index < body.length; index++) {
    const character = body[index] as string;
    if (character !== "\\" || index + 1 >= body.length) {
      result += character;
      continue;
    }
    const next = body[index + 1] as string;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      result += simple;
      index++;
    } else if (next === "x" || next === "u" || next === "U") {
      const width = next === "x" ? 2 : next === "u" ? 4 : 8;
      const hex = body.slice(index + 2, index + 2 + width);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === width ? Number.parseInt(hex, 16) : Number.NaN;
      if (Number.isNaN(code) || code > 0x10ffff) {
        result += character;
      } else {
        result += String.fromCodePoint(code);
        index += 1 + width;
      }
    } else if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(index + 1))?.[0] ?? "0";
      result += String.fromCharCode(Number.parseInt(octal, 8));
      index += octal.length;
    } else {
      result += character;
    }
  }
  return result;
}
