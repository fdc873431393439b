import type { ResolvedConfig } from "../config.js";
import type { Check } from "../findings.js";
import type { ActiveDetector } from "./fact-bus.js";

/** Every rule of every detector, for one artifact: passed, failed (with its finding count) or skipped and why. */
export function artifactChecks(file: string, detectors: readonly ActiveDetector[], config: ResolvedConfig): Check[] {
  const checks: Check[] = [];
  for (const detector of detectors) {
    const { namespace, detector: definition } = detector.registered;
    for (const rule of definition.rules) {
      const ruleId = `${namespace}/${rule}`;
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
        check.reason = `nothing to check: no ${inputsOf(detector)}`;
      }
      checks.push(check);
    }
  }
  return checks;
}

function inputsOf(detector: ActiveDetector): string {
  const definition = detector.registered.detector;
  const inputs = definition.facts.length > 0 ? [`${definition.facts.join("/")} facts`] : [];
  if (definition.bytes) inputs.push("bytes");
  if (definition.strings) inputs.push("strings");
  if (definition.tensors) inputs.push("tensor data");
  return inputs.join(" or ") || "input";
}
