import type { Detector } from "@modelaudit/core";
import { ruleNames } from "@modelaudit/core";
import customCode from "./rules/custom-code.js";
import externalRepository from "./rules/external-repository.js";

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const REMOTE_CODE_RULES = [externalRepository, customCode];

/**
 * Judges `reference` facts by their kind alone: a "repository" reference is code fetched from
 * another repository; a "module" reference is custom code that has to run. Path and URL references
 * (external data) belong to other detectors.
 */
export const remoteCodeDetector: Detector = {
  id: "remote-code",
  description: "Custom code a model needs to run (trust_remote_code), especially code from another repository",
  facts: ["reference"],
  rules: ruleNames(REMOTE_CODE_RULES),
  create(context) {
    return {
      onFact(fact, origin) {
        if (fact.kind !== "reference") return;
        const key = fact.key ?? fact.location?.path ?? "a reference";
        const location = fact.location ?? (fact.key ? { path: fact.key } : undefined);
        const base = { origin, data: { key, target: fact.target }, evidence: fact.target.slice(0, 200) };
        if (fact.referenceKind === "repository") {
          context.report({
            ...base,
            rule: externalRepository.name,
            messageId: "externalRepository",
            ...(location && { location }),
          });
        } else if (fact.referenceKind === "module") {
          context.report({ ...base, rule: customCode.name, messageId: "customCode", ...(location && { location }) });
        }
      },
    };
  },
};
