import { createHash, type Hash } from "node:crypto";
import { type Config, resolveConfig } from "../config.js";
import { buildRegistry } from "../engine/registry.js";
import { scan } from "../engine/scan.js";
import type { TensorFact } from "../facts.js";
import { API_VERSION, definePlugin, type Plugin, type Preset, type TensorConsumer } from "../plugin.js";
import type { Report } from "../report.js";

/** One tensor as the engine's tensor channel delivered it to a subscriber. */
export interface ReadTensor {
  name: string;
  dtype: TensorFact["dtype"];
  formatDtype: string;
  shape: number[];
  byteOrder: TensorFact["byteOrder"];
  aliases: string[];
  /** Member chain of the source the data came from, joined with " > ". */
  dataChain: string;
  /** Bytes delivered (little-endian element bytes) and their SHA-256. */
  byteLength: number;
  sha256: string;
  complete: boolean;
}

/**
 * Scans paths at the thorough level with a detector that subscribes to every tensor, and returns what
 * the channel delivered, in declaration order: for tests that read a format's tensors back.
 */
export async function readTensors(
  paths: readonly string[],
  plugins: readonly (Plugin | Preset)[],
  config: Config = {},
): Promise<{ tensors: ReadTensor[]; report: Report }> {
  const tensors: ReadTensor[] = [];
  const recorder = definePlugin({
    meta: { name: "@modelaudit/core/testing/read-tensors", version: "0.0.0", namespace: "read-tensors" },
    apiVersion: API_VERSION,
    detectors: [
      {
        id: "read-tensors",
        description: "test-only: records the tensor data the engine delivers",
        facts: [],
        tensors: {},
        rules: [],
        create: () => ({
          onTensor(tensor): TensorConsumer {
            const hash: Hash = createHash("sha256");
            const entry: ReadTensor = {
              name: tensor.fact.name,
              dtype: tensor.fact.dtype,
              formatDtype: tensor.fact.formatDtype,
              shape: [...tensor.fact.shape],
              byteOrder: tensor.fact.byteOrder,
              aliases: [...(tensor.fact.aliases ?? [])],
              dataChain: tensor.dataOrigin.memberChain.join(" > "),
              byteLength: 0,
              sha256: "",
              complete: false,
            };
            tensors.push(entry);
            return {
              data(chunk) {
                hash.update(chunk);
                entry.byteLength += chunk.length;
              },
              end(complete) {
                entry.complete = complete;
                entry.sha256 = hash.digest("hex");
              },
            };
          },
        }),
      },
    ],
  });
  const report = await scan(paths, {
    registry: buildRegistry([...plugins, recorder]),
    config: resolveConfig({ ...config, level: "thorough" }),
    concurrency: 1,
  });
  return { tensors, report };
}
