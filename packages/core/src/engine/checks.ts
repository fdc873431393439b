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

/** How many checks passed, failed and were skipped. */
export function countChecks(checks: readonly Check[]): CheckCounts {
  const counts: CheckCounts = { passed: 0, failed: 0, skipped: 0 };
  for (const check of checks) counts[check.status]++;
  return counts;
}

/** Every rule of every detector, for one artifact: passed, failed (with its finding count) or skipped and why. */
export function artifactChecks(file: string, detectors: readonly ActiveDetector[], config: ResolvedConfig): Check[] {
  const checks: Check[] = [];
  for (const detector of detectors) {
    const { detector: definition } = detector.registered;
    const texts = textsOf(detector.registered);
    definition.rules.forEach((rule, index) => {
      const ruleId = texts.ruleIds[index] as string;
      const fired = detector.fired.get(rule) ?? 0;
      const check: Check = { ruleId, file, status: "passed", findings: fired };
      const notes = detector.notes?.get(rule);
      if (notes && notes.length > 0) check.notes = notes;
      if (config.rules[ruleId] === "off") {
        check.status = "skipped";
        check.reason = "disabled in config";
      } else if (definition.levels && !definition.levels.includes(config.level)) {
        check.status = "skipped";
        check.reason = `runs at the ${definition.levels.join("/")} level, not ${config.level}`;
      } else if (fired > 0) {
        check.status = "failed";
      } else if (!detector.fed && !check.notes) {
        check.status = "skipped";
        check.reason = texts.nothingToCheck;
      }
      checks.push(check);
    });
  }
  return checks;
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
