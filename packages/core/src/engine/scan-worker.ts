import { parentPort, workerData } from "node:worker_threads";
import type { ResolvedConfig } from "../config.js";
import { isPlugin, isPreset, type Plugin, type Preset } from "../plugin.js";
import { buildRegistry } from "./registry.js";
import { scanArtifact } from "./scan-artifact.js";
import type { FromWorker, ToWorker } from "./worker-pool.js";

// Worker-thread entry: imports the plugins by URL, then scans one file per message.
const { pluginUrls, config } = workerData as { pluginUrls: string[]; config: ResolvedConfig };
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
  port.on("message", async (message: ToWorker) => {
    const result = await scanArtifact(message.path, message.size, registry, config);
    port.postMessage({ type: "result", id: message.id, result } satisfies FromWorker);
  });
  port.postMessage({ type: "ready" } satisfies FromWorker);
} catch (error) {
  port.postMessage({ type: "failed", error: (error as Error).message } satisfies FromWorker);
}
