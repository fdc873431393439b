import type { Detector, ScanLevel } from "../plugin.js";
import type { Registry } from "./registry.js";

/** A lazy detector's import: started once per process, shared by every artifact and scan. */
interface LoadState {
  loaded: boolean;
  error?: unknown;
  /** Settles when the import ends; never rejects (the error is kept in `error`). */
  done: Promise<void>;
}

const states = new WeakMap<Detector, LoadState>();

/** Starts (once) importing a lazy detector's code; resolves when it ended, well or not. */
export function loadDetector(detector: Detector): Promise<void> {
  if (!detector.load) return Promise.resolve();
  let state = states.get(detector);
  if (!state) {
    const created: LoadState = { loaded: false, done: Promise.resolve() };
    created.done = Promise.resolve()
      .then(() => detector.load?.())
      .then(
        () => {
          created.loaded = true;
        },
        (error: unknown) => {
          created.error = error ?? new Error("load failed");
        },
      );
    states.set(detector, created);
    state = created;
  }
  return state.done;
}

/** Whether `create` may be called now: a detector without `load` always; a lazy one once imported. */
export function isLoaded(detector: Detector): boolean {
  return !detector.load || states.get(detector)?.loaded === true;
}

/** Why a lazy detector's import failed, once it has. */
export function loadError(detector: Detector): unknown {
  return states.get(detector)?.error;
}

/** A lazy detector the level leaves out (`levels`): never imported, never created; its checks are skipped. */
export function idleAtLevel(detector: Detector, level: ScanLevel): boolean {
  return detector.load !== undefined && detector.levels !== undefined && !detector.levels.includes(level);
}

/**
 * A lazy detector fed only by facts and tensors at this level: created on its first fact (a tensor's
 * data always follows its `tensor` fact), so a file that gives it none never imports its code. Bytes,
 * strings and the artifact summary come with every file, so detectors taking them are created with
 * the artifact.
 */
export function waitsForFact(detector: Detector, level: ScanLevel): boolean {
  return (
    detector.load !== undefined &&
    !idleAtLevel(detector, level) &&
    !detector.bytes &&
    !detector.strings &&
    !detector.artifact
  );
}

/** Whether a waiting detector is woken by `tensor` facts it does not take as facts: it reads tensor data. */
export function wakesOnTensors(detector: Detector, level: ScanLevel): boolean {
  return detector.tensors !== undefined && level !== "quick" && !detector.facts.includes("tensor");
}

/** Imports the lazy detectors every artifact creates at this level (once; later calls cost nothing). */
export async function loadArtifactDetectors(registry: Registry, level: ScanLevel): Promise<void> {
  const pending: Promise<void>[] = [];
  for (const { detector } of registry.detectors) {
    if (detector.load && !isLoaded(detector) && !idleAtLevel(detector, level) && !waitsForFact(detector, level)) {
      pending.push(loadDetector(detector));
    }
  }
  if (pending.length > 0) await Promise.all(pending);
}
