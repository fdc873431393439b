import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { scanPaths } from "@modelaudit/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import preset from "../src/index.js";
import { safetensorsBytes } from "./safetensors-bytes.js";

// A clean model with many small tensors (batch-norm vectors beside convolutions, as in ResNet-50:
// dozens of tensors inside one 4 MiB chunk of the file) must be clean at every level: no tensor
// left unchecked because a chunk held more tensors than a detector took (issue 16: thorough scans
// of clean ResNet-50 files came back inconclusive).

/** Normal-ish deterministic values (sum of uniforms from a xorshift generator). */
function weights(count: number, scale: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = (next() + next() + next() - 1.5) * scale;
  return values;
}

/** ResNet-50's layer names and shapes with every width divided by 4: 267 tensors, about 6 MB. */
function resnetShapedTensors(): { name: string; shape: number[]; values: Float32Array }[] {
  const tensors: { name: string; shape: number[]; values: Float32Array }[] = [];
  let seed = 1;
  const conv = (name: string, out: number, input: number, kernel: number) => {
    const shape = [out, input, kernel, kernel];
    const fanIn = input * kernel * kernel;
    tensors.push({ name: `${name}.weight`, shape, values: weights(out * fanIn, Math.sqrt(2 / fanIn), seed++) });
  };
  const norm = (name: string, channels: number) => {
    tensors.push({
      name: `${name}.weight`,
      shape: [channels],
      values: weights(channels, 0.1, seed++).map((v) => 1 + v),
    });
    tensors.push({ name: `${name}.bias`, shape: [channels], values: weights(channels, 0.05, seed++) });
    tensors.push({ name: `${name}.running_mean`, shape: [channels], values: weights(channels, 0.2, seed++) });
    tensors.push({
      name: `${name}.running_var`,
      shape: [channels],
      values: weights(channels, 0.2, seed++).map((v) => 0.8 + Math.abs(v)),
    });
  };
  conv("conv1", 16, 3, 7);
  norm("bn1", 16);
  let input = 16;
  for (const [layer, width, blocks] of [
    [1, 16, 3],
    [2, 32, 4],
    [3, 64, 6],
    [4, 128, 3],
  ] as const) {
    for (let block = 0; block < blocks; block++) {
      const prefix = `layer${layer}.${block}`;
      conv(`${prefix}.conv1`, width, input, 1);
      norm(`${prefix}.bn1`, width);
      conv(`${prefix}.conv2`, width, width, 3);
      norm(`${prefix}.bn2`, width);
      conv(`${prefix}.conv3`, width * 4, width, 1);
      norm(`${prefix}.bn3`, width * 4);
      if (block === 0) {
        conv(`${prefix}.downsample.0`, width * 4, input, 1);
        norm(`${prefix}.downsample.1`, width * 4);
      }
      input = width * 4;
    }
  }
  tensors.push({ name: "fc.weight", shape: [1000, 512], values: weights(512_000, 0.03, seed++) });
  tensors.push({ name: "fc.bias", shape: [1000], values: weights(1000, 0.01, seed++) });
  return tensors;
}

function safetensors(tensors: { name: string; shape: number[]; values: Float32Array }[]): Buffer {
  return safetensorsBytes(
    tensors.map(({ name, shape, values }) => ({ name, dtype: "F32", shape, data: new Uint8Array(values.buffer) })),
    { format: "pt" },
  );
}

let directory: string;
let file: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "modelaudit-resnet-shaped-"));
  file = path.join(directory, "model.safetensors");
  const tensors = resnetShapedTensors();
  expect(tensors.length).toBeGreaterThan(250);
  await writeFile(file, safetensors(tensors));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("a clean model with many small tensors per chunk", () => {
  it.each(["quick", "standard", "thorough"] as const)(
    "is clean at the %s level, every tensor checked",
    async (level) => {
      const report = await scanPaths([file], [preset], { level });
      expect(report.files[0]?.reasons).toEqual([]);
      expect(report.findings).toEqual([]);
      expect(report.files[0]?.outcome).toBe("clean");
    },
  );
});
