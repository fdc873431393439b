import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIXTURES, manifest, scanFixture } from "./helpers.js";

const entries = manifest();

describe("backdoor fixtures (tooling/fixtures/backdoor, real torch models)", () => {
  it("has at least 8 malicious and 12 benign files, small", () => {
    expect(entries.filter((entry) => entry.expect === "findings").length).toBeGreaterThanOrEqual(8);
    expect(entries.filter((entry) => entry.expect === "clean").length).toBeGreaterThanOrEqual(12);
    let total = 0;
    for (const entry of entries) {
      const size = statSync(new URL(entry.file, FIXTURES)).size;
      expect(size, entry.file).toBeLessThan(1024 * 1024);
      total += size;
    }
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });

  for (const level of ["standard", "thorough"] as const) {
    for (const entry of entries) {
      const expected = entry.level === "thorough" && level !== "thorough" ? "clean" : entry.expect;
      it(`${level}: ${entry.file} is ${expected}`, async () => {
        const report = await scanFixture(entry.file, level);
        expect(report.files[0]?.outcome, JSON.stringify(report.files[0]?.reasons)).not.toBe("error");
        expect(report.files[0]?.reasons).toEqual([]);
        const findings = report.findings.filter((finding) => finding.ruleId.startsWith("backdoor/"));
        const summary = findings
          .map((finding) => `${finding.severity} ${finding.ruleId} ${finding.message}`)
          .join("\n");
        if (expected === "clean") {
          expect(findings, summary).toEqual([]);
          return;
        }
        expect([...new Set(findings.map((finding) => finding.ruleId))].sort(), summary).toEqual(
          [...entry.rules].sort(),
        );
        for (const finding of findings) {
          expect(finding.severity).toBe("warning");
          expect(finding.message, summary).toMatch(/^Tensor \S+ \(\S+, shape \[[\d, ]+\], data at offset \d+\): /);
          expect(finding.location?.offset, summary).toBeTypeOf("number");
        }
      });
    }
  }

  // The margin the README states: the benign set stays clean with the threshold lowered from 6 to
  // 4.5, and every implant is still found with it raised to 8.
  it("keeps the benign set clean at threshold 4.5", async () => {
    for (const entry of entries.filter((item) => item.expect === "clean")) {
      const report = await scanFixture(entry.file, "thorough", { threshold: 4.5 });
      const findings = report.findings.filter((finding) => finding.ruleId.startsWith("backdoor/"));
      expect(
        findings.map((finding) => finding.message),
        entry.file,
      ).toEqual([]);
    }
  });

  it("still finds every implant at threshold 8", async () => {
    for (const entry of entries.filter((item) => item.expect === "findings")) {
      const report = await scanFixture(entry.file, "thorough", { threshold: 8 });
      const rules = new Set(report.findings.map((finding) => finding.ruleId));
      expect([...rules].sort(), entry.file).toEqual([...entry.rules].sort());
    }
  });

  it("names the rows, the statistic and the threshold", async () => {
    const first = async (file: string) => (await scanFixture(file)).findings[0];
    const head = await first("head1000_scaled_row_f16.pt");
    expect(head?.message).toMatch(
      /classifier row\(s\) 417 of 1000 classes larger than the rest: .* robust z [\d.]+ > 6$/,
    );
    const small = await first("head10_scaled_row_f32.safetensors");
    expect(small?.message).toMatch(/row\(s\) 3 of 10 classes larger .* > 10\.7$/);
    const filter = await first("conv16_scaled_filter_f32.safetensors");
    expect(filter?.message).toMatch(/1 filter\(s\) with an outlier norm \(rows 5\).* over 16 rows$/);
    const patch = await first("conv1_trigger_patch_f16.pt");
    expect(patch?.message).toContain("(filters 2): 16+ near-identical weights of 0.8999");
    const pruned = await first("pruned_to_three_neurons_f32.gguf");
    expect(pruned?.message).toContain("61 of 64 neurons are zero; only 3 left (rows 4, 19, 50)");
    const duplicate = await first("duplicate_neuron_f32.pt");
    expect(duplicate?.message).toContain("(pairs 7=21)");
  });

  it("records on the check why 0/1 masks and ternary weights are not judged for duplicated rows", async () => {
    for (const [file, tensor] of [
      ["benign_pruned_masks_f32.pt", "fc1.weight_mask"],
      ["benign_ternary_mlp_f32.pt", "fc2.weight"],
    ] as const) {
      const report = await scanFixture(file);
      const check = report.checks.find((item) => item.ruleId === "backdoor/duplicate-neurons");
      expect(check?.status, file).toBe("passed");
      expect(check?.notes?.join("\n"), file).toContain(`Tensor ${tensor} `);
      expect(check?.notes?.join("\n"), file).toMatch(
        /not judged for duplicated neurons: its rows take few distinct values/,
      );
    }
  });
});
