import { scanBytes, seededRandom } from "@modelaudit/core/testing";
import safetensors from "@modelaudit/format-safetensors";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { driveTensors } from "./support/drive-tensors.js";
import { normalFloat32 } from "./support/random-weights.js";
import { buildSafetensors, float32Bytes } from "./support/safetensors.js";

describe("random weights give nothing", () => {
  it("64 MB of random normal float32 at the thorough level: no findings", async () => {
    const tensors = Array.from({ length: 4 }, (_, index) => ({
      name: `layers.${index}.weight`,
      dtype: "F32",
      shape: [4096, 1024],
      data: float32Bytes(normalFloat32(4096 * 1024, 100 + index, 0.02 * (index + 1))),
    }));
    const bytes = buildSafetensors(tensors);
    expect(bytes.length).toBeGreaterThan(64 * 1024 * 1024);
    const report = await scanBytes("model.safetensors", bytes, [safetensors, plugin], { level: "thorough" });
    expect(report.files[0]?.outcome).toBe("clean");
    expect(report.findings).toEqual([]);
  });

  it("seeded property: random normal tensors of any size, scale and width, in random chunks, give nothing", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      const count = 1 + Math.floor(random() * 300_000);
      const scale = 10 ** (random() * 8 - 5);
      const values = normalFloat32(count, seed * 31, scale);
      const half = random() < 0.3;
      const data = half ? toFloat16(values) : float32Bytes(values);
      const chunkSize = 1 + Math.floor(random() * 200_000);
      const reports = driveTensors([{ name: "w", dtype: half ? "f16" : "f32", bytes: data }], chunkSize);
      expect(reports, `seed ${seed}: ${count} values, scale ${scale}, chunks ${chunkSize}`).toEqual([]);
    }
  });
});

/** Rounds toward zero to float16, subnormals included. */
function toFloat16(values: Float32Array): Uint8Array {
  const out = new Uint16Array(values.length);
  for (const [index, value] of values.entries()) {
    const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
    const magnitude = Math.abs(value);
    if (magnitude < 2 ** -14) {
      out[index] = sign | Math.floor(magnitude / 2 ** -24);
      continue;
    }
    const exponent = Math.min(30, Math.floor(Math.log2(magnitude)));
    const mantissa = Math.min(1023, Math.floor((magnitude / 2 ** exponent - 1) * 1024));
    out[index] = sign | ((exponent + 15) << 10) | mantissa;
  }
  return new Uint8Array(out.buffer);
}
