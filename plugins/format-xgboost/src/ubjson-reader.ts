/**
 * A bounded UBJSON (draft 12) reader, enough for XGBoost `.ubj` models: Z N T F i U I l L d D C S H
 * and `[`/`{` containers, with the optimized `$` type / `#` count forms. Every length and count is
 * checked against the bytes that remain before anything is allocated; nesting and the total number
 * of decoded values are bounded. Optimized numeric arrays decode to typed arrays (compact).
 */

export type UbjsonValue =
  | null
  | boolean
  | number
  | string
  | UbjsonValue[]
  | Int8Array
  | Uint8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array
  | { [key: string]: UbjsonValue };

export type UbjsonProblemKind = "truncated" | "malformed" | "limit-exceeded";

export class UbjsonProblem extends Error {
  constructor(
    readonly kind: UbjsonProblemKind,
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "UbjsonProblem";
  }
}

export interface UbjsonLimits {
  maxDepth: number;
  /** Total values decoded (container elements included), across the whole document. */
  maxValues: number;
  /** Largest element count accepted for a typed container of zero-byte elements (`$Z`, `$T`, `$F`). */
  maxZeroSizeElements: number;
}

export const DEFAULT_UBJSON_LIMITS: UbjsonLimits = {
  maxDepth: 64,
  maxValues: 50_000_000,
  maxZeroSizeElements: 1_000_000,
};

const FIXED_SIZES: Record<string, number> = { i: 1, U: 1, I: 2, l: 4, L: 8, d: 4, D: 8, C: 1, Z: 0, T: 0, F: 0 };

const utf8 = new TextDecoder("utf-8", { fatal: true });

export interface UbjsonDocument {
  value: UbjsonValue;
  /** Offset just past the first complete value; bytes after it are trailing data. */
  end: number;
}

/** Reads the first UBJSON value in `bytes`. Throws UbjsonProblem on anything out of bounds. */
export function readUbjson(
  bytes: Uint8Array,
  limits: UbjsonLimits = DEFAULT_UBJSON_LIMITS,
  checkDeadline: () => void = () => undefined,
): UbjsonDocument {
  const reader = new UbjsonReader(bytes, limits, checkDeadline);
  const value = reader.readValue(0);
  return { value, end: reader.offset };
}

class UbjsonReader {
  offset = 0;
  private values = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: UbjsonLimits,
    private readonly checkDeadline: () => void,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(count: number, what: string): void {
    if (count > this.remaining) {
      throw new UbjsonProblem(
        "truncated",
        `${what} needs ${count} bytes at offset ${this.offset}, only ${this.remaining} remain`,
        this.offset,
      );
    }
  }

  private count(values: number): void {
    this.values += values;
    if (this.values > this.limits.maxValues) {
      throw new UbjsonProblem("limit-exceeded", `more than ${this.limits.maxValues} UBJSON values`, this.offset);
    }
    if ((this.values & 0xffff) === 0) this.checkDeadline();
  }

  private readMarker(): string {
    this.need(1, "a type marker");
    const marker = String.fromCharCode(this.bytes[this.offset]!);
    this.offset++;
    return marker;
  }

  /** Reads a value, skipping no-op markers first. */
  readValue(depth: number): UbjsonValue {
    let marker = this.readMarker();
    while (marker === "N") marker = this.readMarker();
    return this.readTyped(marker, depth);
  }

  private readTyped(marker: string, depth: number): UbjsonValue {
    this.count(1);
    switch (marker) {
      case "Z":
        return null;
      case "T":
        return true;
      case "F":
        return false;
      case "i":
      case "U":
      case "I":
      case "l":
      case "L":
      case "d":
      case "D":
        return this.readNumber(marker);
      case "C": {
        this.need(1, "a char");
        return String.fromCharCode(this.bytes[this.offset++]!);
      }
      case "S":
      case "H":
        return this.readString(marker === "S" ? "a string" : "a high-precision number");
      case "[":
        return this.readArray(depth + 1);
      case "{":
        return this.readObject(depth + 1);
      default:
        throw new UbjsonProblem(
          "malformed",
          `unknown UBJSON type marker 0x${marker.charCodeAt(0).toString(16).padStart(2, "0")} at offset ${this.offset - 1}`,
          this.offset - 1,
        );
    }
  }

  private readNumber(marker: string): number {
    const size = FIXED_SIZES[marker]!;
    this.need(size, `a ${marker} number`);
    const at = this.offset;
    this.offset += size;
    switch (marker) {
      case "i":
        return this.view.getInt8(at);
      case "U":
        return this.view.getUint8(at);
      case "I":
        return this.view.getInt16(at);
      case "l":
        return this.view.getInt32(at);
      case "L":
        return Number(this.view.getBigInt64(at));
      case "d":
        return this.view.getFloat32(at);
      default:
        return this.view.getFloat64(at);
    }
  }

