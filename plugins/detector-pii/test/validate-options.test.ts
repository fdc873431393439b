import { loadOptionsSchema, optionProblems } from "@modelaudit/core/options";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

/** What the engine reports for `options.<namespace>` of this plugin, from the schema the plugin declares. */
// The schema the plugin's loader imports, as the engine does for a config that sets these options.
const schema = (await loadOptionsSchema(plugin.optionsSchema))!;
const validateOptions = (options: Record<string, unknown>) => optionProblems(schema, options);

// The engine checks options against the plugin's optionsSchema at start-up and prefixes each problem with `options.pii.`:
// a typo or a bad value must stop the scan before it starts, never be silently ignored.
describe("validateOptions", () => {
  it("accepts well-formed options and no options", () => {
    expect(validateOptions({ allow: ["/^test-/"], maxFindings: 3 })).toEqual([]);
    expect(validateOptions({})).toEqual([]);
  });

  it.each([
    [{ alow: [] }, "alow: unknown option"],
    [{ allow: ["/([/"] }, "allow[0]: Invalid regular expression"],
    [{ emailThreshold: "20" }, "emailThreshold: expected a positive integer"],
  ] as [Record<string, unknown>, string][])("rejects %j, naming the key", (options, message) => {
    const problems = validateOptions(options);
    expect(problems.some((problem) => problem.startsWith(message))).toBe(true);
  });
});
