import { readFileSync } from "node:fs";
import path from "node:path";
import { scanBytes, seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import preset from "../src/index.js";
import { safetensorsBytes } from "./safetensors-bytes.js";

// A file carried as a uint8/int8 tensor's data is bytes, not numbers: the byte detectors read such
// tensors at the default level (float tensors' bytes only at thorough).
const ELF = new Uint8Array(
  readFileSync(path.resolve(import.meta.dirname, "../../../tooling/fixtures/executables/elf_x86-64_pie_true.head")),
);

function safetensors(tensors: { name: string; dtype: string; data: Uint8Array }[]): Uint8Array {
  return safetensorsBytes(
    tensors.map(({ name, dtype, data }) => ({ name, dtype, shape: [data.length / (dtype === "F32" ? 4 : 1)], data })),
  );
}

describe("an executable stored as a byte-typed tensor", () => {
  const random = seededRandom(7);
  const weights = new Float32Array(4096).map(() => (random() - 0.5) * 0.1);
  it.each(["U8", "I8", "BOOL"])("is found at the standard level in a %s tensor", async (dtype) => {
    const carried = new Uint8Array(4096);
    carried.set(ELF, 512);
    const bytes = safetensors([
      { name: "dense.weight", dtype: "F32", data: new Uint8Array(weights.buffer) },
      { name: "payload", dtype, data: carried },
    ]);
    const report = await scanBytes("model.safetensors", bytes, [preset], { level: "standard" });
    expect(report.findings.map((finding) => finding.ruleId)).toContain("binary/embedded-executable");
  });

  it("leaves a uint8 tensor of ordinary values clean", async () => {
    const values = Uint8Array.from({ length: 65536 }, () => Math.floor(random() * 256));
    const bytes = safetensors([{ name: "quantized.weight", dtype: "U8", data: values }]);
    const report = await scanBytes("model.safetensors", bytes, [preset], { level: "standard" });
    expect(report.files[0]?.outcome).toBe("clean");
  });
});
