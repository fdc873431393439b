import { DEFAULT_DECODE_LIMITS, decodeLayers, describeEncodings, mayHoldEncodedText } from "../decoded-layers.js";
import type { Fact, FactKind, TextFact } from "../facts.js";
import type { DetectorRun, Origin } from "../plugin.js";
import type { RegisteredDetector } from "./registry.js";

/** One detector's state for one artifact. */
export interface ActiveDetector {
  registered: RegisteredDetector;
  run: DetectorRun;
  /** Findings per rule name, for checks (made on the first finding: most detectors fire on no file). */
  fired?: Map<string, number> | undefined;
  /** Whether any fact, byte or tensor reached it, for checks. */
  fed: boolean;
  /** What the detector recorded as verified, per rule name, for checks. */
  notes?: Map<string, string[]> | undefined;
  /**
   * Set while a lazy detector fed only by facts has no run yet: the facts that came while its code
   * was loading, handed to it in order once it is created.
   */
  waiting?: { fact: Fact; origin: Origin }[] | undefined;
  /** A fact of this artifact woke the waiting detector while its code was loading: it is created when it has loaded. */
  wanted?: boolean;
}

/** Bytes of decoded text one artifact may add (decoded layers of its text facts). */
const MAX_DECODED_BYTES_PER_ARTIFACT = 16 * 1024 * 1024;

/**
 * Hands each fact to the detectors subscribed to its kind, within the artifact's fact budget. A text
 * fact that hides text behind an encoding (base64, hex, percent-encoding, gzip/zlib inside them) is
 * followed by one text fact per decoded layer, so every text detector judges what the encoding hides;
 * the encoding chain is written into the key and path (`hub_auth (base64)`).
 */
export class FactBus {
  private readonly byKind = new Map<FactKind, ActiveDetector[]>();
  /** Waiting detectors that read tensor data: a `tensor` fact wakes them (their code loads before the data comes). */
  private readonly wokenByTensors: ActiveDetector[];
  private count = 0;
  private dropped = false;
  private decodedBytes = 0;

  constructor(
    detectors: readonly ActiveDetector[],
    private readonly maxFacts: number,
    /** A detector threw on a fact: it is reported, the scan goes on (rethrows a time limit). */
    private readonly failed: (detector: ActiveDetector, error: unknown) => void,
    private readonly onDropped: (reason: string) => void,
    /** Creates a waiting detector's run when its code is loaded (or starts loading it). */
    private readonly wake: (detector: ActiveDetector) => void = () => undefined,
    wokenByTensors: readonly ActiveDetector[] = [],
  ) {
    this.wokenByTensors = [...wokenByTensors];
    for (const detector of detectors) {
      for (const kind of detector.registered.detector.facts) {
        const list = this.byKind.get(kind) ?? [];
        list.push(detector);
        this.byKind.set(kind, list);
      }
    }
  }

  emit(fact: Fact, origin: Origin): void {
    this.deliver(fact, origin);
    if (fact.kind === "text") this.emitDecodedLayers(fact, origin);
  }

  private deliver(fact: Fact, origin: Origin): void {
    if (fact.kind === "tensor") for (const detector of this.wokenByTensors) if (detector.waiting) this.wake(detector);
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
      if (detector.waiting) this.wake(detector);
      if (detector.waiting) detector.waiting.push({ fact, origin });
      else if (detector.run.onFact) {
        // No closure per delivery (a guard callback): a file's facts reach many detectors each.
        try {
          detector.run.onFact(fact, origin);
        } catch (error) {
          this.failed(detector, error);
        }
      }
    }
  }

  private emitDecodedLayers(fact: TextFact, origin: Origin): void {
    // Tokenizer pieces are fragments, never containers; the budget bounds the work per artifact.
    if (fact.role === "vocabulary" || this.decodedBytes >= MAX_DECODED_BYTES_PER_ARTIFACT) return;
    if (!this.byKind.has("text")) return;
    if (!mayHoldEncodedText(fact.text)) return;
    for (const layer of decodeLayers(fact.text, DEFAULT_DECODE_LIMITS)) {
      this.decodedBytes += layer.text.length;
      if (this.decodedBytes > MAX_DECODED_BYTES_PER_ARTIFACT) return;
      const place = fact.location?.path ?? fact.key ?? "value";
      // decodeLayers already peeled every layer: the decoded facts are delivered, not decoded again.
      this.deliver(
        {
          kind: "text",
          text: layer.text,
          ...(fact.key !== undefined && { key: describeEncodings(fact.key, layer.encodings) }),
          ...(fact.role !== undefined && { role: fact.role }),
          location: { ...fact.location, path: describeEncodings(place, layer.encodings) },
        },
        origin,
      );
    }
  }
}
