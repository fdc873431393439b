/**
 * A small parser for the Python literals NumPy writes in .npy headers: dicts, tuples, lists, str,
 * int, True/False/None. Never eval. Nesting is bounded.
 */
export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

const MAX_NESTING = 32;

export class LiteralError extends Error {}

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

  skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position] as string)) this.position++;
  }

  value(depth: number): Literal {
    if (depth > MAX_NESTING) throw new LiteralError("nesting too deep");
    this.skipSpace();
    const character = this.text[this.position];
    if (character === "{") return this.dict(depth);
    if (character === "(") return this.sequence(")", depth);
    if (character === "[") return this.sequence("]", depth);
    if (character === "'" || character === '"') return this.string();
    const word = /^(True|False|None)\b/.exec(this.text.slice(this.position, this.position + 6));
    if (word) {
      this.position += (word[1] as string).length;
      return word[1] === "True" ? true : word[1] === "False" ? false : null;
    }
    const number = /^[+-]?\d+L?/.exec(this.text.slice(this.position, this.position + 40));
    if (number) {
      this.position += number[0].length;
      return Number.parseInt(number[0], 10);
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

  private sequence(close: string, depth: number): Literal {
    this.position++;
    const items: Literal[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === close) {
        this.position++;
        return items;
      }
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.position] === ",") this.position++;
      else if (this.text[this.position] !== close) throw new LiteralError(`expected , or ${close} at ${this.position}`);
    }
  }

  private string(): string {
    const quote = this.text[this.position];
    this.position++;
    let result = "";
    while (this.position < this.text.length) {
      const character = this.text[this.position++] as string;
      if (character === quote) return result;
      if (character === "\\") {
        const next = this.text[this.position++];
        if (next === undefined) break;
        result += next === "n" ? "\n" : next === "t" ? "\t" : next;
      } else {
        result += character;
      }
    }
    throw new LiteralError("unterminated string");
  }
}
