import { isPlausibleFirstByte, looksLikeEmbeddedPickle } from "./looks-like-pickle.js";

export type EncodedKind = "base64" | "hex";

const BASE64_VALUES = (() => {
  const table = new Int16Array(256).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (let index = 0; index < alphabet.length; index++) table[alphabet.charCodeAt(index)] = index;
  return table;
})();
const PLUS = 0x2b;
const SLASH = 0x2f;
const MINUS = 0x2d;
const UNDERSCORE = 0x5f;
const EQUALS = 0x3d;

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/** Strict hex: even length, hex digits only. Decodes at most `limit` output bytes. */
function decodeHex(text: Uint8Array, limit: number): Uint8Array | null {
  if (text.length % 2 !== 0) return null;
  const length = Math.min(text.length / 2, limit);
  const out = new Uint8Array(length);
  for (let index = 0; index < length; index++) {
    const high = hexValue(text[index * 2] as number);
    const low = hexValue(text[index * 2 + 1] as number);
    if (high < 0 || low < 0) return null;
    out[index] = (high << 4) | low;
  }
  return out;
}

/** Strict base64 (standard or URL-safe, not mixed), padded to a multiple of 4. */
function decodeBase64(text: Uint8Array, limitGroups: number): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  let padding = 0;
  if (text[text.length - 1] === EQUALS) padding++;
  if (text[text.length - 2] === EQUALS) padding++;
  const groups = text.length / 4;
  const used = Math.min(groups, limitGroups);
  const out = new Uint8Array(used * 3);
  let urlSafe: boolean | undefined;
  for (let group = 0; group < used; group++) {
    let bits = 0;
    for (let index = 0; index < 4; index++) {
      const position = group * 4 + index;
      const byte = text[position] as number;
      let value = BASE64_VALUES[byte] as number;
      if (value < 0) {
        if (byte === PLUS || byte === SLASH || byte === MINUS || byte === UNDERSCORE) {
          const safe = byte === MINUS || byte === UNDERSCORE;
          if (urlSafe === undefined) urlSafe = safe;
          else if (urlSafe !== safe) return null;
          value = byte === PLUS || byte === MINUS ? 62 : 63;
        } else if (byte === EQUALS && position >= text.length - padding) {
          value = 0;
        } else {
          return null;
        }
      }
      bits = (bits << 6) | value;
    }
    out[group * 3] = bits >> 16;
    out[group * 3 + 1] = (bits >> 8) & 0xff;
    out[group * 3 + 2] = bits & 0xff;
  }
  return used === groups ? out.subarray(0, out.length - padding) : out;
}

/**
 * A str that is base64 or hex (16+ characters, strict alphabet) of something that looks like a
 * pickle: returns the decoded bytes. The first few bytes are decoded first so ordinary strings cost
 * almost nothing.
 */
export function decodeEncodedPickle(text: Uint8Array): { kind: EncodedKind; bytes: Uint8Array } | null {
  if (text.length < 16) return null;
  // Most strings fail on their first decoded byte; check it before allocating anything.
  const first = text[0] as number;
  const second = text[1] as number;
  const hexFirst = (hexValue(first) << 4) | hexValue(second);
  const base64First = ((BASE64_VALUES[first] as number) << 2) | ((BASE64_VALUES[second] as number) >> 4);
  const hexPlausible = hexValue(first) >= 0 && hexValue(second) >= 0 && isPlausibleFirstByte(hexFirst);
  const base64Plausible =
    (BASE64_VALUES[first] as number) >= 0 &&
    (BASE64_VALUES[second] as number) >= 0 &&
    isPlausibleFirstByte(base64First & 0xff);
  if (!hexPlausible && !base64Plausible) return null;
  const hexHead = decodeHex(text.subarray(0, 8), 4);
  if (hexHead && looksLikePickleHead(hexHead)) {
    const bytes = decodeHex(text, Number.POSITIVE_INFINITY);
    if (bytes && looksLikeEmbeddedPickle(bytes)) return { kind: "hex", bytes };
  }
  const base64Head = decodeBase64(text.subarray(0, 8), 2);
  if (base64Head && looksLikePickleHead(base64Head)) {
    const bytes = decodeBase64(text, Number.POSITIVE_INFINITY);
    if (bytes && looksLikeEmbeddedPickle(bytes)) return { kind: "base64", bytes };
  }
  return null;
}

function looksLikePickleHead(head: Uint8Array): boolean {
  const first = head[0] as number;
  if (first === 0x80) return (head[1] as number) >= 2 && (head[1] as number) <= 5;
  // A cheap pre-filter on a few decoded bytes; the whole decoded value is trial-parsed next.
  return isPlausibleFirstByte(first);
}
