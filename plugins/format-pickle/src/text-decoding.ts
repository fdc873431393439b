/** Decoders for pickle string arguments and protocol-0 text lines. Bounded: output is truncated to `maxChars`. */

const utf8 = new TextDecoder("utf-8");

/** UTF-8 decode of data[start, start+length), keeping at most about `maxChars` characters. */
export function decodeUtf8(data: Uint8Array, start: number, length: number, maxChars: number): string {
  const end = start + Math.min(length, maxChars * 4);
  // Short ASCII strings dominate real pickles; building them directly beats TextDecoder's call cost.
  if (end - start <= 24) {
    let text = "";
    let index = start;
    for (; index < end; index++) {
      const byte = data[index] as number;
      if (byte > 0x7f) break;
      text += String.fromCharCode(byte);
    }
    if (index === end) return text;
  }
  const text = utf8.decode(data.subarray(start, end));
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}

/** Latin-1 decode (Python 2 `str` pickled as STRING/BINSTRING), truncated to `maxChars`. */
export function decodeLatin1(data: Uint8Array, start: number, length: number, maxChars: number): string {
  const end = start + Math.min(length, maxChars);
  let text = "";
  for (let index = start; index < end; index += 8192) {
    text += String.fromCharCode.apply(null, data.subarray(index, Math.min(end, index + 8192)) as unknown as number[]);
  }
  return text;
}

const INTEGER_PATTERN = /^\s*([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)[lL]?\s*$/;

/**
 * Parses a protocol-0 INT/LONG line the way Python's `int(text, 0)` mostly does (decimal, 0x, 0o,
 * 0b, underscores, a trailing `L` for Python 2 longs). Null when it is not an integer.
 */
export function parseIntegerLine(text: string): bigint | null {
  const match = INTEGER_PATTERN.exec(text);
  if (!match) return null;
  const digits = (match[2] as string).replace(/_/g, "");
  if (digits.length === 0 || digits.length > 4300) return null;
  try {
    const value = BigInt(digits);
    return match[1] === "-" ? -value : value;
  } catch {
    return null;
  }
}

const FLOAT_PATTERN = /^\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)\s*$/i;

export function parseFloatLine(text: string): number | null {
  if (!FLOAT_PATTERN.test(text)) return null;
  const trimmed = text.trim().toLowerCase().replace(/^\+/, "");
  if (trimmed.endsWith("nan")) return Number.NaN;
  if (trimmed.endsWith("inf") || trimmed.endsWith("infinity")) {
    return trimmed.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return Number.parseFloat(trimmed);
}

const SIMPLE_ESCAPES: Record<string, number> = {
  "\\": 0x5c,
  "'": 0x27,
  '"': 0x22,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
};

/**
 * Decodes a protocol-0 STRING argument: a repr-quoted byte string (`'abc\n'`), unescaped like
 * `codecs.escape_decode`. Null when the quotes are missing or do not match (CPython refuses it).
 */
export function decodeQuotedString(line: Uint8Array, maxChars: number): string | null {
  if (line.length < 2) return null;
  const quote = line[0];
  if ((quote !== 0x27 && quote !== 0x22) || line[line.length - 1] !== quote) return null;
  const out: number[] = [];
  const end = line.length - 1;
  for (let index = 1; index < end && out.length < maxChars; index++) {
    const byte = line[index] as number;
    if (byte !== 0x5c || index + 1 >= end) {
      out.push(byte);
      continue;
    }
    const next = String.fromCharCode(line[index + 1] as number);
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out.push(simple);
      index++;
    } else if (next === "\n") {
      index++;
    } else if (next === "x") {
      const hex = String.fromCharCode(line[index + 2] ?? 0, line[index + 3] ?? 0);
      if (!/^[0-9a-fA-F]{2}$/.test(hex) || index + 3 >= end) return null; // escape_decode rejects it
      out.push(Number.parseInt(hex, 16));
      index += 3;
    } else if (next >= "0" && next <= "7") {
      let value = 0;
      let digits = 0;
      while (digits < 3 && index + 1 < end) {
        const digit = line[index + 1] as number;
        if (digit < 0x30 || digit > 0x37) break;
        value = value * 8 + (digit - 0x30);
        index++;
        digits++;
      }
      out.push(value & 0xff);
    } else {
      out.push(byte); // unknown escapes keep their backslash
    }
  }
  let text = "";
  for (let index = 0; index < out.length; index += 8192) {
    text += String.fromCharCode.apply(null, out.slice(index, index + 8192));
  }
  return text;
}

/** Decodes a protocol-0 UNICODE argument (raw-unicode-escape: Latin-1 plus \uXXXX and \UXXXXXXXX). */
export function decodeRawUnicodeEscape(line: Uint8Array, maxChars: number): string {
  let text = "";
  let backslashes = 0;
  for (let index = 0; index < line.length && text.length < maxChars; index++) {
    const byte = line[index] as number;
    if (byte === 0x5c) {
      backslashes++;
      text += "\\";
      continue;
    }
    const odd = backslashes % 2 === 1;
    backslashes = 0;
    if (odd && (byte === 0x75 || byte === 0x55)) {
      const width = byte === 0x75 ? 4 : 8;
      const hex = String.fromCharCode(...line.subarray(index + 1, index + 1 + width));
      if (hex.length === width && /^[0-9a-fA-F]+$/.test(hex)) {
        const codePoint = Number.parseInt(hex, 16);
        if (codePoint <= 0x10ffff) {
          text = text.slice(0, -1) + String.fromCodePoint(codePoint);
          index += width;
          continue;
        }
      }
    }
    text += String.fromCharCode(byte);
  }
  return text;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A dotted Python identifier (`os.path`, `__builtin__`): what a real GLOBAL names. */
export function isDottedIdentifier(text: string): boolean {
  return text.length > 0 && text.length <= 512 && IDENTIFIER.test(text);
}
