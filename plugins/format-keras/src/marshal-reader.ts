/**
 * A bounded reader for CPython's marshal format (Python/marshal.c), enough to read the code objects
 * Keras stores for Lambda layers. It builds plain data and never executes anything. Every length is
 * checked against the bytes that exist; nesting, object count and integer size are capped.
 */

export class MarshalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MarshalError";
  }
}

/**
 * The code object layouts marshal has used: fields differ by version, and the data carries no version
 * number, so the reader tries each layout and keeps the one the bytes fit.
 */
export type CodeLayout = "3.11+" | "3.8-3.10" | "3.0-3.7";
export const CODE_LAYOUTS: readonly CodeLayout[] = ["3.11+", "3.8-3.10", "3.0-3.7"];

export interface CodeObject {
  layout: CodeLayout;
  argcount: number;
  posonlyargcount: number;
  kwonlyargcount: number;
  stacksize: number;
  flags: number;
  code: Uint8Array;
  consts: MarshalValue[];
  names: string[];
  /** co_varnames (before 3.11) or co_localsplusnames (3.11+). */
  varnames: string[];
  freevars: string[];
  cellvars: string[];
  filename: string;
  name: string;
  /** 3.11+ only. */
  qualname?: string;
  firstlineno: number;
}

export type MarshalValue =
  | { kind: "none" }
  | { kind: "null" }
  | { kind: "ellipsis" }
  | { kind: "stop-iteration" }
  | { kind: "bool"; value: boolean }
  | { kind: "int"; value: bigint }
  | { kind: "float"; value: number }
  | { kind: "complex"; real: number; imag: number }
  | { kind: "bytes"; value: Uint8Array }
  | { kind: "str"; value: string }
  | { kind: "tuple" | "list" | "set" | "frozenset"; items: MarshalValue[] }
  | { kind: "dict"; entries: [MarshalValue, MarshalValue][] }
  | { kind: "slice"; start: MarshalValue; stop: MarshalValue; step: MarshalValue }
  | { kind: "code"; code: CodeObject };

export interface MarshalLimits {
  /** Deepest container nesting (CPython allows 2000; real lambdas stay far below). */
  maxDepth: number;
  /** Most objects in one stream. */
  maxObjects: number;
  /** Most 15-bit digits in one integer. */
  maxLongDigits: number;
}

export const DEFAULT_MARSHAL_LIMITS: MarshalLimits = { maxDepth: 100, maxObjects: 200_000, maxLongDigits: 4096 };

const FLAG_REF = 0x80;
const UNFILLED: unique symbol = Symbol("unfilled reference");

const utf8 = new TextDecoder("utf-8");
const latin1 = new TextDecoder("latin1");

const TYPE_NAMES: Record<string, string> = {
  "0": "NULL",
  N: "None",
  F: "False",
  T: "True",
  S: "StopIteration",
  ".": "Ellipsis",
  i: "int",
  I: "int64",
  l: "long",
  f: "float",
  g: "binary float",
  x: "complex",
  y: "binary complex",
  s: "bytes",
  t: "interned str",
  u: "str",
  a: "ascii",
  A: "interned ascii",
  z: "short ascii",
  Z: "interned short ascii",
  r: "reference",
  "(": "tuple",
  ")": "small tuple",
  "[": "list",
  "{": "dict",
  "<": "set",
  ">": "frozenset",
  c: "code",
  ":": "slice",
};

/** Describes a type byte for error messages. */
export function describeTypeByte(byte: number): string {
  const char = String.fromCharCode(byte & ~FLAG_REF);
  return `${TYPE_NAMES[char] ?? "unknown"} (0x${byte.toString(16).padStart(2, "0")})`;
}

class Reader {
  private offset = 0;
  private objects = 0;
  private readonly refs: (MarshalValue | typeof UNFILLED)[] = [];

  constructor(
    private readonly bytes: Uint8Array,
    private readonly layout: CodeLayout,
    private readonly limits: MarshalLimits,
  ) {}

  get position(): number {
    return this.offset;
  }

  private need(count: number, what: string): void {
    if (count < 0 || this.offset + count > this.bytes.length) {
      throw new MarshalError(
        `truncated ${what} at offset ${this.offset}: needs ${count} bytes, ${this.remaining()} left`,
      );
    }
  }

  private remaining(): number {
    return this.bytes.length - this.offset;
  }

