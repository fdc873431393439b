import { createBunRedisClient, type IRedisClient, Queue } from "bullmq";
import type { Logger } from "pino";
import type { ScanQueue } from "./embedded-queue.js";
import { RespClient, type RespTarget } from "./resp-client.js";
import type { ScanStore } from "./store.js";

export const QUEUE_NAME = "modelaudit-scans";
/** Redis key prefix; services sharing one Redis keep apart with their own. */
export const DEFAULT_QUEUE_PREFIX = "modelaudit";

/** Where a `redis://[user:password@]host:port[/db]` (or `rediss://`) URL points. */
export function redisTarget(url: string): RespTarget {
  const parsed = new URL(url);
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new Error("REDIS_URL must start with redis:// or rediss://");
  }
  const db = parsed.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d{1,2}$/.test(db)) throw new Error("the database in REDIS_URL must be a number");
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: true } : {}),
  };
}

/** A BullMQ connection: BullMQ's adapter for Bun-style clients over our RESP client (see resp-client.ts). */
export function redisClient(url: string): IRedisClient {
  return createBunRedisClient(new RespClient(redisTarget(url)));
}

/** Scale-out: the API puts each scan's id on a BullMQ queue; `modelaudit worker` processes run them. */
export class RedisQueue implements ScanQueue {
  readonly kind = "redis";
  readonly #queue: Queue;
  readonly #client: IRedisClient;
  readonly #store: ScanStore;
  readonly #maxAttempts: number;
  readonly #logger: Logger;

  constructor(url: string, prefix: string, store: ScanStore, maxAttempts: number, logger: Logger) {
    this.#client = redisClient(url);
    this.#queue = new Queue(QUEUE_NAME, { connection: this.#client, prefix });
    this.#store = store;
    this.#maxAttempts = maxAttempts;
    this.#logger = logger;
  }

  async start(): Promise<void> {
    // An unreachable Redis stops start-up with a message instead of a service that never answers.
    let timer: NodeJS.Timeout | undefined;
    const unreachable = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error("cannot reach Redis at REDIS_URL within 15 s")), 15_000);
    });
    try {
      await Promise.race([this.#queue.waitUntilReady(), unreachable]);
    } finally {
      clearTimeout(timer);
    }
    // A scan stored but not yet queued when the API stopped: queue it now (the job id makes this idempotent).
    for (const id of await this.#store.queued(10_000)) await this.enqueue(id);
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
    // A client instance handed to BullMQ is shared: it is ours to close.
    await this.#client.quit().catch(() => undefined);
  }
}
