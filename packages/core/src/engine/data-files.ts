import { realpath } from "node:fs/promises";
import path from "node:path";
import type { ArtifactResult } from "./scan-artifact.js";

/**
 * Settles files that are another model's data, over the results of one scan (each file is scanned
 * on its own, in any order, on any thread): a file whose name says model and that no handler reads
 * (`weights.bin`, the external data of `model.onnx`) is inconclusive on its own; when a model of the
 * same scan reads it as its data and handed its bytes on as tensors, that reason is lifted and the
 * entry names the model (`dataOf`). A model-named file no model reads stays inconclusive. Results
 * are returned in the same order; only the entries of such data files change.
 */
export async function settleDataFiles(results: readonly ArtifactResult[]): Promise<ArtifactResult[]> {
  const readers = new Map<string, Set<string>>();
  for (const result of results) {
    for (const file of result.dataFiles ?? []) {
      const models = readers.get(file) ?? new Set<string>();
      models.add(result.entry.path);
      readers.set(file, models);
    }
  }
  if (readers.size === 0) return [...results];
  return Promise.all(
    results.map(async (result) => {
      const reason = result.unreadModelName;
      if (reason === undefined) return result;
      const real = await realpath(result.entry.path).catch(() => path.resolve(result.entry.path));
      const models = [...(readers.get(real) ?? [])].filter((model) => model !== result.entry.path).sort();
      if (models.length === 0) return result;
      const { entry } = result;
      const reasons = entry.reasons.filter((each) => each !== reason);
      const outcome =
        entry.outcome === "inconclusive" && reasons.length === 0
          ? result.findings.length > 0
            ? "findings"
            : "clean"
          : entry.outcome;
      const { unreadModelName: _lifted, ...rest } = result;
      return { ...rest, entry: { ...entry, outcome, reasons, dataOf: models } };
    }),
  );
}
