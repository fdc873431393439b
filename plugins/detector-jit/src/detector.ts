import type { Detector, Location } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { analyzeBytecodeNames } from "./analyze-bytecode-names.js";
import type { CodeIssue } from "./code-issue.js";
import { readOptions } from "./options.js";
import { analyzePython, bracketNesting, MAX_BRACKET_NESTING } from "./python/analyze-python.js";

/**
 * Judges `code` facts in Python source, TorchScript code and Keras Lambda bytecode by what they
 * import and call. Jinja belongs to the template-injection detector, graph nodes to custom-ops.
 */
export const jitDetector: Detector = {
  id: "jit",
  description:
    "Parses Python and TorchScript code into a syntax tree (never runs it) and judges imports and calls; judges Keras Lambda bytecode by its names.",
  facts: ["code"],
  rules: ["dangerous-call", "dangerous-import", "native-library-load"],
  create(context) {
    const options = readOptions(context.options);
    return {
      onFact(fact, origin) {
        if (fact.kind !== "code") return;
        let issues: CodeIssue[];
        if (fact.language === "python" || fact.language === "torchscript") {
          if (bracketNesting(fact.text) > MAX_BRACKET_NESTING) {
            context.inconclusive(
              `${fact.language} code nested deeper than ${MAX_BRACKET_NESTING} brackets was not analysed (CPython refuses more than 200)`,
              origin,
            );
            return;
          }
          issues = analyzePython(fact.text, fact.language, options);
        } else if (fact.language === "python-bytecode") {
          issues = analyzeBytecodeNames(fact.names ?? [], fact.text);
        } else {
          return;
        }
        for (const issue of issues) {
          const location: Location = { ...fact.location };
          if (issue.position) {
            location.line = issue.position.line;
            location.column = issue.position.column;
          }
          context.report({
            rule: issue.rule,
            messageId: issue.messageId,
            data: { ...issue.data, language: fact.language },
            origin,
            location,
            evidence: truncateText(issue.evidence, 200),
            severity: issue.severity,
            ...(issue.confidence !== undefined ? { confidence: issue.confidence } : {}),
          });
        }
      },
    };
  },
};
