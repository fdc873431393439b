import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compareSeverity, type Severity } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import executable from "@modelaudit/format-executable";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { fixtures } from "./support/executables.js";
import { testHandlers } from "./support/test-handlers.js";

interface ManifestEntry {
  file: string;
  expect: string;
  maxSeverity: Severity | null;
  rules: string[];
}

const manifest = JSON.parse(readFileSync(new URL("manifest.json", fixtures), "utf8")) as ManifestEntry[];
/** The test handlers read zip and tar and label pickles; bare xz/bzip2 streams need format-archive. */
const readable = manifest.filter((entry) => !/\.(xz|bz2)$/.test(entry.file));

describe("fixtures (real files; zip/tar read by the test-only handlers)", () => {
  it.each(readable.map((entry) => [entry.file, entry] as const))("%s", async (_file, entry) => {
    const report = await scanPaths([fileURLToPath(new URL(entry.file, fixtures))], [plugin, testHandlers]);
    const ours = report.findings.filter((finding) => finding.ruleId.startsWith("binary/"));
    const expected = entry.rules.filter((rule) => rule.startsWith("binary/"));
    expect([...new Set(ours.map((finding) => finding.ruleId))].sort()).toEqual(expected.sort());
    if (expected.length > 0 && entry.maxSeverity) {
      const worst = ours.map((finding) => finding.severity).sort(compareSeverity)[0];
      expect(worst).toBe(entry.maxSeverity);
    }
  });

  it("reports a stored zip member once, at the member, not again deep inside the archive bytes", async () => {
    const report = await scanPaths([fileURLToPath(new URL("elf_in_zip.zip", fixtures))], [plugin, testHandlers]);
    const findings = report.findings.filter((finding) => finding.ruleId === "binary/embedded-executable");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      memberChain: ["tools/payload"],
      severity: "critical",
      location: { offset: 0 },
    });
  });

  it("grades an executable deep inside weights as a warning with lower confidence", async () => {
    const report = await scanPaths([fileURLToPath(new URL("elf_inside_weights.bin", fixtures))], [plugin, executable]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      severity: "warning",
      messageId: "executableInside",
      location: { offset: 131_072 },
    });
    expect(report.findings[0]?.confidence).toBeLessThan(0.9);
  });
});
