import type { Detector, DetectorContext, Location, Origin, TextFact } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { type AnalysisOptions, analyzeTemplate } from "./analyze-template.js";
import { TEMPLATE_INJECTION_DESCRIPTOR, TEMPLATE_INJECTION_RULES } from "./descriptor.js";
import { readOptions } from "./options.js";
import { describePosition } from "./source-position.js";
import type { TemplateIssue } from "./template-issue.js";
import { templateSetting } from "./text-templates.js";

/**
 * Judges every Jinja `code` fact (chat templates from tokenizer configs, `.jinja` files, GGUF metadata)
 * and every `text` fact that holds a Jinja tag (any string field of any format).
 */
export const templateInjectionDetector: Detector = {
  ...TEMPLATE_INJECTION_DESCRIPTOR,
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

export { TEMPLATE_INJECTION_RULES };
