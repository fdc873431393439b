import { type DetectorDescriptor, ruleNames } from "@modelaudit/core";
import obfuscation from "./rules/obfuscation.js";
import sandboxEscape from "./rules/sandbox-escape.js";
import unparsableTemplate from "./rules/unparsable-template.js";

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const TEMPLATE_INJECTION_RULES = [sandboxEscape, obfuscation, unparsableTemplate];

/** The detector as static data (its code is detector.ts): what the plugin's manifest registers before any file needs it. */
export const TEMPLATE_INJECTION_DESCRIPTOR: DetectorDescriptor = {
  id: "template-injection",
  description:
    "Parses Jinja chat templates, and Jinja found in any string value, into an AST (never renders them) and looks " +
    "for sandbox escapes, gadget chains and obfuscated names.",
  facts: ["code", "text"],
  rules: ruleNames(TEMPLATE_INJECTION_RULES),
};
