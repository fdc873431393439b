import type { PrintableString } from "@modelaudit/core";

/**
 * The ASCII stretches of the engine's printable strings. Personal data worth finding in raw bytes
 * (card numbers, SSNs, IBANs, email addresses) is ASCII, so a stretch is at least MIN_ASCII_RUN
 * printable ASCII bytes (tab, LF and CR included) between bytes that are not.
 */

/** Shorter stretches are not judged: random weights make short printable runs all the time. */
export const MIN_ASCII_RUN = 16;

/** Characters no value looked for contains (cards are cut at spaces only between groups). */
const SEPARATORS = new Set(" \t\r\n\"',;<>()[]{}");

export class AsciiRuns {
  /** Per source, the end of the bytes already handed on. */
  private readonly judgedUpTo = new Map<string, number>();

  /** Hands on the ASCII stretches of `run` (a run of the source `sourceKey`) with their byte offsets. */
  take(run: PrintableString, sourceKey: string, onRun: (text: string, offset: number) => void): void {
    const judgedUpTo = this.judgedUpTo.get(sourceKey) ?? 0;
    const end = run.offset + byteLength(run, run.text.length);
    // The engine hands an over-long run over in overlapping pieces: what was judged is not judged again.
    if (end <= judgedUpTo) return;
    this.judgedUpTo.set(sourceKey, end);
    let text = run.text;
    let offset = run.offset;
    if (offset < judgedUpTo) {
      // The overlap may open with the tail of a value cut in two: start after its first separator,
      // if that lies well inside what was judged (a value across the previous piece's end stays whole).
      const cut = firstSeparator(text);
      const skipped = cut < 0 ? 0 : byteLength(run, cut + 1);
      if (cut >= 0 && offset + skipped <= judgedUpTo - MIN_ASCII_RUN) {
        offset += skipped;
        text = text.slice(cut + 1);
      }
    }
    if (run.ascii) {
      if (text.length >= MIN_ASCII_RUN) onRun(text, offset);
      return;
    }
    asciiStretches(text, offset, onRun);
  }
}

/** Bytes of the first `characters` characters of a run. */
function byteLength(run: PrintableString, characters: number): number {
  return run.ascii ? characters : Buffer.byteLength(run.text.slice(0, characters), "utf8");
}

function firstSeparator(text: string): number {
  for (let index = 0; index < text.length; index++) if (SEPARATORS.has(text[index] as string)) return index;
  return -1;
}

/** The ASCII stretches of a text with UTF-8 in it, at least MIN_ASCII_RUN long, with their byte offsets. */
function asciiStretches(text: string, offset: number, onRun: (text: string, offset: number) => void): void {
  let bytes = offset;
  let start = 0;
  let startBytes = offset;
  for (let index = 0; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : -1;
    if (code >= 0 && code < 0x80) {
      bytes++;
      continue;
    }
    if (index - start >= MIN_ASCII_RUN) onRun(text.slice(start, index), startBytes);
    if (code < 0) return;
    // UTF-8 width: 2 bytes below U+0800, 4 for a surrogate pair (its second half adds none), else 3.
    if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) bytes += 4;
    else if (code < 0xdc00 || code > 0xdfff) bytes += 3;
    start = index + 1;
    startBytes = bytes;
  }
}
