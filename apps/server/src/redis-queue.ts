import { type ConnectionOptions, Queue } from "bullmq";
import type { Logger } from "pino";
import type { ScanQueue } from "./embedded-queue.js";
import type { ScanStore } from "./store.js";

export const QUEUE_NAME = "modelaudit-scans";

/** BullMQ connection settings from a `redis://[user:password@]host:port[/db]` URL. */
export function redisConnection(url: string): ConnectionOptions {
  const parsed = new URL(url);
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new Error("REDIS_URL must start with redis:// or rediss://");
  }
  const db = parsed.pathname.replace(/^\//, "");
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    // Workers block on the queue; BullMQ requires ioredis not to give up on those commands.
    maxRetriesPerRequest: null,
  };
}

/** Scale-out: the API puts each scan's id on a BullMQ queue; `modelaudit worker` processes run them. */
export class RedisQueue implements ScanQueue {
  readonly kind = "redis";
  readonly #queue: Queue;
  readonly #store: ScanStore;
  readonly #maxAttempts: number;
  readonly #logger: Logger;

  constructor(url: string, store: ScanStore, maxAttempts: number, logger: Logger) {
    this.#queue = new Queue(QUEUE_NAME, { connection: redisConnection(url) });
    this.#store = store;
    this.#maxAttempts = maxAttempts;
    this.#logger = logger;
  }

  async start(): Promise<void> {
    await this.#queue.waitUntilReady();
    // A scan stored but not yet queued when the API stopped: queue it now (the job id makes this idempotent).
    for (const id of this.#store.queued(10_000)) await this.enqueue(id);
  }

  async enqueue(id: string): Promise<void> {
    await this.#queue.add(
      "scan",
      { id },
      {
        // The scan id as job id: adding the same scan twice keeps one job.
        jobId: id,
        attempts: this.#maxAttempts,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 10_000 },
      },
    );
  }

  async cancel(id: string): Promise<void> {
    // A waiting job goes; a running one finds its scan deleted when it completes and records nothing.
    await this.#queue.remove(id).catch((error: unknown) => this.#logger.warn({ err: error }, "could not drop job"));
  }

  running(): number {
    return 0;
  }

  async close(): Promise<void> {
    await this.#queue.close();
  }
}
