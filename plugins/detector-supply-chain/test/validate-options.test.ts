import { loadOptionsSchema, optionProblems } from "@modelaudit/core/options";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

/** What the engine reports for `options.<namespace>` of this plugin, from the schema the plugin declares. */
// The schema the plugin's loader imports, as the engine does for a config that sets these options.
const schema = (await loadOptionsSchema(plugin.optionsSchema))!;
const validateOptions = (options: Record<string, unknown>) => optionProblems(schema, options);

// The engine checks options against the plugin's optionsSchema at start-up and prefixes each problem with `options.supply-chain.`:
// a typo or a bad value must stop the scan before it starts, never be silently ignored.
describe("validateOptions", () => {
  it("accepts well-formed options and no options", () => {
    expect(
      validateOptions({
        denySha256: ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
        expectedSha256: { "*.bin": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },
      }),
    ).toEqual([]);
    expect(validateOptions({})).toEqual([]);
  });

  it.each([
    [{ denySha265: [] }, "denySha265: unknown option"],
    [{ denySha256: ["not-a-digest"] }, "denySha256[0]: must be a 64-hex SHA-256 digest"],
    [{ expectedSha256: { "*.bin": "md5:abc" } }, 'expectedSha256["*.bin"]: must be'],
  ] as [Record<string, unknown>, string][])("rejects %j, naming the key", (options, message) => {
    const problems = validateOptions(options);
    expect(problems.some((problem) => problem.startsWith(message))).toBe(true);
  });
});
