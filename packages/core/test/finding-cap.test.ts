import { describe, expect, it } from "vitest";
import { MAX_LISTED_FINDINGS_PER_RULE } from "../src/engine/scan-artifact.js";
import { scanBytes } from "../src/testing/index.js";
import { toyPlugin } from "./test-plugin.js";

describe("findings of one rule in one file", () => {
  it("lists the first ones and counts every one in the rule's check, with a note of how many are not listed", async () => {
    const imports = Array.from({ length: 650 }, (_, index) => `import evil f${index}`).join("\n");
    const report = await scanBytes("many.toy", new TextEncoder().encode(`TOY\n${imports}`), [toyPlugin]);
    expect(report.findings).toHaveLength(MAX_LISTED_FINDINGS_PER_RULE);
    expect(report.findings[0]?.message).toBe("evil.f0 is evil");
    expect(report.files[0]?.outcome).toBe("findings");
    const check = report.checks.find((entry) => entry.ruleId === "toy/evil-import");
    expect(check).toMatchObject({ status: "failed", findings: 650 });
    expect(check?.notes).toEqual([
      `150 more critical findings of this rule in this file are counted here, not listed (the report lists ${MAX_LISTED_FINDINGS_PER_RULE} per rule and severity)`,
    ]);
  });

  it("lists every finding below the cap and adds no note", async () => {
    const imports = Array.from({ length: MAX_LISTED_FINDINGS_PER_RULE }, (_, index) => `import evil f${index}`).join(
      "\n",
    );
    const report = await scanBytes("some.toy", new TextEncoder().encode(`TOY\n${imports}`), [toyPlugin]);
    expect(report.findings).toHaveLength(MAX_LISTED_FINDINGS_PER_RULE);
    const check = report.checks.find((entry) => entry.ruleId === "toy/evil-import");
    expect(check).toMatchObject({ status: "failed", findings: MAX_LISTED_FINDINGS_PER_RULE });
    expect(check?.notes).toBeUndefined();
  });
});
