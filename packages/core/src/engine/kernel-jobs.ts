/**
 * Kernel calls a thread hands to its hashing thread while that thread has time to spare. At the
 * thorough level the hashing thread of a large file is idle about half the time while the main
 * thread runs the tensor kernels in turn; a counting kernel (a histogram into counters of its own)
 * can run there instead. Work-stealing keeps the owner in charge: a job the hashing thread has not
 * claimed when the owner needs its result (`settle`) is run by the owner itself, so nothing ever
 * waits on a job that has not started, and a thread without a hashing thread runs every job itself.
 *
 * A job is a call of one export of a registered kernel with three i32 arguments, on the thread's
 * KernelMemory (both threads instantiate the kernel on that one shared memory). It writes only what
 * its arguments name: the call the hashing thread runs counts into counters of its own, and a stolen
 * job runs into the owner's, so two threads never count into the same words. The bytes a job reads
 * must stay put until it is settled: callers submit only bytes in place in a chunk area of the
 * KernelMemory, and the jobs reading an area are settled before the memory lends it again.
 *
 * Exported from `@modelaudit/core/detector`.
 */
import type { Worker } from "node:worker_threads";
import { KernelMemory } from "./wasm-kernel.js";

/** Jobs in the ring at most: past them, the oldest is settled before a new one is written. */
const SLOTS = 256;
/** Int32 words per slot: state, kernel id, three arguments (padded to a power of two). */
const WORDS = 8;
const FREE = 0;
const OPEN = 1;
const CLAIMED = 2;
const DONE = 3;
/** The other thread claimed the job and its kernel threw: its counts are not to be trusted. */
const FAILED = 4;
/** Word of the ring's header (after the slots) counting the jobs the other thread ran. */
const RAN_ELSEWHERE = SLOTS * WORDS;
/** How long the owner waits for a claimed job before it gives up on the other thread. */
const WAIT_MS = 10_000;

/** A kernel as the hashing thread instantiates it: its module's bytes, the export to call, its base. */
export interface JobKernel {
  id: number;
  base64: string;
  exportName: string;
  /** Passed to the kernel's `setBase` export first, for kernels that address their area from a global. */
  base?: number;
}

/** Messages from the owner to the thread that runs its jobs. */
export type ToJobRunner =
  | { type: "kernel-jobs"; memory: WebAssembly.Memory; ring: SharedArrayBuffer; kernels: JobKernel[] }
  | { type: "kernel-job-kernel"; kernel: JobKernel };

export class KernelJobs {
  private static instance: KernelJobs | null | undefined;
  private readonly ring: SharedArrayBuffer;
  private readonly words: Int32Array;
  private readonly kernels: JobKernel[] = [];
  /** How to run each slot's job here: the same call into the owner's own counters. */
  private readonly here: ((() => void) | undefined)[] = new Array(SLOTS);
  /** The KernelMemory bytes each slot's job reads: [start, end). */
  private readonly reads = new Float64Array(SLOTS * 2);
  /** Jobs written so far; those from `settled` on may still be open. */
  private written = 0;
  private settled = 0;
  private runner: { port: Worker; hasTime: () => boolean } | null = null;
  /** A job was claimed and not finished: jobs stay on this thread from then on. */
  private failed = false;

  /** This thread's jobs; null without shared WebAssembly memory, or with MODELAUDIT_NO_KERNEL_JOBS set. */
  static get(): KernelJobs | null {
    if (KernelJobs.instance === undefined) {
      KernelJobs.instance =
        process.env.MODELAUDIT_NO_KERNEL_JOBS || KernelMemory.get() === null ? null : new KernelJobs();
    }
    return KernelJobs.instance;
  }

  private constructor() {
    this.ring = new SharedArrayBuffer((SLOTS * WORDS + 1) * 4);
    this.words = new Int32Array(this.ring);
    // A chunk area lent again is overwritten: the jobs reading it are settled first.
    KernelMemory.get()?.beforeReuse((start, end) => this.settleReading(start, end));
  }

  /**
   * The hashing thread runs this thread's jobs from now on (between its chunks): it is sent the
   * memory, the ring and the kernels. `hasTime` says whether it has time to spare now.
   */
  attach(port: Worker, hasTime: () => boolean): void {
    if (this.failed) return;
    const memory = KernelMemory.get() as KernelMemory;
    this.runner = { port, hasTime };
    port.postMessage({
      type: "kernel-jobs",
      memory: memory.memory,
      ring: this.ring,
      kernels: this.kernels,
    } satisfies ToJobRunner);
  }

  /** The thread that ran the jobs is gone: every job not yet claimed is run here when settled. */
  detach(port: Worker): void {
    if (this.runner?.port === port) this.runner = null;
  }

  /** Makes `exportName` of a kernel (the base64 of its module, as `instantiateKernel` takes) a job kernel. */
  register(base64: string, exportName: string, base?: number): number {
    const kernel: JobKernel = { id: this.kernels.length, base64, exportName, ...(base !== undefined && { base }) };
    this.kernels.push(kernel);
    this.runner?.port.postMessage({ type: "kernel-job-kernel", kernel } satisfies ToJobRunner);
    return kernel.id;
  }

