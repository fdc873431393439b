import {
  type Detector,
  type DetectorContext,
  type Location,
  type Origin,
  ruleNames,
  type TextFact,
} from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { type AnalysisOptions, analyzeTemplate } from "./analyze-template.js";
import { readOptions } from "./options.js";
import obfuscation from "./rules/obfuscation.js";
import sandboxEscape from "./rules/sandbox-escape.js";
import unparsableTemplate from "./rules/unparsable-template.js";
import { describePosition } from "./source-position.js";
import type { TemplateIssue } from "./template-issue.js";
import { templateSetting } from "./text-templates.js";

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const TEMPLATE_INJECTION_RULES = [sandboxEscape, obfuscation, unparsableTemplate];

/**
 * Judges every Jinja `code` fact (chat templates from tokenizer configs, `.jinja` files, GGUF metadata)
 * and every `text` fact that holds a Jinja tag (any string field of any format).
 */
export const templateInjectionDetector: Detector = {
  id: "template-injection",
  description:
    "Parses Jinja chat templates, and Jinja found in any string value, into an AST (never renders them) and looks " +
    "for sandbox escapes, gadget chains and obfuscated names.",
  facts: ["code", "text"],
  rules: ruleNames(TEMPLATE_INJECTION_RULES),
  create(context) {
    const options = readOptions(context.options);
    return {
      onFact(fact, origin) {
        if (fact.kind === "code" && fact.language === "jinja") {
          for (const issue of analyzeTemplate(fact.text, options)) report(context, issue, origin, fact.location);
        } else if (fact.kind === "text") {
          judgeText(context, options, fact, origin);
        }
      },
    };
  },
};

/**
 * A string value with a Jinja tag is judged on its syntax tree like a chat template, with two
 * differences: a value that does not parse is not reported (Mustache, Go templates and `{{`-escaped
 * format strings share the braces; the tags are still searched for Python internals), and a
 * template in documentation is only noted.
 */
function judgeText(context: DetectorContext, options: AnalysisOptions, fact: TextFact, origin: Origin): void {
  const setting = templateSetting(fact);
  if (!setting) return;
  for (const issue of analyzeTemplate(fact.text, options)) {
    if (issue.rule === "unparsable-template") continue;
    const weighed: TemplateIssue =
      setting === "documentation" ? { ...issue, severity: "info", confidence: 0.3 } : issue;
    report(context, weighed, origin, fact.location);
  }
}

function report(
  context: DetectorContext,
  issue: TemplateIssue,
  origin: Origin,
  factLocation: Location | undefined,
): void {
  const location: Location = { ...factLocation };
  // A text fact's own line (a model-card line) is kept; the position inside the value is in the message.
  if (issue.position && location.line === undefined) {
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
