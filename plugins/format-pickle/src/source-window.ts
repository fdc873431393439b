import { BufferSource, type Source } from "@modelaudit/core";
import { readAll } from "@modelaudit/core/format";

export interface WindowSizes {
  /** Sources up to this size are read whole at once: growing a head would only add reruns. */
  wholeRead: number;
  /** The first head a larger source gets; it doubles (or jumps to a declared length) as streams need. */
  firstHead: number;
  /**
   * The first bytes of a skipped joblib array that are still read: a plain `pickle.load` reads on
   * after the wrapper's BUILD, into the array's bytes, and that reading usually stops within them.
   */
  arrayHeadKept: number;
  /** Skipped bytes read around what a second reading needed, at least. */
  unreadSlack: number;
  /** How far a head with skipped ranges grows at least: past an array, the pickle goes on for a while. */
  sparseStep: number;
  /**
   * A joblib pickle whose first stream outgrows the head grows it (so arrays after it can be skipped)
   * only in sources larger than this; smaller ones are read whole (no reruns of an opcode-heavy forest).
   */
  skipArraysFrom: number;
}

const KIB = 1024;
export const DEFAULT_SIZES: WindowSizes = {
  wholeRead: 4 * KIB * KIB,
  firstHead: KIB * KIB,
  arrayHeadKept: 64 * KIB,
  unreadSlack: 64 * KIB,
  sparseStep: 64 * KIB,
  skipArraysFrom: 64 * KIB * KIB,
};

/** The longest window a typed array can be on every supported Node (2^32 - 1 bytes on Node 20). */
const MAX_WINDOW = 2 ** 32 - 1;

/**
 * The first bytes of a source, up to the in-memory limit, read as the parse needs them. A legacy
 * torch.save file keeps its pickles in the first kilobytes and its storages after them; reading the
 * head and the tail, not the storages, keeps a large checkpoint out of memory.
 *
 * `bytes` is allocated at the window's full length but filled only where read: the engine reads
 * tensor data itself, and pages never written are never backed by memory. A joblib file keeps its
 * arrays' bytes inline between pickle opcodes: {@link skip} marks such a range never to be read (it
 * stays zero), and the window then spans the whole file while what is read stays under the limit.
 */
export class SourceWindow {
  private constructor(
    private readonly source: Source,
    /** The window: `[0, headEnd)` is read, and `[tailStart, length)` once {@link readTail} ran. */
    private window: Uint8Array,
    private headEnd: number,
    /** Most bytes read into the window: the in-memory limit. */
    private readonly budget: number,
    readonly sizes: WindowSizes,
  ) {
    this.resident = headEnd;
  }

  /** Ranges never to be read (sorted, disjoint), each inside the window. */
  private readonly holes: { start: number; end: number }[] = [];
  /** Bytes read into the window. */
  private resident: number;
  /** A read stopped at the in-memory limit: the head cannot grow on. */
  limitReached = false;

  static async open(source: Source, limit: number, sizes: WindowSizes = DEFAULT_SIZES): Promise<SourceWindow> {
    if (source instanceof BufferSource || source.size <= sizes.wholeRead) {
      const bytes = source.size > limit ? await source.read(0, limit) : await readAll(source, limit);
      return new SourceWindow(source, bytes, bytes.length, limit, sizes);
    }
    const bytes = new Uint8Array(Math.min(source.size, limit));
    const window = new SourceWindow(source, bytes, 0, limit, sizes);
    await window.fillHead(Math.min(bytes.length, Math.max(1, sizes.firstHead)));
    return window;
  }

  /** The window: read where the head (and a tail, once read) says, zero elsewhere. */
  get bytes(): Uint8Array {
    return this.window;
  }

  /** Whether some range was skipped: parses must ask {@link unread} before they trust bytes. */
  get hasHoles(): boolean {
    return this.holes.length > 0;
  }

  /**
   * Marks [start, end) never to be read, the window spanning the whole source from now on (one
   * allocation, pages untouched until read). False when the source is longer than any window can be,
   * or the range is already read (nothing is skipped then).
   */
  skip(start: number, end: number): boolean {
    const size = this.source.size;
    if (size > MAX_WINDOW || end > size) return false;
    start = Math.max(start, this.headEnd);
    if (start >= end) return false;
    if (this.window.length < size) {
      let wider: Uint8Array;
      try {
        wider = new Uint8Array(size);
      } catch {
        // No address space for the whole file: the window keeps its length (and the in-memory limit).
        return false;
      }
      wider.set(this.window.subarray(0, this.headEnd));
      this.window = wider;
    }
    const at = this.holes.findIndex((hole) => hole.start >= start);
    const hole = { start, end };
    if (at < 0) this.holes.push(hole);
    else this.holes.splice(at, 0, hole);
    this.mergeHoles();
    return true;
  }

