/**
 * JSON as Python's `json.loads` reads it, for the configs Keras loads with it:
 *
 * - bytes are decoded in the encoding `json.detect_encoding` picks: a UTF-32/UTF-16/UTF-8
 *   byte-order mark, else the pattern of zero bytes in the first four (UTF-16/32 without a BOM),
 *   else UTF-8. Keras 3 hands config.json's bytes straight to `json.loads`, so a UTF-16 config
 *   loads exactly like a UTF-8 one.
 * - `NaN`, `Infinity` and `-Infinity` are numbers (`allow_nan` is on by default for dumps and loads).
 *   JavaScript's JSON.parse refuses them, so they become `null` here: no judgement depends on them.
 */

export type PythonJsonEncoding = "utf-8" | "utf-16le" | "utf-16be" | "utf-32le" | "utf-32be";

/** The encoding `json.detect_encoding` would pick, and how many BOM bytes to skip. */
export function detectJsonEncoding(bytes: Uint8Array): { encoding: PythonJsonEncoding; bom: number } {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return { encoding: "utf-32be", bom: 4 };
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return { encoding: "utf-32le", bom: 4 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: "utf-16be", bom: 2 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: "utf-16le", bom: 2 };
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: "utf-8", bom: 3 };
  if (bytes.length >= 4) {
    if (b0 === 0) return { encoding: b1 ? "utf-16be" : "utf-32be", bom: 0 };
    if (b1 === 0) return { encoding: b2 || b3 ? "utf-16le" : "utf-32le", bom: 0 };
  } else if (bytes.length === 2) {
    if (b0 === 0) return { encoding: "utf-16be", bom: 0 };
    if (b1 === 0) return { encoding: "utf-16le", bom: 0 };
  }
  return { encoding: "utf-8", bom: 0 };
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean, fatal: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  const whole = bytes.length - (bytes.length % 4);
  if (fatal && whole !== bytes.length) throw new TypeError("truncated UTF-32 data");
  for (let offset = 0; offset < whole; offset += 4) {
    const code = view.getUint32(offset, littleEndian);
    if (code > 0x10ffff) {
      if (fatal) throw new TypeError(`code point ${code} out of range`);
      chunk.push(0xfffd);
    } else chunk.push(code);
    if (chunk.length === 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join("");
}

/**
 * Decodes JSON bytes as `json.loads(bytes)` would. `fatal` refuses bytes that do not decode (as
 * Python does); without it, bad sequences become U+FFFD (for sniffing a head that may be cut mid
 * character).
 */
export function decodePythonJson(bytes: Uint8Array, fatal: boolean): string {
  const { encoding, bom } = detectJsonEncoding(bytes);
  const body = bytes.subarray(bom);
  if (encoding === "utf-32le" || encoding === "utf-32be") return decodeUtf32(body, encoding === "utf-32le", fatal);
  return new TextDecoder(encoding, { fatal, ignoreBOM: true }).decode(body);
}

/** Replaces Python's NaN / Infinity / -Infinity literals outside strings with null. */
export function replaceNonFiniteLiterals(text: string): string {
  if (!/NaN|Infinity/.test(text)) return text;
  let out = "";
  let last = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) {
      inString = true;
      continue;
    }
    const literal = text.startsWith("NaN", index)
      ? "NaN"
      : text.startsWith("Infinity", index)
        ? "Infinity"
        : text.startsWith("-Infinity", index)
          ? "-Infinity"
          : null;
    if (literal) {
      out += `${text.slice(last, index)}null`;
      index += literal.length - 1;
      last = index + 1;
    }
  }
  return out + text.slice(last);
}
