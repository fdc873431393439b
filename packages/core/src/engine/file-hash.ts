import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { createDigester, type Digests, type HashAlgorithm } from "./digester.js";
import { KernelJobs } from "./kernel-jobs.js";
import type { BlockScanJob } from "./printable-blocks.js";
import { KernelMemory } from "./wasm-kernel.js";

export type { Digests, HashAlgorithm } from "./digester.js";

/** Messages between `file-hash.ts` and `hash-worker.js`. */
export type ToHashWorker =
  | {
      type: "update";
      id: number;
      /** The chunk: `length` bytes of `buffer` from `offset`. */
      buffer: SharedArrayBuffer;
      offset: number;
      length: number;
      algorithms: readonly HashAlgorithm[];
      /** A printable-blocks scan of the chunk to do first (BlockScanJob.run). */
      blocks?: { buffer: SharedArrayBuffer; generation: number };
    }
  | { type: "end"; id: number; algorithms: readonly HashAlgorithm[] };
export type FromHashWorker =
  /** A chunk is hashed: acks come in the order the chunks were posted. */
  { type: "ack"; id: number } | { type: "digest"; id: number; digests: Digests };

/** The digests of a file or member, fed chunk by chunk in order during its byte pass. */
export interface FileHash {
  /**
   * Resolves at once unless the hashing thread is too far behind (then when it has caught up).
   * `blocks`: the chunk's printable-blocks scan, opened for this chunk (generation), which the
   * hashing thread does first unless the caller has taken it; ignored where hashing runs inline.
   */
  update(chunk: Uint8Array, blocks?: { job: BlockScanJob; generation: number }): Promise<void> | void;
  /** Whether hashing runs on its own thread (which then also does the scans `update` is given). */
  readonly threaded: boolean;
  digest(): Promise<Digests>;
  /**
   * A buffer of `length` bytes to read the next chunk into (absent when hashing runs inline): a
   * chunk read into it, from its start, reaches the hashing thread without a copy. The thread only
   * reads it; it is lent again once hashed, so its bytes are valid until the caller's next `buffer`
   * call after `update` (the byte pass holds a chunk no longer than that).
   */
  buffer?(length: number): Uint8Array;
}

/** Files at least this large hash on the worker thread: below it, posting costs more than it saves. */
export const OFFLOAD_BYTES = 32 * 1024 * 1024;
/** Chunks posted and not yet hashed, at most: bounds the copies held in flight. */
const MAX_IN_FLIGHT = 4;
/** Hashed buffers kept for reuse: those in flight, the one being read into and the one being processed. */
const MAX_SPARE = MAX_IN_FLIGHT + 2;

const WORKER_URL = new URL("./hash-worker.js", import.meta.url);

/** A hash for a file of `size` bytes: on the shared hashing thread when large, inline otherwise. */
export function createFileHash(
  size: number,
  workerUrl: URL = WORKER_URL,
  algorithms: readonly HashAlgorithm[] = ["sha256"],
): FileHash {
  if (size >= OFFLOAD_BYTES) {
    const thread = HashThread.get(workerUrl);
    if (thread) return thread.stream(algorithms);
  }
  const digester = createDigester(algorithms);
  return {
    threaded: false,
    update: (chunk) => digester.update(chunk),
    digest: async () => digester.digest(),
  };
}

interface Pending {
  inFlight: number;
  drained: (() => void) | null;
  digested: ((digests: Digests) => void) | null;
  failed: (error: Error) => void;
}

/**
 * One worker thread shared by every file of the process. It is referenced only while a stream is
 * open, so an idle thread never keeps the process alive; if it dies, open streams fail (their file
 * gets no hash and says why) and the next file starts a new thread.
 */
class HashThread {
  private static threads = new Map<string, HashThread | null>();
  private readonly worker: Worker;
  private readonly streams = new Map<number, Pending>();
  private nextId = 0;
  /**
   * Shared buffers the thread has hashed and handed back, for the next copies. Shared, not
   * transferred: detaching a transferred ArrayBuffer waited on the garbage collector's sweeping
   * (about 2 ms a chunk, half a second per GiB), sharing one costs nothing. Areas of the
   * KernelMemory go back to it instead.
   */
  private readonly spare: Uint8Array[] = [];
  /** The chunks posted and not yet hashed, in the order they were posted (and are acknowledged). */
  private readonly hashing: Uint8Array[] = [];

  static get(url: URL): HashThread | null {
    const key = url.href;
    if (!HashThread.threads.has(key)) {
      // Run from sources (tests), the worker script is not built: hash inline.
      HashThread.threads.set(key, existsSync(fileURLToPath(url)) ? new HashThread(url) : null);
    }
    return HashThread.threads.get(key) ?? null;
  }

