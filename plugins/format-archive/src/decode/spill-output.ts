import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BufferSource, FileSource, type Source } from "@modelaudit/core";
import { OutputLimitError } from "./decode-errors.js";
import type { OutputBounds } from "./output-buffer.js";

/** Where decoded bytes go when nothing needs to read them back while decoding (no LZ window). */
export interface ByteSink {
  append(chunk: Uint8Array): void;
}

/** Decoded bytes held in memory before the rest goes to a temporary file. */
export const SPILL_BYTES = 64 * 1024 * 1024;
/** How often decoded bytes are charged to the artifact budget and the deadline is checked. */
const CHARGE_STEP = 1024 * 1024;
/** Spilled bytes are gathered into writes of this size (zlib hands out 64 KiB pieces). */
const WRITE_BLOCK = 4 * 1024 * 1024;

/**
 * A bounded output for streamed codecs (gzip, zlib) whose result may be larger than memory: the
 * first `SPILL_BYTES` stay in memory, past that everything is written to a file in a fresh temporary
 * directory, so a 4 GB `.tar.gz` is scanned from disk with flat memory. The bounds are those of the
 * stream (ratio, artifact budget, deadline), not the in-memory limit. `dispose` removes the file.
 */
export class SpillOutput implements ByteSink {
  length = 0;
  private chunks: Uint8Array[] = [];
  private charged = 0;
  private file: { directory: string; path: string; descriptor: number | null } | null = null;
  /** Spilled bytes not written yet. */
  private block: Uint8Array | null = null;
  private blockLength = 0;

  constructor(
    private readonly bounds: OutputBounds,
    private readonly memoryBytes: number = SPILL_BYTES,
  ) {}

  append(chunk: Uint8Array): void {
    const needed = this.length + chunk.length;
    if (needed > this.bounds.maxBytes) {
      // Keep what fits (codecs hand out up to a few MiB at once): the prefix is still scanned.
      const fits = this.bounds.maxBytes - this.length;
      if (fits > 0) this.append(chunk.subarray(0, fits));
      throw new OutputLimitError(`output passed ${this.bounds.maxBytes} bytes (${this.bounds.reason})`);
    }
    if (!this.file && needed > this.memoryBytes) this.spill();
    if (this.file) this.write(chunk);
    else this.chunks.push(chunk);
    this.length = needed;
    if (needed - this.charged >= CHARGE_STEP) this.settle();
  }

  /** Whether the bytes went to a temporary file. */
  get spilled(): boolean {
    return this.file !== null;
  }

  /** What was decoded, as a source (the file is closed for writing); charges what was not charged yet. */
  finish(name: string): Source {
    this.settle();
    if (!this.file) return new BufferSource(name, concat(this.chunks, this.length));
    this.flush();
    if (this.file.descriptor !== null) closeSync(this.file.descriptor);
    this.file.descriptor = null;
    return new FileSource(name, this.length, this.file.path);
  }

  /** Removes the temporary file, if any. Call it once the source from `finish` is no longer read. */
  dispose(): void {
    this.chunks = [];
    this.block = null;
    if (!this.file) return;
    if (this.file.descriptor !== null) closeSync(this.file.descriptor);
    rmSync(this.file.directory, { recursive: true, force: true });
    this.file = null;
  }

  private spill(): void {
    const directory = mkdtempSync(path.join(tmpdir(), "modelaudit-stream-"));
    const filePath = path.join(directory, "decoded");
    this.file = { directory, path: filePath, descriptor: openSync(filePath, "wx", 0o600) };
    this.block = new Uint8Array(WRITE_BLOCK);
    for (const held of this.chunks) this.write(held);
    this.chunks = [];
  }

  /** Gathers spilled bytes into the write block; writes it out each time it fills. */
  private write(chunk: Uint8Array): void {
    const block = this.block as Uint8Array;
    for (let taken = 0; taken < chunk.length; ) {
      const count = Math.min(chunk.length - taken, block.length - this.blockLength);
      block.set(chunk.subarray(taken, taken + count), this.blockLength);
      this.blockLength += count;
      taken += count;
      if (this.blockLength === block.length) this.flush();
    }
  }

  private flush(): void {
    if (!this.file || this.file.descriptor === null || !this.block || this.blockLength === 0) return;
    writeAll(this.file.descriptor, this.block.subarray(0, this.blockLength));
    this.blockLength = 0;
  }

  private settle(): void {
    const due = this.length - this.charged;
    if (due <= 0) return;
    this.charged = this.length;
    this.bounds.charge?.(due);
    this.bounds.checkDeadline?.();
  }
}

function writeAll(descriptor: number, chunk: Uint8Array): void {
  for (let written = 0; written < chunk.length; ) {
    written += writeSync(descriptor, chunk, written, chunk.length - written);
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  // A plain Uint8Array view (zlib hands out Buffers), as other decoders' outputs are.
  const only = chunks.length === 1 ? (chunks[0] as Uint8Array) : undefined;
  if (only) return new Uint8Array(only.buffer, only.byteOffset, only.byteLength);
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
