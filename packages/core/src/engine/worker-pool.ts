import { Worker } from "node:worker_threads";
import type { ResolvedConfig } from "../config.js";
import type { ArtifactResult, ArtifactScanOptions } from "./scan-artifact.js";
import type { WalkedFile } from "./walk.js";

/** Messages between the pool and `scan-worker.js`. */
export type ToWorker = { type: "scan"; files: { id: number; path: string; size: number }[] };
export type FromWorker =
  | { type: "ready" }
  | { type: "results"; results: { id: number; result: ArtifactResult }[] }
  /** Bytes of a file read so far by its byte pass (sent only when the pool asks for them). */
  | { type: "reading"; id: number; bytes: number }
  | { type: "failed"; error: string };

export interface WorkerPoolOptions {
  /** File URLs of plugin or preset modules; each worker imports them itself. */
  pluginUrls: string[];
  config: ResolvedConfig;
  threads: number;
  /** Heap limit per worker, so one hostile file cannot take the machine down. */
  maxHeapMb?: number;
  /** Files handed to one worker before it answers: small files keep it busy while results travel. */
  inFlight?: number;
  /** Passed to every artifact scan. */
  artifact?: ArtifactScanOptions;
  /** Whether workers report how far the byte pass of a file has read (`WorkerPool.scan`'s `onRead`). */
  reportReading?: boolean;
}

/** Worker threads started ahead of the files they will scan. */
export interface WorkerPool {
  /**
   * Scans the files (once per pool) on the started workers, as many as there are files at most;
   * rejects when the workers cannot start. Results come through `onResult` as files finish.
   */
  scan(
    files: readonly WalkedFile[],
    onResult: (file: WalkedFile, result: ArtifactResult) => void,
    /** Told how far the byte pass of a file has read (with `reportReading`). */
    onRead?: (file: WalkedFile, bytes: number) => void,
  ): Promise<void>;
  /** Stops the workers that were started and given no files (when `scan` is not called, all of them). */
  close(): Promise<void>;
}

/** Files queued per worker: enough to hide the message round trips of small files. */
const DEFAULT_IN_FLIGHT = 16;
/** Fewer files than this in flight on a worker: top it up (in one message) from the queue. */
const REFILL_BELOW = 12;
/**
 * A further file joins those in flight on a worker only while their sizes stay under this: large
 * files are scanned one at a time, so files sharing a thread never share their time bounds.
 */
const IN_FLIGHT_BYTES = 4 * 1024 * 1024;
/** Extra time a worker gets past the per-file bound before it is stopped. */
const GRACE_MS = 5_000;

interface Pending {
  file: WalkedFile;
  /** Lost workers this file was in flight on (with others); a retried file is sent alone. */
  attempts: number;
}

/**
 * Starts `threads` workers now: each imports every plugin, which takes a while (the scan starts them
 * only for work that outweighs it). Then `scan` runs files on them, several small files
 * in flight per worker (their I/O and the message round trips overlap). A worker that stops
 * answering past the per-file time bound (a parser stuck outside its deadline checks) or dies (out
 * of memory) is replaced: a file it held alone is reported as not fully scanned; files it held
 * together are each retried alone on a fresh worker, and reported if that one is lost too. The scan
 * of the other files goes on.
 */
