import type { ImportFact, TextFact } from "@modelaudit/core";

/**
 * Symbolic values of the static pickle machine. Containers hold references, never copies, so a
 * memo entry pushed a million times costs a million pointers, not a million deep copies.
 */

/** What a REDUCE/OBJ/INST/NEWOBJ/BUILD calls, as a CallFact callee. */
export interface Callee {
  module: string | null;
  name: string | null;
  unresolvedReason?: string;
}

export interface NoneValue {
  type: "none";
}
export interface BoolValue {
  type: "bool";
  value: boolean;
}
export interface IntValue {
  type: "int";
  /** Exact up to 2^53; NaN for integers too long to decode. */
  value: number;
  /** Exact value of LONG1/LONG4 integers wider than 6 bytes (bounded width). */
  big?: bigint;
}
export interface FloatValue {
  type: "float";
  value: number;
}
export interface StrValue {
  type: "str";
  /** Decoded text, truncated to MAX_TEXT characters. */
  text: string;
  /** Length of the encoded argument in bytes. */
  byteLength: number;
  /** The child source its latin-1 encoding is scanned as (protocol 0-2 bytes holding a pickle), if any. */
  child?: string;
  /** Its text fact, held while it may be a legacy torch class's source (see PickleMachine.persistent). */
  heldText?: TextFact;
}
export interface BytesValue {
  type: "bytes";
  /** Offset of the bytes inside the pickle buffer. */
  start: number;
  length: number;
  /** A bytearray (BYTEARRAY8): it has extend, append and item assignment. */
  mutable?: true;
  /** The child source these bytes are scanned as (they look like a pickle), when they are one. */
  child?: string;
}
export interface SequenceValue {
  type: "tuple" | "list" | "set" | "frozenset";
  items: Value[];
  /** Items seen, including those dropped past MAX_CONTAINER_ITEMS. */
  count: number;
}
export interface DictValue {
  type: "dict";
  /** Flat key, value, key, value... */
  entries: Value[];
  count: number;
}
export interface GlobalValue {
  type: "global";
  module: string | null;
  name: string | null;
  unresolvedReason?: string;
  /**
   * An import of `builtins.getattr` (or of a dill helper that only looks up, imports or applies)
   * whose fact waits for the end of the stream: used only to write bound methods (getattr with a
   * constant name, reported as the attribute reached), it is not reported as an import of getattr
   * itself; likewise a dill helper every call of which was resolved (see dill-helpers.ts), and a
   * loader of bytes every call of which loads a child source (LOADS_BYTES in pickle-machine.ts).
   */
  deferredImport?: { fact: ImportFact; resolvedUses: number; otherUses: number };
  /** The getattr global this attribute was reached through: calling the attribute is a getattr use too. */
  getattrSource?: GlobalValue;
}
/** The result of a call: an object built by REDUCE/NEWOBJ/OBJ/INST, later maybe BUILD-ed. */
export interface ObjectValue {
  type: "object";
  callee: Callee;
  via: string;
  args: Value | undefined;
  /** The class of the object when known (NEWOBJ cls, copyreg._reconstructor cls, REDUCE of a class). */
  cls: GlobalValue | undefined;
  /** `__class__` was reassigned by a BUILD slot state: `cls` is not the class whose __init__ ran. */
  reclassed?: boolean;
  state: Value | undefined;
  /**
   * Items set on the object with SETITEM(S), flat key, value, key, value... (an OrderedDict, a dict
   * subclass): kept so a torch state dict's keys can name its tensors. Capped like a dict's entries.
   */
  entries?: Value[];
  /**
   * Attributes the stream gave the object (BUILD state) under the names the unpickler looks methods
   * up by: BUILD calls `__setstate__`, APPEND(S) `extend` or `append`, ADDITEMS `add`, and an
   * instance attribute comes before the class's method.
   */
  hooks?: Map<string, Value>;
}
export interface PersistentValue {
  type: "persistent";
  pid: Value;
}
export interface UnknownValue {
  type: "unknown";
  reason: string;
}

export type Value =
  | NoneValue
  | BoolValue
  | IntValue
  | FloatValue
  | StrValue
  | BytesValue
  | SequenceValue
  | DictValue
  | GlobalValue
  | ObjectValue
  | PersistentValue
  | UnknownValue;

export const NONE: NoneValue = { type: "none" };
export const TRUE: BoolValue = { type: "bool", value: true };
export const FALSE: BoolValue = { type: "bool", value: false };

/** Containers keep at most this many items; the rest are counted, not stored. */
export const MAX_CONTAINER_ITEMS = 65_536;
/** Decoded strings are kept up to this many characters (text facts are truncated the same way). */
export const MAX_TEXT = 64 * 1024;

const SMALL_INTS: IntValue[] = Array.from({ length: 257 }, (_, index) => ({ type: "int", value: index }));

