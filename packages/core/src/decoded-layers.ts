import { gunzipSync, inflateSync } from "node:zlib";

/**
 * Decoded layers: strings hidden behind an encoding (base64, hex, percent-encoding, and gzip or zlib
 * inside them) are decoded so the detectors judge what the encoding hides. A token wrapped in base64
 * in a config value is still a token.
 *
 * Everything is bounded: how many layers deep, how long an encoded run may be, how many bytes one
 * value may decode (or inflate) to, and how many runs of one text are tried. A decoded result is kept
 * only when it is text (valid UTF-8, nearly all printable): hashes, weights and images in base64
 * decode to bytes and are dropped, so ordinary checksums add nothing.
 */

export type TextEncoding = "base64" | "hex" | "percent-encoding" | "gzip" | "zlib";

export interface DecodedText {
  text: string;
  /** The encodings peeled off, outermost first (`["base64", "gzip"]`). */
  encodings: TextEncoding[];
}

export interface DecodeLimits {
  /** Text-to-text steps (compression inside a step does not count). */
  maxDepth: number;
  /** Encoded runs tried per text. */
  maxRunsPerText: number;
  /** Longest encoded run decoded, in characters. */
  maxEncodedLength: number;
  /** Most bytes one run may decode or inflate to. */
  maxDecodedBytes: number;
  /** Most decoded texts returned for one input. */
  maxResults: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxDepth: 3,
  maxRunsPerText: 16,
  maxEncodedLength: 1024 * 1024,
  maxDecodedBytes: 256 * 1024,
  maxResults: 32,
};

/** Encoded runs shorter than this hide nothing a detector could name (the shortest secret has 8 characters). */
const MIN_ENCODED_LENGTH = 16;
const MIN_DECODED_LENGTH = 8;
const PERCENT = /%[0-9A-Fa-f]{2}/g;
/** Base64 wrapped over lines (PEM-style, `codecs.encode`): the whole value is one run. */
const WRAPPED_BASE64 = /^[A-Za-z0-9+/=\r\n]+$/;

const utf8 = new TextDecoder("utf-8");
const REPLACEMENT_BYTES = Buffer.from("\uFFFD", "utf8");

/** Every text hidden under `text`, each with its chain of encodings; empty when there is none. */
export function decodeLayers(text: string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): DecodedText[] {
  const results: DecodedText[] = [];
  const seen = new Set<string>([text]);
  peel(text, [], 0, limits, results, seen);
  return results;
}

/** A cheap test that `text` could hold an encoded run at all (most strings cannot). */
export function mayHoldEncodedText(text: string): boolean {
  if (text.length < MIN_ENCODED_LENGTH) return false;
  PERCENT.lastIndex = 0;
  if (PERCENT.test(text)) return true;
  let run = 0;
  for (let index = 0; index < text.length; index++) {
    const alphabet = isBase64Character(text.charCodeAt(index));
    run = alphabet ? run + 1 : 0;
    if (run >= MIN_ENCODED_LENGTH) return true;
  }
  return false;
}

function peel(
  text: string,
  chain: TextEncoding[],
  depth: number,
  limits: DecodeLimits,
  results: DecodedText[],
  seen: Set<string>,
): void {
  if (depth >= limits.maxDepth || results.length >= limits.maxResults || !mayHoldEncodedText(text)) return;
  for (const layer of layersOf(text, limits)) {
    if (results.length >= limits.maxResults) return;
    if (seen.has(layer.text)) continue;
    seen.add(layer.text);
    const encodings = [...chain, ...layer.encodings];
    results.push({ text: layer.text, encodings });
    peel(layer.text, encodings, depth + 1, limits, results, seen);
  }
}

/** The texts one step of decoding yields from `text`. */
function layersOf(text: string, limits: DecodeLimits): DecodedText[] {
  const found: DecodedText[] = [];
  const percent = decodePercent(text, limits);
  if (percent !== undefined) found.push({ text: percent, encodings: ["percent-encoding"] });

  const runs: EncodedRun[] = [];
  const compact = text.replace(/[\r\n]+/g, "");
  if (compact.length !== text.length && WRAPPED_BASE64.test(text) && compact.length >= MIN_ENCODED_LENGTH) {
    runs.push({ value: compact, encoding: "base64" });
  }
  runs.push(...encodedRuns(text, limits.maxRunsPerText - runs.length));
  for (const run of runs) {
    if (run.value.length > limits.maxEncodedLength) continue;
    const bytes = run.encoding === "hex" ? decodeHex(run.value) : decodeBase64(run.value, limits);
    if (!bytes) continue;
    const layer = asText(bytes, limits);
    if (layer) found.push({ text: layer.text, encodings: [run.encoding, ...layer.encodings] });
  }
  return found;
}

interface EncodedRun {
  value: string;
  encoding: "base64" | "hex";
}

/**
 * Maximal runs of the base64 alphabet (standard or URL-safe, `=` padding at the end), each taken as
 * hex when it is only hex digits (after an optional `0x`). A scan by hand rather than a regex: a
 * hostile megabyte-long run must not blow the regex engine's stack.
 */