  /** A length or count: an integer type marker then the integer; never negative, never past the data. */
  private readLength(what: string): number {
    const marker = this.readMarker();
    if (!"iUIlL".includes(marker)) {
      throw new UbjsonProblem("malformed", `${what} length has non-integer type marker '${marker}'`, this.offset - 1);
    }
    if (marker === "L") {
      this.need(8, `${what} length`);
      const wide = this.view.getBigInt64(this.offset);
      if (wide > BigInt(this.remaining)) {
        throw new UbjsonProblem(
          "truncated",
          `${what} length ${wide} exceeds the ${this.remaining - 8} bytes that remain`,
          this.offset,
        );
      }
    }
    const value = this.readNumber(marker);
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new UbjsonProblem("malformed", `${what} length ${value} is negative or too large`, this.offset);
    }
    return value;
  }

  private readString(what: string): string {
    const length = this.readLength(what);
    this.need(length, what);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    try {
      return utf8.decode(slice);
    } catch {
      throw new UbjsonProblem("malformed", `${what} at offset ${this.offset - length} is not valid UTF-8`, this.offset);
    }
  }

  /** Parses the optional `$type` and `#count` header of a container. */
  private readContainerHeader(what: string): { type: string | null; count: number | null } {
    let type: string | null = null;
    let count: number | null = null;
    if (this.remaining > 0 && this.bytes[this.offset] === 0x24 /* $ */) {
      this.offset++;
      type = this.readMarker();
      if (!(type in FIXED_SIZES) && !"SH[{".includes(type)) {
        throw new UbjsonProblem("malformed", `${what} has invalid element type '${type}'`, this.offset - 1);
      }
      if (this.remaining === 0 || this.bytes[this.offset] !== 0x23 /* # */) {
        throw new UbjsonProblem("malformed", `${what} has a $ type without a # count`, this.offset);
      }
    }
    if (this.remaining > 0 && this.bytes[this.offset] === 0x23 /* # */) {
      this.offset++;
      count = this.readLength(`${what} count`);
      // Every element needs at least its fixed size (1 byte for markers, strings and containers).
      const minimum = type === null ? 1 : (FIXED_SIZES[type] ?? 1);
      if (minimum === 0) {
        if (count > this.limits.maxZeroSizeElements) {
          throw new UbjsonProblem("limit-exceeded", `${what} claims ${count} zero-byte elements`, this.offset);
        }
      } else if (count * minimum > this.remaining) {
        throw new UbjsonProblem(
          "truncated",
          `${what} claims ${count} elements (at least ${count * minimum} bytes) but only ${this.remaining} bytes remain`,
          this.offset,
        );
      }
    }
    return { type, count };
  }

  private readArray(depth: number): UbjsonValue {
    if (depth > this.limits.maxDepth) {
      throw new UbjsonProblem("limit-exceeded", `UBJSON nested deeper than ${this.limits.maxDepth}`, this.offset);
    }
    const { type, count } = this.readContainerHeader("array");
    if (type !== null && count !== null) {
      const typed = this.readTypedNumbers(type, count);
      if (typed) return typed;
      const items: UbjsonValue[] = [];
      for (let index = 0; index < count; index++) items.push(this.readTyped(type, depth));
      return items;
    }
    const items: UbjsonValue[] = [];
    if (count !== null) {
      for (let index = 0; index < count; index++) items.push(this.readValue(depth));
      return items;
    }
    for (;;) {
      this.need(1, "an array element or ']'");
      const next = this.bytes[this.offset];
      if (next === 0x5d /* ] */) {
        this.offset++;
        return items;
      }
      items.push(this.readValue(depth));
    }
  }

  /** Optimized numeric arrays become typed arrays; values are big-endian in UBJSON. */
  private readTypedNumbers(type: string, count: number): UbjsonValue | null {
    const size = FIXED_SIZES[type];
    if (size === undefined || size === 0 || type === "C" || type === "L") return null;
    this.count(count);
    const at = this.offset;
    this.offset += size * count;
    const view = this.view;
    switch (type) {
      case "i":
        return new Int8Array(this.bytes.slice(at, at + count).buffer);
      case "U":
        return this.bytes.slice(at, at + count);
      case "I": {
        const out = new Int16Array(count);
        for (let index = 0; index < count; index++) out[index] = view.getInt16(at + index * 2);
        return out;
      }
      case "l": {
        const out = new Int32Array(count);
        for (let index = 0; index < count; index++) out[index] = view.getInt32(at + index * 4);
        return out;
      }
      case "d": {
        const out = new Float32Array(count);
        for (let index = 0; index < count; index++) out[index] = view.getFloat32(at + index * 4);
        return out;
      }
      default: {
        const out = new Float64Array(count);
        for (let index = 0; index < count; index++) out[index] = view.getFloat64(at + index * 8);
        return out;
      }
    }
  }

  private readObject(depth: number): UbjsonValue {
    if (depth > this.limits.maxDepth) {
      throw new UbjsonProblem("limit-exceeded", `UBJSON nested deeper than ${this.limits.maxDepth}`, this.offset);
    }
    const { type, count } = this.readContainerHeader("object");
    // Null prototype: keys such as "__proto__" stay plain data.
    const object: { [key: string]: UbjsonValue } = Object.create(null);
    const readEntry = () => {
      const key = this.readString("an object key");
      const value = type !== null ? this.readTyped(type, depth) : this.readValue(depth);
      object[key] = value;
    };
    if (count !== null) {
      for (let index = 0; index < count; index++) readEntry();
      return object;
    }
    for (;;) {
      this.need(1, "an object key or '}'");
      const next = this.bytes[this.offset];
      if (next === 0x7d /* } */) {
        this.offset++;
        return object;
      }
      if (next === 0x4e /* N */) {
        this.offset++;
        continue;
      }
      readEntry();
    }
  }
}
