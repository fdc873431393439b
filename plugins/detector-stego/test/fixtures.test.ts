import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIXTURES, manifest, scanFixture } from "./helpers.js";

const entries = manifest();

describe("stego fixtures (tooling/fixtures/stego, real torch models)", () => {
  it("has at least 10 malicious and 10 benign files, small", () => {
    expect(entries.filter((entry) => entry.expect === "findings").length).toBeGreaterThanOrEqual(10);
    expect(entries.filter((entry) => entry.expect === "clean").length).toBeGreaterThanOrEqual(10);
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
      it(`${level}: ${entry.file} is ${entry.expect}`, async () => {
        const report = await scanFixture(entry.file, level);
        expect(report.files[0]?.outcome, JSON.stringify(report.files[0]?.reasons)).not.toBe("error");
        expect(report.files[0]?.reasons).toEqual([]);
        const findings = report.findings.filter((finding) => finding.ruleId.startsWith("stego/"));
        const summary = findings
          .map((finding) => `${finding.severity} ${finding.ruleId} ${finding.message}`)
          .join("\n");
        if (entry.expect === "clean") {
          expect(findings, summary).toEqual([]);
          return;
        }
        expect([...new Set(findings.map((finding) => finding.ruleId))].sort(), summary).toEqual(
          [...entry.rules].sort(),
        );
        for (const finding of findings) {
          expect(finding.message, summary).toMatch(/of tensor \S+ \(\S+, shape \[[\d, ]+\], data at offset \d+\)/);
          expect(finding.location?.offset, summary).toBeTypeOf("number");
        }
      });
    }
  }

  it("grades: executables and scripts critical, a command critical, statistics warnings with p-values", async () => {
    const first = async (file: string) => (await scanFixture(file)).findings[0];
    const elf = await first("elf_2bit_lsbfirst_f16.pt");
    expect(elf?.severity).toBe("critical");
    expect(elf?.message).toContain("form an ELF executable");
    expect(elf?.message).toContain("the low 2 bits of each value, first value last");
    expect(elf?.evidence).toMatch(/^extracted bytes: 7f454c46/);
    const script = await first("script_8bit_f32.onnx");
    expect(script?.message).toMatch(/form a script: .* starting at extracted byte 100$/);
    const encoded = await first("base64_elf_1bit_bf16.safetensors");
    expect(encoded?.message).toContain("hold base64 text that decodes to an ELF executable");
    const command = await first("text_2bit_f32.pt");
    expect([command?.severity, command?.message]).toEqual(["critical", expect.stringContaining("spell a command")]);
    const base64Command = await first("base64_command_4bit_f16.gguf");
    expect(base64Command?.evidence).toContain('decoded: "python3 -c');
    for (const file of [
      "random_8bit_f16.gguf",
      "random_1bit_bf16_as_f32.safetensors",
      "watermark_periodic_f32.safetensors",
    ]) {
      const finding = await first(file);
      expect(finding?.severity, file).toBe("warning");
      expect(finding?.message, file).toMatch(/p = (< 1e-300|\d\.\d\de-\d+)/);
    }
  });
});
