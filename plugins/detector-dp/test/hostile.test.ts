import { seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { scanFacts, text } from "./helpers.js";

const KEYS = [
  "privacy_accountant_state_dict.history.0.0",
  "privacy_accountant_state_dict.history.0.1",
  "privacy_accountant_state_dict.history.0.2",
  "privacy_accountant_state_dict.history.99999.2",
  "epsilon",
  "delta",
  "noise_multiplier",
  "dp.sample_rate",
  "dp.steps",
  "body",
];
const VALUES = ["NaN", "inf", "-inf", "-1", "0", "1e308", "1e-320", "2.5", "abc", "", "1".repeat(400), "ε = 1e999"];

describe("hostile DP metadata", () => {
  it("never throws on garbage values and reports only its own rules", async () => {
    const random = seededRandom(11);
    for (let round = 0; round < 40; round++) {
      const facts = Array.from({ length: 12 }, () =>
        text(KEYS[Math.floor(random() * KEYS.length)], VALUES[Math.floor(random() * VALUES.length)]!),
      );
      const report = await scanFacts(facts);
      for (const finding of report.findings) expect(finding.ruleId).toMatch(/^dp\//);
    }
  });

  it("accounts at most 64 history entries and says so", async () => {
    const facts = Array.from({ length: 70 }, (_, index) => [
      text(`accountant.history.${index}.0`, "1"),
      text(`accountant.history.${index}.1`, "0.001"),
      text(`accountant.history.${index}.2`, "10"),
    ]).flat();
    const report = await scanFacts(facts);
    expect(report.files[0]!.reasons.join(" ")).toMatch(/more than 64 history entries/);
  });
});
