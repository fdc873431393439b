import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { LimitError } from "./limits.js";

/**
 * Random-access bytes: a file on disk, an archive member, or bytes decoded from inside another
 * format. Readers ask for ranges; nobody needs the whole thing in memory.
 */
export interface Source {
  /** Display name: the file path for a top-level file, the member name for a nested one. */
  readonly name: string;
  readonly size: number;
  /** Reads up to `length` bytes at `offset`. Returns fewer bytes only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Reads into `target` from `offset`, filling it unless the source ends first; returns the bytes
   * read. Optional: long sequential passes use it to reuse one buffer instead of allocating (and
   * page-faulting) a fresh one per chunk.
   */
  readInto?(target: Uint8Array, offset: number): Promise<number>;
  close?(): Promise<void>;
}

/**
 * Files up to this size are read whole, synchronously, on the first read: one open, stat, read and
 * close instead of a round trip to the I/O thread pool per read (many small files are I/O-call bound).
 */
export const SMALL_FILE_BYTES = 256 * 1024;

/**
 * Reads of a larger file up to this size (headers, an archive member's first bytes, a pickle) are
 * synchronous: a round trip to the I/O thread pool costs more than the read itself, and a checkpoint
 * with hundreds of members makes hundreds of them one after another. Long sequential passes read
 * larger chunks asynchronously, ahead of the work on the last one.
 */
const SYNC_READ_BYTES = 64 * 1024;

/** A file read through one file handle, opened on first read (small files: read whole at once). */
export class FileSource implements Source {
  private handle: Promise<FileHandle> | undefined;
  /**
   * The handle once open: a read then starts in the call itself, not a microtask later (the byte
   * pass begins the next chunk's read before processing this one; behind an `await` the read only
   * started when the pass next yielded, after the processing, and never overlapped it).
   */
  private opened: FileHandle | undefined;
  private whole: Uint8Array | undefined;
  constructor(
    readonly name: string,
    readonly size: number,
    private readonly filePath: string = name,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    const wanted = clampRange(offset, length, this.size);
    if (wanted === 0) return new Uint8Array(0);
    if (this.size <= SMALL_FILE_BYTES) {
      this.whole ??= readSmallFile(this.filePath, this.size);
      // A copy: callers own what read returns, as they do for larger files.
      return this.whole.slice(offset, Math.min(offset + wanted, this.whole.length));
    }
    this.handle ??= openRegularFile(this.filePath);
    const buffer = new Uint8Array(wanted);
    const filled = await this.readInto(buffer, offset);
    return filled === wanted ? buffer : buffer.subarray(0, filled);
  }

  async readInto(target: Uint8Array, offset: number): Promise<number> {
    const wanted = clampRange(offset, target.length, this.size);
    if (wanted === 0) return 0;
    if (this.size <= SMALL_FILE_BYTES) {
      this.whole ??= readSmallFile(this.filePath, this.size);
      const bytes = this.whole.subarray(offset, Math.min(offset + wanted, this.whole.length));
      target.set(bytes);
      return bytes.length;
    }
    this.handle ??= openRegularFile(this.filePath);
    this.opened ??= await this.handle;
    const handle = this.opened;
    let filled = 0;
    if (wanted <= SYNC_READ_BYTES) {
      while (filled < wanted) {
        const bytesRead = readSync(handle.fd, target, filled, wanted - filled, offset + filled);
        if (bytesRead === 0) break; // the file shrank under us: return what exists
        filled += bytesRead;
      }
      return filled;
    }
    while (filled < wanted) {
      const { bytesRead } = await handle.read(target, filled, wanted - filled, offset + filled);
      if (bytesRead === 0) break; // the file shrank under us: return what exists
      filled += bytesRead;
    }
    return filled;
  }

  async close(): Promise<void> {
    this.whole = undefined;
    const handle = this.handle;
    this.handle = undefined;
    this.opened = undefined;
    // A handle that failed to open has nothing to close.
    if (handle) await (await handle.catch(() => undefined))?.close();
  }
}

/**
 * Opens a file the walk saw as a regular file. If it was swapped for a FIFO or device since, a plain
 * open would block (a FIFO without a writer) or read forever: open without blocking, then refuse
 * anything that is not a regular file.
 */
async function openRegularFile(filePath: string): Promise<FileHandle> {
  const handle = await open(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  const info = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (!info.isFile()) {
    await handle.close();
    throw new Error(`${filePath} is no longer a regular file: not read`);
  }
  return handle;
}

/** A small regular file's bytes (at most `size`: fewer when it shrank), with openRegularFile's checks. */
function readSmallFile(filePath: string, size: number): Uint8Array {
  const descriptor = openSync(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    if (!fstatSync(descriptor).isFile()) throw new Error(`${filePath} is no longer a regular file: not read`);
    const bytes = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const read = readSync(descriptor, bytes, filled, size - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return filled === size ? bytes : bytes.subarray(0, filled);
  } finally {
    closeSync(descriptor);
  }
}

/** Bytes already in memory (decoded strings, small inflated members). */
export class BufferSource implements Source {
  readonly size: number;
  constructor(
    readonly name: string,
    readonly bytes: Uint8Array,
  ) {
    this.size = bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const wanted = clampRange(offset, length, this.size);
    return this.bytes.subarray(offset, offset + wanted);
  }
}

/** A window of another source, e.g. a stored (uncompressed) archive member read in place. */
export class SliceSource implements Source {
  constructor(
    readonly name: string,
    readonly parent: Source,
    readonly start: number,
    readonly size: number,
    /** True when the slice alone uses `parent` (made for it): closing the slice closes the parent. */
    private readonly ownsParent = false,
  ) {
    if (start < 0 || size < 0 || start + size > parent.size) {
      throw new LimitError(`slice ${start}+${size} lies outside ${parent.name} (${parent.size} bytes)`);
    }
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    const wanted = clampRange(offset, length, this.size);
    return this.parent.read(this.start + offset, wanted);
  }

  async close(): Promise<void> {
    if (this.ownsParent) await this.parent.close?.();
  }

  async readInto(target: Uint8Array, offset: number): Promise<number> {
    const wanted = clampRange(offset, target.length, this.size);
    const window = target.subarray(0, wanted);
    if (this.parent.readInto) return this.parent.readInto(window, this.start + offset);
    const bytes = await this.parent.read(this.start + offset, wanted);
    window.set(bytes);
    return bytes.length;
  }
}

function clampRange(offset: number, length: number, size: number): number {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new RangeError(`invalid read range ${offset}+${length}`);
  }
  if (offset >= size) return 0;
  return Math.min(length, size - offset);
}

/** Reads a whole source into memory, refusing sources larger than `limit` bytes. */
export async function readAll(source: Source, limit: number): Promise<Uint8Array> {
  if (source.size > limit) {
    throw new LimitError(`${source.name} is ${source.size} bytes, over the in-memory limit of ${limit}`);
  }
  if (source instanceof BufferSource) return source.bytes;
  return source.read(0, source.size);
}
