import { MAX_FOLDED_STRING } from "./python-string.js";

/**
 * What the analysis knows about an expression without running it: a folded constant, a dotted
 * reference to a module member, or nothing. Bounded: strings past MAX_FOLDED_STRING and sequences
 * past MAX_SEQUENCE_ITEMS are unknown.
 */
export type Value =
  /** `folded`: built by an operation (concatenation, join, chr, ...); `decoded`: by a decoder (base64, hex, ...). */
  | { kind: "string"; value: string; folded: boolean; decoded: boolean }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  /**
   * A dotted name: `os.system`, `builtins.open`, `pathlib.Path()` (a call result). `obfuscated` when
   * reached through getattr/__import__/subscripts with computed strings; `hint` carries path text
   * for pathlib objects; `free` when the first name was never bound (a global or a TorchScript name).
   */
  | { kind: "ref"; name: string; obfuscated: boolean; free: boolean; hint?: string }
  /** A method looked up on a constant (`"".join`, `"x".decode`). */
  | { kind: "method"; receiver: Value; name: string }
  | { kind: "sequence"; items: Value[] }
  /** Bytes produced by a decoder the analysis could not fold (zlib, non-text base64). */
  | { kind: "decoded"; decoder: string }
  /** A name bound locally to something the analysis does not track (parameter, def, class). */
  | { kind: "local" }
  | { kind: "unknown" };

export const MAX_SEQUENCE_ITEMS = 256;
export const UNKNOWN: Value = { kind: "unknown" };
export const LOCAL: Value = { kind: "local" };

export function stringValue(value: string, folded: boolean, decoded = false): Value {
  if (value.length > MAX_FOLDED_STRING) return UNKNOWN;
  return { kind: "string", value, folded, decoded };
}

export function ref(name: string, obfuscated = false, free = false, hint?: string): Value {
  if (name.length > 512) return UNKNOWN;
  return hint === undefined ? { kind: "ref", name, obfuscated, free } : { kind: "ref", name, obfuscated, free, hint };
}

export function asString(value: Value | undefined): string | undefined {
  return value?.kind === "string" ? value.value : undefined;
}

/** True when any part of a string came from an operation rather than one literal (evidence of hiding). */
export function isBuilt(value: Value | undefined): boolean {
  return value?.kind === "string" && (value.folded || value.decoded);
}

export function concatenate(left: Value, right: Value): Value {
  if (left.kind === "string" && right.kind === "string") {
    return stringValue(left.value + right.value, true, left.decoded || right.decoded);
  }
  if (left.kind === "sequence" && right.kind === "sequence") {
    const items = [...left.items, ...right.items];
    return items.length > MAX_SEQUENCE_ITEMS ? UNKNOWN : { kind: "sequence", items };
  }
  return UNKNOWN;
}

export function repeat(text: Value, count: Value): Value {
  const [string, times] = text.kind === "string" ? [text, count] : [count, text];
  if (string.kind !== "string" || times.kind !== "number") return UNKNOWN;
  if (!Number.isInteger(times.value) || times.value < 0) return UNKNOWN;
  if (string.value.length * times.value > MAX_FOLDED_STRING) return UNKNOWN;
  return stringValue(string.value.repeat(times.value), true, string.decoded);
}

/** `"%s%s" % ("o", "s")`: only `%s`/`%c`/`%d` with constant arguments. */
export function percentFormat(template: Value, argument: Value): Value {
  if (template.kind !== "string") return UNKNOWN;
  const items = argument.kind === "sequence" ? argument.items : [argument];
  let index = 0;
  let failed = false;
  const result = template.value.replace(/%([scdr%])/g, (_match, conversion: string) => {
    if (conversion === "%") return "%";
    const item = items[index++];
    if (conversion === "c" && item?.kind === "number") return String.fromCodePoint(clampCode(item.value));
    if (item?.kind === "string" || item?.kind === "number") return String(item.value);
    failed = true;
    return "";
  });
  return failed ? UNKNOWN : stringValue(result, true, template.decoded);
}

