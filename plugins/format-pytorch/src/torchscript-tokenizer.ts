/** Just enough of Python's lexical grammar to find dotted names, calls and string literals. */
export type TokenKind = "name" | "string" | "number" | "punct";

export interface Token {
  kind: TokenKind;
  /** Names and punctuation as written; strings decoded (escapes resolved). */
  value: string;
  line: number;
  column: number;
}

const isNameStart = (code: number) =>
  (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code > 0x7f;
const isNameChar = (code: number) => isNameStart(code) || (code >= 0x30 && code <= 0x39);
const STRING_PREFIX = /^[rRbBuUfF]{1,2}$/;
const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
};

/**
 * Tokens of TorchScript (Python-syntax) source. Never throws: an unterminated string runs to the end
 * of the text. Linear in the text length; the caller's `onProgress` runs every few thousand tokens.
 * Adjacent string literals are one string, as both parsers read them (`"sa" "ve"` is `"save"`).
 */
export function* tokenize(text: string, onProgress: () => void = () => undefined): Generator<Token> {
  let pending: Token | undefined;
  for (const token of rawTokens(text, onProgress)) {
    if (pending?.kind === "string" && token.kind === "string") {
      pending = { ...pending, value: pending.value + token.value };
      continue;
    }
    if (pending) yield pending;
    pending = token;
  }
  if (pending) yield pending;
}

function* rawTokens(text: string, onProgress: () => void): Generator<Token> {
  let index = 0;
  let line = 1;
  let lineStart = 0;
  let count = 0;
  while (index < text.length) {
    if (++count % 4096 === 0) onProgress();
    const code = text.charCodeAt(index);
    const char = text[index]!;
    if (char === "\n") {
      line++;
      index++;
      lineStart = index;
      continue;
    }
    if (char === " " || char === "\t" || char === "\r" || char === "\f" || char === "\\") {
      index++;
      continue;
    }
    if (char === "#") {
      while (index < text.length && text[index] !== "\n") index++;
      continue;
    }
    const column = index - lineStart + 1;
    const startLine = line;
    if (isNameStart(code)) {
      let end = index + 1;
      while (end < text.length && isNameChar(text.charCodeAt(end))) end++;
      const word = text.slice(index, end);
      if ((text[end] === '"' || text[end] === "'") && STRING_PREFIX.test(word)) {
        const raw = /r/i.test(word);
        const literal = readString(text, end, raw);
        line += literal.newlines;
        if (literal.newlines > 0) lineStart = text.lastIndexOf("\n", literal.end - 1) + 1;
        index = literal.end;
        yield { kind: "string", value: literal.value, line: startLine, column };
        continue;
      }
      index = end;
      yield { kind: "name", value: word, line: startLine, column };
      continue;
    }
    if (char === '"' || char === "'") {
      const literal = readString(text, index, false);
      line += literal.newlines;
      if (literal.newlines > 0) lineStart = text.lastIndexOf("\n", literal.end - 1) + 1;
      index = literal.end;
      yield { kind: "string", value: literal.value, line: startLine, column };
      continue;
    }
    if (code >= 0x30 && code <= 0x39) {
      let end = index + 1;
      while (end < text.length && /[0-9a-zA-Z_.]/.test(text[end]!)) end++;
      yield { kind: "number", value: text.slice(index, end), line: startLine, column };
      index = end;
      continue;
    }
    index++;
    yield { kind: "punct", value: char, line: startLine, column };
  }
}

interface StringLiteral {
  value: string;
  end: number;
  newlines: number;
}

function readString(text: string, start: number, raw: boolean): StringLiteral {
  const quote = text[start]!;
  const triple = text.startsWith(quote.repeat(3), start);
  const closing = triple ? quote.repeat(3) : quote;
  let index = start + closing.length;
  let value = "";
  let newlines = 0;
  while (index < text.length) {
    if (text.startsWith(closing, index)) return { value, end: index + closing.length, newlines };
    const char = text[index]!;
    if (char === "\n") {
      newlines++;
      if (!triple) return { value, end: index, newlines: newlines - 1 }; // unterminated: stop at the line end
    }
    if (char === "\\" && index + 1 < text.length) {
      const next = text[index + 1]!;
      if (raw) {
        value += char + next;
      } else if (next in SIMPLE_ESCAPES) {
        value += SIMPLE_ESCAPES[next];
      } else if (next === "x" && /^[0-9a-fA-F]{2}$/.test(text.slice(index + 2, index + 4))) {
        value += String.fromCharCode(Number.parseInt(text.slice(index + 2, index + 4), 16));
        index += 2;
      } else if (/^[0-7]$/.test(next)) {
        // `\163` is "s" to TorchScript (three octal digits) and to Python (one to three).
        const digits = /^[0-7]{1,3}/.exec(text.slice(index + 1, index + 4))![0];
        value += String.fromCharCode(Number.parseInt(digits, 8) & 0xff);
        index += digits.length - 1;
      } else {
        value += next;
      }
      if (next === "\n") newlines++;
      index += 2;
      continue;
    }
    value += char;
    index++;
  }
  return { value, end: index, newlines };
}
