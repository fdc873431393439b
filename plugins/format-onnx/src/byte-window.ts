import type { Source } from "@modelaudit/core";

const WINDOW = 64 * 1024;

/**
 * A small sliding window over a Source, so the field walker reads headers without ever holding a
 * tensor's raw bytes: skipping a payload just moves the position past it.
 */
export class ByteWindow {
  private bytes: Uint8Array = new Uint8Array(0);
  private start = 0;
  /** Bytes read from the source so far (for measurements and tests). */
  bytesRead = 0;

  constructor(private readonly source: Source) {}

  get size(): number {
    return this.source.size;
  }

  /** Makes [offset, offset + length) available (clamped to the source end) and returns the buffer and base. */
  async load(offset: number, length: number): Promise<void> {
    if (this.has(offset, length)) return;
    const wanted = Math.min(Math.max(length, WINDOW), this.source.size - offset);
    this.bytes = wanted > 0 ? await this.source.read(offset, wanted) : new Uint8Array(0);
    this.bytesRead += this.bytes.length;
    this.start = offset;
  }

  has(offset: number, length: number): boolean {
    const end = Math.min(offset + length, this.source.size);
    return offset >= this.start && end <= this.start + this.bytes.length;
  }

  /** The byte at an absolute offset; the caller has loaded it. */
  at(offset: number): number {
    return this.bytes[offset - this.start] ?? 0;
  }

  /** A view of loaded bytes (valid until the next load). */
  view(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset - this.start, offset - this.start + length);
  }

  /** Reads bytes that may lie outside the window without disturbing it (a long string). */
  async copy(offset: number, length: number): Promise<Uint8Array> {
    if (this.has(offset, length)) return this.view(offset, length).slice();
    const bytes = await this.source.read(offset, length);
    this.bytesRead += bytes.length;
    return bytes;
  }
}