  private u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.offset++]!;
  }

  private int32(what: string): number {
    this.need(4, what);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 4);
    this.offset += 4;
    return view.getInt32(0, true);
  }

  private float64(what: string): number {
    this.need(8, what);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 8);
    this.offset += 8;
    return view.getFloat64(0, true);
  }

  private take(count: number, what: string): Uint8Array {
    this.need(count, what);
    const slice = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  /** A length (int32) that must fit in the bytes left, each element taking at least `unit` bytes. */
  private length(what: string, unit = 1): number {
    const at = this.offset;
    const count = this.int32(what);
    if (count < 0 || count * unit > this.remaining()) {
      throw new MarshalError(`${what} length ${count} at offset ${at} exceeds the ${this.remaining()} bytes left`);
    }
    return count;
  }

  private textFloat(what: string): number {
    const size = this.u8(what);
    const text = latin1.decode(this.take(size, what));
    const trimmed = text.trim();
    if (/^[+-]?inf(inity)?$/i.test(trimmed)) return trimmed.startsWith("-") ? -Infinity : Infinity;
    if (/^[+-]?nan$/i.test(trimmed)) return Number.NaN;
    const value = Number(trimmed);
    if (trimmed === "" || Number.isNaN(value))
      throw new MarshalError(`${what} ${JSON.stringify(text)} is not a number`);
    return value;
  }

  read(depth = 0): MarshalValue {
    if (depth > this.limits.maxDepth) throw new MarshalError(`nesting deeper than ${this.limits.maxDepth} levels`);
    if (++this.objects > this.limits.maxObjects) throw new MarshalError(`more than ${this.limits.maxObjects} objects`);
    const at = this.offset;
    const byte = this.u8("type byte");
    const flag = (byte & FLAG_REF) !== 0;
    const type = String.fromCharCode(byte & ~FLAG_REF);
    // CPython reserves the reference slot before reading an object's children, so indices follow
    // the order type bytes appear in.
    const slot = flag ? this.refs.push(UNFILLED) - 1 : -1;
    const value = this.readBody(type, byte, at, depth);
    if (slot >= 0) this.refs[slot] = value;
    return value;
  }

  private readBody(type: string, byte: number, at: number, depth: number): MarshalValue {
    switch (type) {
      case "0":
        return { kind: "null" };
      case "N":
        return { kind: "none" };
      case "F":
        return { kind: "bool", value: false };
      case "T":
        return { kind: "bool", value: true };
      case "S":
        return { kind: "stop-iteration" };
      case ".":
        return { kind: "ellipsis" };
      case "i":
        return { kind: "int", value: BigInt(this.int32("int")) };
      case "I": {
        const low = BigInt(this.int32("int64 low") >>> 0);
        const high = BigInt(this.int32("int64 high"));
        return { kind: "int", value: (high << 32n) | low };
      }
      case "l":
        return { kind: "int", value: this.readLong() };
      case "f":
        return { kind: "float", value: this.textFloat("float") };
      case "g":
        return { kind: "float", value: this.float64("binary float") };
      case "x":
        return { kind: "complex", real: this.textFloat("complex real"), imag: this.textFloat("complex imag") };
      case "y":
        return { kind: "complex", real: this.float64("complex real"), imag: this.float64("complex imag") };
      case "s":
        return { kind: "bytes", value: this.take(this.length("bytes"), "bytes") };
      case "t":
      case "u":
        return { kind: "str", value: utf8.decode(this.take(this.length("str"), "str")) };
      case "a":
      case "A":
        return { kind: "str", value: latin1.decode(this.take(this.length("ascii"), "ascii")) };
      case "z":
      case "Z":
        return { kind: "str", value: latin1.decode(this.take(this.u8("short ascii length"), "short ascii")) };
      case "r": {
        const index = this.int32("reference index");
        const target = index >= 0 && index < this.refs.length ? this.refs[index] : undefined;
        if (target === undefined || target === UNFILLED) {
          throw new MarshalError(`invalid reference ${index} at offset ${at} (${this.refs.length} objects so far)`);
        }
        return target;
      }
      case ")":
        return { kind: "tuple", items: this.readItems(this.u8("small tuple length"), depth) };
      case "(":
        return { kind: "tuple", items: this.readItems(this.length("tuple"), depth) };
      case "[":
        return { kind: "list", items: this.readItems(this.length("list"), depth) };
      case "<":
        return { kind: "set", items: this.readItems(this.length("set"), depth) };
      case ">":
        return { kind: "frozenset", items: this.readItems(this.length("frozenset"), depth) };
      case "{": {
        const entries: [MarshalValue, MarshalValue][] = [];
        for (;;) {
          const key = this.read(depth + 1);
          if (key.kind === "null") break;
          entries.push([key, this.read(depth + 1)]);
        }
        return { kind: "dict", entries };
      }
      case ":":
        return {
          kind: "slice",
          start: this.read(depth + 1),
          stop: this.read(depth + 1),
          step: this.read(depth + 1),
        };
      case "c":
        return { kind: "code", code: this.readCode(depth) };
      default:
        throw new MarshalError(`unknown type ${describeTypeByte(byte)} at offset ${at}`);
    }
  }

  private readItems(count: number, depth: number): MarshalValue[] {
    if (count > this.remaining()) throw new MarshalError(`container of ${count} items exceeds the bytes left`);
    const items: MarshalValue[] = [];
    for (let index = 0; index < count; index++) items.push(this.read(depth + 1));
    return items;
  }

  /** Arbitrary-precision int: signed digit count, then 15-bit digits, least significant first. */
  private readLong(): bigint {
    const at = this.offset;
    const signed = this.int32("long size");
    const size = Math.abs(signed);
    if (size > this.limits.maxLongDigits) throw new MarshalError(`long of ${size} digits exceeds the bound`);
    if (size * 2 > this.remaining()) throw new MarshalError(`long of ${size} digits at offset ${at} is truncated`);
    let value = 0n;
    for (let index = 0; index < size; index++) {
      const digit = this.bytes[this.offset]! | (this.bytes[this.offset + 1]! << 8);
      this.offset += 2;
      if (digit >= 1 << 15) throw new MarshalError(`bad long digit at offset ${this.offset - 2}`);
      if (index === size - 1 && digit === 0) throw new MarshalError(`unnormalized long at offset ${at}`);
      value |= BigInt(digit) << BigInt(15 * index);
    }
    return signed < 0 ? -value : value;
  }

  private readCode(depth: number): CodeObject {
    const int = (what: string) => this.int32(`code ${what}`);
    const argcount = int("argcount");
    const posonlyargcount = this.layout === "3.0-3.7" ? 0 : int("posonlyargcount");
    const kwonlyargcount = int("kwonlyargcount");
    if (this.layout !== "3.11+") int("nlocals");
    const stacksize = int("stacksize");
    const flags = int("flags");
    const code = this.expectBytes(this.read(depth + 1), "co_code");
    const consts = this.expectTuple(this.read(depth + 1), "co_consts");
    const names = this.expectStrings(this.read(depth + 1), "co_names");
    let varnames: string[];
    let freevars: string[] = [];
    let cellvars: string[] = [];
    if (this.layout === "3.11+") {
      varnames = this.expectStrings(this.read(depth + 1), "co_localsplusnames");
      this.expectBytes(this.read(depth + 1), "co_localspluskinds");
    } else {
      varnames = this.expectStrings(this.read(depth + 1), "co_varnames");
      freevars = this.expectStrings(this.read(depth + 1), "co_freevars");
      cellvars = this.expectStrings(this.read(depth + 1), "co_cellvars");
    }
    const filename = this.expectString(this.read(depth + 1), "co_filename");
    const name = this.expectString(this.read(depth + 1), "co_name");
    const qualname = this.layout === "3.11+" ? this.expectString(this.read(depth + 1), "co_qualname") : undefined;
    const firstlineno = int("firstlineno");
    this.expectBytes(this.read(depth + 1), this.layout === "3.11+" ? "co_linetable" : "co_lnotab");
    if (this.layout === "3.11+") this.expectBytes(this.read(depth + 1), "co_exceptiontable");
    const object: CodeObject = {
      layout: this.layout,
      argcount,
      posonlyargcount,
      kwonlyargcount,
      stacksize,
      flags,
      code,
      consts,
      names,
      varnames,
      freevars,
      cellvars,
      filename,
      name,
      firstlineno,
    };
    if (qualname !== undefined) object.qualname = qualname;
    return object;
  }

  private expectBytes(value: MarshalValue, field: string): Uint8Array {
    if (value.kind !== "bytes") throw new MarshalError(`${field} is ${value.kind}, expected bytes`);
    return value.value;
  }

  private expectTuple(value: MarshalValue, field: string): MarshalValue[] {
    if (value.kind !== "tuple") throw new MarshalError(`${field} is ${value.kind}, expected a tuple`);
    return value.items;
  }

  private expectString(value: MarshalValue, field: string): string {
    if (value.kind !== "str") throw new MarshalError(`${field} is ${value.kind}, expected str`);
    return value.value;
  }

  private expectStrings(value: MarshalValue, field: string): string[] {
    return this.expectTuple(value, field).map((item) => this.expectString(item, `${field} item`));
  }
}

