import { hostname } from "node:os";
import path from "node:path";
import { UnrecoverableError, Worker } from "bullmq";
import { type Logger, pino } from "pino";
import type { EngineOptions } from "./load-engine.js";
import { openStore } from "./open-store.js";
import { DEFAULT_QUEUE_PREFIX, QUEUE_NAME, redisClient } from "./redis-queue.js";
import { ScanExecutor } from "./scan-executor.js";

export interface WorkerOptions extends EngineOptions {
  /** The data directory shared with the API (its SQLite store, unless `databaseUrl` is set). */
  dataDir: string;
  /** The API's PostgreSQL store (`DATABASE_URL`), when it has one: workers on other machines need it. */
  databaseUrl?: string;
  /** Where the API writes uploads; default `<dataDir>/blobs`. Must be the same folder the API uses. */
  blobDir?: string;
  redisUrl: string;
  /** Redis key prefix of the queue, as the service's; default "modelaudit". */
  queuePrefix?: string;
  /** Scans at once in this process; default: the CPU count. */
  threads?: number;
  scanTimeoutMs?: number;
  maxAttempts?: number;
  /** How long a job stays locked to this worker without a renewal; a killed worker's jobs move on after it. */
  lockDurationMs?: number;
  logger?: Logger;
}

export const DEFAULT_SCAN_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * A `modelaudit worker` process: takes scan ids from the BullMQ queue, runs them on its own
 * worker-thread pool and records the result in the shared store. A job whose worker dies stops
 * renewing its lock; BullMQ's stalled-job check hands it to another worker, whose claim counts the
 * attempt. The store records a completion once, so a scan finishes exactly once however many
 * workers ran it.
 */
export async function startWorker(options: WorkerOptions): Promise<{ close: () => Promise<void> }> {
  const logger = options.logger ?? pino({ name: "modelaudit-worker" });
  const actor = `${hostname()}:${process.pid}`;
  const dataDir = path.resolve(options.dataDir);
  const store = await openStore({ dataDir, databaseUrl: options.databaseUrl });
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const executor = new ScanExecutor({
    store,
    blobDir: path.resolve(options.blobDir ?? path.join(dataDir, "blobs")),
    engine: engineOptions(options),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    scanTimeoutMs: options.scanTimeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS,
    maxAttempts,
    actor,
    logger,
  });
  const lockDuration = options.lockDurationMs ?? 30_000;
  const client = redisClient(options.redisUrl);
  const worker = new Worker<{ id: string }>(
    QUEUE_NAME,
    async (job) => {
      const outcome = await executor.execute(job.data.id);
      // Thrown so BullMQ schedules the retry (its attempts match the store's).
      if (outcome === "retry") throw new Error("the scan was interrupted; it will be retried");
      // A failed scan (attempts used up, time budget) ends in BullMQ's failed set, its dead letter on
      // Redis, with the scan's reason: kept there (removeOnFail) for operators, never retried.
      if (outcome === "failed") {
        const reason = (await store.get(job.data.id))?.error ?? "the scan failed";
        throw new UnrecoverableError(reason);
      }
      return outcome;
    },
    {
      connection: client,
      prefix: options.queuePrefix ?? DEFAULT_QUEUE_PREFIX,
      concurrency: executor.threads,
      lockDuration,
      stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
      maxStalledCount: maxAttempts,
    },
  );
  // Dead letter: a job BullMQ gives up on (attempts used, or stalled too often) fails its scan with the reason.
  worker.on("failed", async (job, error) => {
    if (!job || error instanceof UnrecoverableError) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(error.message);
    if (!final) return;
    const reason = /stalled/i.test(error.message)
      ? "the workers running this scan stopped too many times"
      : `gave up after ${job.attemptsMade} attempts`;
    try {
      if (await store.fail(job.data.id, reason, actor))
        logger.warn({ scanId: job.data.id, reason }, "scan dead-lettered");
    } catch (storeError) {
      logger.error({ scanId: job.data.id, err: storeError }, "could not record a dead-lettered scan");
    }
  });
  worker.on("error", (error) => logger.error({ err: error }, "queue error"));
  await worker.waitUntilReady();
  logger.info({ actor, threads: executor.threads }, "worker ready");
  return {
    close: async () => {
      await worker.close();
      await client.quit().catch(() => undefined);
      await executor.close();
      await store.close();
    },
  };
}

export function engineOptions(options: EngineOptions): EngineOptions {
  return {
    cwd: options.cwd ?? process.cwd(),
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    ...(options.config !== undefined ? { config: options.config } : {}),
    ...(options.pluginNames !== undefined ? { pluginNames: options.pluginNames } : {}),
    ...(options.pluginDirs !== undefined ? { pluginDirs: options.pluginDirs } : {}),
  };
}
