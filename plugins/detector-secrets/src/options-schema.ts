import { allowEntry, expected, positiveInteger, regExpProblem, z } from "@modelaudit/core/options";
import { DEFAULT_OPTIONS } from "./options.js";

const customPattern = z
  .strictObject({
    id: z.string().min(1).optional().describe("Shown in the finding (default pattern-<index>)."),
    regex: z
      .string({ error: "expected a regular expression string" })
      .describe("Regular expression source (JavaScript syntax, no inline modifiers)."),
    flags: z
      .string()
      .regex(/^[imsu]*$/, { error: expected("any of i, m, s, u") })
      .optional()
      .describe("Extra flags besides the global flag: any of i, m, s, u."),
    severity: z
      .enum(["critical", "warning", "info"], { error: expected("critical, warning or info") })
      .optional()
      .describe("Severity of a match (default warning)."),
    description: z.string().optional().describe("Shown in the finding."),
  })
  .superRefine((pattern, context) => {
    const problem = regExpProblem(pattern.regex, `${pattern.flags ?? ""}g`);
    if (problem) context.addIssue({ code: "custom", path: ["regex"], message: problem, input: pattern.regex });
  });

/**
 * `options.secrets`, checked at start-up. At scan time a bad entry is skipped so a scan never stops; at
 * start-up the same problems are errors, so a custom pattern with a broken regex is fixed, not lost.
 */
export const optionsSchema = z.strictObject({
  patterns: z
    .array(customPattern, { error: "must be an array" })
    .optional()
    .describe("Your own patterns, reported under secrets/custom-pattern."),
  allow: z
    .array(allowEntry(), { error: "must be an array" })
    .optional()
    .describe("Values never reported: a plain string matches exactly; /source/flags is a regular expression."),
  maxFindings: positiveInteger()
    .default(DEFAULT_OPTIONS.maxFindings)
    .describe("Most findings reported per artifact, so a file full of keys cannot flood a report."),
});
