import type { Detector } from "./plugin.js";

/** What the engine needs of a detector before its code runs: everything but `create`. */
export type DetectorDescriptor = Omit<Detector, "create" | "load">;

/**
 * A detector whose code is imported on first need: `descriptor` is static data (id, inputs, rules),
 * `importDetector` imports the module with the whole detector (`() => import("./detector.js").then((m)
 * => m.myDetector)`). Start-up then costs the descriptor, not the detector's analysis code, and a scan
 * whose files never give the detector a fact never imports it. The imported detector must declare the
 * same inputs and rules as the descriptor (spread the descriptor into it so they are written once).
 */
export function lazyDetector(descriptor: DetectorDescriptor, importDetector: () => Promise<Detector>): Detector {
  let loaded: Detector | undefined;
  let loading: Promise<void> | undefined;
  return {
    ...descriptor,
    load() {
      loading ??= importDetector().then((detector) => {
        const mismatch = descriptorMismatch(descriptor, detector);
        if (mismatch) throw new Error(`detector ${descriptor.id}: the imported detector ${mismatch}`);
        loaded = detector;
      });
      return loading;
    },
    create(context) {
      if (!loaded) throw new Error(`detector ${descriptor.id} is not loaded yet: await its load() first`);
      return loaded.create(context);
    },
  };
}

/** Where the imported detector departs from its descriptor, or undefined when they agree. */
function descriptorMismatch(descriptor: DetectorDescriptor, detector: Detector): string | undefined {
  if (detector.id !== descriptor.id) return `has id ${detector.id}`;
  const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
    (a ?? []).length === (b ?? []).length && (a ?? []).every((item, index) => item === (b ?? [])[index]);
  if (!same(detector.facts, descriptor.facts)) return "subscribes to other facts";
  if (!same(detector.rules, descriptor.rules)) return "names other rules";
  if (!same(detector.levels, descriptor.levels)) return "runs at other levels";
  for (const key of ["bytes", "strings", "artifact"] as const) {
    if (Boolean(detector[key]) !== Boolean(descriptor[key])) return `differs in ${key}`;
  }
  if (Boolean(detector.tensors) !== Boolean(descriptor.tensors)) return "differs in tensors";
  return undefined;
}
