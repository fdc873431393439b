import { type DetectorDescriptor, ruleNames } from "@modelaudit/core";
import claimWithoutParameters from "./rules/claim-without-parameters.js";
import epsilonOverBudget from "./rules/epsilon-over-budget.js";
import epsilonUnderstated from "./rules/epsilon-understated.js";
import zeroNoise from "./rules/zero-noise.js";

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const DP_RULES = [epsilonOverBudget, epsilonUnderstated, zeroNoise, claimWithoutParameters] as const;

/** The detector as static data (its code is dp-detector.ts): what the plugin's manifest registers before any file needs it. */
export const DP_DESCRIPTOR: DetectorDescriptor = {
  id: "dp",
  description:
    "Checks differential-privacy claims against the training metadata that exists: Opacus checkpoints (accountant history, noise multiplier, ε and δ saved beside them), configs and model cards that state DP training. Recomputes ε with Opacus' RDP accountant where σ, q and steps are saved.",
  facts: ["text"],
  levels: ["standard", "thorough"],
  rules: ruleNames(DP_RULES),
};
