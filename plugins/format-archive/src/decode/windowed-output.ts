import type { LzOutput } from "./lz-output.js";
import type { ByteSink } from "./spill-output.js";

/** Least room kept past the window, so each slide passes on a few MiB at once. */
const MIN_ROOM = 4 * 1024 * 1024;

/**
 * An LZ77 output that keeps only its last `window` bytes for back-references and passes everything
 * else on to a `ByteSink` (a stream's spill output), for codecs whose window is small (LZ4: 64 KiB)
 * (or bounded, LZMA's dictionary) and whose output may be larger than memory. Call `flush` when
 * decoding stops, however it stops.
 */
export class WindowedOutput implements LzOutput {
  /** Bytes decoded so far (how far back a match may reach). */
  length = 0;
  private readonly buffer: Uint8Array;
  /** Bytes held in `buffer`; those before `passed` went to the sink already. */
  private fill = 0;
  private passed = 0;

  /** `room`: bytes decoded between two slides of the window (tests make it small). */
  constructor(
    private readonly sink: ByteSink,
    private readonly window: number,
    room = Math.max(MIN_ROOM, window),
  ) {
    this.buffer = new Uint8Array(window + Math.max(1, room));
  }

  /** The window, or less before that many bytes were decoded. */
  get reach(): number {
    return Math.min(this.window, this.length);
  }

  pushByte(value: number): void {
    if (this.fill === this.buffer.length) this.room();
    this.buffer[this.fill++] = value;
    this.length++;
  }

  byteBack(distance: number): number {
    return this.buffer[this.fill - distance] as number;
  }

  append(chunk: Uint8Array): void {
    for (let taken = 0; taken < chunk.length; ) {
      const count = Math.min(chunk.length - taken, this.room());
      this.buffer.set(chunk.subarray(taken, taken + count), this.fill);
      this.fill += count;
      this.length += count;
      taken += count;
    }
  }

  /** Copies `count` bytes starting `distance` bytes back (may overlap itself); `distance` is within the window. */
  copyMatch(distance: number, count: number): void {
    const buffer = this.buffer;
    for (let left = count; left > 0; ) {
      const piece = Math.min(left, this.room());
      let from = this.fill - distance;
      let to = this.fill;
      const end = to + piece;
      while (to < end) buffer[to++] = buffer[from++] as number;
      this.fill = end;
      this.length += piece;
      left -= piece;
    }
  }

  /** Passes every byte not passed yet to the sink. */
  flush(): void {
    if (this.fill === this.passed) return;
    // A copy: the sink may keep the chunk, and the buffer is reused.
    this.sink.append(this.buffer.slice(this.passed, this.fill));
    this.passed = this.fill;
  }

  /** Free bytes at the end of the buffer, after sliding the window to its start when none are left. */
  private room(): number {
    if (this.fill === this.buffer.length) {
      this.flush();
      const keep = Math.min(this.window, this.fill);
      this.buffer.copyWithin(0, this.fill - keep, this.fill);
      this.fill = keep;
      this.passed = keep;
    }
    return this.buffer.length - this.fill;
  }
}
