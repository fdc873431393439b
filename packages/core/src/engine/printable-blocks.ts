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
}
