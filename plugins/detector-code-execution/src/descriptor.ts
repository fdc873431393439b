import { type DetectorDescriptor, ruleNames } from "@modelaudit/core";
import dangerousGlobal from "./rules/dangerous-global.js";
import nonAllowlistedGlobal from "./rules/non-allowlisted-global.js";
import parserDifferential from "./rules/parser-differential.js";
import unresolvedCallable from "./rules/unresolved-callable.js";

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const CODE_EXECUTION_RULES = [dangerousGlobal, unresolvedCallable, nonAllowlistedGlobal, parserDifferential];

/** The detector as static data (its code is detector.ts): what the plugin's manifest registers before any file needs it. */
export const CODE_EXECUTION_DESCRIPTOR: DetectorDescriptor = {
  id: "code-execution",
  description:
    "Judges the globals a serialized program imports and calls (pickle, and any format whose handler emits import/call " +
    "facts): dangerous callables, unresolvable callees, globals off the ML allowlist, and parser differentials.",
  facts: ["import", "call", "anomaly"],
  rules: ruleNames(CODE_EXECUTION_RULES),
};
