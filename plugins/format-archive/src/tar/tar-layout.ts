import { FORMATS } from "@modelaudit/core";
/**
 * Format labels from tar member names alone (labels, not policy). NeMo's `save_to` writes a tar of
 * its working folder (`./model_config.yaml`, `./model_weights.ckpt`, tokenizer files).
 */
export function tarLayoutLabels(names: readonly string[]): string[] {
  const roots = new Set(names.map((name) => name.replace(/^(\.\/)+/, "")));
  return roots.has("model_config.yaml") && roots.has("model_weights.ckpt") ? [FORMATS.nemo] : [];
}
