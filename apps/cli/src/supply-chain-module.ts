import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ResolvedIo } from "./io.js";

export const SUPPLY_CHAIN_PLUGIN = "@modelaudit/detector-supply-chain";
const PRESET = "@modelaudit/preset-recommended";

/**
 * The supply-chain plugin's module (its hash-database and signature code), loaded by name like any
 * plugin. A package that ships the CLI with the recommended preset (the `modelaudit` package) may not
 * list the plugin itself, and strict layouts (pnpm) only let the preset see it: then it is found
 * beside the preset.
 */
export async function importSupplyChain<T>(io: ResolvedIo): Promise<T> {
  try {
    return (await import(io.resolvePlugin(SUPPLY_CHAIN_PLUGIN))) as T;
  } catch (direct) {
    try {
      return (await import(besidePreset(io))) as T;
    } catch {
      throw direct;
    }
  }
}

function besidePreset(io: ResolvedIo): string {
  const preset = fileURLToPath(io.resolvePlugin(PRESET));
  const manifestPath = createRequire(preset).resolve(`${SUPPLY_CHAIN_PLUGIN}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    main?: string;
    exports?: { ".": { import?: string } };
  };
  const entry = manifest.exports?.["."]?.import ?? manifest.main ?? "index.js";
  return pathToFileURL(path.join(path.dirname(manifestPath), entry)).href;
}
