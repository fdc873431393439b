/**
 * The printable-strings channel's search for text as a WebAssembly SIMD kernel
 * (kernels/printable-blocks.wat): the indexes of the 8-byte blocks of a piece whose bytes are all
 * printable ASCII, 16 bytes a step. Any run of 16 such bytes holds a whole block, so the extractor
 * looks only there; on weights that is almost nowhere. Several times the speed of the sampling loop
 * it stands in for. Null where WebAssembly SIMD is missing or MODELAUDIT_NO_SIMD is set: the
 * sampling loop then runs.
 */

import { PRINTABLE_BLOCKS_WASM } from "./kernels/printable-blocks.wasm.js";
import { instantiateKernel } from "./wasm-kernel.js";

/** Bytes one call reads (the kernel's DATA area); a multiple of 16. */
export const PRINTABLE_PIECE = 1024 * 1024;
/** Where the kernel writes block indexes. */
const OUT = 1024 * 1024;

interface Kernel {
  memory: WebAssembly.Memory;
  candidates(n: number): number;
}

let instance: PrintableBlocks | null | undefined;

export class PrintableBlocks {
  private readonly data: Uint8Array;
  private readonly out: Int32Array;

  static get(): PrintableBlocks | null {
    if (instance === undefined) {
      const kernel = instantiateKernel<Omit<Kernel, "memory">>(PRINTABLE_BLOCKS_WASM);
      instance = kernel ? new PrintableBlocks(kernel) : null;
    }
    return instance;
  }

  private constructor(private readonly kernel: Kernel) {
    this.data = new Uint8Array(kernel.memory.buffer, 0, PRINTABLE_PIECE);
    this.out = new Int32Array(kernel.memory.buffer, OUT, PRINTABLE_PIECE / 8);
  }

  /**
   * The all-printable 8-byte blocks among the whole 16-byte steps of `piece` (at most
   * PRINTABLE_PIECE bytes): their indexes (block i is piece[8i .. 8i + 8)) are `blocks[0 .. count)`,
   * valid until the next call.
   */
  find(piece: Uint8Array): { blocks: Int32Array; count: number } {
    this.data.set(piece);
    return { blocks: this.out, count: this.kernel.candidates(piece.length) };
  }

  /**
   * Every all-printable 8-byte block of `bytes` (any length; the grid starts at its first byte),
   * as block indexes in order into `out` (room for `bytes.length / 8` of them); returns how many.
   */
  scan(bytes: Uint8Array, out: Int32Array): number {
    let count = 0;
    for (let piece = 0; piece + 8 <= bytes.length; piece += PRINTABLE_PIECE) {
      const pieceEnd = Math.min(bytes.length, piece + PRINTABLE_PIECE);
      const { blocks, count: found } = this.find(bytes.subarray(piece, pieceEnd));
      const first = piece / 8;
      for (let index = 0; index < found; index++) out[count++] = first + (blocks[index] as number);
      // The kernel reads whole 16-byte steps: a last block after them is checked here.
      const tail = piece + ((pieceEnd - piece) & ~15);
      if (tail + 8 <= pieceEnd && printableAscii(bytes, tail, 8)) out[count++] = tail / 8;
    }
    return count;
  }
}

/** Whether bytes[at, at + length) are all printable ASCII (0x20-0x7e, tab, LF, CR), as the kernel judges. */
export function printableAscii(bytes: Uint8Array, at: number, length: number): boolean {
  for (let index = at; index < at + length; index++) {
    const byte = bytes[index] as number;
    if ((byte < 0x20 || byte > 0x7e) && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}

/** The printable blocks of one chunk, for the strings channel: indexes of 8-byte blocks from `bytes`' first byte. */
export interface ChunkBlocks {
  bytes: Uint8Array;
  blocks: Int32Array;
  count: number;
}

// A job's header words: its state (generation * 4 + one of these), then the block count.
const OPEN = 0;
const CLAIMED = 1;
const DONE = 2;
/** Taken by the byte pass, or given up by the hashing thread (its scan failed). */
const TAKEN_HERE = 3;
const HEADER = 2;
/** How long the byte pass waits for a scan the hashing thread has begun before doing it itself. */
const WAIT_MS = 2_000;

/**
 * One chunk's printable-blocks scan, done once by whichever thread claims it first: the hashing
 * thread, which holds the chunk too and idles while the detectors read it, or the byte pass when it
 * needs the blocks before that thread got to them. Backed by shared memory (header words, then the
 * indexes) and reused from chunk to chunk: each use has a generation, so a late message about an
 * earlier chunk claims nothing.
 */
export class BlockScanJob {
  readonly buffer: SharedArrayBuffer;
  private readonly words: Int32Array;
  private generation = 0;

  constructor(capacityBytes: number) {
    this.buffer = new SharedArrayBuffer((HEADER + Math.ceil(capacityBytes / 8)) * 4);
    this.words = new Int32Array(this.buffer);
  }

  /** Whether a chunk of `length` bytes fits. */
  fits(length: number): boolean {
    return HEADER + Math.ceil(length / 8) <= this.words.length;
  }

  /** Opens the job for the next chunk; returns the generation to send with it. */
  open(): number {
    this.generation = (this.generation + 1) & 0x1fffffff;
    Atomics.store(this.words, 0, this.generation * 4 + OPEN);
    return this.generation;
  }

  /**
   * The chunk's blocks: the other thread's when it claimed the job (waited for), else scanned here.
   * `reusable` is false when the other thread did not finish in time: the job must not be opened
   * again (its late writes would land in a later chunk's scan), and `blocks` are this thread's own.
   */
  result(bytes: Uint8Array, kernel: PrintableBlocks): { blocks: ChunkBlocks; reusable: boolean } {
    const base = this.generation * 4;
    const previous = Atomics.compareExchange(this.words, 0, base + OPEN, base + TAKEN_HERE);
    const indexes = this.words.subarray(HEADER);
    if (previous === base + OPEN)
      return { blocks: { bytes, blocks: indexes, count: kernel.scan(bytes, indexes) }, reusable: true };
    if (previous === base + CLAIMED) Atomics.wait(this.words, 0, base + CLAIMED, WAIT_MS);
    const state = Atomics.load(this.words, 0);
    if (state === base + DONE)
      return { blocks: { bytes, blocks: indexes, count: this.words[1] as number }, reusable: true };
    const own = new Int32Array(Math.ceil(bytes.length / 8));
    return { blocks: { bytes, blocks: own, count: kernel.scan(bytes, own) }, reusable: state !== base + CLAIMED };
  }

  /** Settles the job without its blocks (the chunk needed none); false as `result`'s `reusable`. */
  close(): boolean {
    const base = this.generation * 4;
    if (Atomics.compareExchange(this.words, 0, base + OPEN, base + TAKEN_HERE) !== base + CLAIMED) return true;
    Atomics.wait(this.words, 0, base + CLAIMED, WAIT_MS);
    return Atomics.load(this.words, 0) !== base + CLAIMED;
  }

  /** On the hashing thread: scans `bytes` into the job unless the byte pass took it first. */
  static run(buffer: SharedArrayBuffer, generation: number, bytes: Uint8Array, kernel: PrintableBlocks): void {
    const words = new Int32Array(buffer);
    const base = generation * 4;
    if (Atomics.compareExchange(words, 0, base + OPEN, base + CLAIMED) !== base + OPEN) return;
    let state = base + DONE;
    try {
      words[1] = kernel.scan(bytes, words.subarray(HEADER));
    } catch {
      state = base + TAKEN_HERE;
    }
    Atomics.store(words, 0, state);
    Atomics.notify(words, 0);
  }
}
