/**
 * The magic index's table scan as a WebAssembly SIMD kernel (kernels/magic-pairs.wat): 16 offsets a
 * step, four nibble tables flag every offset whose two bytes start some magic and a few others,
 * whose pairs are then looked up in the index's table; it stops at the first group of 16 offsets
 * holding a set pair. Several times the speed of the word loop it stands in for. Null where
 * WebAssembly SIMD is missing or MODELAUDIT_NO_SIMD is set: the word loop then runs.
 */

import { MAGIC_PAIRS_WASM } from "./kernels/magic-pairs.wasm.js";
import { AlignedArea, instantiateKernel, KernelMemory } from "./wasm-kernel.js";

/** Where the bytes go in the kernel's area (the nibble tables are below, the pairs table after). */
const DATA = 64;
const PAIRS = 131072;
/** The kernel's area in the KernelMemory. */
const AREA_BYTES = PAIRS + 65536;
/** Offsets one copy covers: the kernel's memory holds them, their next byte and slack below PAIRS. */
export const PAIR_FILTER_BLOCK = 65536;

interface Kernel {
  setBase(address: number): void;
  find(from: number, to: number): number;
}

let instance: PairFilter | null | undefined;

export class PairFilter {
  private readonly tables: Uint8Array;
  private readonly pairs: Uint8Array;
  private readonly data: AlignedArea;
  /** Where the bytes given last start (in place, or in the data area), less DATA: `find` adds it to offsets. */
  private shift = 0;
  /** The pairs table the nibble tables were built from. */
  private loaded: Uint8Array | undefined;

  static get(): PairFilter | null {
    if (instance === undefined) {
      const kernel = instantiateKernel<Kernel>(MAGIC_PAIRS_WASM);
      const memory = KernelMemory.get();
      instance = kernel && memory ? new PairFilter(kernel, memory) : null;
    }
    return instance;
  }

  private constructor(
    private readonly kernel: Kernel,
    memory: KernelMemory,
  ) {
    const base = memory.reserve(AREA_BYTES);
    kernel.setBase(base);
    const buffer = memory.buffer;
    this.tables = new Uint8Array(buffer, base, DATA);
    this.pairs = new Uint8Array(buffer, base + PAIRS, 65536);
    this.data = new AlignedArea(buffer, base + DATA, PAIR_FILTER_BLOCK + 32);
  }

  /**
   * Loads a pairs table (`first | second << 8` set for each magic's first two bytes) and its nibble
   * tables, unless it is the one loaded last. The nibble tables are built once per pairs table: the
   * executable search and the full index's take turns chunk by chunk, and building them walks all
   * 65536 pairs, copying them does not.
   */
  load(pairs: Uint8Array): void {
    if (this.loaded === pairs) return;
    this.pairs.set(pairs);
    let tables = builtTables.get(pairs);
    if (!tables) {
      tables = nibbleTables(pairs);
      builtTables.set(pairs, tables);
    }
    this.tables.set(tables);
    this.loaded = pairs;
  }

  /**
   * Makes `bytes` the ones to filter (at most PAIR_FILTER_BLOCK + 1: the offsets' bytes and the last
   * one's next byte): in place in a chunk of the KernelMemory, else copied at their own alignment
   * (AlignedArea); `find` takes offsets of the bytes either way.
   */
  copy(bytes: Uint8Array): void {
    // The kernel reads from address DATA + p.
    this.shift = this.data.copy(bytes) - DATA;
  }

  /**
   * The first group start p = from, from + 16, ... below `to` among whose 16 offsets (of the copied
   * bytes) one starts a set pair; a value not below `to` when none does. Offsets past the copied
   * bytes (stale bytes) may be found too: callers look only at theirs.
   */
  find(from: number, to: number): number {
    return this.kernel.find(from + this.shift, to + this.shift) - this.shift;
  }
}

/** The nibble tables of each pairs table loaded so far (kept while the table lives). */
const builtTables = new WeakMap<Uint8Array, Uint8Array>();

/**
 * The four nibble tables of a pairs table (see the .wat). Pairs go to buckets by their first byte,
 * so that the pairs sharing one (pickle's protocols, Mach-O's byte orders) add few nibbles.
 */
function nibbleTables(pairs: Uint8Array): Uint8Array {
  const tables = new Uint8Array(DATA);
  const buckets = new Int8Array(256).fill(-1);
  let used = 0;
  for (let key = 0; key < 65536; key++) {
    if (pairs[key] === 0) continue;
    const first = key & 0xff;
    const second = key >>> 8;
    if (buckets[first] === -1) buckets[first] = used++ % 8;
    const bit = 1 << buckets[first]!;
    tables[first & 15]! |= bit;
    tables[16 + (first >>> 4)]! |= bit;
    tables[32 + (second & 15)]! |= bit;
    tables[48 + (second >>> 4)]! |= bit;
  }
  return tables;
}
