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
  /** Told how far the byte pass of a file has read (progress within large files). */
  onRead?: (file: WalkedFile, bytes: number) => void;
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
 * Scans files on worker threads, several small files in flight per worker (their I/O and the
 * message round trips overlap). A worker that stops answering past the per-file time bound (a parser
 * stuck outside its deadline checks) or dies (out of memory) is replaced: a file it held alone is
 * reported as not fully scanned; files it held together are each retried alone on a fresh worker,
 * and reported if that one is lost too. The scan of the other files goes on.
 */
export async function scanWithWorkers(
  files: readonly WalkedFile[],
  options: WorkerPoolOptions,
  onResult: (file: WalkedFile, result: ArtifactResult) => void,
): Promise<void> {
  const workerUrl = new URL("./scan-worker.js", import.meta.url);
  const queue: Pending[] = files.map((file) => ({ file, attempts: 0 }));
  const inFlight = Math.max(1, options.inFlight ?? DEFAULT_IN_FLIGHT);
  const limitMs = options.config.limits.timeoutMs + GRACE_MS;
  let nextId = 0;

  const runWorker = async (): Promise<void> => {
    while (queue.length > 0) {
      const worker = new Worker(workerUrl, {
        workerData: {
          pluginUrls: options.pluginUrls,
          config: options.config,
          artifact: options.artifact ?? {},
          reportReading: options.onRead !== undefined,
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
      await feed(worker);
      await worker.terminate();
    }
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
          if (pending) options.onRead?.(pending.file, message.bytes);
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

  const threads = Math.max(1, Math.min(options.threads, files.length));
  // Every worker runs to the end (those that started take the queue) before a start-up failure is
  // reported, so the caller's fallback never scans a file a worker is still scanning.
  const outcomes = await Promise.allSettled(Array.from({ length: threads }, runWorker));
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
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
