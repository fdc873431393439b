/**
 * A small parser for the Python literals NumPy reads from .npy headers with `ast.literal_eval`:
 * dicts, tuples, lists, str (prefixes, escapes, adjacent literals), int (any base), True/False/None,
 * comments and line continuations. Never eval. Nesting is bounded.
 */
export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

const MAX_NESTING = 32;
const STRING_START = /^[rRbBuU]{0,2}['"]/;
const ESCAPES: Record<string, string> = {
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
};

export class LiteralError extends Error {}

/** The sequences that were written as tuples (`(1, 2)`, `()`); lists and tuples are both arrays otherwise. */
const TUPLES = new WeakSet<Literal[]>();

/** Whether a parsed sequence was a tuple: NumPy's descr tells a subarray `(base, shape)` from fields `[...]` by it. */
export function isTuple(value: Literal | undefined): value is Literal[] {
  return Array.isArray(value) && TUPLES.has(value);
}

export function parsePythonLiteral(text: string): Literal {
  const parser = new LiteralParser(text);
  const value = parser.value(0);
  parser.skipSpace();
  if (!parser.atEnd()) throw new LiteralError(`unexpected text at ${parser.position}`);
  return value;
}

class LiteralParser {
  position = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  /** Whitespace, `#` comments and backslash line continuations, as Python's tokenizer skips them. */
  skipSpace(): void {
    const text = this.text;
    while (this.position < text.length) {
      const character = text[this.position] as string;
      if (/\s/.test(character)) this.position++;
      else if (character === "#") {
        while (this.position < text.length && text[this.position] !== "\n") this.position++;
      } else if (character === "\\" && (text[this.position + 1] === "\n" || text[this.position + 1] === "\r")) {
        this.position += 2;
      } else return;
    }
  }

  value(depth: number): Literal {
    if (depth > MAX_NESTING) throw new LiteralError("nesting too deep");
    this.skipSpace();
    const character = this.text[this.position];
    if (character === "{") return this.dict(depth);
    if (character === "(") return this.sequence(")", depth);
    if (character === "[") return this.sequence("]", depth);
    if (STRING_START.test(this.text.slice(this.position, this.position + 3))) {
      // Adjacent string literals concatenate ('<' 'f8' is '<f8').
      let result = this.string();
      for (;;) {
        const save = this.position;
        this.skipSpace();
        if (!STRING_START.test(this.text.slice(this.position, this.position + 3))) {
          this.position = save;
          return result;
        }
        result += this.string();
      }
    }
    const word = /^(True|False|None)\b/.exec(this.text.slice(this.position, this.position + 6));
    if (word) {
      this.position += (word[1] as string).length;
      return word[1] === "True" ? true : word[1] === "False" ? false : null;
    }
    const number = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*)L?/.exec(
      this.text.slice(this.position, this.position + 80),
    );
    if (number) {
      this.position += number[0].length;
      const value = Number(BigInt((number[2] as string).replace(/_/g, "")));
      return number[1] === "-" ? -value : value;
    }
    throw new LiteralError(`unexpected character at ${this.position}`);
  }

  private expect(character: string): void {
    this.skipSpace();
    if (this.text[this.position] !== character) throw new LiteralError(`expected ${character} at ${this.position}`);
    this.position++;
  }

  private dict(depth: number): Literal {
    this.position++;
    const result: { [key: string]: Literal } = Object.create(null);
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === "}") {
        this.position++;
        return result;
      }
      const key = this.value(depth + 1);
      if (typeof key !== "string") throw new LiteralError("dict keys must be strings");
      this.expect(":");
      result[key] = this.value(depth + 1);
      this.skipSpace();
      if (this.text[this.position] === ",") this.position++;
      else if (this.text[this.position] !== "}") throw new LiteralError(`expected , or } at ${this.position}`);
    }
  }

  /** A list, a tuple, or a parenthesized value (`(x)` is x, not a tuple: only a comma makes one). */
  private sequence(close: string, depth: number): Literal {
    this.position++;
    const items: Literal[] = [];
    let comma = false;
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === close) {
        this.position++;
        if (close !== ")") return items;
        if (items.length === 1 && !comma) return items[0] as Literal;
        TUPLES.add(items);
        return items;
      }
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.position] === ",") {
        this.position++;
        comma = true;
      } else if (this.text[this.position] !== close)
        throw new LiteralError(`expected , or ${close} at ${this.position}`);
    }
  }

  /** One string literal with Python's prefixes (r, b, u), quotes (single or triple) and escapes. */
  private string(): string {
    const prefix = /^[rRbBuU]{0,2}/.exec(this.text.slice(this.position, this.position + 2))?.[0] ?? "";
    const raw = /r/i.test(prefix);
    this.position += prefix.length;
    const quote = this.text.startsWith(this.text[this.position]?.repeat(3) ?? "", this.position)
      ? (this.text[this.position] as string).repeat(3)
      : (this.text[this.position] as string);
    this.position += quote.length;
    let result = "";
    while (this.position < this.text.length) {
      if (this.text.startsWith(quote, this.position)) {
        this.position += quote.length;
        return result;
      }
      const character = this.text[this.position++] as string;
      if (character === "\n" && quote.length === 1) break;
      if (character !== "\\") {
        result += character;
        continue;
      }
      const next = this.text[this.position++];
      if (next === undefined) break;
      if (raw) {
        result += `\\${next}`;
        continue;
      }
      const simple = ESCAPES[next];
      if (simple !== undefined) {
        result += simple;
      } else if (next === "x" || next === "u" || next === "U") {
        const width = next === "x" ? 2 : next === "u" ? 4 : 8;
        const hex = this.text.slice(this.position, this.position + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new LiteralError("invalid escape");
        result += String.fromCodePoint(Number.parseInt(hex, 16));
        this.position += width;
      } else if (/[0-7]/.test(next)) {
        const digits = /^[0-7]{1,3}/.exec(this.text.slice(this.position - 1, this.position + 2))?.[0] as string;
        result += String.fromCharCode(Number.parseInt(digits, 8));
        this.position += digits.length - 1;
      } else if (next === "\n") {
        // A backslash-newline inside a string is removed.
      } else {
        result += `\\${next}`;
      }
    }
    throw new LiteralError("unterminated string");
  }
}
