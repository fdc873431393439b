import { type DetectorDescriptor, ruleNames } from "@modelaudit/core";
import dangerousCall from "./rules/dangerous-call.js";
import dangerousImport from "./rules/dangerous-import.js";
import nativeLibraryLoad from "./rules/native-library-load.js";
import unknownOperator from "./rules/unknown-operator.js";

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const JIT_RULES = [dangerousCall, dangerousImport, nativeLibraryLoad, unknownOperator];

/** The detector as static data (its code is detector.ts): what the plugin's manifest registers before any file needs it. */
export const JIT_DESCRIPTOR: DetectorDescriptor = {
  id: "jit",
  description:
    "Parses Python and TorchScript code, and text values written as Python or shell commands, into a syntax tree " +
    "(never runs it) and judges imports and calls; checks TorchScript operators against torch's registry; judges " +
    "Keras Lambda bytecode by its names.",
  facts: ["code", "text"],
  rules: ruleNames(JIT_RULES),
};
