import { randomFillSync } from "node:crypto";
import { mkdtemp, open, rm, statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { scanPaths } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import preset from "../src/index.js";

// Float weights are high-entropy by nature: a large file of random float32 values, written as a
// safetensors model and as raw bytes, must stay clean even at the thorough level, where every byte
// of the tensor data goes through the secrets and embedded-executable detectors. 1 GB when the disk
// has room for it (the acceptance size), 256 MB otherwise.
const GIB = 1024 ** 3;

async function sizeFor(directory: string): Promise<number> {
  const stats = await statfs(directory);
  return stats.bavail * stats.bsize > 8 * GIB ? GIB : GIB / 4;
}

/** A safetensors file: one F32 tensor of `bytes` random bytes, written in chunks. */
async function writeRandomSafetensors(file: string, bytes: number): Promise<void> {
  const header = JSON.stringify({
    __metadata__: { format: "pt" },
    "model.embed_tokens.weight": { dtype: "F32", shape: [bytes / 4 / 1024, 1024], data_offsets: [0, bytes] },
  });
  const padded = header + " ".repeat((8 - (header.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(padded.length));
  const handle = await open(file, "w");
  try {
    await handle.write(length);
    await handle.write(Buffer.from(padded));
    const chunk = Buffer.alloc(16 * 1024 * 1024);
    for (let written = 0; written < bytes; written += chunk.length) {
      // Random float32 values in a realistic range rather than raw random bits.
      const floats = new Float32Array(chunk.buffer, chunk.byteOffset, chunk.length / 4);
      randomFillSync(chunk);
      for (let index = 0; index < floats.length; index += 1) {
        floats[index] = ((chunk.readUInt16LE((index * 4) % (chunk.length - 2)) / 65535) * 2 - 1) * 0.05;
      }
      await handle.write(chunk, 0, Math.min(chunk.length, bytes - written));
    }
  } finally {
    await handle.close();
  }
}

describe("random float weights", () => {
  it("a large random float32 safetensors model is clean at the thorough level", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "modelaudit-weights-"));
    try {
      const bytes = await sizeFor(directory);
      const file = path.join(directory, "model.safetensors");
      await writeRandomSafetensors(file, bytes);
      const report = await scanPaths([file], [preset], { level: "thorough" });
      expect(report.files[0]).toMatchObject({ outcome: "clean", formats: ["safetensors"] });
      expect(report.files[0]?.size).toBeGreaterThan(bytes);
      expect(report.findings).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 300_000);
});
