/**
 * A rolling counter of printable ASCII runs in an extracted byte stream, for hidden text (moved from
 * detector-weights, extended with base64). The hot path only counts; a run is classified when it
 * ends, from its first `KEPT` characters, so memory does not grow with the run and random bytes
 * (short runs) cost a compare or two.
 */

/** Runs at least this long are judged. */
export const MIN_TEXT_RUN = 64;
/** Base64 runs at least this long are decoded: 64 characters from random bytes has odds of 4^-64. */
export const MIN_BASE64_RUN = 64;
/** Characters kept: the evidence, the sample a run is classified by, and the base64 decoded. */
const KEPT = 1024;

export interface TextRun {
  /** Index of the run's first byte in the stream. */
  start: number;
  length: number;
  /** The first characters of the run. */
  excerpt: string;
  /** Set when the run is base64 (not prose): what the kept part of it decodes to. */
  base64?: { start: number; length: number; decoded: Uint8Array };
}

export class PrintableRunCounter {
  /** The first qualifying run, once one has ended. */
  found: TextRun | null = null;
  private position = 0;
  private length = 0;
  private readonly kept = new Uint8Array(KEPT);

  /**
   * Every byte of `bytes`, in order, as `push` takes them; only runs of MIN_TEXT_RUN or more, and
   * the one the bytes end with, are pushed byte by byte. Outside a run it skips ahead: with a map of
   * the printable bytes (`printableBits`: bit i % 32 of word i / 32) a word at a time, else a byte
   * MIN_TEXT_RUN further on at a time.
   */
  pushAll(bytes: Uint8Array, printableBits?: Uint32Array | null): void {
    if (this.found !== null) return;
    if (printableBits) this.pushMapped(bytes, printableBits);
    else this.pushProbing(bytes);
  }

  /**
   * A run reaching MIN_TEXT_RUN from here must cover the byte MIN_TEXT_RUN - 1 further on, so when
   * that one is not printable nothing before it can start such a run. Random low bits then cost one
   * look per few dozen bytes.
   */
  private pushProbing(bytes: Uint8Array): void {
    const length = bytes.length;
    let index = 0;
    while (index < length) {
      if (this.length === 0) {
        const probe = index + MIN_TEXT_RUN - 1;
        if (probe < length) {
          if (!printable(bytes[probe]!)) {
            this.position += probe + 1 - index;
            index = probe + 1;
            continue;
          }
          let start = probe;
          while (start > index && printable(bytes[start - 1]!)) start--;
          this.position += start - index;
          index = start;
        }
      }
      this.push(bytes[index]!);
      index++;
    }
  }

  /**
   * A run of MIN_TEXT_RUN (64) or more holds a whole aligned block of 32 printable bytes, a map word
   * of all ones: the words are looked at, with no branch the bytes make unpredictable, and each run
   * found is pushed from its start to the byte that ends it. Skipped bytes hold shorter runs only,
   * after which `push` would be outside a run again.
   */
  private pushMapped(bytes: Uint8Array, map: Uint32Array): void {
    const length = bytes.length;
    let index = 0;
    // A run carried from the last bytes goes on to its end.
    while (index < length && this.length > 0) this.push(bytes[index++]!);
    for (let word = (index + 31) >>> 5; (word + 1) * 32 <= length; word++) {
      if (map[word] !== 0xffffffff) continue;
      index = this.skipTo(bytes, index, word * 32);
      while (index < length) {
        const byte = bytes[index++]!;
        this.push(byte);
        if (!printable(byte)) break;
      }
      word = ((index + 31) >>> 5) - 1;
    }
    // The run the bytes end with, which the next bytes may carry on.
    for (index = this.skipTo(bytes, index, length); index < length; index++) this.push(bytes[index]!);
  }

  /** Skips from `index` to the start of the run holding byte `at` - 1 (`at` when that one is not printable), not before `index`. */
  private skipTo(bytes: Uint8Array, index: number, at: number): number {
    let start = at;
    while (start > index && printable(bytes[start - 1]!)) start--;
    this.position += start - index;
    return start;
  }

