import type { Detector, Location } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { analyzeTemplate } from "./analyze-template.js";
import { readOptions } from "./options.js";
import { describePosition } from "./source-position.js";

/** Judges every Jinja `code` fact (chat templates from tokenizer configs, `.jinja` files, GGUF metadata). */
export const templateInjectionDetector: Detector = {
  id: "template-injection",
  description:
    "Parses Jinja chat templates into an AST (never renders them) and looks for sandbox escapes, gadget chains and obfuscated names.",
  facts: ["code"],
  rules: ["sandbox-escape", "obfuscation", "unparsable-template"],
  create(context) {
    const options = readOptions(context.options);
    return {
      onFact(fact, origin) {
        if (fact.kind !== "code" || fact.language !== "jinja") return;
        for (const issue of analyzeTemplate(fact.text, options)) {
          const location: Location = { ...fact.location };
          if (issue.position) {
            location.line = issue.position.line;
            location.column = issue.position.column;
          }
          context.report({
            rule: issue.rule,
            messageId: issue.messageId,
            data: {
              construct: truncateText(issue.construct, 120),
              ...issue.data,
              position: describePosition(issue.position),
            },
            origin,
            location,
            evidence: truncateText(issue.construct, 200),
            ...(issue.severity ? { severity: issue.severity } : {}),
            ...(issue.confidence !== undefined ? { confidence: issue.confidence } : {}),
          });
        }
      },
    };
  },
};
