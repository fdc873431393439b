import type { Registry } from "./registry.js";

export interface PluginListing {
  name: string;
  version: string;
  namespace: string | null;
  formats: { id: string; description: string }[];
  detectors: { id: string; description: string; facts: string[]; bytes: boolean }[];
  rules: {
    id: string;
    severity: string;
    confidence: number;
    recommended: boolean;
    description: string;
    docsUrl: string | null;
  }[];
}

/** What the loaded plugins provide; the same shape as `modelaudit plugins --format json`. */
export function listPlugins(registry: Registry): PluginListing[] {
  const rules = [...registry.rules.values()];
  return registry.plugins.map((plugin) => ({
    name: plugin.meta.name,
    version: plugin.meta.version,
    namespace: plugin.meta.namespace ?? null,
    formats: (plugin.formats ?? []).map((handler) => ({ id: handler.id, description: handler.description })),
    detectors: (plugin.detectors ?? []).map((detector) => ({
      id: detector.id,
      description: detector.description,
      facts: [...detector.facts],
      bytes: detector.bytes === true,
    })),
    rules: rules
      .filter((rule) => rule.plugin === plugin.meta.name)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((rule) => ({
        id: rule.id,
        severity: rule.meta.severity,
        confidence: rule.meta.confidence,
        recommended: rule.meta.recommended,
        description: rule.meta.description,
        docsUrl: rule.meta.docs?.url ?? null,
      })),
  }));
}