export function startWorkers(options: WorkerPoolOptions): WorkerPool {
  const workerUrl = new URL("./scan-worker.js", import.meta.url);
  const inFlight = Math.max(1, options.inFlight ?? DEFAULT_IN_FLIGHT);
  const limitMs = options.config.limits.timeoutMs + GRACE_MS;
  const queue: Pending[] = [];
  let onResult: (file: WalkedFile, result: ArtifactResult) => void = () => undefined;
  let onRead: ((file: WalkedFile, bytes: number) => void) | undefined;
  let nextId = 0;

  /** A worker that has imported the plugins; rejects (the worker stopped) when it could not. */
  const startWorker = async (): Promise<Worker> => {
    const worker = new Worker(workerUrl, {
      workerData: {
        pluginUrls: options.pluginUrls,
        config: options.config,
        artifact: options.artifact ?? {},
        reportReading: options.reportReading === true,
      },
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 2048 },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        worker.once("message", (message: FromWorker) => {
          if (message.type === "ready") resolve();
          else if (message.type === "failed") reject(new Error(message.error));
        });
        worker.once("error", reject);
      });
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return worker;
  };
  const started = Array.from({ length: Math.max(1, options.threads) }, startWorker);
  // A start-up failure is reported by `scan`; until then (or if it never runs) it is handled here.
  for (const starting of started) starting.catch(() => undefined);
  let used = 0;

  /** Runs one of the started workers, then fresh ones in its place while files are queued. */
  const runWorker = async (first: Promise<Worker>): Promise<void> => {
    let starting: Promise<Worker> | undefined = first;
    do {
      const worker = await (starting ?? startWorker());
      starting = undefined;
      await feed(worker);
      await worker.terminate();
    } while (queue.length > 0);
  };

  /** Keeps up to `inFlight` files on the worker until the queue is empty or the worker has to go. */
  const feed = (worker: Worker): Promise<void> =>
    new Promise<void>((resolve) => {
      const sent = new Map<number, Pending & { sentAt: number }>();
      let timer: NodeJS.Timeout | undefined;

      const fill = () => {
        const batch: ToWorker["files"] = [];
        // Topped up in one message once it runs low, not one message per finished file.
        if (sent.size < Math.min(inFlight, REFILL_BELOW) || sent.size === 0) {
          const now = Date.now();
          let bytes = bytesInFlight();
          while (sent.size < inFlight && queue.length > 0) {
            const next = queue[0] as Pending;
            // A file retried after a lost worker goes alone, so a second loss names the file that caused it.
            if (sent.size > 0 && (next.attempts > 0 || bytes + next.file.size > IN_FLIGHT_BYTES)) break;
            const pending = queue.shift() as Pending;
            const id = nextId++;
            sent.set(id, { ...pending, sentAt: now });
            bytes += pending.file.size;
            batch.push({ id, path: pending.file.path, size: pending.file.size });
            if (pending.attempts > 0) break;
          }
        }
        if (batch.length > 0) worker.postMessage({ type: "scan", files: batch } satisfies ToWorker);
        if (sent.size === 0) stop();
        else armTimer();
      };
      const bytesInFlight = () => {
        let bytes = 0;
        for (const pending of sent.values()) bytes += pending.file.size;
        return bytes;
      };
      // One timer, for the file sent first of those still in flight.
      const armTimer = () => {
        clearTimeout(timer);
        const oldest = Math.min(...[...sent.values()].map((pending) => pending.sentAt));
        timer = setTimeout(
          () => fail(`did not finish within ${limitMs} ms; its worker was stopped`),
          oldest + limitMs - Date.now(),
        );
      };
      const onMessage = (message: FromWorker) => {
        if (message.type === "reading") {
          const pending = sent.get(message.id);
          if (pending) onRead?.(pending.file, message.bytes);
          return;
        }
        if (message.type !== "results") return;
        for (const { id, result } of message.results) {
          const pending = sent.get(id);
          if (!pending) continue;
          sent.delete(id);
          onResult(pending.file, result);
        }
        fill();
      };
      const onError = (error: Error) => fail(`worker failed: ${error.message}`);
      const onExit = (code: number) => fail(`worker exited with code ${code} (out of memory?)`);
      /**
       * The worker is lost. A file it held alone is reported; several are queued again, each to be
       * retried alone (a lost worker does not say which of its files stopped it).
       */
      const fail = (why: string) => {
        const held = [...sent.values()].sort((left, right) => right.sentAt - left.sentAt);
        sent.clear();
        for (const pending of held) {
          if (held.length === 1 || pending.attempts > 0) onResult(pending.file, unfinished(pending.file, why));
          else queue.unshift({ file: pending.file, attempts: pending.attempts + 1 });
        }
        stop();
      };
      const stop = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        resolve();
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      fill();
    });

  /** Stops started workers from `from` on (those no scan uses). */
  const stopUnused = async (from: number) => {
    const unused = started.slice(from).map((starting) => starting.catch(() => undefined));
    await Promise.all(unused.map(async (starting) => (await starting)?.terminate()));
  };

  return {
    async scan(files, resultHandler, readHandler) {
      if (used > 0) throw new Error("a worker pool scans one list of files");
      onResult = resultHandler;
      onRead = readHandler;
      for (const file of files) queue.push({ file, attempts: 0 });
      used = Math.max(1, Math.min(started.length, files.length));
      const unused = stopUnused(used);
      // Every worker runs to the end (those that started take the queue) before a start-up failure is
      // reported, so the caller's fallback never scans a file a worker is still scanning.
      const outcomes = await Promise.allSettled(started.slice(0, used).map(runWorker));
      await unused;
      const failed = outcomes.find((outcome) => outcome.status === "rejected");
      if (failed) throw failed.reason;
    },
    close: () => stopUnused(used),
  };
}

function unfinished(file: WalkedFile, why: string): ArtifactResult {
  return {
    entry: {
      path: file.path,
      size: file.size,
      formats: [],
      sha256: null,
      outcome: "inconclusive",
      reasons: [`scan ${why}`],
      members: 0,
      durationMs: 0,
    },
    findings: [],
    checks: [],
  };
}
