import type { FactKind } from "../facts.js";
import {
  type Detector,
  type FormatHandler,
  isPlugin,
  isPreset,
  type Plugin,
  type Preset,
  type RuleMeta,
  validatePlugin,
} from "../plugin.js";

export interface RegisteredRule {
  id: string;
  name: string;
  namespace: string;
  plugin: string;
  meta: RuleMeta;
}

export interface RegisteredDetector {
  detector: Detector;
  plugin: Plugin;
  namespace: string;
}

/** Everything the loaded plugins provide, checked once. */
export interface Registry {
  plugins: Plugin[];
  handlers: FormatHandler[];
  detectors: RegisteredDetector[];
  rules: Map<string, RegisteredRule>;
  /** Fact kinds at least one detector consumes; handlers' other facts are dropped early. */
  subscribedKinds: Set<FactKind>;
}

export class PluginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PluginError";
  }
}

/** Flattens presets, validates every plugin, and rejects duplicate names, namespaces and handler ids. */
export function buildRegistry(entries: readonly (Plugin | Preset)[]): Registry {
  const plugins: Plugin[] = [];
  const byName = new Map<string, Plugin>();
  const add = (entry: Plugin | Preset) => {
    if (isPlugin(entry)) {
      const existing = byName.get(entry.meta.name);
      // The same version twice is one plugin: a package's eager entry beside its lazy `/manifest` entry
      // (a config naming a plugin the preset already loads); the first loaded is kept.
      if (existing === entry || existing?.meta.version === entry.meta.version) return;
      if (existing) throw new PluginError(`plugin ${entry.meta.name} is loaded twice in different versions`);
      byName.set(entry.meta.name, entry);
      plugins.push(entry);
    } else if (isPreset(entry)) {
      for (const plugin of entry.plugins) add(plugin);
    } else {
      throw new PluginError("a loaded module is neither a plugin nor a preset");
    }
  };
  for (const entry of entries) add(entry);

  const problems = plugins.flatMap(validatePlugin);
  if (problems.length > 0) throw new PluginError(problems.join("\n"));

  const handlers: FormatHandler[] = [];
  const handlerIds = new Set<string>();
  const detectors: RegisteredDetector[] = [];
  const rules = new Map<string, RegisteredRule>();
  const namespaces = new Map<string, string>();
  const subscribedKinds = new Set<FactKind>();

  for (const plugin of plugins) {
    for (const handler of plugin.formats ?? []) {
      if (handlerIds.has(handler.id)) throw new PluginError(`format handler id ${handler.id} is defined twice`);
      handlerIds.add(handler.id);
      handlers.push(handler);
    }
    const namespace = plugin.meta.namespace;
    if (namespace) {
      const owner = namespaces.get(namespace);
      if (owner) throw new PluginError(`namespace ${namespace} is used by both ${owner} and ${plugin.meta.name}`);
      namespaces.set(namespace, plugin.meta.name);
      for (const [name, rule] of Object.entries(plugin.rules ?? {})) {
        const id = `${namespace}/${name}`;
        rules.set(id, { id, name, namespace, plugin: plugin.meta.name, meta: rule.meta });
      }
    }
    // A detector with no rules (one that only records, or only marks inconclusive) needs no namespace.
    for (const detector of plugin.detectors ?? []) {
      detectors.push({ detector, plugin, namespace: namespace ?? plugin.meta.name });
      for (const kind of detector.facts) subscribedKinds.add(kind);
    }
  }
  return { plugins, handlers, detectors, rules, subscribedKinds };
}