function encodedRuns(text: string, maxRuns: number): EncodedRun[] {
  const runs: EncodedRun[] = [];
  let start = -1;
  for (let index = 0; index <= text.length && runs.length < maxRuns; index++) {
    const inAlphabet = index < text.length && isBase64Character(text.charCodeAt(index));
    if (inAlphabet) {
      if (start < 0) start = index;
      continue;
    }
    if (start < 0) continue;
    let end = index;
    while (end < text.length && text[end] === "=" && end - index < 2) end++;
    const run = text.slice(start, end);
    start = -1;
    if (run.length < MIN_ENCODED_LENGTH) continue;
    const hex = /^(?:0x)?([0-9a-fA-F]+)$/.exec(run)?.[1];
    if (hex !== undefined) {
      if (hex.length % 2 === 0 && hex.length >= MIN_ENCODED_LENGTH) runs.push({ value: hex, encoding: "hex" });
    } else {
      runs.push({ value: run, encoding: "base64" });
    }
  }
  return runs;
}

function isBase64Character(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 43 ||
    code === 47 ||
    code === 45 ||
    code === 95
  );
}

function decodeBase64(value: string, limits: DecodeLimits): Uint8Array | undefined {
  const body = value.replace(/=+$/, "");
  if (body.length % 4 === 1 || (body.length * 3) / 4 > limits.maxDecodedBytes) return undefined;
  const urlSafe = /[-_]/.test(body);
  if (urlSafe && /[+/]/.test(body)) return undefined;
  const bytes = Buffer.from(body, urlSafe ? "base64url" : "base64");
  return bytes.length >= MIN_DECODED_LENGTH ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : undefined;
}

function decodeHex(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, "hex"));
}

/** `a%3Db%20c` → `a=b c`; undefined when the text has fewer than two escapes or does not decode to text. */
function decodePercent(text: string, limits: DecodeLimits): string | undefined {
  PERCENT.lastIndex = 0;
  const escapes = text.match(PERCENT)?.length ?? 0;
  if (escapes < 2 || text.length > limits.maxEncodedLength) return undefined;
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 37 && /^[0-9A-Fa-f]{2}$/.test(text.slice(index + 1, index + 3))) {
      bytes.push(Number.parseInt(text.slice(index + 1, index + 3), 16));
      index += 2;
    } else if (code < 0x80) {
      bytes.push(code === 43 ? 32 : code);
    } else {
      // Non-ASCII characters stay as they are.
      for (const byte of Buffer.from(text[index] as string, "utf8")) bytes.push(byte);
    }
  }
  const decoded = printableText(new Uint8Array(bytes));
  return decoded !== undefined && decoded !== text ? decoded : undefined;
}

/** The bytes as text, inflating gzip or zlib first; undefined when they are not text. */
function asText(bytes: Uint8Array, limits: DecodeLimits): DecodedText | undefined {
  const compression = compressionOf(bytes);
  if (compression) {
    const inflated = inflate(bytes, compression, limits);
    const text = inflated && printableText(inflated);
    return text === undefined ? undefined : { text, encodings: [compression] };
  }
  const text = printableText(bytes);
  return text === undefined ? undefined : { text, encodings: [] };
}

function compressionOf(bytes: Uint8Array): "gzip" | "zlib" | undefined {
  if (bytes.length < 3) return undefined;
  const [first, second] = bytes as unknown as [number, number];
  if (first === 0x1f && second === 0x8b && bytes[2] === 8) return "gzip";
  // zlib: deflate method, a window of at most 32 KiB, and the header check bits.
  if ((first & 0x0f) === 8 && first >> 4 <= 7 && ((first << 8) | second) % 31 === 0) return "zlib";
  return undefined;
}

function inflate(bytes: Uint8Array, compression: "gzip" | "zlib", limits: DecodeLimits): Uint8Array | undefined {
  try {
    const options = { maxOutputLength: limits.maxDecodedBytes };
    return compression === "gzip" ? gunzipSync(bytes, options) : inflateSync(bytes, options);
  } catch {
    // Corrupt, or more than the bound: nothing to judge.
    return undefined;
  }
}

/**
 * Valid UTF-8 of which at least 90% is printable (tabs and newlines count), else undefined. Control
 * bytes are counted first: random bytes (hashes, weights) fail there cheaply, without a decode.
 */
function printableText(bytes: Uint8Array): string | undefined {
  if (bytes.length < MIN_DECODED_LENGTH) return undefined;
  const allowed = Math.floor(bytes.length * 0.1);
  let controls = 0;
  for (const byte of bytes) {
    if ((byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 13) || byte === 0x7f) {
      if (++controls > allowed) return undefined;
    }
  }
  const text = utf8.decode(bytes);
  // Malformed UTF-8 decodes to U+FFFD: not text (unless the bytes spelled U+FFFD themselves).
  if (text.includes("\uFFFD") && !Buffer.from(bytes).includes(REPLACEMENT_BYTES)) return undefined;
  let printable = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code >= 0x20 && code !== 0x7f && (code < 0x80 || code >= 0xa0)) || code === 9 || code === 10 || code === 13) {
      printable++;
    }
  }
  return printable >= text.length * 0.9 ? text : undefined;
}

/** How a decoded value's place is written in findings: `config.token (base64 > gzip)`. */
export function describeEncodings(place: string, encodings: readonly TextEncoding[]): string {
  return `${place} (${encodings.join(" > ")})`;
}