  /** Whether a job submitted now would likely run elsewhere: a thread runs them and has time to spare. */
  get worthSubmitting(): boolean {
    return this.runner?.hasTime() === true;
  }

  /** Jobs the other thread has run so far (for tests and measurements). */
  get ranElsewhere(): number {
    return Atomics.load(this.words, RAN_ELSEWHERE);
  }

  /**
   * Submits `kernel(a, b, c)` for the other thread, which reads the KernelMemory bytes [start, end)
   * (in place in a chunk area); `here` is the same work for this thread (into its own counters), run
   * if the job is still unclaimed when settled.
   */
  submit(kernel: number, a: number, b: number, c: number, start: number, end: number, here: () => void): void {
    if (this.written - this.settled >= SLOTS) this.settleOne();
    const index = this.written % SLOTS;
    this.reads[index * 2] = start;
    this.reads[index * 2 + 1] = end;
    this.here[index] = here;
    const slot = index * WORDS;
    const words = this.words;
    words[slot + 1] = kernel;
    words[slot + 2] = a;
    words[slot + 3] = b;
    words[slot + 4] = c;
    this.written++;
    Atomics.store(words, slot, OPEN);
  }

  /** Whether some job is not settled yet. */
  get pending(): boolean {
    return this.settled < this.written;
  }

  /**
   * Every job submitted so far is done when this returns: run here if unclaimed, waited for if
   * claimed. Throws when the other thread claimed a job and never finished it (its counts are lost).
   */
  settleAll(): void {
    while (this.settled < this.written) this.settleOne();
  }

  /** Settles the jobs up to the last one that reads bytes in [start, end) (jobs settle in order). */
  private settleReading(start: number, end: number): void {
    let through = -1;
    for (let job = this.settled; job < this.written; job++) {
      const index = (job % SLOTS) * 2;
      if ((this.reads[index] as number) < end && (this.reads[index + 1] as number) > start) through = job;
    }
    while (this.settled <= through) this.settleOne();
  }

  private settleOne(): void {
    const index = this.settled % SLOTS;
    const slot = index * WORDS;
    const words = this.words;
    const here = this.here[index];
    this.here[index] = undefined;
    this.settled++;
    for (;;) {
      if (Atomics.compareExchange(words, slot, OPEN, FREE) === OPEN) {
        here?.();
        return;
      }
      const state = Atomics.load(words, slot);
      if (state === DONE) {
        Atomics.store(words, slot, FREE);
        return;
      }
      // Claimed: wait for it (the other thread may also hand it back open, then it runs here).
      if (state === CLAIMED && Atomics.wait(words, slot, CLAIMED, WAIT_MS) !== "timed-out") continue;
      if (state === OPEN) continue;
      // Claimed and not finished in time (its writes may still land), or failed: the counts are not
      // whole, and no job goes to another thread again (the slot is never written while it may write).
      this.runner = null;
      this.failed = true;
      throw new Error("the hashing thread did not finish a kernel job");
    }
  }
}

/** The hashing thread's side: kernels instantiated on the owner's memory, and the ring to drain. */
export class JobRunner {
  private ring: Int32Array | null = null;
  private memory: WebAssembly.Memory | null = null;
  private readonly calls: (((a: number, b: number, c: number) => void) | undefined)[] = [];

  receive(message: ToJobRunner): void {
    if (message.type === "kernel-jobs") {
      this.memory = message.memory;
      this.ring = new Int32Array(message.ring);
      for (const kernel of message.kernels) this.add(kernel);
    } else {
      this.add(message.kernel);
    }
  }

  /** Runs every open job whose kernel is here; a job of a kernel not received yet stays open. */
  drain(): void {
    const ring = this.ring;
    if (!ring) return;
    for (let index = 0; index < SLOTS; index++) {
      const slot = index * WORDS;
      if (Atomics.load(ring, slot) !== OPEN || !this.calls[ring[slot + 1] as number]) continue;
      if (Atomics.compareExchange(ring, slot, OPEN, CLAIMED) !== OPEN) continue;
      // Read once claimed: the slot may have been settled and written again since the check above.
      const call = this.calls[ring[slot + 1] as number];
      if (!call) {
        // A kernel not received yet: handed back open, for the owner (or a later drain).
        Atomics.store(ring, slot, OPEN);
        Atomics.notify(ring, slot);
        continue;
      }
      let state = DONE;
      try {
        call(ring[slot + 2] as number, ring[slot + 3] as number, ring[slot + 4] as number);
        Atomics.add(ring, RAN_ELSEWHERE, 1);
      } catch {
        // The owner sees a job that did not finish and says so.
        state = FAILED;
      }
      Atomics.store(ring, slot, state);
      Atomics.notify(ring, slot);
    }
  }

  private add(kernel: JobKernel): void {
    if (!this.memory) return;
    try {
      const module = new WebAssembly.Module(Buffer.from(kernel.base64, "base64"));
      const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
      const exports = instance.exports as Record<string, unknown>;
      if (kernel.base !== undefined) (exports.setBase as (address: number) => void)(kernel.base);
      const call = exports[kernel.exportName];
      if (typeof call === "function") this.calls[kernel.id] = call as (a: number, b: number, c: number) => void;
    } catch {
      // Not runnable here: its jobs stay open and their owner runs them.
    }
  }
}