export interface MarshalResult {
  value: MarshalValue;
  /** Bytes after the object (marshal.loads ignores them). */
  trailing: number;
}

/** Reads one marshalled object with a given code layout. */
export function readMarshal(
  bytes: Uint8Array,
  layout: CodeLayout,
  limits: MarshalLimits = DEFAULT_MARSHAL_LIMITS,
): MarshalResult {
  const reader = new Reader(bytes, layout, limits);
  const value = reader.read();
  return { value, trailing: bytes.length - reader.position };
}

export interface CodeResult {
  code: CodeObject;
  trailing: number;
}

/**
 * Reads a marshalled code object, trying each CPython layout; the first the bytes fit completely
 * wins. Throws a MarshalError naming every layout's failure when none fits.
 */
export function readMarshalCode(bytes: Uint8Array, limits: MarshalLimits = DEFAULT_MARSHAL_LIMITS): CodeResult {
  if (bytes.length === 0) throw new MarshalError("empty marshal data");
  if ((bytes[0]! & ~FLAG_REF) !== 0x63) {
    throw new MarshalError(`not a code object: starts with ${describeTypeByte(bytes[0]!)}`);
  }
  const failures: string[] = [];
  for (const layout of CODE_LAYOUTS) {
    try {
      const { value, trailing } = readMarshal(bytes, layout, limits);
      if (value.kind === "code") return { code: value.code, trailing };
    } catch (error) {
      if (!(error instanceof MarshalError)) throw error;
      failures.push(`${layout}: ${error.message}`);
    }
  }
  throw new MarshalError(`no CPython code layout fits (${failures.join("; ")})`);
}
