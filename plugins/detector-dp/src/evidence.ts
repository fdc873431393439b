import type { Location, Origin, TextFact } from "@modelaudit/core";
import type { MechanismRun } from "./rdp.js";

/**
 * What an artifact says about differential privacy, gathered from text facts: keyed values of
 * configs, model-card front matter and pickled checkpoints (format-pickle emits a checkpoint's
 * numbers keyed by their path), and model-card lines. Values are recognised by their key's last
 * segment; the generic ones (`epsilon`, `delta`, `sigma`, `steps`) only where the path or the
 * artifact speaks of privacy, since `epsilon` is also a norm's or an optimiser's constant.
 */

/** A value and where it was read. */
export interface Sighting {
  value: number;
  key: string;
  origin: Origin;
  location: Location | undefined;
}

/** Path segments that put a value in a privacy context. */
const PRIVACY_PATH = /privacy|differential|opacus|accountant|(?:^|[._\]])dp(?:[._[]|$)|(?:^|[._])dp_|_dp(?:[._]|$)/i;
/** Paths whose epsilons are numerical constants: optimisers, norms. */
const NOT_PRIVACY_PATH = /norm|optim|adam|param_groups|rms|batch_?norm|layer_?norm|lr_?scheduler/i;
const EPSILON =
  /^(?:epsilon|target_epsilon|dp_epsilon|privacy_epsilon|epsilon_spent|final_epsilon|eps_spent|spent_epsilon)$/i;
const DELTA = /^(?:delta|target_delta|dp_delta|privacy_delta)$/i;
const NOISE = /^(?:noise_multiplier|dp_noise_multiplier|sigma)$/i;
const CLIP = /^(?:max_grad_norm|l2_norm_clip|max_per_sample_grad_norm|clipping_norm|clip_norm)$/i;
const SAMPLE_RATE = /^(?:sample_rate|sampling_rate|sampling_probability|dp_sample_rate|q)$/i;
const STEPS = /^(?:steps|num_steps|dp_steps|total_steps)$/i;
/** An Opacus accountant history entry: `<...accountant...>.history.<n>.<0|1|2>` (σ, q, steps). */
const HISTORY = /(?:^|\.)history\.(\d+)\.([012])$/;
/** Keys and tags that state DP training. */
const CLAIM_KEY = /(?:^|[._])(?:differential_privacy|use_dp|dp_enabled|dp_training|private_training|enabled)$/i;
const CLAIM_TEXT = /differential(?:ly)?[\s_-]+priva|\bDP-?SGD\b|\bopacus\b|privacy budget/i;
/** "ε = 8", "epsilon of 3.5", "(ε, δ) = (2, 1e-5)" is not parsed: only one-value statements. */
const TEXT_EPSILON = /(?:ε|ϵ|\bepsilon\b)\s*(?:=|≤|<=|<|:|of)\s*([0-9]+(?:\.[0-9]+)?(?:e-?[0-9]+)?)/i;
const TEXT_DELTA = /(?:δ|\bdelta\b)\s*(?:=|≤|<=|<|:|of)\s*([0-9]+(?:\.[0-9]+)?(?:e-?[0-9]+)?)/i;
const TEXT_NOISE = /noise multiplier\s*(?:=|:|of)?\s*([0-9]+(?:\.[0-9]+)?)/i;

/** Values kept per kind: a checkpoint states each once; more is noise. */
const MAX_SIGHTINGS = 32;
const MAX_HISTORY = 64;

/** The last segment of a JSON or dotted path (`a.b[2].c` → `c`; `history.0.1` → `1`). */
function lastSegment(key: string): string {
  const match = /([^.[\]]+)\]?$/.exec(key);
  return match ? match[1]! : key;
}

function numberOf(text: string): number | null {
  const trimmed = text.trim();
  if (!/^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[-+]?[0-9]+)?$|^[-+]?(?:inf|infinity)$/i.test(trimmed)) return null;
  const value = /inf/i.test(trimmed) ? (trimmed.startsWith("-") ? -Infinity : Infinity) : Number(trimmed);
  return Number.isNaN(value) ? null : value;
}

type Kind = "epsilon" | "delta" | "noise" | "clip" | "sampleRate" | "steps";

export class DpEvidence {
  /** Facts that say the model was trained with DP (a tag, a flag, a sentence, an accountant). */
  claims: { text: string; origin: Origin; location: Location | undefined }[] = [];
  /** Keyed values whose key is specific (noise_multiplier) or whose path names privacy. */
  readonly sure = new Map<Kind, Sighting[]>();
  /** Keyed values with generic keys (epsilon, delta, sigma, steps) outside a privacy path: used when the artifact claims DP. */
  readonly generic = new Map<Kind, Sighting[]>();
  /** Accountant history entries by index: σ, q, steps. */
  readonly history = new Map<number, { values: (number | undefined)[]; origin: Origin; key: string }>();
  historyDropped = false;

  /** History entries missing σ, q or steps (the accountant state was cut or is not Opacus'). */
  get incompleteHistory(): number {
    let incomplete = 0;
    for (const entry of this.history.values()) if (entry.values.some((value) => value === undefined)) incomplete++;
    return incomplete;
  }

