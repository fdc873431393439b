import type { ParseContext } from "@modelaudit/core";
import type { ProblemList } from "@modelaudit/core/format";
import type { ByteCursor } from "./byte-cursor.js";

/** GGUF metadata value types (gguf.h `enum gguf_type`). */
export const ValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

const SCALAR_SIZES: Readonly<Record<number, number>> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};
/** Arrays of arrays are legal; real files nest at most once. */
const MAX_ARRAY_DEPTH = 4;
/** String arrays longer than this are emitted in batches rather than one fact per entry. */
const PER_ENTRY_LIMIT = 64;
const BATCH_CHARS = 64 * 1024;
const DEFAULT_ALIGNMENT = 32;

export interface MetadataResult {
  alignment: number;
  keys: string[];
}

/** Reads `count` key/value pairs, emitting every string as a fact; tensor data is never touched. */
export class MetadataReader {
  private readonly decoder = new TextDecoder("utf-8");
  private alignment = DEFAULT_ALIGNMENT;

  constructor(
    private readonly cursor: ByteCursor,
    private readonly context: ParseContext,
    private readonly problems: ProblemList,
    /** GGUF v1 wrote 32-bit lengths and counts. */
    private readonly lengthBytes: 4 | 8,
    /** Longest string held in memory; longer ones are skipped and the file marked inconclusive. */
    private readonly maxString: number,
  ) {}

  async read(count: bigint): Promise<MetadataResult> {
    const seen = new Set<string>();
    const keys: string[] = [];
    for (let index = 0n; index < count; index++) {
      if (index % 256n === 0n) this.context.checkDeadline();
      const keyOffset = this.cursor.position;
      const key = (await this.readString(`metadata key #${index}`)) ?? `<oversized key #${index}>`;
      if (seen.has(key)) {
        this.problems.add("header-mismatch", `duplicate metadata key ${JSON.stringify(key)}`, {
          offset: keyOffset,
          path: key,
        });
      }
      seen.add(key);
      keys.push(key);
      await this.require(4, `type of ${key}`);
      const type = this.cursor.u32();
      if (key === "general.alignment") await this.readAlignment(type, key);
      else await this.readValue(type, key, key, 0);
    }
    return { alignment: this.alignment, keys };
  }

  private async readAlignment(type: number, key: string): Promise<void> {
    const offset = this.cursor.position;
    if (type !== ValueType.UINT32) {
      this.problems.add("malformed", `general.alignment has type ${type}, not UINT32`, { offset, path: key });
      await this.readValue(type, key, key, 0);
      return;
    }
    await this.require(4, key);
    const value = this.cursor.u32();
    if (value === 0 || (value & (value - 1)) !== 0) {
      this.problems.add("malformed", `general.alignment ${value} is not a power of two`, { offset, path: key });
      return;
    }
    this.alignment = value;
  }

  private async readValue(type: number, key: string, path: string, depth: number): Promise<void> {
    const offset = this.cursor.position;
    const scalar = SCALAR_SIZES[type];
    if (scalar !== undefined) {
      if (!this.cursor.skip(scalar)) this.problems.stop("truncated", `the file ends inside ${path}`, { offset, path });
      return;
    }
    if (type === ValueType.STRING) {
      const text = await this.readString(path);
      if (text !== null) this.emitString(key, path, text, offset);
      return;
    }
    if (type === ValueType.ARRAY) {
      await this.readArray(key, path, depth + 1);
      return;
    }
    this.problems.stop("malformed", `${path} has unknown value type ${type}`, { offset, path });
  }

  private async readArray(key: string, path: string, depth: number): Promise<void> {
    const offset = this.cursor.position;
    if (depth > MAX_ARRAY_DEPTH) {
      this.problems.stop("limit-exceeded", `${path} nests arrays deeper than ${MAX_ARRAY_DEPTH}`, { offset, path });
    }
    await this.require(4 + this.lengthBytes, path);
    const itemType = this.cursor.u32();
    const count = this.readLength();
    const scalar = SCALAR_SIZES[itemType];
    const minimum =
      scalar ??
      (itemType === ValueType.STRING ? this.lengthBytes : itemType === ValueType.ARRAY ? 4 + this.lengthBytes : 0);
    if (minimum === 0)
      this.problems.stop("malformed", `${path} is an array of unknown type ${itemType}`, { offset, path });
    // Every item takes at least `minimum` bytes: a count the file cannot hold is refused before any loop.
    if (count > BigInt(this.cursor.remaining) / BigInt(minimum)) {
      this.problems.stop(
        "malformed",
        `${path} claims ${count} items, more than the ${this.cursor.remaining} bytes left can hold`,
        { offset, path },
      );
    }
    const items = Number(count);
    if (scalar !== undefined) {
      this.cursor.skip(items * scalar);
      return;
    }
    if (itemType === ValueType.ARRAY) {
      for (let index = 0; index < items; index++) {
        if (index % 1024 === 0) this.context.checkDeadline();
        await this.readArray(key, `${path}[${index}]`, depth + 1);
      }
      return;
    }
    await this.readStringArray(key, path, items);
  }

