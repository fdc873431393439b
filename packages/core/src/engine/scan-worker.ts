import { parentPort, workerData } from "node:worker_threads";
import type { ResolvedConfig } from "../config.js";
import { isPlugin, isPreset, type Plugin, type Preset } from "../plugin.js";
import { buildRegistry } from "./registry.js";
import { type ArtifactResult, type ArtifactScanOptions, scanArtifact } from "./scan-artifact.js";
import type { FromWorker, ToWorker } from "./worker-pool.js";

// Worker-thread entry: imports the plugins by URL, then scans one file per message (several at once).
const { pluginUrls, config, artifact } = workerData as {
  pluginUrls: string[];
  config: ResolvedConfig;
  artifact: ArtifactScanOptions;
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
  // Results that finish in the same turn of the event loop travel in one message.
  let outbox: { id: number; result: ArtifactResult }[] = [];
  const flush = () => {
    port.postMessage({ type: "results", results: outbox } satisfies FromWorker);
    outbox = [];
  };
  port.on("message", async (message: ToWorker) => {
    const result = await scanArtifact(message.path, message.size, registry, config, artifact);
    if (outbox.length === 0) setImmediate(flush);
    outbox.push({ id: message.id, result });
  });
  port.postMessage({ type: "ready" } satisfies FromWorker);
} catch (error) {
  port.postMessage({ type: "failed", error: (error as Error).message } satisfies FromWorker);
}
