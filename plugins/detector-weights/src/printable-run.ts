/**
 * A rolling counter of printable ASCII runs in an extracted byte stream, for hidden text. The hot
 * path only counts; a run is classified when it ends, from its first `KEPT` characters, so memory
 * does not grow with the run and random bytes (short runs) cost a compare or two.
 */

/** Runs at least this long are judged. */
export const MIN_TEXT_RUN = 64;
/** Characters kept: the evidence and the sample a long run is classified by. */
const KEPT = 256;

export interface TextRun {
  /** Index of the run's first byte in the stream. */
  start: number;
  length: number;
  /** The first characters of the run. */
  excerpt: string;
}

export class PrintableRunCounter {
  /** The first qualifying run, once one has ended. */
  found: TextRun | null = null;
  private position = 0;
  private length = 0;
  private readonly kept = new Uint8Array(KEPT);

  /**
   * Every byte of `bytes`, in order. Outside a run it skips ahead: a run reaching MIN_TEXT_RUN from
   * here must cover the byte MIN_TEXT_RUN - 1 further on, so when that one is not printable nothing
   * before it can start such a run. Random low bits then cost one look per few dozen bytes.
   */
  pushAll(bytes: Uint8Array): void {
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
    if (!looksLikeText(sample)) return;
    this.found = {
      start: this.position - this.length,
      length: this.length,
      excerpt: String.fromCharCode(...sample.subarray(0, 96)),
    };
  }
}

function printable(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e;
}

/**
 * Mostly letters and spaces, with words (spaces) and a real alphabet (distinct characters): a
 * sentence or a command, not a repeated constant that happens to fall in the printable range.
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
    (letters + spaces) / length >= 0.7 &&
    spaces >= 3 &&
    spaces / length <= 0.5 &&
    letters / length >= 0.4 &&
    seen.size >= 10
  );
}
