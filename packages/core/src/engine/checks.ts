import type { ResolvedConfig } from "../config.js";
import type { Check } from "../findings.js";
import type { ActiveDetector } from "./fact-bus.js";
import type { RegisteredDetector } from "./registry.js";

export type CheckCounts = { passed: number; failed: number; skipped: number };

/** Rule ids and the "nothing to check" reason of a detector, built once per registry entry, not per file. */
const detectorTexts = new WeakMap<RegisteredDetector, { ruleIds: string[]; nothingToCheck: string }>();

function textsOf(registered: RegisteredDetector): { ruleIds: string[]; nothingToCheck: string } {
  let texts = detectorTexts.get(registered);
  if (!texts) {
    const { namespace, detector } = registered;
    texts = {
      ruleIds: detector.rules.map((rule) => `${namespace}/${rule}`),
      nothingToCheck: `nothing to check: no ${inputsOf(registered)}`,
    };
    detectorTexts.set(registered, texts);
  }
  return texts;
}

/** Every rule of every detector, for one artifact: passed, failed (with its finding count) or skipped and why. */
export function artifactChecks(file: string, detectors: readonly ActiveDetector[], config: ResolvedConfig): Check[] {
  const checks: Check[] = [];
  visitChecks(detectors, config, (ruleId, status, fired, reason, notes) => {
    const check: Check = { ruleId, file, status, findings: fired };
    if (notes) check.notes = notes;
    if (reason !== undefined) check.reason = reason;
    checks.push(check);
  });
  return checks;
}

/**
 * The checks of a clean artifact when clean files are summarised: those with notes (a signer, a
 * license) listed, the bare ones only counted. No object is built for a bare check, so a folder of
 * thousands of clean files allocates a few numbers per file, not one object per rule.
 */
export function cleanArtifactChecks(
  file: string,
  detectors: readonly ActiveDetector[],
  config: ResolvedConfig,
): { checks: Check[]; omitted: CheckCounts } {
  const checks: Check[] = [];
  const omitted: CheckCounts = { passed: 0, failed: 0, skipped: 0 };
  const visit = (ruleId: string, status: Check["status"], fired: number, reason?: string, notes?: string[]) => {
    if (!notes) {
      omitted[status]++;
      return;
    }
    const check: Check = { ruleId, file, status, findings: fired, notes };
    if (reason !== undefined) check.reason = reason;
    checks.push(check);
  };
  for (const detector of detectors) {
    // Most detectors neither fire nor note anything on a clean file: their rules are counted at
    // once, as visitDetectorChecks would count them one by one.
    if (detector.fired === undefined && detector.notes === undefined) {
      const skipped = skippedByConfig(detector.registered, config);
      const rules = detector.registered.detector.rules.length;
      if (detector.fed) {
        omitted.passed += rules - skipped;
        omitted.skipped += skipped;
      } else {
        omitted.skipped += rules;
      }
    } else {
      visitDetectorChecks(detector, config, visit);
    }
  }
  return { checks, omitted };
}

/** Per config: the rules of each detector skipped on every file (off in the config, or its level not run). */
const configSkips = new WeakMap<ResolvedConfig, WeakMap<RegisteredDetector, number>>();

function skippedByConfig(registered: RegisteredDetector, config: ResolvedConfig): number {
  let skips = configSkips.get(config);
  if (!skips) {
    skips = new WeakMap();
    configSkips.set(config, skips);
  }
  let count = skips.get(registered);
  if (count === undefined) {
    const { levels, rules } = registered.detector;
    const idle = levels !== undefined && !levels.includes(config.level);
    count = idle ? rules.length : textsOf(registered).ruleIds.filter((ruleId) => config.rules[ruleId] === "off").length;
    skips.set(registered, count);
  }
  return count;
}

/** Hands each rule's check (status, findings, why skipped, notes when any) to `visit`, in rule order. */
function visitChecks(
  detectors: readonly ActiveDetector[],
  config: ResolvedConfig,
  visit: (ruleId: string, status: Check["status"], fired: number, reason?: string, notes?: string[]) => void,
): void {
  for (const detector of detectors) visitDetectorChecks(detector, config, visit);
}

function visitDetectorChecks(
  detector: ActiveDetector,
  config: ResolvedConfig,
  visit: (ruleId: string, status: Check["status"], fired: number, reason?: string, notes?: string[]) => void,
): void {
  const { detector: definition } = detector.registered;
  const texts = textsOf(detector.registered);
  const idle = definition.levels && !definition.levels.includes(config.level);
  for (let index = 0; index < definition.rules.length; index++) {
    const rule = definition.rules[index] as string;
    const ruleId = texts.ruleIds[index] as string;
    const fired = detector.fired?.get(rule) ?? 0;
    const listed = detector.notes?.get(rule);
    const notes = listed && listed.length > 0 ? listed : undefined;
    if (config.rules[ruleId] === "off") visit(ruleId, "skipped", fired, "disabled in config", notes);
    else if (idle) visit(ruleId, "skipped", fired, idleReason(definition.levels ?? [], config.level), notes);
    else if (fired > 0) visit(ruleId, "failed", fired, undefined, notes);
    else if (!detector.fed && !notes) visit(ruleId, "skipped", fired, texts.nothingToCheck);
    else visit(ruleId, "passed", fired, undefined, notes);
  }
}

function idleReason(levels: readonly string[], level: string): string {
  return `runs at the ${levels.join("/")} level, not ${level}`;
}

/** The ids of the rules a scan runs: every detector's rules but those off in the config or not run at its level. */
export function rulesThatRun(detectors: readonly RegisteredDetector[], config: ResolvedConfig): string[] {
  const ids: string[] = [];
  for (const registered of detectors) {
    const { levels } = registered.detector;
    if (levels && !levels.includes(config.level)) continue;
    for (const ruleId of textsOf(registered).ruleIds) if (config.rules[ruleId] !== "off") ids.push(ruleId);
  }
  return ids.sort();
}

function inputsOf(registered: RegisteredDetector): string {
  const definition = registered.detector;
  const inputs = definition.facts.length > 0 ? [`${definition.facts.join("/")} facts`] : [];
  if (definition.bytes) inputs.push("bytes");
  if (definition.strings) inputs.push("strings");
  if (definition.tensors) inputs.push("tensor data");
  return inputs.join(" or ") || "input";
}
