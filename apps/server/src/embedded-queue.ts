import type { Logger } from "pino";
import type { ScanExecutor } from "./scan-executor.js";
import type { ScanStore } from "./store.js";

/** Where the API hands scans: run here (embedded) or on a Redis queue for `modelaudit worker` processes. */
export interface ScanQueue {
  readonly kind: "embedded" | "redis";
  start(): Promise<void>;
  enqueue(id: string): Promise<void>;
  /** The scan was deleted: stop it or drop its job. */
  cancel(id: string): Promise<void>;
  running(): number;
  close(): Promise<void>;
}

/**
 * The single-process default: queued scans live in the store (so a restart finds them) and run on
 * this process's worker-thread pool, oldest first, as many at once as the pool has threads.
 */
export class EmbeddedQueue implements ScanQueue {
  readonly kind = "embedded";
  readonly #store: ScanStore;
  readonly #executor: ScanExecutor;
  readonly #maxAttempts: number;
  readonly #logger: Logger;
  readonly #inflight = new Set<string>();
  #closed = false;
  #dispatching = false;
  #kickAgain = false;

  constructor(store: ScanStore, executor: ScanExecutor, maxAttempts: number, logger: Logger) {
    this.#store = store;
    this.#executor = executor;
    this.#maxAttempts = maxAttempts;
    this.#logger = logger;
  }

  async start(): Promise<void> {
    // One service per data directory: whatever was running when it last stopped was interrupted.
    await this.#store.reserveForEmbeddedService?.();
    const recovered = await this.#store.recoverInterrupted(this.#maxAttempts, "embedded");
    if (recovered.requeued + recovered.failed > 0) this.#logger.warn(recovered, "recovered interrupted scans");
    this.#kick();
  }

  async enqueue(): Promise<void> {
    this.#kick();
  }

  async cancel(id: string): Promise<void> {
    this.#executor.cancel(id);
  }

  running(): number {
    return this.#inflight.size;
  }

  /** Starts queued scans while the pool has free threads. One pass at a time; a kick during a pass runs another after it. */
  #kick(): void {
    if (this.#dispatching) {
      this.#kickAgain = true;
      return;
    }
    this.#dispatching = true;
    this.#dispatch()
      .catch((error: unknown) => this.#logger.error({ err: error }, "could not read the queued scans"))
      .finally(() => {
        this.#dispatching = false;
        if (this.#kickAgain) {
          this.#kickAgain = false;
          this.#kick();
        }
      });
  }

  async #dispatch(): Promise<void> {
    if (this.#closed) return;
    const free = this.#executor.threads - this.#inflight.size;
    if (free <= 0) return;
    const ids = (await this.#store.queued(free + this.#inflight.size)).filter((id) => !this.#inflight.has(id));
    for (const id of ids.slice(0, free)) {
      this.#inflight.add(id);
      this.#executor.execute(id).then(() => {
        this.#inflight.delete(id);
        this.#kick();
      });
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#executor.close();
  }
}