  add(fact: TextFact, origin: Origin): void {
    if (fact.role === "vocabulary") return;
    const location = fact.location;
    if (fact.key === undefined || fact.key === "body") {
      this.addSentence(fact.text, origin, location, fact.key ?? "text");
      return;
    }
    const key = fact.key;
    const privacyPath = PRIVACY_PATH.test(key);
    // Tags and other string values that name DP training (`tags: differential-privacy`).
    if (CLAIM_TEXT.test(fact.text) && fact.text.length <= 200) this.claim(fact.text, origin, location);
    const segment = lastSegment(key);
    const history = HISTORY.exec(key);
    if (history && privacyPath) {
      // A NaN σ or q is kept: the accountant cannot use it, and that is reported.
      const value = /^nan$/i.test(fact.text.trim()) ? Number.NaN : numberOf(fact.text);
      if (value !== null) this.addHistory(Number(history[1]), Number(history[2]), value, key, origin);
      return;
    }
    if (CLAIM_KEY.test(key) && (privacyPath || !/enabled$/i.test(key)) && /^(?:true|1|yes)$/i.test(fact.text.trim())) {
      this.claim(`${key}: ${fact.text}`, origin, location);
      return;
    }
    if (privacyPath && fact.role === "documentation" && /^(?:true|yes)$/i.test(fact.text.trim())) {
      this.claim(`${key}: ${fact.text}`, origin, location);
    }
    const kind = kindOf(segment);
    if (kind === null || NOT_PRIVACY_PATH.test(key)) return;
    const value = numberOf(fact.text);
    if (value === null) return;
    // A noise multiplier is a DP parameter by name; other names only inside a privacy path.
    const specific =
      privacyPath ||
      (kind === "noise" && !/^sigma$/i.test(segment)) ||
      /^(?:dp_|privacy_|target_|final_|spent_)|_spent$/i.test(segment);
    this.push(specific ? this.sure : this.generic, kind, { value, key, origin, location });
  }

  /** σ, q and steps per history entry, complete entries only, in index order. */
  historyRuns(): MechanismRun[] {
    return [...this.history.entries()]
      .sort(([left], [right]) => left - right)
      .map(([, entry]) => entry.values)
      .filter((values) => values.every((value) => value !== undefined))
      .map(([noiseMultiplier, sampleRate, steps]) => ({
        noiseMultiplier: noiseMultiplier!,
        sampleRate: sampleRate!,
        steps: steps!,
      }));
  }

  historyOrigin(): { origin: Origin; key: string } | null {
    const first = this.history.values().next();
    return first.done ? null : { origin: first.value.origin, key: first.value.key.replace(/\.\d+\.[012]$/, "") };
  }

  /** Values of one kind: the sure ones, and the generic ones when the artifact is about DP. */
  values(kind: Kind, aboutDp: boolean): Sighting[] {
    return [...(this.sure.get(kind) ?? []), ...(aboutDp ? (this.generic.get(kind) ?? []) : [])];
  }

  /** Whether anything here speaks of DP: a claim, an accountant, or a privacy-specific value. */
  get aboutDp(): boolean {
    return this.claims.length > 0 || this.history.size > 0 || this.sure.size > 0;
  }

  private addSentence(text: string, origin: Origin, location: Location | undefined, key: string): void {
    if (!CLAIM_TEXT.test(text)) return;
    this.claim(text, origin, location);
    const found: [Kind, RegExp][] = [
      ["epsilon", TEXT_EPSILON],
      ["delta", TEXT_DELTA],
      ["noise", TEXT_NOISE],
    ];
    for (const [kind, pattern] of found) {
      const match = pattern.exec(text);
      const value = match ? numberOf(match[1]!) : null;
      if (value !== null) this.push(this.sure, kind, { value, key, origin, location });
    }
  }

  private claim(text: string, origin: Origin, location: Location | undefined): void {
    if (this.claims.length < MAX_SIGHTINGS) this.claims.push({ text: text.slice(0, 200), origin, location });
  }

  private addHistory(index: number, field: number, value: number, key: string, origin: Origin): void {
    let entry = this.history.get(index);
    if (!entry) {
      if (this.history.size >= MAX_HISTORY) {
        this.historyDropped = true;
        return;
      }
      entry = { values: [undefined, undefined, undefined], origin, key };
      this.history.set(index, entry);
    }
    entry.values[field] = value;
  }

  private push(map: Map<Kind, Sighting[]>, kind: Kind, sighting: Sighting): void {
    const list = map.get(kind) ?? [];
    if (list.length === 0) map.set(kind, list);
    if (list.length < MAX_SIGHTINGS) list.push(sighting);
  }
}

function kindOf(segment: string): Kind | null {
  if (EPSILON.test(segment)) return "epsilon";
  if (DELTA.test(segment)) return "delta";
  if (NOISE.test(segment)) return "noise";
  if (CLIP.test(segment)) return "clip";
  if (SAMPLE_RATE.test(segment)) return "sampleRate";
  if (STEPS.test(segment)) return "steps";
  return null;
}