  /** Whether any byte of [start, end) was skipped (reads as zero). */
  unread(start: number, end: number): boolean {
    for (const hole of this.holes) {
      if (hole.start >= end) return false;
      if (hole.end > start) return true;
    }
    return false;
  }

  /** Reads the skipped bytes in [start, end); false when the in-memory limit stopped it. */
  async readSkipped(start: number, end: number): Promise<boolean> {
    const wanted = this.holes.filter((hole) => hole.start < end && hole.end > start);
    for (const hole of wanted) {
      const from = Math.max(hole.start, start);
      const to = Math.min(hole.end, end);
      const reached = await this.fillBudgeted(from, to);
      // What was read is no longer a hole: split this one around it.
      const index = this.holes.indexOf(hole);
      const rest = [
        ...(hole.start < from ? [{ start: hole.start, end: from }] : []),
        ...(reached < hole.end ? [{ start: reached, end: hole.end }] : []),
      ];
      this.holes.splice(index, 1, ...rest);
      if (reached < to) return false;
    }
    return true;
  }

  /** The bytes read from the start: what a stream may be parsed in while the head can grow. */
  get head(): Uint8Array {
    return this.bytes.subarray(0, this.headEnd);
  }

  /** Whether the head covers the whole window. */
  get complete(): boolean {
    return this.headEnd >= this.bytes.length;
  }

  /**
   * Grows the head to at least `wanted` bytes, up to the window's end: doubling at least, or, past
   * skipped ranges, doubling what was read since the last of them (the bytes after an array may be
   * the next array, which would then be read, not skipped).
   */
  async grow(wanted = 0): Promise<void> {
    const lastHole = this.holes.at(-1);
    const step = lastHole ? Math.max(this.sizes.sparseStep, this.headEnd - lastHole.end) : this.headEnd;
    await this.fillHead(Math.min(this.window.length, Math.max(wanted, this.headEnd + step)));
  }

  /** Reads the whole window. */
  async readAll(): Promise<void> {
    await this.fillHead(this.window.length);
  }

  /** Reads `[start, length)` of the window; a parse may then read forward from `start` in `bytes`. */
  async readTail(start: number): Promise<void> {
    if (start < this.headEnd) start = this.headEnd;
    await this.fillBudgeted(start, this.window.length);
  }

  /** Reads [headEnd, end) but the skipped ranges; the head stops early at the in-memory limit. */
  private async fillHead(end: number): Promise<void> {
    if (end <= this.headEnd || this.limitReached) return;
    let position = this.headEnd;
    for (const hole of this.holes) {
      if (hole.end <= position) continue;
      if (hole.start >= end) break;
      const reached = await this.fillBudgeted(position, hole.start);
      if (reached < hole.start) {
        this.headEnd = reached;
        return;
      }
      position = Math.min(hole.end, end);
    }
    this.headEnd = position < end ? await this.fillBudgeted(position, end) : end;
  }

  /** Reads [start, end) as far as the in-memory limit allows; returns where reading stopped. */
  private async fillBudgeted(start: number, end: number): Promise<number> {
    if (end <= start) return Math.max(start, end);
    const stop = Math.min(end, start + Math.max(0, this.budget - this.resident));
    if (stop < end) this.limitReached = true;
    await this.fill(start, stop);
    this.resident += stop - start;
    return stop;
  }

  private mergeHoles(): void {
    for (let index = 1; index < this.holes.length; ) {
      const previous = this.holes[index - 1] as { start: number; end: number };
      const hole = this.holes[index] as { start: number; end: number };
      if (hole.start <= previous.end) {
        previous.end = Math.max(previous.end, hole.end);
        this.holes.splice(index, 1);
      } else index++;
    }
  }

  private async fill(start: number, end: number): Promise<void> {
    if (end <= start) return;
    const target = this.window.subarray(start, end);
    const filled = this.source.readInto
      ? await this.source.readInto(target, start)
      : copyInto(target, await this.source.read(start, end - start));
    // The source shrank under us: what was not read must not be parsed as zeros.
    if (filled < target.length) throw new Error(`${this.source.name} ended at ${start + filled} bytes, before ${end}`);
  }
}

function copyInto(target: Uint8Array, bytes: Uint8Array): number {
  target.set(bytes);
  return bytes.length;
}
