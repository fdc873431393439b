import { readFileSync, statSync } from "node:fs";
import type { ScanLevel } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import executable from "@modelaudit/format-executable";
import pickle from "@modelaudit/format-pickle";
import safetensors from "@modelaudit/format-safetensors";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

const folder = new URL("../../../tooling/fixtures/weights/", import.meta.url);
interface ManifestEntry {
  file: string;
  expect: "clean" | "findings";
  maxSeverity: "critical" | "warning" | "info" | null;
  rules: string[];
  level: ScanLevel;
  description: string;
}
const manifest = JSON.parse(readFileSync(new URL("manifest.json", folder), "utf8")) as ManifestEntry[];
const SEVERITY_RANK = { info: 1, warning: 2, critical: 3 } as const;
const plugins = [safetensors, pickle, archive, executable, plugin];

describe("weights fixtures (tooling/fixtures/weights, made with numpy)", () => {
  it("keeps the fixtures small and at the thorough level", () => {
    let total = 0;
    for (const entry of manifest) {
      const size = statSync(new URL(entry.file, folder)).size;
      expect(size, entry.file).toBeLessThan(4 * 1024 * 1024);
      expect(entry.level, entry.file).toBe("thorough");
      total += size;
    }
    expect(total).toBeLessThan(12 * 1024 * 1024);
  });

  for (const entry of manifest) {
    it(`${entry.file}: ${entry.expect} (${entry.maxSeverity ?? "nothing"})`, async () => {
      const path = new URL(entry.file, folder).pathname;
      const report = await scanPaths([path], plugins, { level: entry.level });
      expect(report.files[0]?.outcome, JSON.stringify(report.files[0]?.reasons)).not.toBe("error");
      expect(report.files[0]?.reasons).toEqual([]);
      const findings = report.findings.filter((finding) => finding.ruleId.startsWith("weights/"));
      const summary = findings.map((finding) => `${finding.severity} ${finding.ruleId} ${finding.message}`).join("\n");
      if (entry.expect === "clean") {
        expect(findings, summary).toEqual([]);
        return;
      }
      for (const rule of entry.rules)
        expect(
          findings.map((finding) => finding.ruleId),
          summary,
        ).toContain(rule);
      const worst = Math.max(...findings.map((finding) => SEVERITY_RANK[finding.severity]));
      expect(worst, summary).toBe(SEVERITY_RANK[entry.maxSeverity ?? "info"]);
      for (const finding of findings) {
        // Every finding names its tensor (name, dtype, shape) and where its data is.
        expect(finding.message, summary).toMatch(
          /^(Tensor|The low-order bits of tensor) \S+ \(\S+, shape \[[\d, ]+\], data at offset \d+\)/,
        );
        expect(finding.location?.offset, summary).toBeTypeOf("number");
        expect(finding.location?.path, summary).toBeTruthy();
      }
    });
  }

  it("says what the hidden payloads are", async () => {
    const messages = async (file: string) => {
      const report = await scanPaths([new URL(file, folder).pathname], plugins, { level: "thorough" });
      return report.findings.filter((finding) => finding.ruleId === "weights/hidden-payload");
    };
    const [elf] = await messages("lsb_elf.safetensors");
    expect(elf?.message).toContain("form an ELF executable");
    expect(elf?.evidence).toMatch(/^extracted bytes: 7f454c46/);
    const [zip] = await messages("lsb_zip.npy");
    expect(zip?.message).toContain("form a zip archive");
    // The zip starts at extracted byte 100: zipfile reads a zip with bytes before it, so the sniffer claims it from 0.
    expect(zip?.message).toMatch(/starting at extracted byte (0|100)$/);
    const [pickled] = await messages("lsb_pickle_echo.safetensors");
    expect(pickled?.message).toContain("form a pickle");
    const [text] = await messages("lowbyte_text.safetensors");
    expect(text?.messageId).toBe("text");
    expect(text?.message).toContain("the low byte of each value");
    expect(text?.evidence).toContain("The quick brown fox");
    const [script] = await messages("lsb_shebang_f16.npy");
    expect(script?.message).toContain("form a script");
    expect(script?.message).toContain("first value = least significant bit");
  });

  it("counts the non-finite values and names the outlier", async () => {
    const scanned = async (file: string) =>
      (await scanPaths([new URL(file, folder).pathname], plugins, { level: "thorough" })).findings;
    const [broken] = await scanned("nan_weights.safetensors");
    expect(broken?.message).toContain("holds 3 NaN, 1 +Inf and 0 -Inf values out of 65536");
    expect(broken?.message).toContain("decoder.weight (F32, shape [256, 256]");
    const [outlier] = await scanned("outlier_single.npy");
    expect(outlier?.message).toMatch(/has 1 of 65536 values beyond mean ± 12σ \(max \|z\| 2\d\d\.\d/);
    const [zero] = await scanned("constant_zero.safetensors");
    expect(zero?.messageId).toBe("allZero");
  });
});