  push(byte: number): void {
    if (printable(byte)) {
      if (this.length < KEPT) this.kept[this.length] = byte;
      this.length++;
    } else if (this.length > 0) {
      if (this.length >= MIN_TEXT_RUN) this.judge();
      this.length = 0;
    }
    this.position++;
  }

  /** Ends the stream: judges a run still open. */
  end(): void {
    if (this.length >= MIN_TEXT_RUN) this.judge();
    this.length = 0;
  }

  private judge(): void {
    if (this.found !== null) return;
    const sample = this.kept.subarray(0, Math.min(this.length, KEPT));
    const start = this.position - this.length;
    if (looksLikeText(sample.subarray(0, 256))) {
      this.found = { start, length: this.length, excerpt: String.fromCharCode(...sample.subarray(0, 96)) };
      return;
    }
    const base64 = base64Run(sample);
    if (base64 === null) return;
    const text = sample.subarray(base64.start, base64.start + base64.length);
    this.found = {
      start: start + base64.start,
      // The whole run when it is base64 to its end; else the part seen.
      length: base64.start + base64.length === sample.length ? this.length - base64.start : base64.length,
      excerpt: String.fromCharCode(...text.subarray(0, 96)),
      base64: { start: base64.start, length: base64.length, decoded: decodeBase64(text) },
    };
  }
}

function printable(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e;
}

/**
 * Mostly letters and spaces, with words (spaces) and a real alphabet (distinct characters): a
 * sentence or a command line (punctuation allowed), not a repeated constant or a counting sequence
 * that happens to fall in the printable range.
 */
export function looksLikeText(sample: Uint8Array): boolean {
  let letters = 0;
  let spaces = 0;
  const seen = new Set<number>();
  for (const byte of sample) {
    if (byte === 0x20) spaces++;
    else if (((byte | 0x20) - 0x61) >>> 0 < 26) letters++;
    seen.add(byte);
  }
  const length = sample.length;
  return (
    (letters + spaces) / length >= 0.55 &&
    spaces >= 3 &&
    spaces / length <= 0.5 &&
    letters / length >= 0.35 &&
    seen.size >= 10
  );
}

const BASE64_VALUES = new Int8Array(256).fill(-1);
for (const [index, char] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].entries()) {
  BASE64_VALUES[char.charCodeAt(0)] = index;
}
// The URL-safe alphabet decodes the same way.
BASE64_VALUES[0x2d] = 62;
BASE64_VALUES[0x5f] = 63;

/**
 * The longest base64 stretch of a printable run (at least MIN_BASE64_RUN characters) that looks
 * like encoded data: upper case, lower case and digits all present and a wide alphabet, so a
 * constant (`AAAA…`) or a counting sequence in the low bits is not taken for base64.
 */
export function base64Run(sample: Uint8Array): { start: number; length: number } | null {
  let best: { start: number; length: number } | null = null;
  let runStart = 0;
  for (let index = 0; index <= sample.length; index++) {
    const inAlphabet = index < sample.length && BASE64_VALUES[sample[index]!]! >= 0;
    if (inAlphabet) continue;
    let end = index;
    // Padding belongs to the run.
    while (end < sample.length && end - index < 2 && sample[end] === 0x3d) end++;
    const length = end - runStart;
    if (length >= MIN_BASE64_RUN && (best === null || length > best.length)) best = { start: runStart, length };
    runStart = index + 1;
  }
  if (best === null) return null;
  let upper = 0;
  let lower = 0;
  let digits = 0;
  const seen = new Set<number>();
  for (const byte of sample.subarray(best.start, best.start + best.length)) {
    if (byte >= 0x41 && byte <= 0x5a) upper++;
    else if (byte >= 0x61 && byte <= 0x7a) lower++;
    else if (byte >= 0x30 && byte <= 0x39) digits++;
    seen.add(byte);
  }
  return upper > 0 && lower > 0 && digits > 0 && seen.size >= 12 ? best : null;
}

/** Decodes base64 text (padding and a trailing partial quantum ignored). */
export function decodeBase64(text: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let length = 0;
  let acc = 0;
  let bits = 0;
  for (const char of text) {
    const value = BASE64_VALUES[char]!;
    if (value < 0) break;
    acc = ((acc << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, length);
}
