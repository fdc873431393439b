import { rm } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { Piscina } from "piscina";
import type { EngineOptions } from "./load-engine.js";
import type { ScanResult, ScanTask } from "./scan-worker.js";
import type { ScanStore } from "./store.js";

export interface ExecutorOptions {
  store: ScanStore;
  /** Where uploads sit, one folder per scan id (shared by every process that runs scans). */
  blobDir: string;
  engine: EngineOptions;
  /** Pool threads, i.e. scans at once in this process; default: the CPU count. */
  threads?: number;
  /** Wall-clock budget of one scan; past it the thread is stopped and its slot freed. */
  scanTimeoutMs: number;
  /** Attempts before a scan that keeps being interrupted is failed. */
  maxAttempts: number;
  /** Heap cap of each pool thread, in MB (the engine's per-file limits keep scans well below it). */
  threadMemoryMb?: number;
  /** Recorded in the store's events: which process did what. */
  actor: string;
  logger: Logger;
}

/** What running a scan came to. `retry`: interrupted by an unexpected error with attempts left. */
export type Outcome = "done" | "failed" | "skipped" | "retry";

/** The pool thread's module: built next to this file; from the sources (tests), the built copy. */
function workerFile(): string {
  const here = import.meta.url;
  const url = here.endsWith(".ts") ? new URL("../dist/scan-worker.js", here) : new URL("./scan-worker.js", here);
  return fileURLToPath(url);
}

/**
 * Runs queued scans on a piscina worker-thread pool and records the outcome in the store. Used by
 * the embedded service and by `modelaudit worker` alike.
 */
export class ScanExecutor {
  readonly threads: number;
  readonly #options: ExecutorOptions;
  readonly #pool: Piscina<ScanTask, ScanResult>;
  readonly #running = new Map<string, AbortController>();

  constructor(options: ExecutorOptions) {
    this.#options = options;
    this.threads = options.threads ?? availableParallelism();
    this.#pool = new Piscina<ScanTask, ScanResult>({
      filename: workerFile(),
      minThreads: 1,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: options.threadMemoryMb ?? 4096 },
    });
  }

  get active(): number {
    return this.#running.size;
  }

  /** Stops a running scan (its owner deleted it); its thread is terminated by piscina. */
  cancel(id: string): void {
    this.#running.get(id)?.abort(new CancelledError());
  }

  readonly #inflight = new Set<Promise<Outcome>>();

  /** Claims and runs one scan; never rejects (every failure is recorded on the scan). */
  execute(id: string): Promise<Outcome> {
    const promise = this.#execute(id).catch((error: unknown) => {
      this.#options.logger.error({ scanId: id, err: error }, "scan bookkeeping failed");
      return "retry" as const;
    });
    this.#inflight.add(promise);
    promise.finally(() => this.#inflight.delete(promise));
    return promise;
  }

  async #execute(id: string): Promise<Outcome> {
    const { store, logger, actor, maxAttempts } = this.#options;
    const claim = await store.claim(id, maxAttempts, actor);
    const uploadDirectory = path.join(this.#options.blobDir, id);
    if (claim.kind === "finished") {
      // Finished by a process killed between recording the result and removing the upload: remove it now.
      await rm(uploadDirectory, { recursive: true, force: true });
      return "skipped";
    }
    if (claim.kind === "exhausted") {
      logger.warn({ scanId: id, attempts: claim.row.attempts }, "scan failed: attempts used up");
      await this.#removeUpload(claim.row.job.kind, uploadDirectory);
      return "failed";
    }
    const { row } = claim;
    logger.info({ scanId: id, attempt: row.attempts }, "scan started");
    const task: ScanTask = {
      engine: this.#options.engine,
      paths: row.job.kind === "upload" ? [uploadDirectory] : row.job.inputs,
      ...(row.job.kind === "upload" ? { uploadDirectory } : {}),
      ...(row.job.level ? { level: row.job.level } : {}),
      ...(row.job.failOn ? { failOn: row.job.failOn } : {}),
    };
    const controller = new AbortController();
    this.#running.set(id, controller);
    const budget = setTimeout(() => controller.abort(new BudgetError()), this.#options.scanTimeoutMs);
    const started = Date.now();
    let outcome: Outcome;
    try {
      const result = await this.#pool.run(task, { signal: controller.signal });
      const recorded = await store.complete(id, result.report, result.exitCode, actor);
      logger.info({ scanId: id, exitCode: result.exitCode, ms: Date.now() - started, recorded }, "scan done");
      outcome = recorded ? "done" : "skipped";
    } catch (error) {
      const reason = controller.signal.reason;
      if (reason instanceof CancelledError) {
        outcome = "skipped";
      } else if (reason instanceof ShutdownError) {
        // This process is stopping: the scan goes back to the queue with its upload.
        await store.requeue(id);
        outcome = "retry";
      } else if (reason instanceof BudgetError) {
        const seconds = Math.round(this.#options.scanTimeoutMs / 100) / 10;
        await store.fail(id, `the scan took longer than its time budget of ${seconds} s and was stopped`, actor);
        logger.warn({ scanId: id }, "scan stopped: time budget used up");
        outcome = "failed";
      } else if (row.attempts < maxAttempts) {
        // A pool thread that died (e.g. out of memory) or a plugin bug: try again, then give up.
        logger.error({ scanId: id, err: error }, "scan attempt failed; retrying");
        await store.requeue(id);
        outcome = "retry";
      } else {
        await store.fail(id, "the scan engine failed on this input; see the server log", actor);
        logger.error({ scanId: id, err: error }, "scan failed");
        outcome = "failed";
      }
    } finally {
      clearTimeout(budget);
      this.#running.delete(id);
    }
    if (outcome !== "retry") await this.#removeUpload(row.job.kind, uploadDirectory);
    return outcome;
  }

  /** Uploaded bytes never outlive their scan. */
  async #removeUpload(kind: string, directory: string): Promise<void> {
    if (kind === "upload") await rm(directory, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    for (const controller of this.#running.values()) controller.abort(new ShutdownError());
    await Promise.all(this.#inflight);
    await this.#pool.destroy();
  }
}

class BudgetError extends Error {
  constructor() {
    super("time budget used up");
  }
}

class CancelledError extends Error {
  constructor() {
    super("scan cancelled");
  }
}

class ShutdownError extends Error {
  constructor() {
    super("the process is stopping");
  }
}
