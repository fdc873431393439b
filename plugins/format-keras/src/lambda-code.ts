import type { CodeFact } from "@modelaudit/core";
import { collectNames, summarizeCode } from "./code-summary.js";
import { MarshalError, readMarshalCode } from "./marshal-reader.js";

/** Lambda bytecode is a few KiB; anything past this is not a real Lambda. */
export const MAX_LAMBDA_BASE64 = 16 * 1024 * 1024;

/** marshal's type byte of a code object (`TYPE_CODE`), with or without FLAG_REF. */
const TYPE_CODE = 0x63;
const FLAG_REF = 0x80;

/**
 * - `bytecode`: the string is a marshalled code object: the code fact says what it runs.
 * - `not-code`: the bytes func_load hands marshal.loads cannot be a code object, so Keras fails before
 *   anything runs; the string is what its author wrote (Python source text, a command) and is judged as text.
 * - `undecodable`: the bytes start like a code object the reader could not decode: the caller fails closed.
 */
export type LambdaDecoding =
  | { kind: "bytecode"; fact: CodeFact }
  | { kind: "not-code"; reason: string }
  | { kind: "undecodable"; reason: string };

/**
 * Reads a Lambda's code the way Keras' `func_load` (Keras 2 and 3 alike) does, never running it:
 *
 *     try: raw_code = codecs.decode(code.encode("ascii"), "base64")
 *     except (UnicodeEncodeError, binascii.Error): raw_code = code.encode("raw_unicode_escape")
 *     code = marshal.loads(raw_code)
 *
 * The base64 step is binascii's lenient one (characters outside the alphabet are skipped), so bytecode
 * sprinkled with other characters, or given as raw bytes, still loads: both are decoded here too.
 */
export function decodeLambda(encoded: string, path: string): LambdaDecoding {
  if (encoded.length > MAX_LAMBDA_BASE64) {
    return {
      kind: "undecodable",
      reason: `bytecode is ${encoded.length} characters, over the ${MAX_LAMBDA_BASE64} bound`,
    };
  }
  const bytes = funcLoadBytes(encoded);
  if (bytes.length === 0 || (bytes[0]! & ~FLAG_REF) !== TYPE_CODE) {
    return { kind: "not-code", reason: "func_load would not find a marshalled code object in it" };
  }
  try {
    const { code, trailing } = readMarshalCode(bytes);
    let text = summarizeCode(code);
    if (trailing > 0) text += `\n(${trailing} bytes after the code object)`;
    return {
      kind: "bytecode",
      fact: { kind: "code", language: "python-bytecode", text, names: collectNames(code), location: { path } },
    };
  } catch (error) {
    if (error instanceof MarshalError)
      return { kind: "undecodable", reason: `marshal data could not be decoded: ${error.message}` };
    throw error;
  }
}

/** The bytes `func_load` passes to marshal.loads. */
export function funcLoadBytes(code: string): Uint8Array {
  // code.encode("ascii") raises on anything past U+007F, and so goes to the raw fallback.
  const decoded = /^[\x00-\x7f]*$/.test(code) ? lenientBase64(code) : undefined;
  return decoded ?? rawUnicodeEscape(code);
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Uint8Array(128).fill(255);
for (const [index, character] of [...BASE64_ALPHABET].entries()) BASE64_VALUE[character.charCodeAt(0)] = index;

/**
 * CPython's `binascii.a2b_base64` in its default (non-strict) mode: characters outside the alphabet are
 * skipped, a completed pad ends the input, and a dangling partial quantum is an error (undefined here).
 */
export function lenientBase64(text: string): Uint8Array | undefined {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let length = 0;
  let quad = 0;
  let leftover = 0;
  let pads = 0;
  for (let index = 0; index < text.length; index++) {
    const character = text.charCodeAt(index);
    if (character === 0x3d) {
      // '=': once it completes a quantum, nothing after it is read (pads only count after two characters).
      if (quad >= 2 && quad + ++pads >= 4) return out.subarray(0, length);
      continue;
    }
    const value = BASE64_VALUE[character] ?? 255;
    if (value >= 64) continue;
    pads = 0;
    if (quad === 0) {
      leftover = value;
    } else if (quad === 1) {
      out[length++] = (leftover << 2) | (value >> 4);
      leftover = value & 0x0f;
    } else if (quad === 2) {
      out[length++] = ((leftover << 4) | (value >> 2)) & 0xff;
      leftover = value & 0x03;
    } else {
      out[length++] = ((leftover << 6) | value) & 0xff;
    }
    quad = (quad + 1) % 4;
  }
  return quad === 0 ? out.subarray(0, length) : undefined;
}

/** Python's `str.encode("raw_unicode_escape")`: Latin-1 bytes, `\uXXXX`/`\UXXXXXXXX` for the rest. */
export function rawUnicodeEscape(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const character of text) {
    const point = character.codePointAt(0)!;
    if (point < 0x100) {
      bytes.push(point);
      continue;
    }
    const escaped =
      point < 0x10000 ? `\\u${point.toString(16).padStart(4, "0")}` : `\\U${point.toString(16).padStart(8, "0")}`;
    for (const ascii of escaped) bytes.push(ascii.charCodeAt(0));
  }
  return Uint8Array.from(bytes);
}
