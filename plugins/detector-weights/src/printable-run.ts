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

  push(byte: number): void {
    if (byte >= 0x20 && byte <= 0x7e) {
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
