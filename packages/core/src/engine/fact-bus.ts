import type { Fact, FactKind } from "../facts.js";
import type { DetectorRun, Origin } from "../plugin.js";
import type { RegisteredDetector } from "./registry.js";

/** One detector's state for one artifact. */
export interface ActiveDetector {
  registered: RegisteredDetector;
  run: DetectorRun;
  /** Findings per rule name, for checks. */
  fired: Map<string, number>;
  /** Whether any fact, byte or tensor reached it, for checks. */
  fed: boolean;
  /** What the detector recorded as verified, per rule name, for checks. */
  notes?: Map<string, string[]>;
}

/** Hands each fact to the detectors subscribed to its kind, within the artifact's fact budget. */
export class FactBus {
  private readonly byKind = new Map<FactKind, ActiveDetector[]>();
  private count = 0;
  private dropped = false;

  constructor(
    detectors: readonly ActiveDetector[],
    private readonly maxFacts: number,
    private readonly guard: (detector: ActiveDetector, action: () => void) => void,
    private readonly onDropped: (reason: string) => void,
  ) {
    for (const detector of detectors) {
      for (const kind of detector.registered.detector.facts) {
        const list = this.byKind.get(kind) ?? [];
        list.push(detector);
        this.byKind.set(kind, list);
      }
    }
  }

  emit(fact: Fact, origin: Origin): void {
    const detectors = this.byKind.get(fact.kind);
    if (!detectors) return;
    if (++this.count > this.maxFacts) {
      if (!this.dropped) {
        this.dropped = true;
        this.onDropped(`more than ${this.maxFacts} facts; the rest were not judged`);
      }
      return;
    }
    for (const detector of detectors) {
      detector.fed = true;
      this.guard(detector, () => detector.run.onFact?.(fact, origin));
    }
  }
}