/** `"{}{}".format("o", "s")` and `"{0}{1}"`: positional fields with constant arguments only. */
export function braceFormat(template: Value, positional: readonly Value[]): Value {
  if (template.kind !== "string") return UNKNOWN;
  let index = 0;
  let failed = false;
  const result = template.value.replace(/\{(\d*)\}/g, (_match, position: string) => {
    const item = positional[position === "" ? index++ : Number(position)];
    if (item?.kind === "string" || item?.kind === "number") return String(item.value);
    failed = true;
    return "";
  });
  return failed ? UNKNOWN : stringValue(result, true);
}

export function join(separator: Value, items: Value): Value {
  if (separator.kind !== "string") return UNKNOWN;
  if (items.kind === "string") return stringValue([...items.value].join(separator.value), true, items.decoded);
  if (items.kind !== "sequence") return UNKNOWN;
  const parts: string[] = [];
  for (const item of items.items) {
    if (item.kind !== "string") return UNKNOWN;
    parts.push(item.value);
  }
  return stringValue(parts.join(separator.value), true);
}

export function clampCode(value: number): number {
  return Number.isInteger(value) && value >= 0 && value <= 0x10ffff ? value : 0xfffd;
}

/** Subscript of a constant: `"metsys"[::-1]`, `"abc"[1]`, `[a, b][0]`. */
export function subscript(target: Value, index: Value, slice: { step?: number } | undefined): Value {
  if (target.kind === "string") {
    if (slice) {
      if (slice.step === -1) return stringValue([...target.value].reverse().join(""), true, target.decoded);
      return UNKNOWN;
    }
    if (index.kind === "number") {
      const characters = [...target.value];
      const at = index.value < 0 ? characters.length + index.value : index.value;
      const character = characters[at];
      return character === undefined ? UNKNOWN : stringValue(character, true, target.decoded);
    }
    return UNKNOWN;
  }
  if (target.kind === "sequence" && index.kind === "number" && !slice) {
    const at = index.value < 0 ? target.items.length + index.value : index.value;
    return target.items[at] ?? UNKNOWN;
  }
  return UNKNOWN;
}

/** Latin-1 text of decoded bytes when it is printable, else undefined (the caller keeps a marker). */
export function printableText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || bytes.length > MAX_FOLDED_STRING) return undefined;
  let text = "";
  for (const byte of bytes) {
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) return undefined;
    text += String.fromCharCode(byte);
  }
  return text;
}

const BASE64 = /^[A-Za-z0-9+/_\-\s]*={0,2}\s*$/;

/** Folds a decoder applied to a constant (`base64.b64decode("b3M=")`): the text, or a marker. */
export function decode(decoder: string, input: Value): Value {
  if (input.kind !== "string") return { kind: "decoded", decoder };
  let bytes: Uint8Array | undefined;
  if (/b64decode|decodebytes|decodestring|a2b_base64|base64/.test(decoder) && BASE64.test(input.value)) {
    bytes = Buffer.from(input.value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  } else if (/fromhex|unhexlify|a2b_hex|b16decode|hex/.test(decoder) && /^[0-9a-fA-F\s]*$/.test(input.value)) {
    bytes = Buffer.from(input.value.replace(/\s/g, ""), "hex");
  } else if (/rot13|rot_13/.test(decoder)) {
    return stringValue(
      input.value.replace(/[a-zA-Z]/g, (character) => {
        const base = character <= "Z" ? 65 : 97;
        return String.fromCharCode(((character.charCodeAt(0) - base + 13) % 26) + base);
      }),
      true,
      true,
    );
  }
  const text = bytes ? printableText(bytes) : undefined;
  return text === undefined ? { kind: "decoded", decoder } : stringValue(text, true, true);
}
