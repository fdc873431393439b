import type { Registry } from "./registry.js";

/**
 * One problem per plugin named in another's `requires` that is not loaded: without it that plugin
 * would run blind (no archive members, no labels it waits for) and report files clean.
 */
export function missingRequirements(registry: Registry): string[] {
  const loaded = new Set(registry.plugins.map((plugin) => plugin.meta.name));
  const problems: string[] = [];
  for (const plugin of registry.plugins) {
    for (const required of plugin.requires ?? []) {
      if (loaded.has(required)) continue;
      problems.push(
        `${plugin.meta.name} needs ${required}, which is not loaded: add it to "plugins" in the config, ` +
          "or extend a preset that includes it",
      );
    }
  }
  return problems;
}
