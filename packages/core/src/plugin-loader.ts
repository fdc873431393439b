import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PluginError } from "./engine/registry.js";
import { isPlugin, isPreset, type Plugin, type Preset } from "./plugin.js";

export interface LoadedPlugins {
  entries: (Plugin | Preset)[];
  /** The module URL of each entry, so worker threads can import the same modules. */
  urls: string[];
}

/**
 * Loads plugins and presets by npm package name. A name is looked up first in the node_modules of
 * `from` and its parents (the user's project), then through `fallbackResolve` (for the CLI: its own
 * dependencies, via `import.meta.resolve`). Relative or absolute paths load a local file.
 */
export async function loadPlugins(
  names: readonly string[],
  options: { from: string; fallbackResolve?: (name: string) => string },
): Promise<LoadedPlugins> {
  const loaded: LoadedPlugins = { entries: [], urls: [] };
  for (const name of names) {
    let url: string;
    let module: unknown;
    try {
      const local = resolveFromProject(name, options.from);
      if (local) url = pathToFileURL(local).href;
      else if (options.fallbackResolve) url = options.fallbackResolve(name);
      else throw new Error("not installed");
      module = await import(url);
    } catch (error) {
      throw new PluginError(`cannot load plugin ${name}: ${(error as Error).message}`);
    }
    const candidate = (module as { default?: unknown }).default ?? module;
    if (!isPlugin(candidate) && !isPreset(candidate)) {
      throw new PluginError(`${name} does not export a plugin or preset as its default export`);
    }
    loaded.entries.push(candidate);
    loaded.urls.push(url);
  }
  return loaded;
}

function resolveFromProject(name: string, from: string): string | undefined {
  if (name.startsWith(".") || path.isAbsolute(name)) {
    const file = path.resolve(from, name);
    if (existsSync(file)) return file;
    throw new Error(`no such file ${file}`);
  }
  let directory = path.resolve(from);
  for (;;) {
    const packageDir = path.join(directory, "node_modules", name);
    const manifestPath = path.join(packageDir, "package.json");
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, unknown>;
      const entry = esmEntry(manifest);
      if (entry) return path.join(packageDir, entry);
    }
    const parent = path.dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

function esmEntry(manifest: Record<string, unknown>): string | undefined {
  const exportsField = manifest.exports as unknown;
  const pick = (value: unknown): string | undefined => {
    if (typeof value === "string") return value;
    if (typeof value === "object" && value !== null) {
      const conditions = value as Record<string, unknown>;
      return pick(conditions.import) ?? pick(conditions.node) ?? pick(conditions.default);
    }
    return undefined;
  };
  if (typeof exportsField === "object" && exportsField !== null && "." in exportsField) {
    return pick((exportsField as Record<string, unknown>)["."]);
  }
  return pick(exportsField) ?? (manifest.module as string | undefined) ?? (manifest.main as string | undefined);
}
