import type { ResolvedConfig } from "../config.js";
import { loadOptionsSchema } from "../options-loader.js";
import type { Plugin } from "../plugin.js";
import type { Registry } from "./registry.js";

/**
 * Checks the parts of a config that only mean something once the plugins are loaded: option
 * namespaces, each plugin's own options, and rule ids. Returns problems that start with the key's
 * path (`options.code-execution.allowx: ...`); empty when the config is valid. A plugin that throws
 * while validating is reported, never propagated, so the user sees a message and not a stack trace.
 * Only the schemas of the namespaces the config sets are loaded: a config without options loads no zod.
 */
export async function validateConfig(config: ResolvedConfig, registry: Registry): Promise<string[]> {
  const problems: string[] = [];
  // The namespace a plugin's detectors read options from: its rule prefix, else its package name.
  const byNamespace = new Map<string, Plugin>();
  for (const plugin of registry.plugins) byNamespace.set(plugin.meta.namespace ?? plugin.meta.name, plugin);
  const known = () => [...byNamespace.keys()].sort().join(", ") || "none";

  for (const [namespace, options] of Object.entries(config.options)) {
    const where = `options.${namespace}`;
    const plugin = byNamespace.get(namespace);
    if (!plugin) {
      problems.push(`${where}: no loaded plugin has the namespace "${namespace}" (loaded: ${known()})`);
      continue;
    }
    try {
      // The schema first: the plugin's own check may assume the shape it promises.
      const schema = await loadOptionsSchema(plugin.optionsSchema);
      let found: string[] = [];
      if (schema) {
        const { optionProblems } = await import("../option-schema.js");
        found = optionProblems(schema, options);
      }
      if (found.length === 0 && plugin.validateOptions) found = plugin.validateOptions(options);
      for (const problem of found) {
        problems.push(`${where}${problem.startsWith("[") ? "" : "."}${problem}`);
      }
    } catch (error) {
      problems.push(`${where}: ${plugin.meta.name} failed to check its options: ${(error as Error).message}`);
    }
  }

  // A misspelt rule id would silently disable nothing.
  for (const ruleId of Object.keys(config.rules)) {
    if (registry.rules.has(ruleId)) continue;
    const namespace = ruleId.includes("/") ? ruleId.slice(0, ruleId.indexOf("/")) : ruleId;
    const reason = byNamespace.has(namespace)
      ? `${byNamespace.get(namespace)?.meta.name} has no rule "${ruleId.slice(namespace.length + 1)}"`
      : `no loaded plugin has the namespace "${namespace}" (loaded: ${known()})`;
    problems.push(
      `rules["${ruleId}"]: unknown rule id "${ruleId}": ${reason} (run \`modelaudit plugins\` to list the loaded rules)`,
    );
  }
  return problems;
}
