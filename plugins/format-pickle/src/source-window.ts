import { BufferSource, type Source } from "@modelaudit/core";
import { readAll } from "@modelaudit/core/format";

export interface WindowSizes {
  /** Sources up to this size are read whole at once: growing a head would only add reruns. */
  wholeRead: number;
  /** The first head a larger source gets; it doubles (or jumps to a declared length) as streams need. */
  firstHead: number;
}

const DEFAULT_SIZES: WindowSizes = { wholeRead: 4 * 1024 * 1024, firstHead: 1024 * 1024 };

/**
 * The first bytes of a source, up to the in-memory limit, read as the parse needs them. A legacy
 * torch.save file keeps its pickles in the first kilobytes and its storages after them; reading the
 * head and the tail, not the storages, keeps a large checkpoint out of memory.
 *
 * `bytes` is allocated at the window's full length but filled only where read: the engine reads
 * tensor data itself, and pages never written are never backed by memory.
 */
export class SourceWindow {
  private constructor(
    private readonly source: Source,
    /** The window: `[0, headEnd)` is read, and `[tailStart, length)` once {@link readTail} ran. */
    readonly bytes: Uint8Array,
    private headEnd: number,
  ) {}

  static async open(source: Source, limit: number, sizes: WindowSizes = DEFAULT_SIZES): Promise<SourceWindow> {
    if (source instanceof BufferSource || source.size <= sizes.wholeRead) {
      const bytes = source.size > limit ? await source.read(0, limit) : await readAll(source, limit);
      return new SourceWindow(source, bytes, bytes.length);
    }
    const bytes = new Uint8Array(Math.min(source.size, limit));
    const window = new SourceWindow(source, bytes, 0);
    await window.fillHead(Math.min(bytes.length, Math.max(1, sizes.firstHead)));
    return window;
  }

  /** The bytes read from the start: what a stream may be parsed in while the head can grow. */
  get head(): Uint8Array {
    return this.bytes.subarray(0, this.headEnd);
  }

  /** Whether the head covers the whole window. */
  get complete(): boolean {
    return this.headEnd >= this.bytes.length;
  }

  /** Grows the head to at least `wanted` bytes (doubling at least), up to the window's end. */
  async grow(wanted = 0): Promise<void> {
    await this.fillHead(Math.min(this.bytes.length, Math.max(wanted, this.headEnd * 2)));
  }

  /** Reads the whole window. */
  async readAll(): Promise<void> {
    await this.fillHead(this.bytes.length);
  }

  /** Reads `[start, length)` of the window; a parse may then read forward from `start` in `bytes`. */
  async readTail(start: number): Promise<void> {
    if (start < this.headEnd) start = this.headEnd;
    await this.fill(start, this.bytes.length);
  }

  private async fillHead(end: number): Promise<void> {
    if (end <= this.headEnd) return;
    await this.fill(this.headEnd, end);
    this.headEnd = end;
  }

  private async fill(start: number, end: number): Promise<void> {
    if (end <= start) return;
    const target = this.bytes.subarray(start, end);
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
