/**
 * A SIMD kernel's histogram calls handed to the hashing thread (core's KernelJobs) when it has time
 * to spare: at the thorough level the median sketch counts every value, about 1 s per GiB of q8_0
 * weights on the main thread, while the hashing thread waits for chunks half the time.
 *
 * Each of the kernel's counter slots has a twin the hashing thread counts into, so the two threads
 * never add to the same counters; `settle` brings the twin's counts in (the sketch calls it before
 * its result, and before a slot is lent again). Only windows in place in a chunk area go there: a
 * copy in the kernel's own input would be overwritten by the next window before the job ran.
 */

import { KernelJobs, type KernelMemory } from "@modelaudit/core/detector";

const BUCKETS = 65536;
const COUNTERS_BYTES = BUCKETS * 4;
/** Values a twin takes before it is settled: far below 2^32, whatever one window adds. */
const MAX_ELSEWHERE = 2 ** 30;

/**
 * The kernel as both threads run it: its module (base64), its counting export `(address, count,
 * counters)`, its `setBase` if any, and that export on this thread (for calls left to it).
 */
export interface CountingKernel {
  base64: string;
  exportName: string;
  base?: number;
  count: (address: number, count: number, counters: number) => void;
}

export class HistogramJobs {
  private kernelId = -1;
  private twins: Uint32Array[] | null = null;
  /** Per slot, the values handed over since it was last settled, and how many of them were counted here after all. */
  private readonly values: Float64Array;
  private readonly ranHere: Float64Array;

  private constructor(
    private readonly jobs: KernelJobs,
    private readonly memory: KernelMemory,
    private readonly kernel: CountingKernel,
    /** Where the kernel's counter slots start, and how many. */
    private readonly slotsAddress: number,
    slots: number,
  ) {
    this.values = new Float64Array(slots);
    this.ranHere = new Float64Array(slots);
  }

  /** Null where there are no kernel jobs (no shared memory, or MODELAUDIT_NO_KERNEL_JOBS). */
  static for(memory: KernelMemory, kernel: CountingKernel, slotsAddress: number, slots: number): HistogramJobs | null {
    const jobs = KernelJobs.get();
    return jobs ? new HistogramJobs(jobs, memory, kernel, slotsAddress, slots) : null;
  }

  /**
   * Hands `count(at, items, counters)` to the hashing thread when it has time; the `items` read from
   * `at` (bytes [at, end)) must be in place in a chunk area. False (nothing done) otherwise, and the
   * caller counts here. A call left unclaimed runs here, into `counters`, when settled.
   */
  submit(at: number, end: number, items: number, values: number, counters: Uint32Array): boolean {
    if (!this.jobs.worthSubmitting) return false;
    const slot = (counters.byteOffset - this.slotsAddress) / COUNTERS_BYTES;
    if (this.values[slot]! + values > MAX_ELSEWHERE) this.settle(counters);
    const twin = this.twin(slot);
    this.values[slot]! += values;
    const count = this.kernel.count;
    const local = counters.byteOffset;
    const ranHere = this.ranHere;
    this.jobs.submit(this.kernelId, at, items, twin.byteOffset, at, end, () => {
      count(at, items, local);
      ranHere[slot]! += values;
    });
    return true;
  }

  /** Makes the counts of one of the kernel's slots final: its jobs settled, its twin's counts added in. */
  settle(counters: Uint32Array): void {
    const slot = (counters.byteOffset - this.slotsAddress) / COUNTERS_BYTES;
    if (this.values[slot] === 0) return;
    this.jobs.settleAll();
    // Every call ran here, into the slot itself: the twin holds nothing to add.
    const elsewhere = this.values[slot]! - this.ranHere[slot]!;
    this.values[slot] = 0;
    this.ranHere[slot] = 0;
    if (elsewhere === 0) return;
    const twin = this.twin(slot);
    for (let bucket = 0; bucket < BUCKETS; bucket++) counters[bucket]! += twin[bucket]!;
    twin.fill(0);
  }

  /** A slot's twin (all reserved, and the kernel registered with the jobs, on first use). */
  private twin(slot: number): Uint32Array {
    if (this.twins === null) {
      const address = this.memory.reserve(this.values.length * COUNTERS_BYTES);
      const buffer = this.memory.buffer;
      this.twins = Array.from(
        { length: this.values.length },
        (_, index) => new Uint32Array(buffer, address + index * COUNTERS_BYTES, BUCKETS),
      );
      this.kernelId = this.jobs.register(this.kernel.base64, this.kernel.exportName, this.kernel.base);
    }
    return this.twins[slot]!;
  }
}
