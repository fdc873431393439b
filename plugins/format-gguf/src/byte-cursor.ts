import type { Source } from "@modelaudit/core";

const DEFAULT_WINDOW = 1024 * 1024;

/**
 * Sequential reads over a Source through a sliding window, so a header of several MB (a 150k-token
 * vocabulary) is read in a few large reads and tensor data is never touched. `need(n)` loads the
 * window; the sync getters then read from it.
 */
export class ByteCursor {
  position: number;
  private window: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(new ArrayBuffer(0));
  private windowStart = 0;

  constructor(
    private readonly source: Source,
    public littleEndian: boolean,
    start = 0,
    private readonly windowSize = DEFAULT_WINDOW,
  ) {
    this.position = start;
  }

  get size(): number {
    return this.source.size;
  }

  get remaining(): number {
    return Math.max(0, this.source.size - this.position);
  }

  /** Makes the next `length` bytes readable; false when the source ends first. */
  async need(length: number): Promise<boolean> {
    if (length > this.remaining) return false;
    const end = this.position + length;
    if (this.position >= this.windowStart && end <= this.windowStart + this.window.length) return true;
    const bytes = await this.source.read(this.position, Math.max(length, Math.min(this.windowSize, this.remaining)));
    if (bytes.length < length) return false;
    this.window = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.windowStart = this.position;
    return true;
  }

  /** Moves past `length` bytes without reading them; false when they do not exist. */
  skip(length: number): boolean {
    if (length > this.remaining) return false;
    this.position += length;
    return true;
  }

  private at(length: number): number {
    const index = this.position - this.windowStart;
    this.position += length;
    return index;
  }

  u8(): number {
    return this.view.getUint8(this.at(1));
  }
  u32(): number {
    return this.view.getUint32(this.at(4), this.littleEndian);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.at(8), this.littleEndian);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.at(8), this.littleEndian);
  }
  bytes(length: number): Uint8Array {
    const index = this.at(length);
    return this.window.subarray(index, index + length);
  }
}
