import { loadOptionsSchema, optionProblems } from "@modelaudit/core/options";
import { describe, expect, it } from "vitest";
import plugin, { defaultOptions, readOptions } from "../src/index.js";
import { cryptoOptions, scanFacts, summary } from "./helpers.js";

/** What the engine reports for this plugin's options, from the schema the plugin declares. */
// The schema the plugin's loader imports, as the engine does for a config that sets these options.
const schema = (await loadOptionsSchema(plugin.optionsSchema))!;
const validateOptions = (options: Record<string, unknown>) => optionProblems(schema, options);

const MD5 = "9e107d9d372bb6826bd81d3542a419d6";

describe("options.crypto", () => {
  it("accepts the known options and names every bad one", () => {
    expect(validateOptions({})).toEqual([]);
    expect(validateOptions({ maxFindingsPerRule: 3, checkSiblings: false })).toEqual([]);
    expect(validateOptions({ maxFindings: 3 })).toEqual([
      "maxFindings: unknown option (known: maxFindingsPerRule, checkSiblings)",
    ]);
    expect(validateOptions({ maxFindingsPerRule: 0 })).toEqual([
      "maxFindingsPerRule: expected a positive integer, got 0",
    ]);
    expect(validateOptions({ checkSiblings: "yes" })).toEqual(['checkSiblings: expected true or false, got "yes"']);
  });

  it("fills defaults", () => {
    expect(readOptions({})).toEqual(defaultOptions);
    expect(readOptions({ maxFindingsPerRule: 2 })).toEqual({ ...defaultOptions, maxFindingsPerRule: 2 });
  });

  it("bounds findings per rule and counts the rest in one `more` finding", async () => {
    const facts = Array.from({ length: 5 }, (_, index) => ({
      kind: "text" as const,
      key: `files[${index}].md5`,
      text: MD5,
      role: "config" as const,
    }));
    const report = await scanFacts(facts, cryptoOptions({ maxFindingsPerRule: 2 }));
    expect(
      summary(report)
        .map((row) => row[2])
        .sort(),
    ).toEqual(["more", "weakChecksum", "weakChecksum"]);
    const more = report.findings.find((finding) => finding.messageId === "more");
    expect(more!.message).toBe("3 more weak integrity digests in this artifact");
  });
});
