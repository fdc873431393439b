import type { ScanLevel } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import executable from "@modelaudit/format-executable";
import pickle from "@modelaudit/format-pickle";
import safetensors from "@modelaudit/format-safetensors";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

const folder = new URL("../../../tooling/fixtures/weights/", import.meta.url).pathname;

describe("scan levels", () => {
  for (const level of ["quick", "standard"] as ScanLevel[]) {
    it(`says nothing at the ${level} level, where tensor data is not streamed`, async () => {
      const report = await scanPaths([folder], [safetensors, pickle, archive, executable, plugin], { level });
      expect(report.files.length).toBeGreaterThan(5);
      expect(report.findings.filter((finding) => finding.ruleId.startsWith("weights/"))).toEqual([]);
    });
  }

  it("reads the weights at the thorough level", async () => {
    const report = await scanPaths([folder], [safetensors, pickle, archive, executable, plugin], { level: "thorough" });
    expect(report.findings.some((finding) => finding.ruleId === "weights/hidden-payload")).toBe(true);
  });
});
