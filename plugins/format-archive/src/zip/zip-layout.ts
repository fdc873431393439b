import { FORMATS } from "@modelaudit/core";
/**
 * Format labels from member names alone (labels, not policy): a torch checkpoint, a NumPy .npz,
 * a Keras v3 archive.
 */
export function zipLayoutLabels(names: readonly string[]): string[] {
  const labels: string[] = [];
  const files = names.filter((name) => !name.endsWith("/"));
  const set = new Set(files);
  // torch finds its members with miniz, which compares names case-insensitively (`archive/DATA.PKL`).
  const lower = files.map((name) => name.toLowerCase());
  const lowerSet = new Set(lower);
  const isTorch = lower.some((name) => {
    if (!name.endsWith("data.pkl")) return false;
    const prefix = name.slice(0, -"data.pkl".length);
    if (prefix !== "" && !prefix.endsWith("/")) return false;
    return (
      lowerSet.has(`${prefix}version`) ||
      lowerSet.has(`${prefix}.data/version`) ||
      lowerSet.has(`${prefix}byteorder`) ||
      lower.some((other) => other.startsWith(`${prefix}data/`))
    );
  });
  if (isTorch) labels.push(FORMATS.pytorchZip);
  if (files.length > 0 && files.every((name) => name.toLowerCase().endsWith(".npy"))) labels.push(FORMATS.npz);
  if (set.has("config.json") && set.has("model.weights.h5")) labels.push(FORMATS.keras);
  return labels;
}