export function intValue(value: number): IntValue {
  if (value >= 0 && value <= 256 && Number.isInteger(value)) return SMALL_INTS[value] as IntValue;
  return { type: "int", value };
}

export function describeType(value: Value): string {
  switch (value.type) {
    case "object":
      return `the result of calling ${calleeLabel(value.callee)}`;
    case "global":
      return value.module !== null ? `the global ${value.module}.${value.name}` : "an unresolved global";
    case "persistent":
      return "a persistent-id reference";
    case "unknown":
      return `an unknown value (${value.reason})`;
    case "str":
      return "a str";
    case "int":
      return "an int";
    default:
      return `a ${value.type}`;
  }
}

export function calleeLabel(callee: Callee): string {
  if (callee.module === null || callee.name === null) return "an unresolved callable";
  return `${callee.module}.${callee.name}`;
}

/** Turns the stack value a call applies to into a callee; unresolved with a reason when it is not a global. */
export function calleeOf(value: Value): Callee {
  if (value.type === "global") {
    if (value.module !== null && value.name !== null) return { module: value.module, name: value.name };
    return { module: null, name: null, unresolvedReason: value.unresolvedReason ?? "unresolved global" };
  }
  if (value.type === "object") {
    return { module: null, name: null, unresolvedReason: `callee is ${describeType(value)}` };
  }
  if (value.type === "persistent") {
    return { module: null, name: null, unresolvedReason: "callee is a persistent-id value (resolved by the loader)" };
  }
  if (value.type === "unknown") {
    return { module: null, name: null, unresolvedReason: `callee is unknown: ${value.reason}` };
  }
  return { module: null, name: null, unresolvedReason: `callee is ${describeType(value)}` };
}

const MAX_ARGS = 8;
const MAX_ARG_CHARS = 80;

function truncate(text: string): string {
  return text.length <= MAX_ARG_CHARS ? text : `${text.slice(0, MAX_ARG_CHARS)}…`;
}

/** A short, bounded rendering of one value (depth-limited: containers may be cyclic). */
export function renderValue(value: Value, depth = 0): string {
  switch (value.type) {
    case "none":
      return "None";
    case "bool":
      return value.value ? "True" : "False";
    case "int":
      return value.big !== undefined
        ? value.big.toString()
        : Number.isNaN(value.value)
          ? "<long>"
          : String(value.value);
    case "float":
      return String(value.value);
    case "str":
      return JSON.stringify(truncate(value.text));
    case "bytes":
      return `<${value.length} bytes>`;
    case "global":
      return value.module !== null ? `${value.module}.${value.name}` : "<unresolved global>";
    case "object":
      return `${calleeLabel(value.callee)}(…)`;
    case "persistent":
      return "<persistent id>";
    case "unknown":
      return "<unknown>";
    case "dict":
      return depth >= 1 ? `{…${value.count}}` : `{${value.count} items}`;
    default: {
      if (depth >= 1) return `${value.type}(${value.count})`;
      const shown = value.items.slice(0, 4).map((item) => truncate(renderValue(item, depth + 1)));
      const more = value.count > shown.length ? ", …" : "";
      const inner = `${shown.join(", ")}${more}`;
      if (value.type === "list") return `[${inner}]`;
      if (value.type === "set") return `{${inner}}`;
      if (value.type === "frozenset") return `frozenset({${inner}})`;
      return `(${inner})`;
    }
  }
}

/** Renders call arguments: a tuple's items, or the single value. At most 8, each at most ~80 chars. */
export function renderArgs(value: Value | undefined): string[] {
  if (value === undefined) return [];
  const items = value.type === "tuple" ? value.items : [value];
  const count = value.type === "tuple" ? value.count : 1;
  if (count <= MAX_ARGS) return items.map((item) => truncate(renderValue(item)));
  // At most MAX_ARGS entries in all, the last one saying how many were left out.
  const rendered = items.slice(0, MAX_ARGS - 1).map((item) => truncate(renderValue(item)));
  rendered.push(`… ${count - (MAX_ARGS - 1)} more`);
  return rendered;
}

/** Looks a str key up in a dict value (joblib and torch states are small dicts with str keys). */
/** The value Python's dict ends up with for `key`: the last one set wins. */
export function dictGet(dict: Value | undefined, key: string): Value | undefined {
  if (dict === undefined || dict.type !== "dict") return undefined;
  for (let index = dict.entries.length - 2; index >= 0; index -= 2) {
    const entry = dict.entries[index] as Value;
    if (entry.type === "str" && entry.text === key) return dict.entries[index + 1];
  }
  return undefined;
}

export function isGlobal(value: Value | undefined, module: string, name: string): boolean {
  return value?.type === "global" && value.module === module && value.name === name;
}
