import { FORMATS } from "@modelaudit/core";
/**
 * Format labels from member names alone (labels, not policy): a torch checkpoint, a NumPy .npz,
 * a Keras v3 archive.
 */
export function zipLayoutLabels(names: readonly string[]): string[] {
  const labels: string[] = [];
  const files = names.filter((name) => !name.endsWith("/"));
  const set = new Set(files);
  const isTorch = files.some((name) => {
    if (!name.endsWith("data.pkl")) return false;
    const prefix = name.slice(0, -"data.pkl".length);
    if (prefix !== "" && !prefix.endsWith("/")) return false;
    return (
      set.has(`${prefix}version`) ||
      set.has(`${prefix}.data/version`) ||
      set.has(`${prefix}byteorder`) ||
      files.some((other) => other.startsWith(`${prefix}data/`))
    );
  });
  if (isTorch) labels.push(FORMATS.pytorchZip);
  if (files.length > 0 && files.every((name) => name.toLowerCase().endsWith(".npy"))) labels.push(FORMATS.npz);
  if (set.has("config.json") && set.has("model.weights.h5")) labels.push(FORMATS.keras);
  return labels;
}
