/**
 * A strict JSON reader for untrusted headers. Unlike JSON.parse it reports duplicate object keys
 * (JSON.parse silently keeps the last copy, other loaders keep the first), keeps numbers as their
 * source text so offsets past 2^53 are not rounded, and bounds nesting.
 */

export type JsonValue = JsonObject | JsonArray | JsonString | JsonNumber | JsonLiteral;

export interface JsonObject {
  type: "object";
  /** Entries in source order, duplicates included. */
  entries: { key: string; value: JsonValue; offset: number }[];
  offset: number;
}
export interface JsonArray {
  type: "array";
  items: JsonValue[];
  offset: number;
}
export interface JsonString {
  type: "string";
  value: string;
  offset: number;
}
export interface JsonNumber {
  type: "number";
  /** The number exactly as written. */
  raw: string;
  offset: number;
}
export interface JsonLiteral {
  type: "literal";
  value: true | false | null;
  offset: number;
}

export interface DuplicateKey {
  /** Path of the object holding the duplicate, `$` for the top level. */
  path: string;
  key: string;
  offset: number;
}

export interface JsonScanResult {
  value: JsonValue;
  duplicates: DuplicateKey[];
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at character ${offset}`);
    this.name = "JsonSyntaxError";
  }
}

const DEFAULT_MAX_DEPTH = 64;
const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses `text` as one JSON value (whitespace allowed around it); throws JsonSyntaxError. */
export function scanJson(text: string, options: { maxDepth?: number } = {}): JsonScanResult {
  const scanner = new Scanner(text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  const value = scanner.document();
  return { value, duplicates: scanner.duplicates };
}

class Scanner {
  position = 0;
  readonly duplicates: DuplicateKey[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  document(): JsonValue {
    this.skipWhitespace();
    const value = this.value(0, "$");
    this.skipWhitespace();
    if (this.position < this.text.length)
      throw new JsonSyntaxError("unexpected content after the JSON value", this.position);
    return value;
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.position < text.length) {
      const code = text.charCodeAt(this.position);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
      this.position++;
    }
  }

  private value(depth: number, path: string): JsonValue {
    if (depth > this.maxDepth) throw new JsonSyntaxError(`nesting deeper than ${this.maxDepth}`, this.position);
    const start = this.position;
    const character = this.text[start];
    if (character === "{") return this.object(depth, path);
    if (character === "[") return this.array(depth, path);
    if (character === '"') return { type: "string", value: this.string(), offset: start };
    if (this.text.startsWith("true", start)) {
      this.position += 4;
      return { type: "literal", value: true, offset: start };
    }
    if (this.text.startsWith("false", start)) {
      this.position += 5;
      return { type: "literal", value: false, offset: start };
    }
    if (this.text.startsWith("null", start)) {
      this.position += 4;
      return { type: "literal", value: null, offset: start };
    }
    NUMBER_PATTERN.lastIndex = start;
    const match = NUMBER_PATTERN.exec(this.text);
    if (match && match[0].length > 0) {
      this.position += match[0].length;
      return { type: "number", raw: match[0], offset: start };
    }
    if (start >= this.text.length) throw new JsonSyntaxError("unexpected end of JSON", start);
    throw new JsonSyntaxError(`unexpected character ${JSON.stringify(character)}`, start);
  }

  private object(depth: number, path: string): JsonObject {
    const start = this.position;
    this.position++; // {
    const entries: JsonObject["entries"] = [];
    const seen = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.position] === "}") {
      this.position++;
      return { type: "object", entries, offset: start };
    }
    for (;;) {
      this.skipWhitespace();
      const keyOffset = this.position;
      if (this.text[keyOffset] !== '"') throw new JsonSyntaxError("expected a string key", keyOffset);
      const key = this.string();
      if (seen.has(key)) this.duplicates.push({ path, key, offset: keyOffset });
      seen.add(key);
      this.skipWhitespace();
      if (this.text[this.position] !== ":") throw new JsonSyntaxError("expected ':'", this.position);
      this.position++;
      this.skipWhitespace();
      const value = this.value(depth + 1, `${path}.${key}`);
      entries.push({ key, value, offset: keyOffset });
      this.skipWhitespace();
      const separator = this.text[this.position];
      this.position++;
      if (separator === "}") return { type: "object", entries, offset: start };
      if (separator !== ",") throw new JsonSyntaxError("expected ',' or '}'", this.position - 1);
    }
  }

  private array(depth: number, path: string): JsonArray {
    const start = this.position;
    this.position++; // [
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.position] === "]") {
      this.position++;
      return { type: "array", items, offset: start };
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.value(depth + 1, `${path}[${items.length}]`));
      this.skipWhitespace();
      const separator = this.text[this.position];
      this.position++;
      if (separator === "]") return { type: "array", items, offset: start };
      if (separator !== ",") throw new JsonSyntaxError("expected ',' or ']'", this.position - 1);
    }
  }

  private string(): string {
    const text = this.text;
    const start = this.position;
    this.position++; // opening quote
    let result = "";
    let chunkStart = this.position;
    while (this.position < text.length) {
      const code = text.charCodeAt(this.position);
      if (code === 0x22) {
        result += text.slice(chunkStart, this.position);
        this.position++;
        return result;
      }
      if (code < 0x20) throw new JsonSyntaxError("control character inside a string", this.position);
      if (code === 0x5c) {
        result += text.slice(chunkStart, this.position);
        result += this.escape();
        chunkStart = this.position;
        continue;
      }
      this.position++;
    }
    throw new JsonSyntaxError("unterminated string", start);
  }

  private escape(): string {
    const text = this.text;
    const character = text[this.position + 1];
    this.position += 2;
    switch (character) {
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "/":
        return "/";
      case "b":
        return "\b";
      case "f":
        return "\f";
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case "u": {
        const hex = text.slice(this.position, this.position + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError("invalid \\u escape", this.position - 2);
        this.position += 4;
        return String.fromCharCode(Number.parseInt(hex, 16));
      }
      default:
        throw new JsonSyntaxError("invalid escape", this.position - 2);
    }
  }
}

/** The exact non-negative integer a JSON number denotes, or null when it is not one (1.0, -1, 1e3). */
export function nonNegativeInteger(value: JsonValue): bigint | null {
  if (value.type !== "number" || !/^(?:0|[1-9]\d*)$/.test(value.raw)) return null;
  return BigInt(value.raw);
}
