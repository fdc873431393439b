import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { resolvePackage } from "@modelaudit/core/engine";
import type { ResolvedIo } from "./io.js";
import { DEFAULT_PRESET } from "./load-setup.js";

export const SUPPLY_CHAIN_PLUGIN = "@modelaudit/detector-supply-chain";

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
  const file = resolvePackage(SUPPLY_CHAIN_PLUGIN, path.dirname(fileURLToPath(io.resolvePlugin(DEFAULT_PRESET))));
  if (file === undefined) throw new Error(`${SUPPLY_CHAIN_PLUGIN} is not installed beside ${DEFAULT_PRESET}`);
  return pathToFileURL(file).href;
}
