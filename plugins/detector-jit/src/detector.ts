import type { CodeFact, Detector, DetectorContext, Location, Origin, Severity, TextFact } from "@modelaudit/core";
import { truncateText } from "@modelaudit/core/detector";
import { analyzeBytecodeNames } from "./analyze-bytecode-names.js";
import type { AnalysisOptions, CodeIssue } from "./code-issue.js";
import { JIT_DESCRIPTOR, JIT_RULES } from "./descriptor.js";
import { readOptions } from "./options.js";
import { analyzePython, bracketNesting, MAX_BRACKET_NESTING } from "./python/analyze-python.js";
import { parsesAsPythonStatements } from "./python/parses-as-python.js";
import { analyzeShellScript } from "./shell/analyze-script.js";
import { analyzeShell, MAX_COMMAND_CHARS } from "./shell/analyze-shell.js";
import { describePlace, describeWhen, type TextSetting, textSetting } from "./text-setting.js";

/** Text values longer than this are documents, not statements; a Lambda's source is a few lines. */
const MAX_TEXT_CODE_CHARS = 64 * 1024;
/** Confidence of a finding in text, by where the text sits (see text-setting.ts). */
const TEXT_CONFIDENCE: Record<TextSetting, number | undefined> = { code: undefined, value: 0.8, documentation: 0.3 };

/**
 * Judges `code` facts in Python source, TorchScript code and Keras Lambda bytecode by what they
 * import and call, and `text` facts that are code: a Lambda layer's function source, a metadata value
 * that parses as Python statements or reads as a shell command line. Jinja belongs to the
 * template-injection detector, graph nodes to custom-ops.
 */
export const jitDetector: Detector = {
  ...JIT_DESCRIPTOR,
  create(context) {
    const options = readOptions(context.options);
    return {
      onFact(fact, origin) {
        if (fact.kind === "code") judgeCode(context, options, fact, origin);
        else if (fact.kind === "text") judgeText(context, options, fact, origin);
      },
    };
  },
};

function judgeCode(context: DetectorContext, options: AnalysisOptions, fact: CodeFact, origin: Origin): void {
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
  } else if (fact.language === "shell") {
    issues = judgeShellScript(fact.text, options);
  } else {
    return;
  }
  for (const issue of issues) {
    const location: Location = { ...fact.location };
    if (issue.position) {
      location.line = issue.position.line;
      location.column = issue.position.column;
    }
    report(context, issue, origin, location, { language: fact.language });
  }
}

/**
 * A shell script shipped with a model: each command line is judged like a command line in a value, and
 * inline Python (`python -c "..."`) as Python placed on its line. An installer piped into sh is a warning
 * here (setup scripts use them); the other patterns stay critical.
 */
function judgeShellScript(text: string, options: AnalysisOptions): CodeIssue[] {
  const script = analyzeShellScript(text);
  const issues = script.issues.map((issue) =>
    issue.messageId === "shellDownloadExecute" ? { ...issue, severity: "warning" as const } : issue,
  );
  for (const inline of script.inlinePython) {
    if (!parsesAsPythonStatements(inline.code)) continue;
    for (const issue of analyzePython(inline.code, "python", options)) {
      issues.push({ ...issue, position: { line: inline.line, column: 1 } });
    }
  }
  return issues.map((issue) => ({
    ...issue,
    data: {
      ...issue.data,
      position: `line ${issue.position?.line ?? 1} of the script`,
      place: `Line ${issue.position?.line ?? 1} of the script`,
      when: "runs when the script runs",
    },
  }));
}

/**
 * A text value is judged as code when it is one: a Lambda's source always, any other value only when
 * all of it parses as Python statements that call or import something, or when it reads as a shell
 * command line. Findings keep the fact's location (the field, the model-card line) and name the
 * position inside the value in the message.
 */
function judgeText(context: DetectorContext, options: AnalysisOptions, fact: TextFact, origin: Origin): void {
  const setting = textSetting(fact);
  const text = fact.text;
  if (!setting || text.length < 4 || text.length > MAX_TEXT_CODE_CHARS) return;
  if (bracketNesting(text) > MAX_BRACKET_NESTING) return;
  const issues: CodeIssue[] = [];
  // Only text with a parenthesis or an import can call or import anything: the parse is skipped for the rest.
  const mayBePython = setting === "code" || text.includes("(") || /\bimport\b/.test(text);
  if (setting === "code" || (mayBePython && parsesAsPythonStatements(text))) {
    issues.push(...analyzePython(text, "python", options));
  } else if (text.length <= MAX_COMMAND_CHARS) {
    const shell = analyzeShell(text);
    issues.push(...shell.issues);
    if (shell.inlinePython && parsesAsPythonStatements(shell.inlinePython)) {
      issues.push(...analyzePython(shell.inlinePython, "python", options));
    }
  }
  if (issues.length === 0) return;
  const place = describePlace(fact, setting);
  const when = describeWhen(setting, place);
  const confidence = TEXT_CONFIDENCE[setting];
  for (const issue of issues) {
    const severity: Severity = setting === "documentation" ? "info" : issue.severity;
    const position = `${issue.data.position ?? "line 1, column 1"} of the value`;
    report(
      context,
      { ...issue, severity, ...(confidence !== undefined ? { confidence } : {}) },
      origin,
      { ...fact.location },
      // `place` opens the shell messages ("The metadata value `x` is a shell command line...").
      { language: "python", when, place: place.charAt(0).toUpperCase() + place.slice(1), position },
    );
  }
}

function report(
  context: DetectorContext,
  issue: CodeIssue,
  origin: Origin,
  location: Location,
  extra: Record<string, string>,
): void {
  context.report({
    rule: issue.rule,
    messageId: issue.messageId,
    data: { ...issue.data, ...extra },
    origin,
    location,
    evidence: truncateText(issue.evidence, 200),
    severity: issue.severity,
    ...(issue.confidence !== undefined ? { confidence: issue.confidence } : {}),
  });
}

export { JIT_RULES };