  private async readStringArray(key: string, path: string, items: number): Promise<void> {
    if (path === key && isChatTemplateKey(key)) {
      await this.readTemplateArray(key, items);
      return;
    }
    const role = key.startsWith("tokenizer.") ? "vocabulary" : "metadata";
    if (items <= PER_ENTRY_LIMIT) {
      for (let index = 0; index < items; index++) {
        const offset = this.cursor.position;
        const text = await this.readString(`${path}[${index}]`);
        if (text !== null) {
          this.context.emit({ kind: "text", text, key, role, location: { path: `${path}[${index}]`, offset } });
        }
      }
      return;
    }
    // A vocabulary has 32k-250k entries: batch them so detectors see every entry in a few facts.
    let batch: string[] = [];
    let batchChars = 0;
    let first = 0;
    let batchOffset = this.cursor.position;
    const flush = (last: number) => {
      if (batch.length === 0) return;
      this.context.emit({
        kind: "text",
        text: batch.join("\n"),
        key,
        role,
        location: { path: `${path}[${first}..${last}]`, offset: batchOffset },
      });
      batch = [];
      batchChars = 0;
    };
    for (let index = 0; index < items; index++) {
      if (index % 4096 === 0) this.context.checkDeadline();
      if (batch.length === 0) {
        first = index;
        batchOffset = this.cursor.position;
      }
      const text = await this.readString(`${path}[${index}]`);
      if (text === null) continue;
      batch.push(text);
      batchChars += text.length + 1;
      if (batchChars >= BATCH_CHARS) flush(index);
    }
    flush(items - 1);
  }

  /**
   * A chat template stored as an array of strings: llama.cpp turns every metadata value into a
   * string (gguf_kv_to_str: `["a", "b"]`, escaping `\` and `"`) before it renders the template, so
   * the rendering of the array is the template that runs.
   */
  private async readTemplateArray(key: string, items: number): Promise<void> {
    const offset = this.cursor.position;
    const parts: string[] = [];
    let length = 0;
    for (let index = 0; index < items; index++) {
      if (index % 1024 === 0) this.context.checkDeadline();
      const text = await this.readString(`${key}[${index}]`);
      // An item over the string limit was reported and skipped: what it held cannot be judged.
      if (text === null || length > this.maxString) continue;
      length += text.length + 4;
      if (length > this.maxString) {
        // The rest is still read past (the metadata goes on after it), not kept.
        this.problems.add("limit-exceeded", `${key}: the template's items pass ${this.maxString} characters`, {
          offset,
          path: key,
        });
        continue;
      }
      parts.push(`"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`);
    }
    const text = `[${parts.join(", ")}]`;
    this.context.emit({ kind: "code", language: "jinja", text, location: { path: key, offset } });
  }

  private emitString(key: string, path: string, text: string, offset: number): void {
    if (path === key && isChatTemplateKey(key)) {
      this.context.emit({ kind: "code", language: "jinja", text, location: { path: key, offset } });
      return;
    }
    this.context.emit({ kind: "text", text, key, role: "metadata", location: { path, offset } });
  }

  /** A length-prefixed string; null (after skipping it) when it is longer than `maxString`. */
  async readString(path: string): Promise<string | null> {
    const offset = this.cursor.position;
    await this.require(this.lengthBytes, path);
    const length = this.readLength();
    if (length > BigInt(this.cursor.remaining)) {
      this.problems.stop(
        "malformed",
        `${path}: string length ${length} exceeds the ${this.cursor.remaining} bytes left`,
        { offset, path },
      );
    }
    const bytes = Number(length);
    if (bytes > this.maxString) {
      this.problems.add(
        "limit-exceeded",
        `${path}: string of ${bytes} bytes is over the ${this.maxString}-byte limit and was not read`,
        { offset, path },
      );
      this.cursor.skip(bytes);
      return null;
    }
    await this.require(bytes, path);
    return this.decoder.decode(this.cursor.bytes(bytes));
  }

  private readLength(): bigint {
    return this.lengthBytes === 4 ? BigInt(this.cursor.u32()) : this.cursor.u64();
  }

  private async require(length: number, path: string): Promise<void> {
    if (!(await this.cursor.need(length))) {
      this.problems.stop("truncated", `the file ends inside ${path}`, { offset: this.cursor.position, path });
    }
  }
}

/** Keys llama.cpp reads a chat template from (the default one and named ones). */
function isChatTemplateKey(key: string): boolean {
  return key === "tokenizer.chat_template" || key.startsWith("tokenizer.chat_template.");
}
