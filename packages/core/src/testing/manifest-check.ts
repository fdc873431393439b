import { isDeepStrictEqual } from "node:util";
import { type Detector, type Plugin, validatePlugin } from "../plugin.js";

/**
 * What a test of a plugin's lazy entry (`manifest`: detector code imported on first need) checks
 * against its eager default export, as a list of problems (empty when they agree): the same meta,
 * rules, options check, handlers and detector inputs, and every lazy detector's code imports.
 */
export async function checkManifest(manifest: Plugin, plugin: Plugin): Promise<string[]> {
  const problems = validatePlugin(manifest);
  const same = (what: string, a: unknown, b: unknown) => {
    if (!isDeepStrictEqual(a, b)) problems.push(`${what} differs between the manifest and the plugin`);
  };
  // Every other member (meta, rules, options checks, requires, and any the contract adds) is the same value.
  const keys = new Set([...Object.keys(manifest), ...Object.keys(plugin)]);
  for (const key of [...keys].sort()) {
    if (key === "formats" || key === "detectors") continue;
    same(key, manifest[key as keyof Plugin], plugin[key as keyof Plugin]);
  }
  same(
    "format handlers",
    (manifest.formats ?? []).map(({ id, description, magic }) => ({ id, description, magic })),
    (plugin.formats ?? []).map(({ id, description, magic }) => ({ id, description, magic })),
  );
  same("detectors", (manifest.detectors ?? []).map(inputsOf), (plugin.detectors ?? []).map(inputsOf));
  for (const detector of manifest.detectors ?? []) {
    try {
      await detector.load?.();
    } catch (error) {
      problems.push(`detector ${detector.id} does not load: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}

function inputsOf(detector: Detector) {
  const { id, description, facts, bytes, strings, tensors, artifact, levels, rules } = detector;
  return { id, description, facts, bytes, strings, tensors, artifact, levels, rules };
}
