import { describe, expect, it } from "vitest";
import type { ActiveDetector } from "../src/engine/fact-bus.js";
import { mergeSightings, type Sighting } from "../src/engine/merge-sightings.js";
import type { Finding } from "../src/findings.js";

const detector = {} as ActiveDetector;

function sighting(
  value: string,
  seenIn: "fact" | "bytes",
  memberChain: string[] = [],
  ruleId = "secrets/token",
): Sighting {
  const finding: Finding = {
    ruleId,
    severity: "critical",
    confidence: 1,
    detector: "secrets",
    messageId: "found",
    message: `${seenIn} ${memberChain.join(">")}`,
    file: "f",
    memberChain,
    remediation: "",
    references: [],
  };
  return { detector, finding, value, seenIn };
}

describe("merging sightings of one value", () => {
  it("drops raw-bytes sightings of a value a fact reported, including a token with a neighbouring byte", () => {
    const merged = mergeSightings([
      sighting("hf_abcdefghijklmnop", "bytes"),
      sighting("hf_abcdefghijklmnopq", "bytes", ["member"]),
      sighting("hf_abcdefghijklmnop", "fact", ["member"]),
      sighting("hf_abcdefghijklmnop", "bytes", [], "secrets/other"),
    ]);
    expect(merged.map(({ finding }) => `${finding.ruleId} ${finding.message}`)).toEqual([
      "secrets/token fact member",
      "secrets/other bytes ",
    ]);
  });

  it("keeps one raw-bytes sighting per value, at the innermost source", () => {
    const merged = mergeSightings([
      sighting("AKIAABCDEFGHIJKLMNOP", "bytes"),
      sighting("AKIAABCDEFGHIJKLMNOP", "bytes", ["inner.zip", "config.json"]),
      sighting("AKIAABCDEFGHIJKLMNOP", "bytes", ["inner.zip"]),
      sighting("short", "fact"),
      sighting("a-short-value-inside", "bytes"),
    ]);
    expect(merged.map(({ finding }) => finding.message)).toEqual(["fact ", "bytes inner.zip>config.json", "bytes "]);
  });
});
