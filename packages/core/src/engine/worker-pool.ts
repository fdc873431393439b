import { Worker } from "node:worker_threads";
import type { ResolvedConfig } from "../config.js";
import type { ArtifactResult } from "./scan-artifact.js";
import type { WalkedFile } from "./walk.js";

/** Messages between the pool and `scan-worker.js`. */
export type ToWorker = { type: "scan"; id: number; path: string; size: number };
export type FromWorker =
  | { type: "ready" }
  | { type: "result"; id: number; result: ArtifactResult }
  | { type: "failed"; error: string };

export interface WorkerPoolOptions {
  /** File URLs of plugin or preset modules; each worker imports them itself. */
  pluginUrls: string[];
  config: ResolvedConfig;
  threads: number;
  /** Heap limit per worker, so one hostile file cannot take the machine down. */
  maxHeapMb?: number;
}

/**
 * Scans files on worker threads. A worker that stops answering past the per-file time bound (a
 * parser stuck outside its deadline checks) or dies (out of memory) is replaced, and its file is
 * reported as not fully scanned: the scan of the other files goes on.
 */
export async function scanWithWorkers(
  files: readonly WalkedFile[],
  options: WorkerPoolOptions,
  onResult: (file: WalkedFile, result: ArtifactResult) => void,
): Promise<void> {
  const workerUrl = new URL("./scan-worker.js", import.meta.url);
  let next = 0;
  let nextId = 0;
  const graceMs = 5_000;

  const runWorker = async (): Promise<void> => {
    while (next < files.length) {
      const worker = new Worker(workerUrl, {
        workerData: { pluginUrls: options.pluginUrls, config: options.config },
        resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 2048 },
      });
      const alive = await new Promise<boolean>((resolve, reject) => {
        worker.once("message", (message: FromWorker) => {
          if (message.type === "ready") resolve(true);
          else if (message.type === "failed") reject(new Error(message.error));
        });
        worker.once("error", reject);
      });
      if (!alive) return;
      // Feed this worker until it finishes the queue or has to be replaced.
      for (;;) {
        const file = files[next++];
        if (!file) {
          await worker.terminate();
          return;
        }
        const id = nextId++;
        const outcome = await new Promise<ArtifactResult | string>((resolve) => {
          const timer = setTimeout(
            () =>
              resolve(`did not finish within ${options.config.limits.timeoutMs + graceMs} ms; its worker was stopped`),
            options.config.limits.timeoutMs + graceMs,
          );
          const onMessage = (message: FromWorker) => {
            if (message.type === "result" && message.id === id) finish(message.result);
          };
          const onError = (error: Error) => finish(`worker failed: ${error.message}`);
          const onExit = (code: number) => finish(`worker exited with code ${code} (out of memory?)`);
          const finish = (value: ArtifactResult | string) => {
            clearTimeout(timer);
            worker.off("message", onMessage);
            worker.off("error", onError);
            worker.off("exit", onExit);
            resolve(value);
          };
          worker.on("message", onMessage);
          worker.on("error", onError);
          worker.on("exit", onExit);
          worker.postMessage({ type: "scan", id, path: file.path, size: file.size } satisfies ToWorker);
        });
        if (typeof outcome !== "string") {
          onResult(file, outcome);
          continue;
        }
        onResult(file, {
          entry: {
            path: file.path,
            size: file.size,
            formats: [],
            sha256: null,
            outcome: "inconclusive",
            reasons: [`scan ${outcome}`],
            members: 0,
            durationMs: 0,
          },
          findings: [],
          checks: [],
        });
        await worker.terminate();
        break; // start a fresh worker for the rest
      }
    }
  };

  const threads = Math.max(1, Math.min(options.threads, files.length));
  await Promise.all(Array.from({ length: threads }, runWorker));
}