  private constructor(url: URL) {
    this.worker = new Worker(url);
    this.worker.unref();
    this.worker.on("message", (message: FromHashWorker) => this.receive(message));
    // Between chunks the thread runs this thread's kernel jobs, taken while it keeps up: fewer chunks
    // waiting for it than the most it is given at once (with one, half of thorough's q8_0 counting
    // stayed on this thread while the hashing thread idled).
    const jobs = KernelJobs.get();
    jobs?.attach(this.worker, () => this.hashing.length < MAX_IN_FLIGHT);
    const fail = (error: Error) => {
      jobs?.detach(this.worker);
      HashThread.threads.delete(url.href);
      // The thread is gone: the chunks it held are free again.
      for (const buffer of this.hashing.splice(0)) this.handBack(buffer);
      for (const stream of this.streams.values()) stream.failed(error);
      this.streams.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`the hashing thread exited (code ${code})`)));
  }

  stream(algorithms: readonly HashAlgorithm[]): FileHash {
    const id = this.nextId++;
    let failure: Error | null = null;
    let rejectDigest: ((error: Error) => void) | null = null;
    const pending: Pending = {
      inFlight: 0,
      drained: null,
      digested: null,
      failed: (error) => {
        failure = error;
        pending.drained?.();
        rejectDigest?.(error);
      },
    };
    if (this.streams.size === 0) this.worker.ref();
    this.streams.set(id, pending);
    // Buffers this stream lent to read chunks into (`FileHash.buffer`), not yet posted.
    const lent = new Set<Uint8Array>();
    return {
      threaded: true,
      buffer: (length) => {
        const buffer = this.bufferFor(length);
        lent.add(buffer);
        return buffer;
      },
      update: (chunk, blocks) => {
        if (failure) throw failure;
        const buffer = this.posted(chunk, lent);
        this.hashing.push(buffer);
        this.worker.postMessage({
          type: "update",
          id,
          buffer: buffer.buffer as SharedArrayBuffer,
          offset: buffer.byteOffset,
          length: chunk.length,
          algorithms,
          blocks: blocks && { buffer: blocks.job.buffer, generation: blocks.generation },
        } satisfies ToHashWorker);
        pending.inFlight++;
        if (pending.inFlight < MAX_IN_FLIGHT) return;
        return new Promise<void>((resolve) => {
          pending.drained = resolve;
        });
      },
      digest: () =>
        new Promise<Digests>((resolve, reject) => {
          if (failure) return reject(failure);
          pending.digested = resolve;
          rejectDigest = reject;
          this.worker.postMessage({ type: "end", id, algorithms } satisfies ToHashWorker);
        }),
    };
  }

  /**
   * The shared buffer that carries `chunk` to the thread: its own when it was read into a lent one
   * (no copy), else a copy (the pass reuses the chunk's buffer) into one the thread handed back, so
   * the steady state allocates nothing.
   */
  private posted(chunk: Uint8Array, lent: Set<Uint8Array>): Uint8Array {
    for (const buffer of lent) {
      if (buffer.buffer === chunk.buffer && buffer.byteOffset === chunk.byteOffset && chunk.length <= buffer.length) {
        lent.delete(buffer);
        return buffer;
      }
    }
    const buffer = this.bufferFor(chunk.length);
    buffer.set(chunk);
    return buffer;
  }

  /**
   * `length` bytes of shared memory: an area of the KernelMemory whenever one is free (kernels read
   * it in place), else a buffer of its own, kept for reuse while areas are all out.
   */
  private bufferFor(length: number): Uint8Array {
    const area = KernelMemory.get()?.chunk(length);
    if (area) return area;
    const index = this.spare.findIndex((buffer) => buffer.length >= length);
    if (index >= 0) return (this.spare.splice(index, 1)[0] as Uint8Array).subarray(0, length);
    return new Uint8Array(new SharedArrayBuffer(length));
  }

  /** A hashed chunk's buffer goes back to the KernelMemory, or to the spare ones. */
  private handBack(buffer: Uint8Array): void {
    const memory = KernelMemory.get();
    if (memory?.holds(buffer)) memory.giveBack(buffer);
    else if (this.spare.length < MAX_SPARE) this.spare.push(new Uint8Array(buffer.buffer));
  }

  private receive(message: FromHashWorker): void {
    if (message.type === "ack") {
      const buffer = this.hashing.shift();
      if (buffer) this.handBack(buffer);
    }
    const stream = this.streams.get(message.id);
    if (!stream) return;
    if (message.type === "ack") {
      stream.inFlight--;
      const drained = stream.drained;
      stream.drained = null;
      drained?.();
      return;
    }
    this.streams.delete(message.id);
    if (this.streams.size === 0) this.worker.unref();
    stream.digested?.(message.digests);
  }
}
