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
  return resolvePackage(name, from);
}

/**
 * The file an ESM `import(name)` of a package name (or a subpath of one: `pkg/sub`, `@scope/pkg/sub`)
 * loads, looked up in the node_modules of `from` and its parents: the package's `exports` ("import",
 * "node" or "default" condition, exact subpaths and one-`*` patterns), else its `module`/`main` for the
 * bare name. Undefined when no package of that name is installed there; throws when one is but does
 * not export the subpath (Node would refuse it too).
 */
export function resolvePackage(name: string, from: string): string | undefined {
  const parts = name.split("/");
  const packageLength = name.startsWith("@") ? 2 : 1;
  if (parts.length < packageLength || parts.slice(0, packageLength).some((part) => part === "")) return undefined;
  const packageName = parts.slice(0, packageLength).join("/");
  const subpath = ["."].concat(parts.slice(packageLength)).join("/");
  let directory = path.resolve(from);
  for (;;) {
    const packageDir = path.join(directory, "node_modules", packageName);
    const manifestPath = path.join(packageDir, "package.json");
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, unknown>;
      const entry = esmEntry(manifest, subpath);
      if (entry) return path.join(packageDir, entry);
      throw new Error(`${packageName} does not export ${subpath}`);
    }
    const parent = path.dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/** The file `subpath` ("." or "./x") of a package maps to for `import`. */
function esmEntry(manifest: Record<string, unknown>, subpath: string): string | undefined {
  const exportsField = manifest.exports as unknown;
  const pick = (value: unknown): string | undefined => {
    if (typeof value === "string") return value;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const conditions = value as Record<string, unknown>;
      return pick(conditions.import) ?? pick(conditions.node) ?? pick(conditions.default);
    }
    return undefined;
  };
  const subpathMap =
    typeof exportsField === "object" &&
    exportsField !== null &&
    Object.keys(exportsField).some((key) => key.startsWith("."))
      ? (exportsField as Record<string, unknown>)
      : undefined;
  if (subpathMap) {
    if (subpath in subpathMap) return pick(subpathMap[subpath]);
    for (const [key, target] of Object.entries(subpathMap)) {
      const star = key.indexOf("*");
      if (star < 0 || key.indexOf("*", star + 1) >= 0) continue;
      const prefix = key.slice(0, star);
      const suffix = key.slice(star + 1);
      if (subpath.length < key.length - 1 || !subpath.startsWith(prefix) || !subpath.endsWith(suffix)) continue;
      const file = pick(target);
      return file?.replaceAll("*", subpath.slice(prefix.length, subpath.length - suffix.length));
    }
    return undefined;
  }
  if (exportsField !== undefined) return subpath === "." ? pick(exportsField) : undefined;
  // No `exports`: any file of the package is importable by its path.
  if (subpath !== ".") return subpath;
  return (manifest.module as string | undefined) ?? (manifest.main as string | undefined) ?? "index.js";
}
