import type { ByteSink } from "./spill-output.js";

const BLOCK = 64 * 1024;

/**
 * Gathers bytes a decoder emits one at a time into blocks for a `ByteSink` (a stream's spill output),
 * for decoders that never read their output back. Call `flush` when decoding stops, however it stops.
 */
export class ByteWriter {
  private block = new Uint8Array(BLOCK);
  private length = 0;

  constructor(private readonly sink: ByteSink) {}

  pushByte(value: number): void {
    if (this.length === BLOCK) this.flush();
    this.block[this.length++] = value;
  }

  flush(): void {
    if (this.length === 0) return;
    // The sink may keep the chunk it is handed: fill a fresh block from here on.
    this.sink.append(this.block.subarray(0, this.length));
    this.block = new Uint8Array(BLOCK);
    this.length = 0;
  }
}
