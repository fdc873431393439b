import { parentPort, workerData } from "node:worker_threads";
import type { ResolvedConfig } from "../config.js";
import { isPlugin, isPreset, type Plugin, type Preset } from "../plugin.js";
import { loadArtifactDetectors } from "./detector-loading.js";
import { buildRegistry } from "./registry.js";
import { type ArtifactResult, type ArtifactScanOptions, scanArtifact } from "./scan-artifact.js";
import type { FromWorker, ToWorker } from "./worker-pool.js";

// Worker-thread entry: imports the plugins by URL, then scans the files each message names (several at once).

/** Results sent in one message at most, while more files are in hand. */
const RESULT_BATCH = 8;
const { pluginUrls, config, artifact, reportReading } = workerData as {
  pluginUrls: string[];
  config: ResolvedConfig;
  artifact: ArtifactScanOptions;
  /** Whether the pool wants `reading` messages (it shows progress). */
  reportReading: boolean;
};
const port = parentPort;
if (!port) throw new Error("scan-worker must run in a worker thread");

try {
  const entries: (Plugin | Preset)[] = [];
  for (const url of pluginUrls) {
    const module = (await import(url)) as { default?: unknown };
    const candidate = module.default ?? module;
    if (!isPlugin(candidate) && !isPreset(candidate)) throw new Error(`${url} is not a plugin or preset`);
    entries.push(candidate);
  }
  const registry = buildRegistry(entries);
  // The lazy detectors every file creates are imported before the worker says it is ready: it starts
  // while the walk runs, so the first files find them loaded (a failed import is kept, never thrown).
  await loadArtifactDetectors(registry, config.level);
  // Results travel in batches: when this worker has nothing left in hand, or every RESULT_BATCH
  // results (each message costs a wake-up of the main thread).
  let outbox: { id: number; result: ArtifactResult }[] = [];
  let inHand = 0;
  const flush = () => {
    port.postMessage({ type: "results", results: outbox } satisfies FromWorker);
    outbox = [];
  };
  port.on("message", (message: ToWorker) => {
    inHand += message.files.length;
    for (const file of message.files) {
      const options: ArtifactScanOptions = reportReading
        ? {
            ...artifact,
            onRead: (bytes) => port.postMessage({ type: "reading", id: file.id, bytes } satisfies FromWorker),
          }
        : artifact;
      scanArtifact(file.path, file.size, registry, config, options).then((result) => {
        inHand--;
        outbox.push({ id: file.id, result });
        if (inHand === 0 || outbox.length >= RESULT_BATCH) flush();
      });
    }
  });
  port.postMessage({ type: "ready" } satisfies FromWorker);
} catch (error) {
  port.postMessage({ type: "failed", error: (error as Error).message } satisfies FromWorker);
}
